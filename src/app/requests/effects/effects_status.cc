// Effects of the request types that move statuses: reactivation, activation (of an account,
// or of a new service) and status_sync here; reconnection and suspension in effects_holds.cc;
// termination, plan_change and billing_adjustment in effects_billing.cc.
#include <algorithm>

#include "app/accounts/plan_history.h"
#include "app/requests/effects/effects_common.h"
#include "crypto/crypto.h"
#include "domain/holds.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::AccountLifecycle;
using domain::AuditCategory;
using domain::HoldType;
using domain::RequestType;

namespace {

json::array StatusIds(const std::vector<std::string>& ids) {
  return json::array(ids.begin(), ids.end());
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
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  json::object out = StatusSummary(st);
  out["lifted_holds"] = StatusIds(lifted);
  out["services_restored"] = RestoredJson(st, restores);
  if (offer) out["offer"] = OfferJson(*offer);
  return out;
}

// An activation with a plan_code opens a new service on the account on that plan; without
// one it activates an account pending activation.
Result<std::optional<domain::Plan>> ReadActivation(domain::Tx& tx, const AccountState& st,
                                                   const json::object& p,
                                                   const std::optional<std::string>& service_id) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"plan_code"}));
  SB_ASSIGN_OR_RETURN(auto code, OptString(p, "plan_code", 64));
  SB_RETURN_IF_ERROR(NoService(service_id));
  if (code) {
    SB_RETURN_IF_ERROR(CheckChangesAllowed(st));
    auto plan = tx.GetPlan(st.account.tenant_id, *code);
    if (!plan.ok() && plan.status().code() != Code::kNotFound) return plan.status();
    if (!plan.ok() || !plan->active) {
      return Status::Unprocessable("unknown_plan", "no active plan '" + *code + "'",
                                   "payload.plan_code");
    }
    return std::optional<domain::Plan>(*plan);
  }
  if (st.account.lifecycle != AccountLifecycle::kPendingActivation) {
    return Status::Conflict("not_pending", "account is " +
                                               std::string(domain::Name(st.account.lifecycle)) +
                                               ", not pending activation");
  }
  return std::optional<domain::Plan>();
}

Result<json::object> AddService(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                const domain::Request& req, const domain::Plan& plan) {
  domain::Service s;
  s.tenant_id = st.account.tenant_id;
  s.id = crypto::NewId("svc", rec.now());
  s.account_id = st.account.id;
  s.plan_code = plan.code;
  s.status = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
  s.created_at = s.updated_at = rec.now();
  SB_RETURN_IF_ERROR(tx.InsertService(s));
  st.services.insert(st.services.begin(), s);
  SB_RETURN_IF_ERROR(RecordPlan(tx, s, req.id, rec.now()));
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kSubscription, "service.added", "service", s.id,
                               st.account.id, req.id, {},
                               {{"plan", s.plan_code}, {"status", domain::Name(s.status)}}));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  json::object out = StatusSummary(st);
  out["service_id"] = s.id;
  return out;
}

Result<json::object> ApplyActivation(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(auto plan, ReadActivation(tx, st, p, req.service_id));
  if (plan) return AddService(tx, rec, st, req, *plan);
  SB_ASSIGN_OR_RETURN(
      auto to, domain::ApplyLifecycleMove(st.account.lifecycle, domain::LifecycleMove::kActivate));
  SB_RETURN_IF_ERROR(SetLifecycle(rec, st, to, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  return StatusSummary(st);
}

// --- status_sync --------------------------------------------------------------------------

// A status_sync re-derives statuses; it may also lift the holds it names (those that block
// no service: billing-only, changes-only) and mark an active account dormant
// ("lifecycle": "dormant", with what noticed the inactivity in "trigger" and
// "inactive_since", kept as they are given). The repairs of reconciliation
// (app/reconciliation/), filed by the system only, may also take the amount due from the source
// system ("amount_due_minor") or tell the client's systems the account's state again
// ("announce": true); "drift_item_id" names the drift item repaired.
struct StatusSync {
  NamedLift lift;
  bool dormant = false;
  bool announce = false;
  std::optional<std::int64_t> amount_due_minor;
};

Result<StatusSync> ReadStatusSync(domain::Tx& tx, const AccountState& st, const json::object& p,
                                  const std::optional<std::string>& service_id,
                                  const domain::Actor& actor) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"hold_ids", "release", "lifecycle", "trigger", "inactive_since",
                                    "announce", "amount_due_minor", "drift_item_id"}));
  SB_RETURN_IF_ERROR(NoService(service_id));
  StatusSync out;
  SB_ASSIGN_OR_RETURN(out.lift, ReadNamedLift(tx, st, p, actor, /*required=*/false));
  for (const auto& h : st.holds) {
    bool named = std::find(out.lift.hold_ids.begin(), out.lift.hold_ids.end(), h.id) !=
                 out.lift.hold_ids.end();
    // Bringing a service back is a reconnection's, with its checks (payment, fraud).
    if (named && h.blocks_service) {
      return Status::Conflict("hold_blocks_service",
                              "hold " + h.id + " blocks service: lift it with a reconnection",
                              "payload.hold_ids");
    }
  }
  SB_ASSIGN_OR_RETURN(auto lifecycle, OptString(p, "lifecycle", 16));
  SB_RETURN_IF_ERROR(OptString(p, "trigger", 64).status());
  SB_RETURN_IF_ERROR(OptString(p, "inactive_since", 64).status());
  for (const char* field : {"announce", "amount_due_minor", "drift_item_id"}) {
    if (p.contains(field) && actor.type != domain::ActorType::kSystem) {
      return Status(Code::kPermissionDenied, "system_only",
                    std::string("only reconciliation may set ") + field,
                    std::string("payload.") + field);
    }
  }
  if (const json::value* a = p.if_contains("announce")) {
    if (!a->is_bool()) return Status::Invalid("payload.announce", "announce must be true or false");
    out.announce = a->as_bool();
  }
  if (const json::value* a = p.if_contains("amount_due_minor")) {
    if (!a->is_int64() || a->as_int64() < 0) {
      return Status::Invalid("payload.amount_due_minor",
                             "amount_due_minor must be an integer of at least 0");
    }
    out.amount_due_minor = a->as_int64();
  }
  SB_RETURN_IF_ERROR(OptString(p, "drift_item_id", 64).status());
  if (lifecycle) {
    if (*lifecycle != "dormant") {
      return Status::Invalid("payload.lifecycle", "a status_sync can only mark an account dormant");
    }
    SB_RETURN_IF_ERROR(
        domain::ApplyLifecycleMove(st.account.lifecycle, domain::LifecycleMove::kMarkDormant)
            .status());
    out.dormant = true;
  }
  return out;
}

