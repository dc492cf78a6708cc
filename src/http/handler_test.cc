// Request handling as a pure function over a real SQLite store: no sockets involved.

#include "http/handler.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/log.h"
#include "tests/support/handler_stack.h"

namespace sb::testing {
namespace {

using http::Request;
using http::Response;

constexpr const char* kMetricsToken = "scrape-me";

class HandlerTest : public ::testing::Test, protected HandlerStack {
 protected:
  HandlerTest() : HandlerStack(http::ServerOptions{.metrics_token = kMetricsToken}) {}

  void SetUp() override {
    auto tenant = admin_.CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    auto key = admin_.CreateApiKey(tenant->id, "test", domain::Role::kAdmin);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    secret_ = key->secret;
  }

  Response Send(const std::string& method, const std::string& target, const std::string& body = "",
                std::map<std::string, std::string> headers = {}, bool with_key = true) {
    Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!body.empty()) r.headers["Content-Type"] = "application/json";
    for (auto& [k, v] : headers) r.headers[k] = v;
    if (with_key) r.headers["Authorization"] = "Bearer " + secret_;
    return handler_.Handle(r);
  }

  static boost::json::value Json(const Response& r) { return boost::json::parse(r.body); }

  std::string secret_;
};

TEST_F(HandlerTest, CreatesAndReadsAnAccount) {
  Response created = Send("POST", "/v1/accounts", R"({"external_ref":"C-1","name":"Jane"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_TRUE(created.Header("X-Request-Id").has_value());
  std::string id(Json(created).at("account").at("id").as_string());
  Response got = Send("GET", "/v1/accounts/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got).at("name"), "Jane");
}

TEST_F(HandlerTest, RefusesUnknownFieldsNamingThem) {
  Response r = Send("POST", "/v1/accounts", R"({"external_ref":"C-2","colour":"red"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Json(r).at("param"), "colour");
  EXPECT_EQ(Send("GET", "/v1/accounts?external_ref=C-2").body.find("C-2"), std::string::npos);
}

TEST_F(HandlerTest, RequiresAKey) {
  EXPECT_EQ(Send("GET", "/v1/accounts", "", {}, /*with_key=*/false).status, 401);
  EXPECT_EQ(Send("GET", "/v1/accounts", "", {{"Authorization", "Bearer nope"}}, false).status, 401);
  EXPECT_EQ(Send("GET", "/healthz", "", {}, false).status, 200);
}

TEST_F(HandlerTest, ReplaysAnIdempotentCall) {
  std::string body = R"({"external_ref":"C-3"})";
  Response first = Send("POST", "/v1/accounts", body, {{"Idempotency-Key", "k1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  Response again = Send("POST", "/v1/accounts", body, {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  Response other =
      Send("POST", "/v1/accounts", R"({"external_ref":"C-4"})", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(other.status, 422) << other.body;
}

TEST_F(HandlerTest, DryRunAnswersWithoutWriting) {
  Response r = Send("POST", "/v1/accounts?dry_run=true", R"({"external_ref":"C-5"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("dry_run"), true);
  Response list = Send("GET", "/v1/accounts?external_ref=C-5");
  EXPECT_EQ(Json(list).at("data").as_array().size(), 0u);
}

TEST_F(HandlerTest, UnknownRoutesAndMethods) {
  EXPECT_EQ(Send("GET", "/v1/unknown").status, 404);
  EXPECT_EQ(Send("DELETE", "/v1/accounts").status, 405);
  EXPECT_EQ(Send("GET", "not-a-path").status, 400);
  EXPECT_EQ(Send("POST", "/v1/test/clock", R"({"advance_seconds":1})").status, 404);
}

TEST_F(HandlerTest, CountsRequestsByRoutePattern) {
  Send("GET", "/v1/accounts/acc_missing");
  std::string text = handler_.metrics().Render();
  EXPECT_NE(text.find(R"(route="/v1/accounts/{id}",method="GET",code="404")"), std::string::npos)
      << text;
}

TEST_F(HandlerTest, RateLimitsPerKeyWithRetryAfter) {
  http::ServerOptions options;
  options.rate_limit_per_second = 0.01;
  options.rate_limit_burst = 2;
  http::Handler strict(http::Api{accounts_, requests_, admin_, audit_, gate_, *store_, clock_,
                                 packs_, events_, engine_, kpis_, webhooks_, outbox_},
                       options);
  Request r;
  r.method = "GET";
  r.target = "/v1/plans";
  r.headers["Authorization"] = "Bearer " + secret_;
  EXPECT_EQ(strict.Handle(r).status, 200);
  EXPECT_EQ(strict.Handle(r).status, 200);
  Response limited = strict.Handle(r);
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.Header("Retry-After").has_value());
  EXPECT_EQ(Json(limited).at("code"), "rate_limited");
}

TEST_F(HandlerTest, RefusesKpiWindowsNamingTheParameter) {
  struct Case {
    const char* query;
    const char* param;
  };
  const Case cases[] = {
      {"", "from"},
      {"?to=2026-02-01T00:00:00Z", "from"},
      {"?from=2026-01-01T00:00:00Z", "to"},
      {"?from=yesterday&to=2026-02-01T00:00:00Z", "from"},
      {"?from=2026-01-01T00:00:00Z&to=2026-13-01T00:00:00Z", "to"},
      {"?from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z", "to"},
      {"?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"},
      {"?from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z", "from"},  // 367 days
  };
  for (const Case& c : cases) {
    Response r = Send("GET", std::string("/v1/kpis") + c.query);
    EXPECT_EQ(r.status, 400) << c.query << ": " << r.body;
    EXPECT_EQ(Json(r).at("param"), c.param) << c.query << ": " << r.body;
  }
  EXPECT_EQ(Send("GET", "/v1/kpis?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", "", {},
                 /*with_key=*/false)
                .status,
            401);
}

TEST_F(HandlerTest, MetricsCarryTheRequestGaugeFamilies) {
  Send("GET", "/v1/plans");
  Response r = Send("GET", "/metrics", "", {{"Authorization", "Bearer scrape-me"}}, false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("switchboard_http_requests_total{"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("# TYPE switchboard_requests_backlog gauge"), std::string::npos);
  EXPECT_NE(r.body.find("switchboard_kpi_tenants_failed "), std::string::npos);
}

// Metrics name tenants and their figures: without the scrape token, nothing of them shows.
TEST_F(HandlerTest, MetricsNeedTheScrapeToken) {
  ASSERT_EQ(Send("POST", "/v1/accounts", R"({"external_ref":"C-9"})").status, 201);
  const std::string tenant(Json(Send("GET", "/v1/whoami")).at("tenant_id").as_string());
  ASSERT_NE(
      Send("GET", "/metrics", "", {{"Authorization", "Bearer scrape-me"}}, false).body.find(tenant),
      std::string::npos);
  for (const std::map<std::string, std::string>& headers :
       std::vector<std::map<std::string, std::string>>{
           {},
           {{"Authorization", "Bearer scrape-m"}},
           {{"Authorization", "Bearer scrape-me2"}},
           {{"Authorization", "scrape-me"}},
           {{"Authorization", "Bearer " + secret_}}}) {  // an API key is not the token
    Response r = Send("GET", "/metrics", "", headers, /*with_key=*/false);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(Json(r).at("code"), "unauthenticated");
    EXPECT_EQ(r.body.find(tenant), std::string::npos);
    EXPECT_EQ(r.body.find("switchboard_"), std::string::npos);
  }
  // No token configured: no metrics route at all.
  http::Handler plain(http::Api{accounts_, requests_, admin_, audit_, gate_, *store_, clock_,
                                packs_, events_, engine_, kpis_, webhooks_, outbox_},
                      http::ServerOptions{});
  Request r;
  r.method = "GET";
  r.target = "/metrics";
  EXPECT_EQ(plain.Handle(r).status, 404);
}

// The signing secret of an endpoint is in the first answer only: the answer kept for an
// Idempotency-Key replay (stored in the database) has it as null.
TEST_F(HandlerTest, AReplayedEndpointCreationNeverShowsTheSecret) {
  const std::string body = R"({"url":"https://93.184.215.14/in","event_types":["*"]})";
  Response first = Send("POST", "/v1/webhook-endpoints", body, {{"Idempotency-Key", "hook-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  std::string secret(Json(first).at("secret").as_string());
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  Response again = Send("POST", "/v1/webhook-endpoints", body, {{"Idempotency-Key", "hook-1"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_TRUE(Json(again).at("secret").is_null());
  EXPECT_EQ(Json(again).at("id"), Json(first).at("id"));
  EXPECT_EQ(again.body.find(secret.substr(6)), std::string::npos);
  Response list = Send("GET", "/v1/webhook-endpoints");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Json(list).at("data").as_array().size(), 1u);
  EXPECT_EQ(list.body.find("secret"), std::string::npos);
}

// X-Request-Id is logged with every request: one that looks like a card number is refused
// and replaced by a generated id before the request is logged, on reads and writes alike.
TEST_F(HandlerTest, ACardNumberAsRequestIdNeverReachesTheLog) {
  ::testing::internal::CaptureStderr();
  Response get = Send("GET", "/v1/plans", "", {{"X-Request-Id", "4111-1111-1111-1111"}});
  Response post = Send("POST", "/v1/accounts", R"({"external_ref":"4111111111111111"})",
                       {{"X-Request-Id", "4111111111111111"}});
  Response method = Send("4111111111111111", "/v1/plans");
  sb::http::FlushLog();
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(get.status, 422) << get.body;
  EXPECT_EQ(Json(get).at("param"), "X-Request-Id");
  EXPECT_EQ(Json(get).at("code"), "card_number_refused");
  EXPECT_EQ(get.Header("X-Request-Id").value_or("").rfind("rid_", 0), 0u);
  EXPECT_EQ(post.status, 422) << post.body;
  EXPECT_NE(log.find(*get.Header("X-Request-Id")), std::string::npos) << log;
  EXPECT_EQ(log.find("4111"), std::string::npos) << log;
  EXPECT_NE(method.status, 200);
}

TEST_F(HandlerTest, RefusesACardNumberInTheQueryOfAWrite) {
  Response r = Send("POST", "/v1/accounts?note=4111%C2%A01111%C2%A01111%C2%A01111",
                    R"({"external_ref":"C-Q1"})");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Json(r).at("param"), "note");
  EXPECT_EQ(Json(r).at("code"), "card_number_refused");
  Response list = Send("GET", "/v1/accounts?external_ref=C-Q1");
  EXPECT_EQ(Json(list).at("data").as_array().size(), 0u);
}

// Stored or echoed headers must be UTF-8; bodies are refused by the JSON parser itself,
// in values and keys alike.
TEST_F(HandlerTest, RefusesInvalidUtf8WithNothingWritten) {
  Response comment =
      Send("POST", "/v1/accounts", R"({"external_ref":"C-U1"})", {{"X-Comment", "caf\xe9"}});
  EXPECT_EQ(comment.status, 400) << comment.body;
  EXPECT_EQ(Json(comment).at("code"), "invalid_utf8");
  EXPECT_EQ(Json(comment).at("param"), "X-Comment");
  Response reason = Send("GET", "/v1/plans", "", {{"X-Reason", "\xc3\x28"}});
  EXPECT_EQ(Json(reason).at("param"), "X-Reason");
  for (std::string body : {std::string(R"({"external_ref":"C-U1","name":"caf)") + "\xe9\"}",
                           std::string(R"({"external_ref":"C-U1","caf)") + "\xe9\":1}"}) {
    Response r = Send("POST", "/v1/accounts", body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Json(r).at("code"), "invalid_json");
  }
  Response list = Send("GET", "/v1/accounts?external_ref=C-U1");
  EXPECT_EQ(Json(list).at("data").as_array().size(), 0u);
}

TEST_F(HandlerTest, RoutesOnTheRawPath) {
  Response created = Send("POST", "/v1/accounts", R"({"external_ref":"C-P1"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id(Json(created).at("account").at("id").as_string());
  EXPECT_EQ(Send("GET", "/v1/accounts/" + id).status, 200);
  EXPECT_EQ(Send("GET", "/v1%2Faccounts%2F" + id).status, 404);
  EXPECT_EQ(Send("GET", "/v1/accounts%2f" + id).status, 404);
  EXPECT_EQ(Send("GET", "/v1/accounts/" + id + "%2F").status, 404);
  EXPECT_EQ(Send("GET", "/v1/%61ccounts/" + id).status, 200);
}

}  // namespace
}  // namespace sb::testing
