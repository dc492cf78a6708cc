// RequestEngine: verifications (the evidence checks read) and the request timers (SLA,
// provisioning timeout).
#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"
#include "app/requests/request_sla.h"
#include "app/requests/requests.h"
#include "crypto/crypto.h"
#include "domain/sla.h"

namespace sb::app {

namespace json = boost::json;
using domain::RequestState;
using domain::VerificationKind;

namespace {

Status CheckVerification(const VerificationInput& in, Timestamp now) {
  if (in.party != "owner" && in.party != "new_owner") {
    return Status::Invalid("party", "party must be owner or new_owner", "invalid_value");
  }
  if (in.method.empty() || in.method.size() > 64) {
    return Status::Invalid("method", "method must be 1-64 characters");
  }
  for (char c : in.method) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return Status::Invalid("method", "method must be lower-case letters, digits and _");
    }
  }
  if (in.kind == VerificationKind::kIdentity && (in.level < 0 || in.level > 3)) {
    return Status::Invalid("level", "an identity verification has a level from 1 to 3",
                           "invalid_value");
  }
  if (in.kind != VerificationKind::kIdentity && in.level != 0) {
    return Status::Invalid("level", "only identity verifications have a level", "invalid_value");
  }
  if (in.verified_at && (*in.verified_at > now || *in.verified_at < now - 365 * kMillisPerDay)) {
    return Status::Invalid("verified_at", "verified_at must be within the last year, not later",
                           "invalid_value");
  }
  return Status::Ok();
}

// The level an identity verification gets: the pack's for its method, or a lower one given.
// A caller never chooses a level above what the pack grants its method.
Result<int> IdentityLevel(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                          const VerificationInput& in, VerificationSource source) {
  if (source == VerificationSource::kByHand && domain::IsCodeMethod(in.method)) {
    return Status::Unprocessable(
        "code_method_by_hand",
        in.method +
            " is recorded only by checking a one-time code the customer received "
            "(POST /v1/accounts/{id}/verification-codes/check)",
        "method");
  }
  std::map<std::string, domain::IdentityMethod> methods = domain::DefaultIdentityMethods();
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (policy.ok()) {
    methods = (*policy)->pack.identity_methods;
  } else if (policy.status().reason() != "no_policy_pack") {
    return policy.status();
  }
  auto it = methods.find(in.method);
  if (it == methods.end()) {
    std::string known;
    for (const auto& [name, m] : methods) known += (known.empty() ? "" : ", ") + name;
    return Status::Unprocessable("unknown_method",
                                 "the policy pack knows the identity methods " + known, "method");
  }
  if (in.level > it->second.level) {
    return Status::Unprocessable("level_above_method",
                                 "the policy pack gives " + in.method + " level " +
                                     std::to_string(it->second.level) + " at most",
                                 "level");
  }
  return in.level > 0 ? in.level : it->second.level;
}

domain::AuditCategory VerificationCategory(VerificationKind kind) {
  return kind == VerificationKind::kIdentity ? domain::AuditCategory::kSecurity
                                             : domain::AuditCategory::kCustomerData;
}

}  // namespace

Result<domain::Verification> RecordVerificationInTx(domain::Tx& tx, const Deps& deps,
                                                    const CallContext& ctx, Timestamp now,
                                                    const std::string& account_id,
                                                    const VerificationInput& in,
                                                    VerificationSource source) {
  SB_RETURN_IF_ERROR(CheckVerification(in, now));
  auto acc = tx.GetAccount(ctx.tenant_id, account_id);
  if (!acc.ok()) {
    return acc.status().code() == Code::kNotFound ? Status::NotFound("account") : acc.status();
  }
  if (!in.request_id.empty()) {
    auto r = tx.GetRequest(ctx.tenant_id, in.request_id);
    if (!r.ok() || r->account_id != account_id) {
      return Status::NotFound("request on this account", "request_id");
    }
  }
  domain::Verification v;
  if (in.kind == VerificationKind::kIdentity) {
    SB_ASSIGN_OR_RETURN(v.level, IdentityLevel(tx, ctx, now, in, source));
  }
  v.tenant_id = ctx.tenant_id;
  v.id = crypto::NewId("ver", now);
  v.account_id = account_id;
  v.kind = in.kind;
  v.party = in.party;
  v.method = in.method;
  v.verified_at = in.verified_at.value_or(now);
  v.request_id = in.request_id;
  v.actor = ctx.actor;
  v.created_at = now;
  SB_RETURN_IF_ERROR(tx.InsertVerification(v));
  ChangeRecorder rec(tx, ctx, now);
  json::object after{{"kind", domain::Name(v.kind)},
                     {"party", v.party},
                     {"method", v.method},
                     {"level", v.level},
                     {"verified_at", FormatRfc3339(v.verified_at)}};
  SB_RETURN_IF_ERROR(rec.Audit(VerificationCategory(v.kind), "verification.recorded",
                               "verification", v.id, account_id, v.request_id, {}, after));
  SB_RETURN_IF_ERROR(ResumeWaiting(tx, deps, ctx, now, account_id));
  return v;
}

