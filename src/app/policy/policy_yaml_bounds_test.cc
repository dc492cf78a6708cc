// What the policy pack reader refuses before it builds a node tree, and the ranges of the
// numbers a pack holds: each refusal names its line (and the key, where there is one).

#include "app/policy/policy_yaml_bounds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "app/policy/policy_yaml.h"

namespace sb::app {
namespace {

// The 1-based line on which `marker` starts in `text`.
int BoundsLineOf(const std::string& text, const std::string& marker) {
  size_t pos = text.find(marker);
  if (pos == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

// The default pack with its one `find` replaced by `replace`.
std::string BoundedDefaultWith(const std::string& find, const std::string& replace) {
  std::string text = DefaultPolicyPackYaml();
  size_t at = text.find(find);
  EXPECT_NE(at, std::string::npos) << find;
  EXPECT_EQ(text.find(find, at + 1), std::string::npos) << find << ": ambiguous";
  if (at != std::string::npos) text.replace(at, find.size(), replace);
  return text;
}

void ExpectRefused(const std::string& text, const std::string& reason, const std::string& param,
                   int line, const std::string& name) {
  auto pack = ParsePolicyPack(text);
  ASSERT_FALSE(pack.ok()) << name;
  EXPECT_EQ(pack.status().code(), Code::kInvalidArgument) << name;
  EXPECT_EQ(pack.status().reason(), reason) << name << ": " << pack.status().message();
  EXPECT_EQ(pack.status().param(), param) << name << ": " << pack.status().message();
  EXPECT_EQ(pack.status().message().rfind("line " + std::to_string(line) + ":", 0), 0u)
      << name << ": wanted line " << line << " in " << pack.status().message();
}

// A fifth of the size and node limits is still enough for the default pack (26 KB with its
// comments, every request type, identity methods, fraud rules and data rights).
TEST(PackShape, DefaultPackIsWellWithinTheLimits) {
  std::string text = DefaultPolicyPackYaml();
  PackLimits fifth;
  fifth.max_bytes /= 5;
  fifth.max_nodes /= 5;
  EXPECT_TRUE(CheckPackShape(text, fifth).ok()) << CheckPackShape(text, fifth).ToString();
}

TEST(PackShape, RefusesARepeatedKeyNamingItAndItsLine) {
  std::string text =
      BoundedDefaultWith("    fee_minor: 1500\n", "    fee_minor: 1500\n    fee_minor: 0\n");
  ExpectRefused(text, "duplicate_key", "requests.reactivation.fee_minor",
                BoundsLineOf(text, "    fee_minor: 0"), "repeated fee");
  // At the top level, and written once quoted and once plain.
  std::string top =
      BoundedDefaultWith("version: \"2026.1\"", "version: \"2026.1\"\n\"version\": \"x\"");
  ExpectRefused(top, "duplicate_key", "version", BoundsLineOf(top, "\"version\": \"x\""),
                "top level");
}

TEST(PackShape, RefusesASecondDocument) {
  std::string text = DefaultPolicyPackYaml() + "---\nversion: \"evil\"\n";
  ExpectRefused(text, "multiple_documents", "policy", BoundsLineOf(text, "---\nversion: \"evil\""),
                "second document");
}

TEST(PackShape, RefusesInvalidUtf8AnywhereNamingTheLine) {
  std::string version = BoundedDefaultWith("version: \"2026.1\"", "version: \"2026.1-caf\xe9\"");
  ExpectRefused(version, "invalid_utf8", "policy", BoundsLineOf(version, "version:"), "version");
  std::string comment = BoundedDefaultWith("  reactivation:\n", "  reactivation:  # \xc0\xaf\n");
  ExpectRefused(comment, "invalid_utf8", "policy", BoundsLineOf(comment, "  reactivation:"),
                "overlong");
  EXPECT_EQ(FirstInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::string::npos);
  EXPECT_EQ(FirstInvalidUtf8("a\xed\xa0\x80"), 1u);       // a UTF-16 surrogate
  EXPECT_EQ(FirstInvalidUtf8("ab\xf4\x90\x80\x80"), 2u);  // past U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("abc\xe2\x82"), 3u);         // cut short
}

TEST(PackShape, RefusesATooLargePackBeforeParsingIt) {
  // The reported attack: a 1 MB list of integers.
  std::string text = "version: \"x\"\nlist: [";
  while (text.size() < (1 << 20)) text += "1, ";
  text += "1]\n";
  auto pack = ParsePolicyPack(text);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().reason(), "pack_too_large") << pack.status().message();
  EXPECT_NE(pack.status().message().find("262144 bytes"), std::string::npos);
}

TEST(PackShape, RefusesTooManyNodesNamingTheLine) {
  std::string text = "version: \"x\"\nlist:\n";
  for (int i = 0; i < 25000; ++i) text += "- 1\n";
  ASSERT_LT(text.size(), PackLimits{}.max_bytes);
  // The root map, "version", "x", "list" and the list make five; item n is node 5 + n, on
  // line 2 + n.
  ExpectRefused(text, "too_many_nodes", "policy", 2 + (20000 + 1 - 5), "long list");
}

TEST(PackShape, RefusesDeepNesting) {
  std::string text = "version: \"x\"\ndeep: " + std::string(40, '[') + std::string(40, ']') + "\n";
  ExpectRefused(text, "too_deep", "policy", 2, "nested lists");
}

TEST(PackShape, RefusesAnAliasBomb) {
  // Each level repeats the one before ten times: a billion strings from a few lines.
  std::string text =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ",*" : "*") + prev;
    text += "]\n";
  }
  // Level d stands for 10,111 nodes: the first alias of level e passes 20,000.
  ExpectRefused(text, "too_many_nodes", "policy", BoundsLineOf(text, "e: &e"), "billion laughs");
  std::string many = "x: &x 1\nl: [";
  for (int i = 0; i < 150; ++i) many += "*x,";
  many += "1]\n";
  ExpectRefused(many, "too_many_aliases", "policy", 2, "many aliases");
}

TEST(PackShape, RefusesKeysThatAreNotPlainNames) {
  std::string text = "version: \"x\"\n? [a, b]\n: 1\n";
  ExpectRefused(text, "complex_key", "policy", 2, "list as key");
}

TEST(PackShape, MalformedYamlStillNamesItsLine) {
  std::string text = "version: \"x\"\nbroken: {\n";
  auto pack = ParsePolicyPack(text);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().param(), "policy");
  EXPECT_NE(pack.status().message().find("malformed YAML"), std::string::npos);
}