Result<json::object> ApplyStatusSync(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(StatusSync sync, ReadStatusSync(tx, st, p, req.service_id, req.actor));
  SB_ASSIGN_OR_RETURN(auto lifted, ReleaseNamed(tx, rec, st, req, sync.lift));
  if (sync.dormant) {
    SB_RETURN_IF_ERROR(SetLifecycle(rec, st, AccountLifecycle::kDormant, req.id));
  }
  if (sync.amount_due_minor && *sync.amount_due_minor != st.account.amount_due_minor) {
    json::object before{{"amount_due_minor", st.account.amount_due_minor}};
    json::object after{{"amount_due_minor", *sync.amount_due_minor}};
    st.account.amount_due_minor = *sync.amount_due_minor;
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kPayment, "account.amount_due_changed", "account",
                                 st.account.id, st.account.id, req.id, before, after));
  }
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  if (sync.announce) SB_RETURN_IF_ERROR(AnnounceState(tx, rec, st, &req));
  json::object out = StatusSummary(st);
  if (sync.amount_due_minor) out["amount_due_minor"] = st.account.amount_due_minor;
  if (sync.lift.named) out["lifted_holds"] = StatusIds(lifted);
  return out;
}

}  // namespace

Result<json::object> PrepareStatus(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   const AccountState& st, const PrepareArgs& args) {
  if (!args.payload || !args.policy) return Status::Internal("PrepareStatus: missing arguments");
  const json::object& p = *args.payload;
  switch (args.type) {
    case RequestType::kReconnection: {
      SB_ASSIGN_OR_RETURN(auto r, ReadReconnection(tx, st, p, args.service_id, ctx.actor));
      // Named or not, every hold it would lift: a hold type the pack protects needs its role.
      AddUnnamedLifts(st, r);
      SB_RETURN_IF_ERROR(CheckNamedLifts(ctx, args, st, r.lift));
      break;
    }
    case RequestType::kReactivation:
      SB_RETURN_IF_ERROR(ReadReactivation(st, p, args.service_id, *args.policy).status());
      break;
    case RequestType::kActivation:
      SB_RETURN_IF_ERROR(ReadActivation(tx, st, p, args.service_id).status());
      break;
    case RequestType::kSuspension:
      SB_RETURN_IF_ERROR(
          ReadSuspension(st, p, args.service_id, ctx.actor, deps.clock.Now()).status());
      break;
    case RequestType::kStatusSync: {
      SB_ASSIGN_OR_RETURN(auto sync, ReadStatusSync(tx, st, p, args.service_id, ctx.actor));
      SB_RETURN_IF_ERROR(CheckNamedLifts(ctx, args, st, sync.lift));
      break;
    }
    default:
      return Status::Unprocessable("not_supported", "not a status request type", "type");
  }
  return p;
}

Result<json::object> ApplyStatus(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                 AccountState& st, const domain::Request& req,
                                 const domain::RequestPolicy& policy) {
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
      return ApplyStatusSync(tx, rec, st, req, p);
    default:
      return Status::Unprocessable("not_supported", "not a status request type", "type");
  }
}

}  // namespace sb::app::effects
