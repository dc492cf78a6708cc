// Direct account changes recorded as completed requests (see direct_changes.h).
#include "app/accounts/direct_changes.h"

#include <algorithm>

#include "app/accounts/account_data.h"
#include "app/accounts/account_state.h"
#include "app/core/change.h"
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
}  // namespace sb::app
