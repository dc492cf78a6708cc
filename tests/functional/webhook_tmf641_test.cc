// Webhook endpoints of format tmf641 over real HTTP: a request on a service reaches them as
// TMF641 service order events, signed with the endpoint's secret, while an endpoint of the
// default format gets the envelope of the same events; other events never reach them; and
// what such an endpoint may not list is refused by name.

#include <set>

#include "tests/support/webhooks_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Tmf641Webhooks : public Webhooks {
 protected:
  Endpoint AddTmfEndpoint(const std::string& url, const json::array& types) {
    HttpResponse r = Api(
        "POST", "/v1/webhook-endpoints",
        json::serialize(json::object{{"url", url}, {"event_types", types}, {"format", "tmf641"}}));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {};
    EXPECT_EQ(Str(r.Json(), "format"), "tmf641");
    return {Str(r.Json(), "id"), Str(r.Json(), "secret")};
  }

  const json::object& Order(const json::value& event) {
    return event.at("event").at("serviceOrder").as_object();
  }
};

TEST_P(Tmf641Webhooks, ACompletedRequestOnAServiceArrivesAsAServiceOrderEvent) {
  WebhookReceiver tmf;
  WebhookReceiver plain;
  Endpoint tmf_ep = AddTmfEndpoint(tmf.Url("/tmf/listener"), {"*"});
  Endpoint plain_ep = AddEndpoint(plain.Url(), {"request.completed", "service.suspended"});
  json::object req = PauseAService();
  std::string id = Str(req, "id");
  ASSERT_TRUE(plain.WaitForCount(2, 10000)) << plain.Count();
  ASSERT_TRUE(tmf.WaitForCount(1, 10000));
  // service.suspended is no service order event: once it is settled nothing more comes.
  MessageWhen(id, "service.suspended",
              [](const json::object& m) { return Str(m, "state") == "delivered"; });
  LetTheDispatcherRun();
  ASSERT_EQ(tmf.Count(), 1u);

  std::vector<ReceivedRequest> received = tmf.Requests();
  const ReceivedRequest& r = received.at(0);
  EXPECT_EQ(r.target, "/tmf/listener");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_TRUE(Verify(r, tmf_ep.secret).ok()) << Verify(r, tmf_ep.secret).ToString();
  EXPECT_FALSE(Verify(r, plain_ep.secret).ok()) << "each endpoint signs with its own secret";
  json::value event = json::parse(r.body);
  EXPECT_EQ(Str(event, "eventType"), "ServiceOrderStateChangeEvent");
  EXPECT_EQ(Str(event, "eventId"), r.Header("webhook-id"));
  EXPECT_EQ(Str(event, "correlationId"), id);
  const json::object& order = Order(event);
  EXPECT_EQ(Str(order, "id"), id);
  EXPECT_EQ(Str(order, "state"), "completed");
  EXPECT_EQ(Str(order, "category"), "suspension");
  EXPECT_FALSE(Str(order, "orderDate").empty());
  EXPECT_FALSE(Str(order, "completionDate").empty());
  EXPECT_EQ(Str(order.at("relatedParty").at(0), "id"), Str(req, "account_id"));
  const json::value& item = order.at("serviceOrderItem").at(0);
  EXPECT_EQ(Str(item, "action"), "modify");
  EXPECT_EQ(Str(item, "state"), "completed");
  EXPECT_EQ(Str(item.at("service"), "id"), Str(req, "service_id"));
  // The service's href is the TMF638 facade's, which answers for it.
  HttpResponse service = Api("GET", Str(item.at("service"), "href"));
  EXPECT_EQ(service.status, 200) << service.body;
  EXPECT_EQ(Str(service.Json(), "state"), "suspended");
  // No personal data: the customer is named by the account id only.
  EXPECT_EQ(r.body.find("Ada"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("ada@example.com"), std::string::npos) << r.body;

  // The endpoint of the default format got the envelopes of the same change, which now say
  // which service and type the request is.
  std::set<std::string> types;
  for (const ReceivedRequest& p : plain.Requests()) {
    json::value env = json::parse(p.body);
    types.insert(Str(env, "type"));
    EXPECT_EQ(Str(env.at("request"), "service_id"), Str(req, "service_id"));
    EXPECT_EQ(Str(env.at("request"), "type"), "suspension");
  }
  EXPECT_EQ(types, (std::set<std::string>{"request.completed", "service.suspended"}));
  json::object completed = MessageWhen(id, "request.completed", [](const json::object& m) {
    return Str(m, "state") == "delivered";
  });
  EXPECT_EQ(completed.at("delivered_to").as_array().size(), 2u) << json::serialize(completed);
}

TEST_P(Tmf641Webhooks, AWaitingOrderIsCreatedAcknowledgedThenPending) {
  // The pack tells of a reconnection's filing and of its wait for payment too.
  HttpResponse got = Api("GET", "/v1/policy-pack");
  ASSERT_EQ(got.status, 200) << got.body;
  std::string yaml = Str(got.Json(), "yaml");
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"version: \"2026.1\"", "version: \"2026.2\""},
           {"effective_from: \"2026-01-01T00:00:00Z\"", "effective_from: \"2026-01-02T00:00:00Z\""},
           {"notifications: [request.completed, request.rejected]",
            "notifications: [request.received, request.awaiting_payment, request.completed, "
            "request.rejected]"}}) {
    size_t at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
  }
  HttpResponse put = Api("PUT", "/v1/policy-pack", yaml, {{"Content-Type", "application/yaml"}});
  ASSERT_EQ(put.status, 200) << put.body;

  WebhookReceiver tmf;
  AddTmfEndpoint(tmf.Url(), {"request.received", "request.awaiting_payment"});
  json::object acc = NewAccount({{"name", "Grace Hopper"}, {"amount_due_minor", 4200}});
  json::object paused = File({{"type", "suspension"},
                              {"account_id", acc.at("id")},
                              {"service_id", FirstServiceId(acc)},
                              {"payload", {{"hold_type", "voluntary_pause"}}}},
                             "customer_request");
  ASSERT_EQ(Str(paused, "state"), "completed") << json::serialize(paused);
  json::object reconnect = File(
      {{"type", "reconnection"}, {"account_id", acc.at("id")}, {"service_id", FirstServiceId(acc)}},
      "customer_request");
  ASSERT_EQ(Str(reconnect, "state"), "awaiting_payment") << json::serialize(reconnect);
  ASSERT_TRUE(tmf.WaitForCount(2, 10000)) << tmf.Count();
  LetTheDispatcherRun();
  ASSERT_EQ(tmf.Count(), 2u);
  std::vector<std::pair<std::string, std::string>> seen;
  for (const ReceivedRequest& r : tmf.Requests()) {
    json::value event = json::parse(r.body);
    EXPECT_EQ(Str(Order(event), "id"), Str(reconnect, "id"));
    EXPECT_EQ(Str(Order(event), "category"), "reconnection");
    EXPECT_FALSE(Order(event).contains("completionDate"));
    seen.emplace_back(Str(event, "eventType"), Str(Order(event), "state"));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"ServiceOrderCreateEvent", "acknowledged"},
                      {"ServiceOrderStateChangeEvent", "pending"}}));
}

