// TMF641 service order notifications, made from the envelope the request engine wrote.
#include "app/webhooks/tmf641_event.h"

#include <boost/json.hpp>

namespace sb::app {

namespace json = boost::json;
using domain::RequestState;

namespace {

constexpr std::string_view kRequestPrefix = "request.";

// The request state a "request.<state>" event tells of, or nullopt for any other event.
std::optional<RequestState> StateEvent(std::string_view event_type) {
  if (event_type.substr(0, kRequestPrefix.size()) != kRequestPrefix) return std::nullopt;
  return domain::Parse<RequestState>(event_type.substr(kRequestPrefix.size()));
}

std::string_view TmfStr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

const json::object* TmfObj(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

}  // namespace

std::string_view TmfServiceOrderState(RequestState state) {
  switch (state) {
    case RequestState::kReceived:
      return "acknowledged";
    case RequestState::kAwaitingCustomer:
    case RequestState::kAwaitingPayment:
      return "pending";
    case RequestState::kAwaitingApproval:
      return "held";
    case RequestState::kVerifying:
    case RequestState::kApproved:
    case RequestState::kProvisioning:
      return "inProgress";
    case RequestState::kCompleted:
      return "completed";
    case RequestState::kRejected:
      return "rejected";
    case RequestState::kCancelled:
      return "cancelled";
    case RequestState::kFailed:
      return "failed";
  }
  return "inProgress";
}

std::string_view TmfOrderItemAction(domain::RequestType type) {
  switch (type) {
    case domain::RequestType::kActivation:
      return "add";
    case domain::RequestType::kTermination:
      return "delete";
    default:
      return "modify";
  }
}

Status CheckEventTypesForFormat(domain::WebhookFormat format,
                                const std::vector<std::string>& types) {
  if (format != domain::WebhookFormat::kTmf641) return Status::Ok();
  for (const std::string& t : types) {
    if (t == "*" || StateEvent(t)) continue;
    return Status::Invalid("event_types",
                           "'" + t +
                               "' is not a service order event: a tmf641 endpoint takes "
                               "request.<state> events (request.received, request.completed, "
                               "...) or \"*\".",
                           "invalid_value");
  }
  return Status::Ok();
}

std::optional<std::string> Tmf641Body(const domain::OutboxMessage& m) {
  std::optional<RequestState> state = StateEvent(m.event_type);
  if (!state) return std::nullopt;
  boost::system::error_code ec;
  json::value parsed = json::parse(m.payload_json, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const json::object& envelope = parsed.as_object();
  const json::object* request = TmfObj(envelope, "request");
  if (!request) return std::nullopt;
  std::string_view request_id = TmfStr(*request, "id");
  std::string_view service_id = TmfStr(*request, "service_id");
  std::optional<domain::RequestType> type =
      domain::Parse<domain::RequestType>(TmfStr(*request, "type"));
  if (request_id.empty() || service_id.empty() || !type) return std::nullopt;

  std::string_view tmf_state = TmfServiceOrderState(*state);
  std::string_view event_time = TmfStr(envelope, "created_at");
  json::object item{{"id", "1"},
                    {"action", TmfOrderItemAction(*type)},
                    {"state", tmf_state},
                    {"service",
                     {{"id", service_id},
                      {"href", "/tmf-api/serviceInventory/v4/service/" + std::string(service_id)},
                      {"@referredType", "Service"}}},
                    {"@type", "ServiceOrderItem"}};
  json::object order{{"id", request_id},
                     {"href", "/v1/requests/" + std::string(request_id)},
                     {"category", domain::Name(*type)},
                     {"state", tmf_state},
                     {"serviceOrderItem", json::array{std::move(item)}},
                     {"@type", "ServiceOrder"}};
  if (std::string_view key = TmfStr(*request, "idempotency_key"); !key.empty()) {
    order["externalId"] = key;
  }
  if (std::string_view filed = TmfStr(*request, "filed_at"); !filed.empty()) {
    order["orderDate"] = filed;
  }
  if (domain::IsTerminal(*state)) order["completionDate"] = event_time;
  if (!m.account_id.empty()) {
    order["relatedParty"] =
        json::array{{{"id", m.account_id}, {"role", "customer"}, {"@referredType", "Customer"}}};
  }
  json::object body{
      {"eventId", m.id},
      {"eventTime", event_time},
      {"eventType", *state == RequestState::kReceived ? "ServiceOrderCreateEvent"
                                                      : "ServiceOrderStateChangeEvent"},
      {"correlationId", request_id},
      {"event", {{"serviceOrder", std::move(order)}}}};
  return json::serialize(body);
}

}  // namespace sb::app
