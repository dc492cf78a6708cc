// Webhook endpoints over HTTP: bad input is refused naming the field with nothing written,
// only admins manage them, removing one stops deliveries, both are audited without the
// URL's secrets, and another tenant's key sees none of it.

#include <set>
#include <string>

#include "tests/support/webhooks_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class WebhookEndpoints : public Webhooks {
 protected:
  // The tenant's security audit entries with this action.
  std::vector<json::object> Audited(const std::string& action) {
    HttpResponse r = Api("GET", "/v1/audit/entries?category=security&limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<json::object> out;
    if (r.status != 200) return out;
    json::value entries = r.Json();
    for (const json::value& e : entries.at("data").as_array()) {
      if (Str(e, "action") == action) out.push_back(e.as_object());
    }
    return out;
  }

  size_t EndpointCount() {
    HttpResponse r = Api("GET", "/v1/webhook-endpoints");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array().size() : 0;
  }
};

TEST_P(WebhookEndpoints, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  struct Case {
    const char* body;
    const char* param;
  };
  const Case cases[] = {
      {R"({"url":"ftp://hooks.example.com/in","event_types":["*"]})", "url"},
      {R"({"url":"hooks.example.com/in","event_types":["*"]})", "url"},
      {R"({"url":"https://user:pass@hooks.example.com/in","event_types":["*"]})", "url"},
      {R"({"url":"https://hooks.example.com:99999/in","event_types":["*"]})", "url"},
      {R"({"url":"https://hooks example.com/in","event_types":["*"]})", "url"},
      {R"({"url":42,"event_types":["*"]})", "url"},
      {R"({"event_types":["*"]})", "url"},
      {R"({"url":"https://hooks.example.com/in"})", "event_types"},
      {R"({"url":"https://hooks.example.com/in","event_types":[]})", "event_types"},
      {R"({"url":"https://hooks.example.com/in","event_types":["Request Completed"]})",
       "event_types"},
      {R"({"url":"https://hooks.example.com/in","event_types":["*","request.completed"]})",
       "event_types"},
      {R"({"url":"https://hooks.example.com/in","event_types":"*"})", "event_types"},
      {R"({"url":"https://hooks.example.com/in","event_types":["*"],"secret":"whsec_mine"})",
       "secret"},
      {R"({"url":"https://hooks.example.com/in","event_types":["*"],"enabled":true})", "enabled"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Api("POST", "/v1/webhook-endpoints", c.body);
    ExpectProblem(r, 400, c.param);
  }
  std::string long_description(201, 'd');
  ExpectProblem(Api("POST", "/v1/webhook-endpoints",
                    json::serialize(json::object{{"url", "https://hooks.example.com/in"},
                                                 {"event_types", json::array{"*"}},
                                                 {"description", long_description}})),
                400, "description");
  ExpectProblem(Api("POST", "/v1/webhook-endpoints", "not json"), 400);
  EXPECT_EQ(EndpointCount(), 0u);
  EXPECT_TRUE(Audited("webhook_endpoint.created").empty());

  // A dry run checks the same and writes nothing either, and makes no secret.
  HttpResponse dry =
      Api("POST", "/v1/webhook-endpoints?dry_run=true",
          R"({"url":"https://hooks.example.com/in","event_types":["request.completed"]})");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.Json().at("dry_run").as_bool());
  EXPECT_TRUE(dry.Json().at("secret").is_null());
  EXPECT_EQ(EndpointCount(), 0u);
}

TEST_P(WebhookEndpoints, OnlyAdminsManageEndpoints) {
  const std::string body = R"({"url":"https://hooks.example.com/in","event_types":["*"]})";
  ExpectProblem(CallAs(agent_, "POST", "/v1/webhook-endpoints", body), 403);
  ExpectProblem(CallAs(agent_, "GET", "/v1/webhook-endpoints"), 403);
  Endpoint ep = AddEndpoint("https://hooks.example.com/in", {"*"});
  ExpectProblem(CallAs(agent_, "DELETE", "/v1/webhook-endpoints/" + ep.id), 403);
  ExpectProblem(CallAs("", "GET", "/v1/webhook-endpoints"), 401);
  EXPECT_EQ(EndpointCount(), 1u);
}

TEST_P(WebhookEndpoints, CreatingAndRemovingAreAuditedAndRemovalStopsDeliveries) {
  WebhookReceiver receiver;
  std::string url = receiver.Url("/in?token=client-secret-token");
  HttpResponse created =
      Api("POST", "/v1/webhook-endpoints",
          json::serialize(json::object{
              {"url", url}, {"event_types", json::array{"*"}}, {"description", "CRM"}}));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Str(created.Json(), "id");
  EXPECT_EQ(created.Header("Location"), "/v1/webhook-endpoints/" + id);
  EXPECT_EQ(Str(created.Json(), "status"), "enabled");
  EXPECT_EQ(Str(created.Json(), "url"), url);

  HttpResponse list = Api("GET", "/v1/webhook-endpoints");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.Json().at("data").as_array().size(), 1u);
  EXPECT_EQ(Str(list.Json().at("data").at(0), "id"), id);
  EXPECT_EQ(list.body.find("whsec_"), std::string::npos) << "the secret is shown once";

  auto entries = Audited("webhook_endpoint.created");
  ASSERT_EQ(entries.size(), 1u);
  std::string after = json::serialize(entries[0].at("after"));
  EXPECT_NE(after.find("http://127.0.0.1:" + std::to_string(receiver.port())), std::string::npos)
      << after;
  EXPECT_EQ(after.find("client-secret-token"), std::string::npos) << after;
  EXPECT_EQ(after.find("whsec_"), std::string::npos) << after;

  HttpResponse removed = Api("DELETE", "/v1/webhook-endpoints/" + id);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Str(removed.Json(), "status"), "disabled");
  EXPECT_EQ(EndpointCount(), 0u);
  EXPECT_EQ(Audited("webhook_endpoint.removed").size(), 1u);
  ExpectProblem(Api("DELETE", "/v1/webhook-endpoints/" + id), 404);

  std::string req = Str(PauseAService(), "id");
  MessageWhen(req, "service.suspended",
              [](const json::object& o) { return Str(o, "state") == "skipped"; });
  EXPECT_EQ(receiver.Count(), 0u);
}

TEST_P(WebhookEndpoints, AnotherTenantsKeySeesNoneOfIt) {
  WebhookReceiver receiver;
  Endpoint ep = AddEndpoint(receiver.Url(), {"*"});
  std::string req = Str(PauseAService(), "id");
  json::object m = MessageWhen(req, "service.suspended", [](const json::object& o) {
    return Str(o, "state") == "delivered";
  });
  std::string other = NewTenantKey("Other Telecom");
  ASSERT_FALSE(other.empty());

  HttpResponse list = CallAs(other, "GET", "/v1/webhook-endpoints");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.Json().at("data").as_array().empty());
  ExpectProblem(CallAs(other, "DELETE", "/v1/webhook-endpoints/" + ep.id), 404);
  ExpectProblem(CallAs(other, "POST", "/v1/outbox/" + Str(m, "id") + "/replay"), 404);
  HttpResponse outbox = CallAs(other, "GET", "/v1/outbox?request_id=" + req);
  ASSERT_EQ(outbox.status, 200) << outbox.body;
  EXPECT_TRUE(outbox.Json().at("data").as_array().empty());
  HttpResponse dead = CallAs(other, "GET", "/v1/outbox?state=delivered");
  ASSERT_EQ(dead.status, 200) << dead.body;
  EXPECT_EQ(dead.body.find(Str(m, "id")), std::string::npos);

  EXPECT_EQ(EndpointCount(), 1u) << "the other tenant removed nothing";
  std::multiset<std::string> types;
  for (const json::value& o : Outbox("channel=webhook&request_id=" + req)) {
    types.insert(Str(o, "event_type"));
  }
  EXPECT_EQ(types, (std::multiset<std::string>{"customer.notification", "request.completed",
                                               "service.suspended"}))
      << "the change's events and the notice that told the customer, each once";
  ExpectProblem(Api("GET", "/v1/outbox?state=lost"), 400, "state");
  ExpectProblem(Api("GET", "/v1/outbox?channel=fax"), 400, "channel");
}

// One endpoint reads as it is listed, never with its secret; a removed one reads as disabled;
// another tenant's id is 404, and only admins read.
TEST_P(WebhookEndpoints, OneEndpointReadsWithoutItsSecret) {
  WebhookReceiver receiver;
  Endpoint ep = AddEndpoint(receiver.Url(), {"service.suspended"});
  HttpResponse got = Api("GET", "/v1/webhook-endpoints/" + ep.id);
  ASSERT_EQ(got.status, 200) << got.body;
  HttpResponse list = Api("GET", "/v1/webhook-endpoints");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(got.Json(), list.Json().at("data").as_array().at(0));
  EXPECT_EQ(Str(got.Json(), "url"), receiver.Url());
  EXPECT_EQ(Str(got.Json(), "status"), "enabled");
  EXPECT_FALSE(got.Json().as_object().contains("secret"));
  std::string bare_secret = ep.secret.substr(std::string("whsec_").size());
  EXPECT_EQ(got.body.find(bare_secret), std::string::npos);

  ExpectProblem(CallAs(agent_, "GET", "/v1/webhook-endpoints/" + ep.id), 403);
  std::string other = NewTenantKey("Other Readers");
  ASSERT_FALSE(other.empty());
  ExpectProblem(CallAs(other, "GET", "/v1/webhook-endpoints/" + ep.id), 404);
  ExpectProblem(Api("GET", "/v1/webhook-endpoints/whe_nothing"), 404);

  ASSERT_EQ(Api("DELETE", "/v1/webhook-endpoints/" + ep.id).status, 200);
  HttpResponse removed = Api("GET", "/v1/webhook-endpoints/" + ep.id);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Str(removed.Json(), "status"), "disabled");
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookEndpoints, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
