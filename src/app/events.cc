// EventUseCases: signed inbound events, deduplicated by id; payment.received settles the
// balance and reconnects what non-payment holds suspended.
#include "app/events.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <set>

#include "app/change.h"
#include "app/keyring.h"
#include "crypto/crypto.h"
#include "crypto/webhook_signature.h"

namespace sb::app {

namespace json = boost::json;
using domain::AuditCategory;

namespace {

constexpr const char* kPaymentReceived = "payment.received";

// The parts of an envelope this server reads.
struct Envelope {
  std::string id;
  std::string type;
  json::object data;
};

struct Payment {
  std::string account_id;
  std::string external_ref;
  std::int64_t amount_minor = 0;
  std::string currency;
};

Status RejectUnknownFields(const json::object& o, const std::set<std::string>& allowed,
                           const std::string& prefix) {
  for (const auto& kv : o) {
    std::string key(kv.key());
    if (!allowed.count(key)) return Status::Invalid(prefix + key, "unknown field", "unknown_field");
  }
  return Status::Ok();
}

// A non-empty string field of `o` (at most 200 bytes); `param` names it in errors.
Result<std::string> StringField(const json::object& o, const char* key, const std::string& param) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty() || v->as_string().size() > 200) {
    return Status::Invalid(param, param + " must be a non-empty string of at most 200 bytes");
  }
  return std::string(v->as_string());
}

Result<Envelope> ParseEnvelope(const std::string& body, const std::string& tenant_id) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Status::Invalid("body", "the body must be a JSON object");
  const json::object& o = v.as_object();
  SB_RETURN_IF_ERROR(
      RejectUnknownFields(o, {"id", "type", "created_at", "tenant_id", "data", "previous"}, ""));
  Envelope e;
  SB_ASSIGN_OR_RETURN(e.id, StringField(o, "id", "id"));
  SB_ASSIGN_OR_RETURN(e.type, StringField(o, "type", "type"));
  if (const json::value* t = o.if_contains("tenant_id")) {
    if (!t->is_string() || t->as_string() != tenant_id) {
      return Status::Invalid("tenant_id", "tenant_id does not match the tenant in the path");
    }
  }
  const json::value* data = o.if_contains("data");
  if (!data || !data->is_object()) return Status::Invalid("data", "data must be an object");
  e.data = data->as_object();
  return e;
}

Result<Payment> ParsePayment(const json::object& d) {
  SB_RETURN_IF_ERROR(
      RejectUnknownFields(d, {"account_id", "external_ref", "amount_minor", "currency"}, "data."));
  Payment p;
  bool by_id = d.contains("account_id");
  if (by_id == d.contains("external_ref")) {
    return Status::Invalid("data.account_id", "give exactly one of account_id and external_ref");
  }
  if (by_id) {
    SB_ASSIGN_OR_RETURN(p.account_id, StringField(d, "account_id", "data.account_id"));
  } else {
    SB_ASSIGN_OR_RETURN(p.external_ref, StringField(d, "external_ref", "data.external_ref"));
  }
  const json::value* amount = d.if_contains("amount_minor");
  if (!amount || !amount->is_int64() || amount->as_int64() <= 0) {
    return Status::Invalid("data.amount_minor", "amount_minor must be a positive integer");
  }
  p.amount_minor = amount->as_int64();
  SB_ASSIGN_OR_RETURN(p.currency, StringField(d, "currency", "data.currency"));
  return p;
}

CallContext EventContext(const std::string& tenant_id, const std::string& event_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", std::nullopt};
  ctx.channel = domain::Channel::kSystem;
  ctx.reason_code = "payment_received";
  ctx.correlation_id = "event:" + event_id;
  return ctx;
}

Result<AccountState> LoadPayer(domain::Tx& tx, const std::string& tenant_id, const Payment& p) {
  if (p.account_id.empty()) {
    auto acc = tx.GetAccountByRef(tenant_id, p.external_ref);
    if (!acc.ok() && acc.status().code() == Code::kNotFound) {
      return Status::NotFound("account", "data.external_ref");
    }
    SB_RETURN_IF_ERROR(acc.status());
    return LoadAccountState(tx, tenant_id, acc->id);
  }
  auto st = LoadAccountState(tx, tenant_id, p.account_id);
  if (!st.ok() && st.status().code() == Code::kNotFound) {
    return Status::NotFound("account", "data.account_id");
  }
  return st;
}