TEST_P(Tmf641Webhooks, WhatATmf641EndpointMayNotBeIsRefusedByName) {
  WebhookReceiver r;
  auto post = [&](json::object body) {
    body["url"] = r.Url();
    return Api("POST", "/v1/webhook-endpoints", json::serialize(body));
  };
  HttpResponse bad_format = post({{"event_types", {"*"}}, {"format", "tmf999"}});
  EXPECT_EQ(bad_format.status, 400) << bad_format.body;
  EXPECT_EQ(Str(bad_format.Json(), "param"), "format");
  HttpResponse not_a_string = post({{"event_types", {"*"}}, {"format", 641}});
  EXPECT_EQ(not_a_string.status, 400) << not_a_string.body;
  EXPECT_EQ(Str(not_a_string.Json(), "param"), "format");
  HttpResponse not_an_order =
      post({{"event_types", {"request.completed", "service.suspended"}}, {"format", "tmf641"}});
  EXPECT_EQ(not_an_order.status, 400) << not_an_order.body;
  EXPECT_EQ(Str(not_an_order.Json(), "param"), "event_types");
  // Nothing was made by the refusals; an endpoint without a format has the envelope's.
  HttpResponse list = Api("GET", "/v1/webhook-endpoints");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.Json().at("data").as_array().empty()) << list.body;
  HttpResponse plain = post({{"event_types", {"service.suspended"}}});
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_EQ(Str(plain.Json(), "format"), "switchboard");
}

INSTANTIATE_TEST_SUITE_P(Backends, Tmf641Webhooks, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
