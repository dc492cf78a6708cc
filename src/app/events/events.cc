// EventUseCases: signed inbound events, deduplicated by id. What each type does is in
// events_payment.cc and events_apply.cc.
#include "app/events/events.h"

#include <optional>

#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/events/event_data.h"
#include "app/events/event_envelope.h"
#include "app/events/events_internal.h"
#include "crypto/crypto.h"

namespace sb::app {

using domain::AuditCategory;

namespace {

CallContext EventContext(const std::string& tenant_id, const std::string& event_id,
                         const std::string& reason_code) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", std::nullopt};
  ctx.channel = domain::Channel::kSystem;
  ctx.reason_code = reason_code;
  ctx.correlation_id = "event:" + event_id;
  return ctx;
}

// The sealed secret is bound to its tenant, so a row copied to another tenant won't open.
std::string SealPurpose(const std::string& tenant_id) {
  return std::string(EventUseCases::kSecretPurpose) + ":" + tenant_id;
}

// The first receipt again, with every request it named, marked as a redelivery.
EventReceipt Duplicate(const domain::InboundEvent& seen) {
  return EventReceipt{true, seen.outcome, seen.request_ids};
}

}  // namespace

Result<std::string> EventUseCases::CreateSecret(const std::string& tenant_id) const {
  std::string raw = crypto::RandomBytes(32);
  CallContext ctx = EventContext(tenant_id, "secret", "");
  ctx.correlation_id = "admin";
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    if (!tx.GetTenant(tenant_id).ok()) return Status::NotFound("tenant", "tenant");
    Timestamp now = deps_.clock.Now();
    domain::TenantSecret secret{tenant_id, kSecretPurpose,
                                deps_.keyring.WrapSecret(raw, SealPurpose(tenant_id)), now};
    SB_RETURN_IF_ERROR(tx.UpsertTenantSecret(secret));
    ChangeRecorder rec(tx, ctx, now);
    return rec.Audit(AuditCategory::kSecurity, "event_secret.created", "tenant_secret",
                     kSecretPurpose, "", "", {}, {{"purpose", kSecretPurpose}});
  });
  if (!s.ok()) return s;
  return "whsec_" + crypto::Base64(raw);
}

Result<std::string> EventUseCases::LoadSecret(const std::string& tenant_id) const {
  std::optional<domain::TenantSecret> found;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto r = tx.GetTenantSecret(tenant_id, kSecretPurpose);
    if (r.ok()) found = std::move(*r);
    return r.ok() || r.status().code() == Code::kNotFound ? Status::Ok() : r.status();
  }));
  if (!found) {
    return Status(Code::kUnauthenticated, "no_signing_secret",
                  "the tenant has no inbound-events secret", "webhook-signature");
  }
  return deps_.keyring.UnwrapSecret(found->secret_sealed, SealPurpose(tenant_id));
}

Status EventUseCases::Verify(const std::string& tenant_id, const EventHeaders& headers,
                             const std::string& body) const {
  SB_ASSIGN_OR_RETURN(std::string secret, LoadSecret(tenant_id));
  return events::VerifyDelivery(secret, headers, body, deps_.clock.Now());
}

Result<EventReceipt> EventUseCases::Receive(const std::string& tenant_id,
                                            const EventHeaders& headers,
                                            const std::string& body) const {
  SB_ASSIGN_OR_RETURN(std::string secret, LoadSecret(tenant_id));
  SB_ASSIGN_OR_RETURN(events::CheckedEvent checked,
                      events::CheckEvent(secret, headers, body, tenant_id, deps_.clock.Now()));
  const events::Envelope& env = checked.envelope;
  const events::EventData& data = checked.data;
  CallContext ctx = EventContext(tenant_id, env.id, events::ReasonFor(data));
  auto body_fn = [&](domain::Tx& tx, Timestamp now) -> Result<EventReceipt> {
    auto seen = tx.GetInboundEvent(tenant_id, env.id);
    if (seen.ok()) return Duplicate(*seen);
    if (seen.status().code() != Code::kNotFound) return seen.status();
    events::EventTx e{tx, deps_, ctx, now, env.id};
    SB_ASSIGN_OR_RETURN(EventReceipt out, events::Apply(e, data));
    SB_RETURN_IF_ERROR(
        tx.InsertInboundEvent({tenant_id, env.id, env.type, now, out.request_ids, out.outcome}));
    return out;
  };
  auto r = RunChange<EventReceipt>(deps_, ctx, nullptr, body_fn);
  // Two deliveries of one id racing: the loser rolled back; it now finds the winner's row.
  if (!r.ok() && r.status().reason() == "duplicate") {
    return RunChange<EventReceipt>(deps_, ctx, nullptr, body_fn);
  }
  return r;
}

}  // namespace sb::app