// Applies a payment inside `tx`: one automated billing_adjustment request with its
// `payment` audit entry, then, when the balance is cleared, one automated reconnection per
// active non-payment hold, through the same lift as LiftHold.
Result<EventReceipt> ApplyPayment(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                  Timestamp now, const std::string& event_id, const Payment& p) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadPayer(tx, ctx.tenant_id, p));
  if (p.currency != st.account.currency) {
    return Status::Unprocessable(
        "currency_mismatch", "the account is billed in " + st.account.currency, "data.currency");
  }
  json::object before{{"amount_due_minor", st.account.amount_due_minor}};
  st.account.amount_due_minor =
      std::max<std::int64_t>(0, st.account.amount_due_minor - p.amount_minor);
  st.account.last_payment_at = now;
  json::object after{{"amount_due_minor", st.account.amount_due_minor},
                     {"last_payment_at", FormatRfc3339(now)}};
  json::object payload{
      {"event_id", event_id}, {"amount_minor", p.amount_minor}, {"currency", p.currency}};
  ChangeRecorder rec(tx, ctx, now);
  SB_ASSIGN_OR_RETURN(auto req, rec.CompletedRequest(domain::RequestType::kBillingAdjustment,
                                                     domain::Origin::kAutomated, st.account.id,
                                                     std::nullopt, payload, after));
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kPayment, "payment.received", "account",
                               st.account.id, st.account.id, req.id, before, after));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  EventReceipt out{false, "payment_applied", {req.id}};
  if (st.account.amount_due_minor > 0) return out;
  for (const domain::Hold& h : st.holds) {
    if (h.type != domain::HoldType::kNonPayment) continue;
    SB_ASSIGN_OR_RETURN(auto lifted, LiftInTx(tx, deps, ctx, now,
                                              {h.id, domain::HoldState::kLifted,
                                               domain::Origin::kAutomated, true}));
    out.request_ids.push_back(lifted.request.id);
    out.outcome = "reconnected";
  }
  return out;
}

// The sealed secret is bound to its tenant, so a row copied to another tenant won't open.
std::string SealPurpose(const std::string& tenant_id) {
  return std::string(EventUseCases::kSecretPurpose) + ":" + tenant_id;
}

EventReceipt Duplicate(const domain::InboundEvent& seen) {
  EventReceipt r{true, seen.outcome, {}};
  if (!seen.request_id.empty()) r.request_ids.push_back(seen.request_id);
  return r;
}

}  // namespace

Result<std::string> EventUseCases::CreateSecret(const std::string& tenant_id) const {
  std::string raw = crypto::RandomBytes(32);
  CallContext ctx = EventContext(tenant_id, "secret");
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
    if (r.ok()) found = std::move(r).value();
    return r.ok() || r.status().code() == Code::kNotFound ? Status::Ok() : r.status();
  }));
  if (!found) {
    return Status(Code::kUnauthenticated, "no_signing_secret",
                  "the tenant has no inbound-events secret", "webhook-signature");
  }
  return deps_.keyring.UnwrapSecret(found->secret_sealed, SealPurpose(tenant_id));
}

Result<EventReceipt> EventUseCases::Receive(const std::string& tenant_id,
                                            const EventHeaders& headers,
                                            const std::string& body) const {
  SB_ASSIGN_OR_RETURN(std::string secret, LoadSecret(tenant_id));
  Status verified =
      crypto::VerifyWebhook(secret, headers.webhook_id, headers.webhook_timestamp,
                            headers.webhook_signature, body, deps_.clock.Now() / kMillisPerSecond);
  if (!verified.ok()) {
    return Status(Code::kUnauthenticated, verified.reason(), verified.message(), verified.param());
  }
  SB_ASSIGN_OR_RETURN(Envelope env, ParseEnvelope(body, tenant_id));
  std::optional<Payment> payment;
  if (env.type == kPaymentReceived) {
    SB_ASSIGN_OR_RETURN(payment, ParsePayment(env.data));
  }
  CallContext ctx = EventContext(tenant_id, env.id);
  auto body_fn = [&](domain::Tx& tx, Timestamp now) -> Result<EventReceipt> {
    auto seen = tx.GetInboundEvent(tenant_id, env.id);
    if (seen.ok()) return Duplicate(*seen);
    if (seen.status().code() != Code::kNotFound) return seen.status();
    EventReceipt out{false, "ignored", {}};
    if (payment) {
      SB_ASSIGN_OR_RETURN(out, ApplyPayment(tx, deps_, ctx, now, env.id, *payment));
    }
    std::string first = out.request_ids.empty() ? "" : out.request_ids.front();
    SB_RETURN_IF_ERROR(
        tx.InsertInboundEvent({tenant_id, env.id, env.type, now, first, out.outcome}));
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
