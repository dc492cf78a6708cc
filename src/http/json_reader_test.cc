#include "http/json_reader.h"

#include <gtest/gtest.h>

namespace sb::testing {
namespace {

using http::JsonReader;

struct BadBody {
  const char* body;
  const char* reason;
  const char* param;
};

// Reads {plan: string (required), note?: string, count?: int 1..10, flag?: bool}.
Status ReadSample(const std::string& body) {
  auto r = JsonReader::Parse(body);
  if (!r.ok()) return r.status();
  r->RequiredString("plan");
  r->String("note");
  r->Int("count", 1, 10);
  r->Bool("flag");
  return r->Finish();
}

TEST(JsonReader, AcceptsWellFormedBody) {
  EXPECT_TRUE(ReadSample(R"({"plan":"basic","note":"x","count":3,"flag":true})").ok());
  EXPECT_TRUE(ReadSample(R"({"plan":"basic","note":null})").ok());
}

TEST(JsonReader, RefusesBadBodiesNamingTheField) {
  const BadBody cases[] = {
      {"", "invalid_json", ""},
      {"{", "invalid_json", ""},
      {"[1,2]", "not_an_object", ""},
      {"\"plan\"", "not_an_object", ""},
      {"{\"plan\":\"\xff\xfe\"}", "invalid_json", ""},
      {R"({})", "missing_field", "plan"},
      {R"({"plan":5})", "wrong_type", "plan"},
      {R"({"plan":"a","count":"3"})", "wrong_type", "count"},
      {R"({"plan":"a","count":11})", "out_of_range", "count"},
      {R"({"plan":"a","count":99999999999999999999})", "wrong_type", "count"},
      {R"({"plan":"a","count":18446744073709551615})", "out_of_range", "count"},
      {R"({"plan":"a","count":1.5})", "wrong_type", "count"},
      {R"({"plan":"a","flag":"yes"})", "wrong_type", "flag"},
      {R"({"plan":"a","colour":"red"})", "unknown_field", "colour"},
  };
  for (const BadBody& c : cases) {
    Status s = ReadSample(c.body);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.body;
    EXPECT_EQ(s.reason(), c.reason) << c.body;
    EXPECT_EQ(s.param(), c.param) << c.body;
  }
}

TEST(JsonReader, RefusesOverlongStrings) {
  Status s = ReadSample(R"({"plan":")" + std::string(5000, 'a') + R"("})");
  EXPECT_EQ(s.reason(), "too_long");
  EXPECT_EQ(s.param(), "plan");
}

TEST(JsonReader, EmptyBodyReadsAsEmptyObjectWhenAllowed) {
  auto r = JsonReader::Parse("", /*allow_empty=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Finish().ok());
}

TEST(JsonReader, ReadsStringArrays) {
  auto r = JsonReader::Parse(R"({"plans":["a","b"],"bad":["a",1]})");
  ASSERT_TRUE(r.ok());
  auto plans = r->StringArray("plans");
  ASSERT_TRUE(plans.has_value());
  EXPECT_EQ(plans->size(), 2u);
  r->StringArray("bad");
  EXPECT_EQ(r->Finish().param(), "bad");
}

}  // namespace
}  // namespace sb::testing