Result<domain::Verification> RequestEngine::RecordVerification(
    const CallContext& ctx, const std::string& account_id, const VerificationInput& in,
    const AnswerFn<domain::Verification>& answer) const {
  return RunChange<domain::Verification>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<domain::Verification> {
        return RecordVerificationInTx(tx, deps_, ctx, now, account_id, in,
                                      VerificationSource::kByHand);
      });
}

Result<std::vector<domain::Verification>> RequestEngine::ListVerifications(
    const CallContext& ctx, const std::string& account_id) const {
  std::vector<domain::Verification> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto acc = tx.GetAccount(ctx.tenant_id, account_id);
    if (!acc.ok()) {
      return acc.status().code() == Code::kNotFound ? Status::NotFound("account") : acc.status();
    }
    SB_ASSIGN_OR_RETURN(out, tx.ListVerifications(ctx.tenant_id, account_id));
    return Status::Ok();
  }));
  return out;
}

namespace {

CallContext SystemContext(const std::string& tenant_id, const std::string& request_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  ctx.channel = domain::Channel::kSystem;
  ctx.correlation_id = "job:" + request_id;
  return ctx;
}

}  // namespace

Status RequestEngine::OnSlaTimer(const std::string& tenant_id, const std::string& id) const {
  CallContext ctx = SystemContext(tenant_id, id);
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    auto found = LockRequest(tx, tenant_id, id);
    if (!found.ok())
      return found.status().code() == Code::kNotFound ? Status::Ok() : found.status();
    domain::Request r = std::move(found).value();
    if (domain::IsTerminal(r.state) || r.sla_paused_at) return Status::Ok();
    domain::SlaStatus reached = domain::SlaStatusAt(r, now);
    if (reached == r.sla_status) return Status::Ok();  // early, moved or already fired
    SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, tenant_id, now));
    const domain::RequestPolicy& p = policy->For(r.type);
    domain::SlaStatus from = r.sla_status;
    r.sla_status = reached;
    bool breached = reached == domain::SlaStatus::kBreached;
    SB_RETURN_IF_ERROR(
        Escalate(tx, ctx, now, breached ? p.escalate_breached : p.escalate_at_risk, r));
    r.updated_at = now;
    SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
    std::string event = breached ? "request.sla_breached" : "request.sla_at_risk";
    ChangeRecorder rec(tx, ctx, now);
    SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type), event, "request", r.id, r.account_id, r.id,
                                 {{"sla_status", domain::Name(from)}},
                                 {{"sla_status", domain::Name(reached)},
                                  {"priority", r.priority},
                                  {"assignee", r.assignee}}));
    json::object data{{"sla_status", domain::Name(reached)}};
    if (r.due_at) data["due_at"] = FormatRfc3339(*r.due_at);
    return Emit(tx, ctx, now, event, &r, r.account_id, data);
  });
}

Status RequestEngine::OnProvisioningTimeout(const std::string& tenant_id,
                                            const std::string& id) const {
  CallContext ctx = SystemContext(tenant_id, id);
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    auto found = LockRequest(tx, tenant_id, id);
    if (!found.ok())
      return found.status().code() == Code::kNotFound ? Status::Ok() : found.status();
    if (found->state != RequestState::kProvisioning) return Status::Ok();
    auto done = FinishProvisioning(tx, deps_, ctx, now, id, false, "provisioning timed out");
    return done.status();
  });
}

}  // namespace sb::app
