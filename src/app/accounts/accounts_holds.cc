// AccountUseCases: holds (place, lift, expire, list) and account lifecycle moves.
#include <algorithm>

#include "app/accounts/account_data.h"
#include "app/accounts/accounts.h"
#include "app/accounts/direct_changes.h"
#include "app/core/change.h"
#include "app/requests/request_flow.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::HoldState;
using domain::RequestType;

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
