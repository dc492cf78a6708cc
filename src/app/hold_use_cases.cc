// AccountUseCases: holds (place, lift, expire, list) and account lifecycle moves.
#include <algorithm>

#include "app/accounts.h"
#include "app/change.h"
#include "app/request_flow.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::HoldState;
using domain::RequestType;

Result<ChangeOutcome> LiftInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                               Timestamp now, const LiftArgs& args) {
  auto found = tx.GetHold(ctx.tenant_id, args.hold_id);
  if (!found.ok()) {
    return found.status().code() == Code::kNotFound ? Status::NotFound("hold") : found.status();
  }
  if (found->state != HoldState::kActive) {
    return Status::Conflict("hold_not_active", "hold " + found->id + " is already " +
                                                   std::string(domain::Name(found->state)));
  }
  SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, ctx.tenant_id, found->account_id));
  auto it = std::find_if(st.holds.begin(), st.holds.end(),
                         [&](const domain::Hold& h) { return h.id == args.hold_id; });
  if (it == st.holds.end()) return Status::Internal("active hold missing from its account");
  SB_RETURN_IF_ERROR(domain::CheckAccountOpen(st.account));
  ChangeRecorder rec(tx, ctx, now);
  domain::Origin origin =
      args.has_origin_override ? args.origin_override : domain::OriginFor(it->type);
  RequestType type = it->blocks_service ? RequestType::kReconnection : RequestType::kStatusSync;
  // Derive first so the request's result shows the statuses after the lift.
  AccountState preview = st;
  preview.holds.erase(preview.holds.begin() + (it - st.holds.begin()));
  SB_ASSIGN_OR_RETURN(auto req, rec.CompletedRequest(type, origin, st.account.id, it->service_id,
                                                     {{"hold_id", it->id}},
                                                     StatusSummary(PreviewStatuses(preview))));
  SB_ASSIGN_OR_RETURN(
      domain::Hold lifted,
      ReleaseHoldInTx(tx, rec, st, args.hold_id, args.final_state, ctx.reason_code, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  SB_ASSIGN_OR_RETURN(auto view, BuildView(tx, deps.keyring, st.account, st.services, st.holds));
  return ChangeOutcome{std::move(req), std::move(view), std::move(lifted), std::nullopt};
}

Result<ChangeOutcome> PlaceHoldInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                    Timestamp now, const PlaceHoldInput& in) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, ctx.tenant_id, in.account_id));
  std::optional<domain::Service> service;
  if (in.service_id) {
    auto it = std::find_if(st.services.begin(), st.services.end(),
                           [&](const domain::Service& s) { return s.id == *in.service_id; });
    if (it == st.services.end()) return Status::NotFound("service", "service_id");
    service = *it;
  }
  domain::Hold h = NewHold(ctx, now, in);
  SB_RETURN_IF_ERROR(domain::ValidateNewHold(h, st.account, service, now));
  ChangeRecorder rec(tx, ctx, now);
  AccountState preview = st;
  preview.holds.insert(preview.holds.begin(), h);
  SB_ASSIGN_OR_RETURN(auto req,
                      rec.CompletedRequest(RequestType::kSuspension, domain::OriginFor(h.type),
                                           h.account_id, h.service_id, HoldJson(h),
                                           StatusSummary(PreviewStatuses(std::move(preview)))));
  h.placed_by_request_id = req.id;
  SB_RETURN_IF_ERROR(AddHoldInTx(tx, rec, st, h, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  SB_ASSIGN_OR_RETURN(auto view, BuildView(tx, deps.keyring, st.account, st.services, st.holds));
  return ChangeOutcome{std::move(req), std::move(view), std::move(h), std::nullopt};
}

Result<ChangeOutcome> AccountUseCases::PlaceHold(const CallContext& ctx, const PlaceHoldInput& in,
                                                 const AnswerFn<ChangeOutcome>& answer) const {
  if (in.source.empty() || in.source.size() > 64) {
    return Status::Invalid("source", "source must be 1 to 64 characters");
  }
  if (in.owner.size() > 128) return Status::Invalid("owner", "owner is at most 128 characters");
  return RunChange<ChangeOutcome>(deps_, ctx, answer,
                                  [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
                                    SB_RETURN_IF_ERROR(RequireReason(tx, ctx));
                                    return PlaceHoldInTx(tx, deps_, ctx, now, in);
                                  });
}

namespace {

// Requests that waited on the lifted hold (a fraud review, a technical fault) move on in the
// same transaction; the account view then shows where they left it.
Result<ChangeOutcome> ResumeAfterLift(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                      Timestamp now, ChangeOutcome out) {
  std::vector<domain::Request> moved;
  SB_RETURN_IF_ERROR(ResumeWaiting(tx, deps, ctx, now, out.request.account_id, &moved));
  if (moved.empty()) return out;
  SB_ASSIGN_OR_RETURN(out.account,
                      LoadView(tx, deps.keyring, ctx.tenant_id, out.request.account_id));
  return out;
}

}  // namespace

Result<ChangeOutcome> AccountUseCases::LiftHold(const CallContext& ctx, const std::string& hold_id,
                                                const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_RETURN_IF_ERROR(RequireReason(tx, ctx));
        SB_ASSIGN_OR_RETURN(
            auto out, LiftInTx(tx, deps_, ctx, now, {hold_id, HoldState::kLifted, {}, false}));
        return ResumeAfterLift(tx, deps_, ctx, now, std::move(out));
      });
}

