#pragma once

// The requests behind the direct account endpoints and the automatic changes (inbound
// events, the hold expiry job, the dormancy scan): each builds a request for the one engine
// (app/requests/request_flow.h), so a change made by a shortcut, a client system or the
// system itself gets the same checks, audit entries and notifications as one filed with
// POST /v1/requests.

#include <optional>
#include <string>

#include "app/accounts/accounts.h"
#include "app/core/context.h"
#include "app/requests/requests.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// A suspension placing the hold `in` describes (payload: hold_type, flags, owner, source,
// expires_at); origin in.request.origin, else the hold type's.
SubmitInput HoldRequest(const PlaceHoldInput& in);

// A request lifting exactly `hold`: a reconnection when it blocks service, else a status_sync
// (payload hold_ids: [hold.id]; release "expired" when `expired`). Origin `origin`, else the
// hold type's.
SubmitInput LiftRequest(const domain::Hold& hold, std::optional<domain::Origin> origin,
                        bool expired = false);

// Files `in` inside `tx` (SubmitInTx) and returns the change as the direct endpoints answer
// it: the request and its checks, the account view after it, and the hold or service it
// concerns (the hold placed or named, the service named or added). A payload error's param
// loses its "payload." prefix: a direct endpoint's body holds the payload's fields.
Result<ChangeOutcome> SubmitChange(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   Timestamp now, const SubmitInput& in);

// The change `filed` made as the direct endpoints show it (see SubmitChange).
Result<ChangeOutcome> ChangeOf(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                               RequestOutcome filed);

// The active hold `hold_id` of ctx's tenant, for a request about to lift it. kNotFound "hold"
// for an unknown one; kConflict "hold_not_active" for one that has ended.
Result<domain::Hold> ActiveHoldToLift(domain::Tx& tx, const CallContext& ctx,
                                      const std::string& hold_id);

}  // namespace sb::app
