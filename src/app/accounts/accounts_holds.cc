// AccountUseCases: holds (place, lift, expire, read, list) and account lifecycle moves, each
// change filed as a request through the engine (account_requests.h).
#include <algorithm>

#include "app/accounts/account_data.h"
#include "app/accounts/account_requests.h"
#include "app/accounts/accounts.h"
#include "app/core/change.h"
#include "app/requests/request_flow.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::RequestType;

Result<ChangeOutcome> AccountUseCases::PlaceHold(const CallContext& ctx, const PlaceHoldInput& in,
                                                 const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(deps_, ctx, answer,
                                  [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
                                    return SubmitChange(tx, deps_, ctx, now, HoldRequest(in));
                                  });
}

namespace {

// Requests that waited on the lifted hold (a fraud review, a technical fault) move on in the
// same transaction; the account view then shows where they left it.
Result<ChangeOutcome> ResumeAfterLift(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                      Timestamp now, ChangeOutcome out) {
  if (out.request.state != domain::RequestState::kCompleted) return out;
  std::vector<domain::Request> moved;
  SB_RETURN_IF_ERROR(ResumeWaiting(tx, deps, ctx, now, out.request.account_id, &moved));
  if (moved.empty()) return out;
  SB_ASSIGN_OR_RETURN(out.account,
                      LoadView(tx, deps.keyring, ctx.tenant_id, out.request.account_id));
  return out;
}

}  // namespace

Result<ChangeOutcome> AccountUseCases::LiftHold(const CallContext& ctx, const std::string& hold_id,
                                                const RequestOptions& opts,
                                                const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Hold hold, ActiveHoldToLift(tx, ctx, hold_id));
        SubmitInput in = LiftRequest(hold, opts.origin);
        in.origin_chosen = opts.origin.has_value();
        in.consent_method = opts.consent_method;
        in.priority = opts.priority;
        SB_ASSIGN_OR_RETURN(auto out, SubmitChange(tx, deps_, ctx, now, in));
        return ResumeAfterLift(tx, deps_, ctx, now, std::move(out));
      });
}

Status AccountUseCases::ExpireHold(const std::string& tenant_id, const std::string& hold_id) const {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  ctx.channel = domain::Channel::kSystem;
  ctx.reason_code = "hold_expired";
  ctx.correlation_id = "job:hold.expire:" + hold_id;
  auto r = RunChange<ChangeOutcome>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Hold hold, ActiveHoldToLift(tx, ctx, hold_id));
        SubmitInput in = LiftRequest(hold, domain::Origin::kAutomated, /*expired=*/true);
        SB_ASSIGN_OR_RETURN(auto out, SubmitChange(tx, deps_, ctx, now, in));
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

Result<domain::Hold> AccountUseCases::GetHold(const CallContext& ctx,
                                              const std::string& hold_id) const {
  std::optional<domain::Hold> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto found = tx.GetHold(ctx.tenant_id, hold_id);
    if (!found.ok()) {
      return found.status().code() == Code::kNotFound ? Status::NotFound("hold") : found.status();
    }
    out = std::move(*found);
    return Status::Ok();
  }));
  return std::move(*out);
}

namespace {

SubmitInput LifecycleRequest(const std::string& account_id, AccountAction action) {
  SubmitInput in;
  in.account_id = account_id;
  switch (action) {
    case AccountAction::kActivate:
      in.type = RequestType::kActivation;
      break;
    case AccountAction::kClose:
      in.type = RequestType::kTermination;
      break;
    case AccountAction::kReactivate:
      in.type = RequestType::kReactivation;
      break;
    case AccountAction::kMarkDormant:
      in.type = RequestType::kStatusSync;
      in.origin = domain::Origin::kAutomated;
      in.payload = {{"lifecycle", "dormant"}, {"trigger", "agent"}};
      break;
  }
  return in;
}

}  // namespace

Result<ChangeOutcome> AccountUseCases::ChangeLifecycle(
    const CallContext& ctx, const std::string& account_id, AccountAction action,
    const RequestOptions& opts, const AnswerFn<ChangeOutcome>& answer) const {
  SubmitInput in = LifecycleRequest(account_id, action);
  if (opts.origin) in.origin = *opts.origin;
  in.origin_chosen = opts.origin.has_value();
  in.consent_method = opts.consent_method;
  in.priority = opts.priority;
  return RunChange<ChangeOutcome>(deps_, ctx, answer,
                                  [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
                                    return SubmitChange(tx, deps_, ctx, now, in);
                                  });
}

}  // namespace sb::app
