#include "app/bulk/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb::app {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Outcome {
  bool ok = false;
  Rows rows;
  CsvError error;
};

// Reads `text` fed in pieces of `piece` bytes.
Outcome Read(const std::string& text, std::size_t piece = 1 << 20, CsvLimits limits = {}) {
  CsvReader reader(limits);
  Outcome out;
  auto on = [&](std::int64_t, const std::vector<std::string_view>& fields) {
    out.rows.emplace_back(fields.begin(), fields.end());
    return true;
  };
  out.ok = true;
  for (std::size_t i = 0; i < text.size() && out.ok; i += piece) {
    out.ok = reader.Feed(std::string_view(text).substr(i, piece), on);
  }
  if (out.ok) out.ok = reader.Finish(on);
  out.error = reader.error();
  return out;
}

TEST(CsvReader, ReadsWhatSpreadsheetsWrite) {
  std::string text =
      "\xEF\xBB\xBF"
      "external_ref,note\r\n"
      "A-1,\"comma, inside\"\r\n"
      "A-2,\"line\nbreak and \"\"quotes\"\"\"\r\n"
      "A-3,\r\n";
  for (std::size_t piece : {1u, 2u, 3u, 7u, 1000u}) {
    Outcome o = Read(text, piece);
    ASSERT_TRUE(o.ok) << piece << " " << o.error.code;
    Rows want = {{"external_ref", "note"},
                 {"A-1", "comma, inside"},
                 {"A-2", "line\nbreak and \"quotes\""},
                 {"A-3", ""}};
    EXPECT_EQ(o.rows, want) << piece;
  }
}

TEST(CsvReader, LastRecordWithoutLineEnd) {
  Outcome o = Read("a,b\n1,2");
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.rows, (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReader, EmptyLinesAreRecordsOfOneEmptyField) {
  Outcome o = Read("a\n\n\n");
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.rows, (Rows{{"a"}, {""}, {""}}));
}

TEST(CsvReader, RefusalsNameRowAndColumn) {
  struct Case {
    std::string text;
    std::string code;
    std::int64_t row;
    std::int64_t column;
  };
  std::vector<Case> cases = {
      {"a,b\n1,x\"y\n", "quote_in_unquoted_field", 2, 2},
      {"a,b\n1,\"x\"y\n", "text_after_quote", 2, 2},
      {"a,b\n1,\"never closed\n", "unterminated_quote", 2, 2},
      {"a,b\n1,\xC3\x28\n", "invalid_utf8", 2, 2},
      {"a,b\n\xED\xA0\x80,1\n", "invalid_utf8", 2, 1},
      {"a,b\n1\r2\n", "stray_carriage_return", 2, 1},
      {"\xEF\xBB", "invalid_utf8", 1, 1},
  };
  for (const Case& c : cases) {
    Outcome o = Read(c.text, 1);
    EXPECT_FALSE(o.ok) << c.text;
    EXPECT_EQ(o.error.code, c.code) << c.text;
    EXPECT_EQ(o.error.row, c.row) << c.text;
    EXPECT_EQ(o.error.column, c.column) << c.text;
  }
}

TEST(CsvReader, LimitsStopAHugeFieldEarly) {
  CsvLimits limits;
  limits.max_field_bytes = 16;
  limits.max_fields = 3;
  Outcome big = Read("a,b\n1," + std::string(10 * 1024 * 1024, 'x') + "\n", 4096, limits);
  EXPECT_FALSE(big.ok);
  EXPECT_EQ(big.error.code, "field_too_large");
  EXPECT_EQ(big.error.row, 2);
  EXPECT_EQ(big.error.column, 2);
  Outcome wide = Read("a,b,c,d\n", 1 << 20, limits);
  EXPECT_FALSE(wide.ok);
  EXPECT_EQ(wide.error.code, "too_many_fields");
  EXPECT_EQ(wide.error.column, 4);
}

TEST(CsvReader, CallbackStops) {
  CsvReader reader;
  int seen = 0;
  EXPECT_FALSE(reader.Feed("a\nb\nc\n", [&](std::int64_t, const auto&) { return ++seen < 2; }));
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(reader.error().code, "stopped");
}

TEST(CsvUtf8, Validates) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
}

}  // namespace
}  // namespace sb::app
