// Effects of the request types that move statuses: reconnection, reactivation, activation,
// suspension and status_sync here; termination, plan_change and billing_adjustment in
// effects_billing.cc.
#include <algorithm>

#include "app/accounts/plan_history.h"
#include "app/requests/effects/effects_common.h"
#include "domain/holds.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::AccountLifecycle;
using domain::AuditCategory;
using domain::HoldType;
using domain::RequestType;

namespace {

json::array Ids(const std::vector<std::string>& ids) { return json::array(ids.begin(), ids.end()); }

// --- reconnection -------------------------------------------------------------------------

// Holds a reconnection lifts only when named: their owners lift them.
bool OwnerLifted(HoldType t) {
  return t == HoldType::kFraudReview || t == HoldType::kTechnicalFault ||
         t == HoldType::kRegulatory;
}

struct Reconnection {
  std::size_t service = 0;
  std::optional<std::vector<std::string>> hold_ids;
};

Status CheckNamedHold(domain::Tx& tx, const AccountState& st, const domain::Service& svc,
                      const std::string& id) {
  for (const auto& h : st.holds) {
    if (h.id != id) continue;
    if (domain::BlocksService(h, svc)) return Status::Ok();
    return Status::Conflict("hold_not_blocking", "hold " + id + " does not block " + svc.id,
                            "payload.hold_ids");
  }
  auto found = tx.GetHold(st.account.tenant_id, id);
  if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
  if (!found.ok() || found->account_id != st.account.id) {
    return Status::NotFound("hold", "payload.hold_ids");
  }
  return Status::Conflict("hold_not_active", "hold " + id + " is no longer active",
                          "payload.hold_ids");
}

Result<Reconnection> ReadReconnection(domain::Tx& tx, const AccountState& st, const json::object& p,
                                      const std::optional<std::string>& service_id) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"hold_ids"}));
  Reconnection r;
  SB_ASSIGN_OR_RETURN(r.hold_ids, OptStringList(p, "hold_ids", 50));
  SB_ASSIGN_OR_RETURN(r.service, FindService(st, service_id));
  const domain::Service& svc = st.services[r.service];
  auto now = domain::DeriveServiceStatus(svc, st.holds, st.account.lifecycle);
  if (now == domain::ServiceStatus::kTerminated) {
    return Status::Conflict("service_terminated", "service " + svc.id + " is terminated",
                            "service_id");
  }
  if (now != domain::ServiceStatus::kSuspended) {
    return Status::Conflict("not_suspended", "service " + svc.id + " is not suspended",
                            "service_id");
  }
  for (const auto& id : r.hold_ids.value_or(std::vector<std::string>{})) {
    SB_RETURN_IF_ERROR(CheckNamedHold(tx, st, svc, id));
  }
  return r;
}

Result<json::object> ApplyReconnection(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                       const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(Reconnection r, ReadReconnection(tx, st, p, req.service_id));
  std::vector<std::string> ids;
  if (r.hold_ids) {
    ids = *r.hold_ids;
  } else {
    for (const auto& h : st.holds) {
      if (domain::BlocksService(h, st.services[r.service]) && !OwnerLifted(h.type)) {
        ids.push_back(h.id);
      }
    }
  }
  for (const auto& id : ids) {
    SB_RETURN_IF_ERROR(
        ReleaseHoldInTx(tx, rec, st, id, domain::HoldState::kLifted, ApplyReason(rec, req), req.id)
            .status());
  }
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  const domain::Service& svc = st.services[r.service];
  json::array still;
  for (const auto& h : st.holds) {
    if (domain::BlocksService(h, svc)) still.emplace_back(h.id);
  }
  return json::object{{"lifted_holds", Ids(ids)},
                      {"service_status", domain::Name(svc.status)},
                      {"still_blocked_by", std::move(still)}};
}

// --- reactivation and activation ----------------------------------------------------------

Result<std::optional<domain::Offer>> ReadReactivation(const AccountState& st, const json::object& p,
                                                      const std::optional<std::string>& service_id,
                                                      const domain::RequestPolicy& policy) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"offer_code"}));
  SB_ASSIGN_OR_RETURN(auto code, OptString(p, "offer_code", 64));
  SB_RETURN_IF_ERROR(NoService(service_id));
  AccountLifecycle l = st.account.lifecycle;
  if (l != AccountLifecycle::kDormant && l != AccountLifecycle::kClosed) {
    return Status::Conflict(
        "not_dormant", "account is " + std::string(domain::Name(l)) + ", not dormant or closed");
  }
  if (!code) return std::optional<domain::Offer>();
  for (const auto& o : policy.offers) {
    if (o.code == *code) return std::optional<domain::Offer>(o);
  }
  return Status::Unprocessable("unknown_offer", "no reactivation offer '" + *code + "'",
                               "payload.offer_code");
}