Status AccountUseCases::ExpireHold(const std::string& tenant_id, const std::string& hold_id) const {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", std::nullopt};
  ctx.channel = domain::Channel::kSystem;
  ctx.reason_code = "hold_expired";
  ctx.correlation_id = "job:hold.expire:" + hold_id;
  auto r = RunChange<ChangeOutcome>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_ASSIGN_OR_RETURN(
            auto out, LiftInTx(tx, deps_, ctx, now,
                               {hold_id, HoldState::kExpired, domain::Origin::kAutomated, true}));
        return ResumeAfterLift(tx, deps_, ctx, now, std::move(out));
      });
  // A hold lifted by hand before it expired leaves nothing to do.
  if (!r.ok() && r.status().reason() == "hold_not_active") return Status::Ok();
  return r.status();
}

Result<std::vector<domain::Hold>> AccountUseCases::ListHolds(const CallContext& ctx,
                                                             const std::string& account_id,
                                                             bool active_only) const {
  std::vector<domain::Hold> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto acc = tx.GetAccount(ctx.tenant_id, account_id);
    if (!acc.ok())
      return acc.status().code() == Code::kNotFound ? Status::NotFound("account") : acc.status();
    SB_ASSIGN_OR_RETURN(out, tx.ListHolds(ctx.tenant_id, account_id, active_only));
    return Status::Ok();
  }));
  return out;
}

Result<ChangeOutcome> ChangeLifecycleInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          Timestamp now, const std::string& account_id,
                                          AccountAction action, const json::object& extra) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, ctx.tenant_id, account_id));
  if (ctx.if_match && *ctx.if_match != st.account.version) {
    return Status::PreconditionFailed("the account changed since it was read");
  }
  SB_ASSIGN_OR_RETURN(auto to, domain::ApplyLifecycleMove(st.account.lifecycle, action));
  json::object before{{"lifecycle", domain::Name(st.account.lifecycle)}};
  RequestType type = RequestType::kStatusSync;
  domain::Origin origin = domain::Origin::kVoluntary;
  switch (action) {
    case AccountAction::kActivate:
      type = RequestType::kActivation;
      break;
    case AccountAction::kClose:
      type = RequestType::kTermination;
      break;
    case AccountAction::kReactivate:
      type = RequestType::kReactivation;
      break;
    case AccountAction::kMarkDormant:
      origin = domain::Origin::kAutomated;
      break;
  }
  json::object payload = before;
  for (const auto& kv : extra) payload[kv.key()] = kv.value();
  ChangeRecorder rec(tx, ctx, now);
  json::object after{{"lifecycle", domain::Name(to)}};
  SB_ASSIGN_OR_RETURN(auto req,
                      rec.CompletedRequest(type, origin, account_id, std::nullopt, payload, after));
  SB_RETURN_IF_ERROR(SetLifecycle(rec, st, to, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
  SB_ASSIGN_OR_RETURN(auto view, BuildView(tx, deps.keyring, st.account, st.services, st.holds));
  return ChangeOutcome{std::move(req), std::move(view), std::nullopt, std::nullopt};
}

Result<ChangeOutcome> AccountUseCases::ChangeLifecycle(
    const CallContext& ctx, const std::string& account_id, AccountAction action,
    const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_RETURN_IF_ERROR(RequireReason(tx, ctx));
        return ChangeLifecycleInTx(tx, deps_, ctx, now, account_id, action);
      });
}

}  // namespace sb::app