// Numbers that would overflow minutes or money arithmetic are refused with their range.
TEST(PackRanges, RefusesHugeNumbersNamingKeyAndRange) {
  struct Case {
    const char* find;
    const char* replace;
    const char* param;
    const char* range;
  } cases[] = {
      {"    fee_minor: 1500\n", "    fee_minor: 0x7fffffffffffffff\n",
       "requests.reactivation.fee_minor", "between 0 and 1000000000000"},
      {"max_age_minutes: 43200  # 30 days", "max_age_minutes: 0x7fffffffffffffff",
       "requests.reactivation.checks[0].max_age_minutes", "between 1 and 5256000"},
      {"max_age_minutes: 15", "max_age_minutes: 9223372036854775807",
       "requests.security_settings_change.checks[0].max_age_minutes", "between 1 and 5256000"},
      {"        level: 3\n", "        level: 2147483647\n",
       "requests.security_settings_change.checks[0].level", "between 1 and 10"},
      {"high: {target_minutes: 60}\n      urgent",
       "high: {target_minutes: 99999999999}\n      urgent",
       "requests.security_settings_change.sla.high.target_minutes", "between 1 and 525600"},
  };
  for (const Case& c : cases) {
    std::string text = BoundedDefaultWith(c.find, c.replace);
    auto pack = ParsePolicyPack(text);
    ASSERT_FALSE(pack.ok()) << c.param;
    EXPECT_EQ(pack.status().param(), c.param) << pack.status().message();
    EXPECT_NE(pack.status().message().find(c.range), std::string::npos) << pack.status().message();
    EXPECT_EQ(pack.status().message().rfind("line ", 0), 0u) << pack.status().message();
  }
}

}  // namespace
}  // namespace sb::app