json::object OfferJson(const domain::Offer& o) {
  return {{"code", o.code},
          {"description", o.description},
          {"discount_percent", o.discount_percent},
          {"duration_months", o.duration_months}};
}

Result<json::object> ApplyReactivation(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                       const domain::Request& req, const json::object& p,
                                       const domain::RequestPolicy& policy) {
  SB_ASSIGN_OR_RETURN(auto offer, ReadReactivation(st, p, req.service_id, policy));
  // A closed account gets back the services its closing ended (app/accounts/plan_history.h).
  SB_ASSIGN_OR_RETURN(auto restores, ServicesToRestore(tx, st, policy.restore_plans));
  // Reactivating a closed account is a request's decision, beyond the agent lifecycle moves.
  SB_RETURN_IF_ERROR(SetLifecycle(rec, st, AccountLifecycle::kActive, req.id));
  std::vector<std::string> lifted;
  for (const auto& h : std::vector<domain::Hold>(st.holds)) {
    if (h.type != HoldType::kInactivity) continue;
    SB_RETURN_IF_ERROR(ReleaseHoldInTx(tx, rec, st, h.id, domain::HoldState::kLifted,
                                       ApplyReason(rec, req), req.id)
                           .status());
    lifted.push_back(h.id);
  }
  SB_RETURN_IF_ERROR(RestoreServices(tx, rec, st, restores, req.id));
  if (offer) {
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kSubscription, "offer.accepted", "account",
                                 st.account.id, st.account.id, req.id, {}, OfferJson(*offer)));
  }
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  json::object out = StatusSummary(st);
  out["lifted_holds"] = Ids(lifted);
  out["services_restored"] = RestoredJson(st, restores);
  if (offer) out["offer"] = OfferJson(*offer);
  return out;
}

Status ReadActivation(const AccountState& st, const json::object& p,
                      const std::optional<std::string>& service_id) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {}));
  SB_RETURN_IF_ERROR(NoService(service_id));
  if (st.account.lifecycle != AccountLifecycle::kPendingActivation) {
    return Status::Conflict("not_pending", "account is " +
                                               std::string(domain::Name(st.account.lifecycle)) +
                                               ", not pending activation");
  }
  return Status::Ok();
}

Result<json::object> ApplyActivation(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_RETURN_IF_ERROR(ReadActivation(st, p, req.service_id));
  SB_ASSIGN_OR_RETURN(
      auto to, domain::ApplyLifecycleMove(st.account.lifecycle, domain::LifecycleMove::kActivate));
  SB_RETURN_IF_ERROR(SetLifecycle(rec, st, to, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  return StatusSummary(st);
}

// --- suspension ---------------------------------------------------------------------------

std::string SourceOf(const domain::Actor& actor) {
  switch (actor.type) {
    case domain::ActorType::kUser:
      return "agent";
    case domain::ActorType::kApiKey:
      return "client_system";
    case domain::ActorType::kCustomer:
      return "customer";
    case domain::ActorType::kSystem:
      return "system";
  }
  return "system";
}

// The hold fields of a suspension's payload (type, flags, owner, expiry after `now`).
Result<PlaceHoldInput> ReadHoldFields(const json::object& p, Timestamp now) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"hold_type", "blocks_service", "blocks_billing",
                                    "blocks_changes", "expires_at", "owner"}));
  PlaceHoldInput in;
  SB_ASSIGN_OR_RETURN(std::string type, RequiredString(p, "hold_type", 64));
  auto parsed = domain::Parse<HoldType>(type);
  if (!parsed) return Status::Invalid("payload.hold_type", "unknown hold type '" + type + "'");
  in.type = *parsed;
  SB_ASSIGN_OR_RETURN(in.blocks_service, OptBool(p, "blocks_service"));
  SB_ASSIGN_OR_RETURN(in.blocks_billing, OptBool(p, "blocks_billing"));
  SB_ASSIGN_OR_RETURN(in.blocks_changes, OptBool(p, "blocks_changes"));
  SB_ASSIGN_OR_RETURN(auto owner, OptString(p, "owner", 128));
  in.owner = owner.value_or("");
  SB_ASSIGN_OR_RETURN(auto expires, OptString(p, "expires_at", 64));
  if (expires) {
    in.expires_at = ParseRfc3339(*expires);
    if (!in.expires_at || *in.expires_at <= now) {
      return Status::Invalid("payload.expires_at",
                             "expires_at must be an RFC 3339 time in the future");
    }
  }
  domain::HoldFlags d = domain::DefaultFlags(in.type);
  if (!in.blocks_service.value_or(d.blocks_service) &&
      !in.blocks_billing.value_or(d.blocks_billing) &&
      !in.blocks_changes.value_or(d.blocks_changes)) {
    return Status::Invalid("payload.blocks_service",
                           "a hold must block service, billing or changes");
  }
  return in;
}

