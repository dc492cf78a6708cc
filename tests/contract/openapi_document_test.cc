// The OpenAPI document (api/openapi.yaml, as embedded in the server) against the one route
// table (src/http/routes.cc), and the contract check every functional test's answers go
// through (tests/support/openapi_contract.h).

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "http/openapi.h"
#include "http/routes.h"
#include "tests/support/json_schema.h"
#include "tests/support/openapi_contract.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

// Every route any server can have: the test clock and the metrics token switch on the
// routes that exist only with them.
std::set<std::string> RouteTable() {
  AdjustableClock clock;
  http::ServerOptions options;
  options.test_clock = &clock;
  options.metrics_token = "token";
  http::Router router;
  http::AddRoutes(router, options);
  std::set<std::string> out;
  for (const http::Route* r : router.Routes()) out.insert(r->method + " " + r->pattern);
  return out;
}

TEST(OpenApiDocument, DescribesEveryRouteAndNothingElse) {
  std::set<std::string> routes = RouteTable();
  std::vector<std::string> listed = DocumentedOperations();
  std::set<std::string> documented(listed.begin(), listed.end());
  ASSERT_EQ(listed.size(), documented.size());
  for (const std::string& r : routes) {
    EXPECT_TRUE(documented.count(r)) << r << " is routed but not in api/openapi.yaml";
  }
  for (const std::string& d : documented) {
    EXPECT_TRUE(routes.count(d)) << d << " is in api/openapi.yaml but not routed";
  }
}

TEST(OpenApiDocument, IsOpenApi31WithEveryRefResolved) {
  const json::value& doc = http::OpenApiDocument();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  JsonSchemaValidator v(doc);
  size_t refs = 0;
  std::vector<const json::value*> todo = {&doc};
  while (!todo.empty()) {
    const json::value* cur = todo.back();
    todo.pop_back();
    if (cur->is_array()) {
      for (const auto& x : cur->as_array()) todo.push_back(&x);
    } else if (cur->is_object()) {
      for (const auto& [k, x] : cur->as_object()) {
        if (k == "$ref") {
          ++refs;
          EXPECT_NE(v.Resolve(std::string(x.as_string())), nullptr) << x;
        }
        todo.push_back(&x);
      }
    }
  }
  EXPECT_GT(refs, 100u);
}

TEST(OpenApiDocument, YamlScalarsKeepTheirTypes) {
  json::value v = http::YamlToJson(YAML::Load(
      "a: 1\nb: '1'\nc: true\nd: \"true\"\ne: ~\nf: 1.5\ng: text\nh: [x, 2]\ni: |\n  block\n"));
  EXPECT_EQ(json::serialize(v),
            R"({"a":1,"b":"1","c":true,"d":"true","e":null,"f":1.5E0,"g":"text","h":["x",2],)"
            R"("i":"block\n"})");
}

HttpResponse Answer(int status, const std::string& type, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.headers["content-type"] = type;
  r.body = body;
  return r;
}

const char* const kProblem =
    R"({"type":"https://switchboard.dev/problems/not_found","title":"Not found","status":404,)"
    R"("detail":"Hold not found.","code":"not_found"})";

TEST(OpenApiContract, AcceptsDocumentedAnswers) {
  EXPECT_TRUE(
      ContractMismatches("GET", "/healthz", Answer(200, "application/json", R"({"status":"ok"})"))
          .empty());
  EXPECT_TRUE(ContractMismatches("GET", "/v1/holds/h_1?x=1",
                                 Answer(404, "application/problem+json", kProblem))
                  .empty());
  EXPECT_TRUE(ContractMismatches("GET", "/v1/nothing/here",
                                 Answer(404, "application/problem+json", kProblem))
                  .empty());
  EXPECT_TRUE(ContractMismatches("DELETE", "/v1/accounts",
                                 Answer(405, "application/problem+json", kProblem))
                  .empty());
}

TEST(OpenApiContract, NamesRouteStatusAndJsonPathOfAMismatch) {
  auto wrong = ContractMismatches("GET", "/readyz",
                                  Answer(200, "application/json", R"({"status":"maybe"})"));
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(wrong[0].rfind("GET /readyz -> 200: $.status: expected one of", 0), 0u) << wrong[0];

  auto status = ContractMismatches("GET", "/v1/holds/h_1", Answer(418, "application/json", "{}"));
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0], "GET /v1/holds/{id} -> 418: status not documented for this operation");

  auto media = ContractMismatches("GET", "/healthz", Answer(200, "text/html", "<p>"));
  ASSERT_EQ(media.size(), 1u);
  EXPECT_NE(media[0].find("Content-Type 'text/html' is not documented"), std::string::npos);

  auto unrouted = ContractMismatches("GET", "/v1/nothing", Answer(200, "application/json", "{}"));
  ASSERT_EQ(unrouted.size(), 1u);
  EXPECT_NE(unrouted[0].find("no documented path"), std::string::npos);
}

}  // namespace
}  // namespace sb::testing
