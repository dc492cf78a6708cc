// The records the request engine writes besides requests: outbox events in the envelope of
// docs/ARCHITECTURE.md, "Events and webhooks", the audit category of each request type (its
// registry row), and checks' results as stored on requests (see request_flow.h).
#include <boost/json.hpp>

#include "app/notifications/notification_queue.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"
#include "domain/request_types.h"
#include "domain/webhooks.h"

namespace sb::app {

namespace json = boost::json;
using domain::RequestState;
using domain::RequestType;

namespace {

// Whether an enabled webhook endpoint of the tenant subscribes to `event_type`.
Result<bool> AnyEndpointWants(domain::Tx& tx, const std::string& tenant_id,
                              const std::string& event_type) {
  SB_ASSIGN_OR_RETURN(auto endpoints, tx.ListWebhookEndpoints(tenant_id));
  for (const domain::WebhookEndpoint& e : endpoints) {
    if (domain::Subscribes(e.event_types, event_type)) return true;
  }
  return false;
}

Status WriteOutbox(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                   const std::string& event_type, const domain::Request* request,
                   const std::string& account_id, const json::object& data,
                   const json::object* previous, const std::string& channel) {
  domain::OutboxMessage m;
  m.tenant_id = ctx.tenant_id;
  m.id = crypto::NewId("msg", now);
  m.channel = channel;
  m.event_type = event_type;
  m.account_id = account_id;
  // The envelope's id is the message's: the webhook-id header of every delivery of it, so a
  // receiver deduplicates on either.
  json::object envelope{{"id", m.id},
                        {"type", event_type},
                        {"created_at", FormatRfc3339(now)},
                        {"tenant_id", ctx.tenant_id},
                        {"data", data}};
  if (request) {
    m.request_id = request->id;
    envelope["data"].as_object()["request_id"] = request->id;
    json::object about{{"id", request->id},
                       {"idempotency_key", request->idempotency_key},
                       {"type", domain::Name(request->type)},
                       {"filed_at", FormatRfc3339(request->created_at)}};
    if (request->service_id) about["service_id"] = *request->service_id;
    envelope["request"] = std::move(about);
  }
  if (!account_id.empty()) envelope["data"].as_object()["account_id"] = account_id;
  if (previous) envelope["previous"] = *previous;
  m.payload_json = json::serialize(envelope);
  m.next_attempt_at = now;
  m.created_at = now;
  if (channel == domain::kWebhookChannel) {
    // An event no endpoint wants is stored settled, as the dispatcher would settle it when
    // it fell due: it stays in the outbox (and can be replayed), but no one claims it and
    // settles it again, which cost the writer two more writes of the row per event.
    SB_ASSIGN_OR_RETURN(bool wanted, AnyEndpointWants(tx, ctx.tenant_id, event_type));
    if (!wanted) m.state = domain::OutboxState::kSkipped;
  }
  SB_RETURN_IF_ERROR(tx.InsertOutbox(m));
  // Every event goes through the one composer, so whoever wrote it, the pack's notify rules
  // decide whom it tells. A notification's own event tells no one.
  if (channel != domain::kWebhookChannel || event_type == "customer.notification")
    return Status::Ok();
  return QueueNotification(tx, ctx, now, event_type, request, account_id, data);
}

}  // namespace

Status Emit(domain::Tx& tx, const CallContext& ctx, Timestamp now, const std::string& event_type,
            const domain::Request* request, const std::string& account_id, const json::object& data,
            const std::string& channel) {
  return WriteOutbox(tx, ctx, now, event_type, request, account_id, data, nullptr, channel);
}

Status EmitChange(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                  const std::string& event_type, const domain::Request* request,
                  const std::string& account_id, const json::object& data,
                  const json::object& previous) {
  return WriteOutbox(tx, ctx, now, event_type, request, account_id, data, &previous, "webhook");
}

domain::AuditCategory CategoryFor(RequestType type) { return domain::InfoOf(type).category; }

std::string ChecksToJson(const std::vector<domain::CheckResult>& results) {
  json::array a;
  for (const auto& c : results) {
    json::object o{{"kind", domain::Name(c.kind)}, {"passed", c.passed}, {"detail", c.detail}};
    if (!c.party.empty()) o["party"] = c.party;
    if (!c.passed) o["waits_for"] = domain::Name(c.waits_for);
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

std::vector<domain::CheckResult> ChecksFromJson(const std::string& text) {
  std::vector<domain::CheckResult> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    domain::CheckResult c;
    auto str = [&](const char* k) {
      const json::value* f = o.if_contains(k);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    c.kind = domain::Parse<domain::CheckKind>(str("kind")).value_or(c.kind);
    const json::value* passed = o.if_contains("passed");
    c.passed = passed && passed->is_bool() && passed->as_bool();
    c.detail = str("detail");
    c.party = str("party");
    c.waits_for = domain::Parse<RequestState>(str("waits_for")).value_or(RequestState::kApproved);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace sb::app