// The hold a suspension asks for, checked against the account as it is at `now`.
Result<PlaceHoldInput> ReadSuspension(const AccountState& st, const json::object& p,
                                      const std::optional<std::string>& service_id,
                                      const domain::Actor& actor, Timestamp now) {
  SB_ASSIGN_OR_RETURN(PlaceHoldInput in, ReadHoldFields(p, now));
  in.account_id = st.account.id;
  in.service_id = service_id;
  in.source = SourceOf(actor);
  std::optional<domain::Service> service;
  if (service_id) {
    SB_ASSIGN_OR_RETURN(std::size_t i, FindService(st, service_id));
    service = st.services[i];
  }
  // Expiry and flags are checked above with payload names; this adds the account's and
  // the service's own rules.
  SB_RETURN_IF_ERROR(
      domain::ValidateNewHold(NewHold(CallContext{}, now, in), st.account, service, now));
  return in;
}

Result<json::object> ApplySuspension(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(PlaceHoldInput in,
                      ReadSuspension(st, p, req.service_id, req.actor, rec.now()));
  domain::Hold h = NewHold(rec.context(), rec.now(), in);
  h.reason_code = ApplyReason(rec, req);
  if (h.comment.empty()) h.comment = req.comment;
  h.placed_by_request_id = req.id;
  SB_RETURN_IF_ERROR(AddHoldInTx(tx, rec, st, h, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  json::object out = StatusSummary(st);
  out["hold_id"] = h.id;
  return out;
}

bool IsBilling(RequestType t) {
  return t == RequestType::kTermination || t == RequestType::kPlanChange ||
         t == RequestType::kBillingAdjustment;
}

}  // namespace

Result<json::object> PrepareStatus(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   const AccountState& st, const PrepareArgs& args) {
  if (!args.payload || !args.policy) return Status::Internal("PrepareStatus: missing arguments");
  if (IsBilling(args.type)) return PrepareBilling(tx, deps, ctx, st, args);
  const json::object& p = *args.payload;
  switch (args.type) {
    case RequestType::kReconnection:
      SB_RETURN_IF_ERROR(ReadReconnection(tx, st, p, args.service_id).status());
      break;
    case RequestType::kReactivation:
      SB_RETURN_IF_ERROR(ReadReactivation(st, p, args.service_id, *args.policy).status());
      break;
    case RequestType::kActivation:
      SB_RETURN_IF_ERROR(ReadActivation(st, p, args.service_id));
      break;
    case RequestType::kSuspension:
      SB_RETURN_IF_ERROR(
          ReadSuspension(st, p, args.service_id, ctx.actor, deps.clock.Now()).status());
      break;
    case RequestType::kStatusSync:
      SB_RETURN_IF_ERROR(OnlyFields(p, {}));
      break;
    default:
      return Status::Unprocessable("not_supported", "not a status request type", "type");
  }
  return p;
}

Result<json::object> ApplyStatus(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                 AccountState& st, const domain::Request& req,
                                 const domain::RequestPolicy& policy) {
  if (IsBilling(req.type)) return ApplyBilling(tx, deps, rec, st, req, policy);
  SB_ASSIGN_OR_RETURN(json::object p, StoredPayload(req));
  switch (req.type) {
    case RequestType::kReconnection:
      return ApplyReconnection(tx, rec, st, req, p);
    case RequestType::kReactivation:
      return ApplyReactivation(tx, rec, st, req, p, policy);
    case RequestType::kActivation:
      return ApplyActivation(tx, rec, st, req, p);
    case RequestType::kSuspension:
      return ApplySuspension(tx, rec, st, req, p);
    case RequestType::kStatusSync:
      SB_RETURN_IF_ERROR(OnlyFields(p, {}));
      SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
      return StatusSummary(st);
    default:
      return Status::Unprocessable("not_supported", "not a status request type", "type");
  }
}

}  // namespace sb::app::effects
