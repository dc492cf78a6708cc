// The one strict JSON reader: every problem names the field by its full path, with the
// reason code the caller chose, and null reads as the caller says.
#include "app/core/json_fields.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

namespace json = boost::json;

json::object Obj(const char* text) { return json::parse(text).as_object(); }

TEST(JsonFields, ProblemsNameTheFullPathWithTheCallersReasons) {
  JsonReasons http;
  http.wrong_type = "wrong_type";
  http.too_long = "too_long";
  http.out_of_range = "out_of_range";
  http.missing = "missing_field";
  json::object o = Obj(R"({"s":5,"long":"abcdef","n":1.5,"big":18446744073709551615,
                          "m":7,"list":["a","a"],"o":[]})");
  JsonFields payload(o, "payload");
  JsonFields top(o, "", JsonNull::kAbsent, http);
  struct Case {
    Status got;
    const char* param;
    const char* reason;
  };
  const Case cases[] = {
      {payload.String("s", 1, 10).status(), "payload.s", "invalid"},
      {top.String("s", 1, 10).status(), "s", "wrong_type"},
      {top.String("long", 0, 3).status(), "long", "too_long"},
      {payload.RequiredString("absent", 1, 3).status(), "payload.absent", "required"},
      {top.RequiredString("absent", 0, 3).status(), "absent", "missing_field"},
      {top.Int("n", 0, 9).status(), "n", "wrong_type"},
      {top.Int("big", 0, 9).status(), "big", "out_of_range"},
      {top.Int("m", 0, 5).status(), "m", "out_of_range"},
      {payload.Int("m", 0, 5).status(), "payload.m", "invalid"},
      {payload.StringList("list", {.distinct = true}).status(), "payload.list", "invalid"},
      {top.Object("o").status(), "o", "wrong_type"},
      {payload.Bool("s").status(), "payload.s", "invalid"},
      {payload.OnlyFields({"s", "long"}), "payload.n", "unknown_field"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.got.code(), Code::kInvalidArgument) << c.param;
    EXPECT_EQ(c.got.param(), c.param);
    EXPECT_EQ(c.got.reason(), c.reason) << c.param;
  }
  EXPECT_EQ(*payload.Int("m", 0, 9), 7);
  EXPECT_FALSE(payload.String("absent", 1, 3)->has_value());
}

TEST(JsonFields, NullReadsAsAbsentOrAsAValue) {
  json::object o = Obj(R"({"x":null})");
  EXPECT_FALSE(JsonFields(o, "payload").String("x", 1, 5)->has_value());
  Status s = JsonFields(o, "data", JsonNull::kValue).String("x", 1, 5).status();
  EXPECT_EQ(s.param(), "data.x");
  EXPECT_TRUE(JsonFields(o, "data").Has("x"));
}

TEST(JsonFields, ParseRefusesWhatIsNotOneObjectSayingOneThing) {
  EXPECT_EQ(ParseJsonObject("").status().reason(), "invalid_json");
  EXPECT_TRUE(ParseJsonObject(" ", /*allow_empty=*/true).ok());
  EXPECT_EQ(ParseJsonObject("{").status().reason(), "invalid_json");
  EXPECT_EQ(ParseJsonObject("[1]").status().reason(), "not_an_object");
  Status dup = ParseJsonObject(R"({"a":{"b":1,"b":2}})").status();
  EXPECT_EQ(dup.reason(), "duplicate_field");
  EXPECT_EQ(dup.param(), "b");
  // A repeated key that is a card number is named masked, never echoed.
  Status card = ParseJsonObject(R"({"4111 1111 1111 1111":1,"4111 1111 1111 1111":2})").status();
  EXPECT_EQ(card.reason(), "duplicate_field");
  EXPECT_EQ(card.param().find("1111"), std::string::npos) << card.param();
  EXPECT_EQ(card.message().find("1111"), std::string::npos) << card.message();
  EXPECT_NE(card.param().find("card number removed"), std::string::npos) << card.param();
  EXPECT_EQ(ParseJsonObject(R"({"a":1})")->at("a").as_int64(), 1);
}

}  // namespace
}  // namespace sb::app
