#include "app/webhooks/tmf641_event.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::RequestState;

// The envelope the request engine writes for `event_type` of a request on a service.
domain::OutboxMessage Tmf641Message(const std::string& event_type,
                                    const std::string& service_id = "svc_1",
                                    const std::string& request_type = "reconnection") {
  json::object request{{"id", "req_1"},
                       {"idempotency_key", "crm-77"},
                       {"type", request_type},
                       {"filed_at", "2026-12-01T09:00:00Z"}};
  if (!service_id.empty()) request["service_id"] = service_id;
  json::object envelope{
      {"id", "msg_1"},
      {"type", event_type},
      {"created_at", "2026-12-01T09:05:00Z"},
      {"tenant_id", "ten_1"},
      {"data", {{"state", "x"}, {"request_id", "req_1"}, {"account_id", "acc_1"}}},
      {"request", request}};
  domain::OutboxMessage m;
  m.tenant_id = "ten_1";
  m.id = "msg_1";
  m.channel = "webhook";
  m.event_type = event_type;
  m.account_id = "acc_1";
  m.request_id = "req_1";
  m.payload_json = json::serialize(envelope);
  return m;
}

json::object Body(const domain::OutboxMessage& m) {
  std::optional<std::string> body = Tmf641Body(m);
  if (!body) return {};
  return json::parse(*body).as_object();
}

TEST(Tmf641, EveryRequestStateHasItsServiceOrderState) {
  const std::pair<RequestState, const char*> table[] = {
      {RequestState::kReceived, "acknowledged"},
      {RequestState::kVerifying, "inProgress"},
      {RequestState::kAwaitingCustomer, "pending"},
      {RequestState::kAwaitingApproval, "held"},
      {RequestState::kAwaitingPayment, "pending"},
      {RequestState::kApproved, "inProgress"},
      {RequestState::kProvisioning, "inProgress"},
      {RequestState::kCompleted, "completed"},
      {RequestState::kRejected, "rejected"},
      {RequestState::kCancelled, "cancelled"},
      {RequestState::kFailed, "failed"}};
  std::set<RequestState> covered;
  for (const auto& [state, tmf] : table) {
    EXPECT_EQ(TmfServiceOrderState(state), tmf) << domain::Name(state);
    covered.insert(state);
    // The event of that state carries it, on the order and on its one item.
    json::object body = Body(Tmf641Message("request." + std::string(domain::Name(state))));
    ASSERT_FALSE(body.empty()) << domain::Name(state);
    const json::object& order = body.at("event").at("serviceOrder").as_object();
    EXPECT_EQ(order.at("state"), tmf);
    EXPECT_EQ(order.at("serviceOrderItem").at(0).at("state"), tmf);
    EXPECT_EQ(body.at("eventType"), state == RequestState::kReceived
                                        ? "ServiceOrderCreateEvent"
                                        : "ServiceOrderStateChangeEvent");
    EXPECT_EQ(order.contains("completionDate"), domain::IsTerminal(state)) << domain::Name(state);
  }
  // A state added to the enum must be added to the table (and to docs/TMFORUM.md).
  EXPECT_EQ(covered.size(), 11u);
  EXPECT_FALSE(domain::Parse<RequestState>("no_such_state"));
}

TEST(Tmf641, AnOrderNamesTheRequestTheServiceAndTheCustomer) {
  json::object body = Body(Tmf641Message("request.completed"));
  EXPECT_EQ(body.at("eventId"), "msg_1");
  EXPECT_EQ(body.at("eventTime"), "2026-12-01T09:05:00Z");
  EXPECT_EQ(body.at("correlationId"), "req_1");
  const json::object& order = body.at("event").at("serviceOrder").as_object();
  EXPECT_EQ(order.at("id"), "req_1");
  EXPECT_EQ(order.at("href"), "/v1/requests/req_1");
  EXPECT_EQ(order.at("category"), "reconnection");
  EXPECT_EQ(order.at("externalId"), "crm-77");
  EXPECT_EQ(order.at("orderDate"), "2026-12-01T09:00:00Z");
  EXPECT_EQ(order.at("completionDate"), "2026-12-01T09:05:00Z");
  EXPECT_EQ(order.at("@type"), "ServiceOrder");
  EXPECT_EQ(order.at("relatedParty"),
            (json::array{{{"id", "acc_1"}, {"role", "customer"}, {"@referredType", "Customer"}}}));
  const json::object& item = order.at("serviceOrderItem").at(0).as_object();
  EXPECT_EQ(item.at("id"), "1");
  EXPECT_EQ(item.at("action"), "modify");
  EXPECT_EQ(item.at("service"),
            (json::object{{"id", "svc_1"},
                          {"href", "/tmf-api/serviceInventory/v4/service/svc_1"},
                          {"@referredType", "Service"}}));
}

TEST(Tmf641, ActivationsAddAndTerminationsDeleteTheService) {
  EXPECT_EQ(TmfOrderItemAction(domain::RequestType::kActivation), "add");
  EXPECT_EQ(TmfOrderItemAction(domain::RequestType::kTermination), "delete");
  EXPECT_EQ(TmfOrderItemAction(domain::RequestType::kSuspension), "modify");
  EXPECT_EQ(TmfOrderItemAction(domain::RequestType::kPlanChange), "modify");
  json::object body = Body(Tmf641Message("request.received", "svc_9", "termination"));
  EXPECT_EQ(body.at("event").at("serviceOrder").at("serviceOrderItem").at(0).at("action"),
            "delete");
}

TEST(Tmf641, WhatIsNoServiceOrderEventHasNoBody) {
  // Other kinds of events, even about a request.
  EXPECT_FALSE(Tmf641Body(Tmf641Message("service.suspended")));
  EXPECT_FALSE(Tmf641Body(Tmf641Message("request.sla_breached")));
  EXPECT_FALSE(Tmf641Body(Tmf641Message("request.")));
  // A request that names no service (a change of personal details).
  EXPECT_FALSE(Tmf641Body(Tmf641Message("request.completed", "", "personal_info_update")));
  // An envelope written before requests carried their type, or not an envelope at all.
  domain::OutboxMessage old = Tmf641Message("request.completed");
  old.payload_json =
      R"({"id":"msg_1","type":"request.completed","request":{"id":"req_1","idempotency_key":""}})";
  EXPECT_FALSE(Tmf641Body(old));
  old.payload_json = "not json";
  EXPECT_FALSE(Tmf641Body(old));
  old.payload_json = R"({"request":{"id":"req_1","service_id":"svc_1","type":"no_such_type"}})";
  EXPECT_FALSE(Tmf641Body(old));
}

TEST(Tmf641, ATmf641EndpointListsServiceOrderEventsOnly) {
  using domain::WebhookFormat;
  EXPECT_TRUE(CheckEventTypesForFormat(WebhookFormat::kTmf641, {"*"}).ok());
  EXPECT_TRUE(
      CheckEventTypesForFormat(WebhookFormat::kTmf641, {"request.received", "request.completed"})
          .ok());
  Status s =
      CheckEventTypesForFormat(WebhookFormat::kTmf641, {"request.completed", "service.suspended"});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.param(), "event_types");
  EXPECT_NE(s.message().find("service.suspended"), std::string::npos) << s.message();
  EXPECT_FALSE(CheckEventTypesForFormat(WebhookFormat::kTmf641, {"request.sla_breached"}).ok());
  // The envelope format takes any event type.
  EXPECT_TRUE(CheckEventTypesForFormat(WebhookFormat::kSwitchboard, {"service.suspended"}).ok());
}

}  // namespace
}  // namespace sb::app
