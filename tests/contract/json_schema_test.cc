// The JSON Schema subset validator the contract checks rest on (tests/support/json_schema.h).

#include "tests/support/json_schema.h"

#include <gtest/gtest.h>

namespace sb::testing {
namespace {

namespace json = boost::json;

json::value Doc() {
  return json::parse(R"({
    "components": {"schemas": {
      "Thing": {"type": "object", "additionalProperties": false, "required": ["id", "n"],
                "properties": {"id": {"type": "string", "pattern": "^t_"},
                               "n": {"type": "integer", "minimum": 1, "maximum": 3},
                               "at": {"type": ["string", "null"], "format": "date-time"},
                               "kind": {"enum": ["a", "b"]},
                               "tags": {"type": "array", "items": {"type": "string"},
                                        "maxItems": 2}}},
      "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
      "Sealed": {"allOf": [{"$ref": "#/components/schemas/Base"},
                           {"properties": {"extra": {"type": "boolean"}}}],
                 "unevaluatedProperties": false},
      "Either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
      "Map": {"type": "object", "additionalProperties": {"type": "integer"}}
    }}})");
}

std::vector<std::string> Check(const std::string& schema, const std::string& instance) {
  static const json::value doc = Doc();
  JsonSchemaValidator v(doc);
  return v.Validate(json::parse(R"({"$ref": "#/components/schemas/)" + schema + "\"}"),
                    json::parse(instance));
}

std::string Joined(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += e + "\n";
  return s;
}

TEST(JsonSchema, AcceptsWhatMatches) {
  EXPECT_EQ(Joined(Check("Thing", R"({"id":"t_1","n":2,"at":"2026-01-02T03:04:05Z"})")), "");
  EXPECT_EQ(Joined(Check("Thing", R"({"id":"t_1","n":3.0,"at":null,"kind":"b","tags":[]})")), "");
  EXPECT_EQ(Joined(Check("Sealed", R"({"id":"x","extra":true})")), "");
  EXPECT_EQ(Joined(Check("Either", R"(7)")), "");
  EXPECT_EQ(Joined(Check("Map", R"({"a":1,"b":2})")), "");
}

TEST(JsonSchema, NamesTheJsonPathOfEachMismatch) {
  EXPECT_EQ(Joined(Check("Thing", R"({"id":5,"n":1})")), "$.id: expected type \"string\", got 5\n");
  EXPECT_EQ(Joined(Check("Thing", R"({"id":"t_1"})")), "$: missing required property 'n'\n");
  EXPECT_EQ(Joined(Check("Thing", R"({"id":"t_1","n":1,"color":"red"})")),
            "$: property 'color' is not in the schema\n");
  EXPECT_EQ(Joined(Check("Thing", R"({"id":"t_1","n":1,"tags":["a",2]})")),
            "$.tags[1]: expected type \"string\", got 2\n");
  EXPECT_EQ(Joined(Check("Map", R"({"a":"x"})")), "$.a: expected type \"integer\", got \"x\"\n");
}

TEST(JsonSchema, EnforcesBoundsPatternsEnumsAndFormats) {
  EXPECT_NE(Joined(Check("Thing", R"({"id":"t_1","n":0})")).find("$.n: minimum 1"),
            std::string::npos);
  EXPECT_NE(Joined(Check("Thing", R"({"id":"t_1","n":4})")).find("$.n: maximum 3"),
            std::string::npos);
  EXPECT_NE(Joined(Check("Thing", R"({"id":"u_1","n":1})")).find("$.id: does not match"),
            std::string::npos);
  EXPECT_NE(
      Joined(Check("Thing", R"({"id":"t_1","n":1,"kind":"c"})")).find("$.kind: expected one of"),
      std::string::npos);
  EXPECT_NE(Joined(Check("Thing", R"({"id":"t_1","n":1,"at":"yesterday"})")).find("RFC 3339"),
            std::string::npos);
  EXPECT_NE(Joined(Check("Thing", R"({"id":"t_1","n":1.5})")).find("integer"), std::string::npos);
  EXPECT_NE(Joined(Check("Thing", R"({"id":"t_1","n":1,"tags":["a","b","c"]})")).find("maxItems"),
            std::string::npos);
}

TEST(JsonSchema, UnevaluatedPropertiesSeeThroughAllOfAndRef) {
  EXPECT_EQ(Joined(Check("Sealed", R"({"id":"x","other":1})")),
            "$: property 'other' is not in the schema\n");
  EXPECT_EQ(Joined(Check("Sealed", R"({"extra":true})")), "$: missing required property 'id'\n");
}

TEST(JsonSchema, OneOfNeedsExactlyOneBranch) {
  EXPECT_NE(Joined(Check("Either", "true")).find("matches none of oneOf"), std::string::npos);
  json::value doc = json::parse(R"({})");
  JsonSchemaValidator v(doc);
  auto both = v.Validate(json::parse(R"({"oneOf":[{"type":"integer"},{"type":"number"}]})"),
                         json::parse("1"));
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0], "$: matches 2 branches of oneOf, not one");
}

TEST(JsonSchema, ReportsUnsupportedKeywordsAndBrokenRefs) {
  json::value doc = json::parse(R"({})");
  JsonSchemaValidator v(doc);
  auto unsupported =
      v.Validate(json::parse(R"({"type":"object","propertyNames":{}})"), json::parse("{}"));
  ASSERT_EQ(unsupported.size(), 1u);
  EXPECT_NE(unsupported[0].find("'propertyNames'"), std::string::npos);
  auto broken = v.Validate(json::parse(R"({"$ref":"#/nowhere"})"), json::parse("1"));
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_NE(broken[0].find("unresolved $ref"), std::string::npos);
  EXPECT_TRUE(
      v.Validate(json::parse(R"({"description":"any","default":1})"), json::parse("[]")).empty());
}

}  // namespace
}  // namespace sb::testing
