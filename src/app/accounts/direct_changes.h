#pragma once

// The direct account changes of the agent endpoints and the automatic triggers (a hold
// placed or lifted, a lifecycle move), each recorded as a completed request.

#include <boost/json.hpp>
#include <string>

#include "app/accounts/accounts.h"
#include "app/core/context.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// How LiftInTx ends a hold: lifted by hand or expired, and the request's origin when it is
// not the one the hold type implies (automated lifts: expiry, a payment that cleared it).
struct LiftArgs {
  std::string hold_id;
  domain::HoldState final_state;
  domain::Origin origin_override;
  bool has_origin_override;
};

// Lifts (or expires) an active hold inside `tx` under ctx's actor and reason code: records a
// completed `reconnection` request (`status_sync` when the hold did not block service) with
// its audit entry, and re-derives statuses (Reconcile). kNotFound for an unknown hold,
// kConflict "hold_not_active" when it is no longer active. Used by LiftHold, ExpireHold and
// the automated reconnection after a payment.
Result<ChangeOutcome> LiftInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                               Timestamp now, const LiftArgs& args);

// Places the hold `in` asks for inside `tx` under ctx's actor and reason code: records a
// completed `suspension` request (origin from the hold type: non_payment involuntary,
// technical_fault technical, ...) with its audit entries, and re-derives statuses. Does not
// check the reason code against the tenant's list (callers with a person's reason do).
// kNotFound (param "service_id") for a service not on the account; the errors of
// domain::ValidateNewHold otherwise. Used by PlaceHold and the inbound events.
Result<ChangeOutcome> PlaceHoldInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                    Timestamp now, const PlaceHoldInput& in);

// Moves the account's lifecycle inside `tx` (see AccountUseCases::ChangeLifecycle for the
// request each move records; marking dormant is an automated `status_sync`). `extra` is added
// to the request's payload. Honors ctx.if_match; kConflict "illegal_transition" for a move the
// lifecycle does not allow. Does not check the reason code.
Result<ChangeOutcome> ChangeLifecycleInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          Timestamp now, const std::string& account_id,
                                          AccountAction action,
                                          const boost::json::object& extra = {});

}  // namespace sb::app
