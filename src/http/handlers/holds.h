#pragma once

// The handlers of holds, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::holds {

// POST /v1/accounts/{id}/holds.
Response PlaceHold(Exchange& ex);

// GET /v1/accounts/{id}/holds.
Response ListHolds(Exchange& ex);

// GET /v1/holds/{id}.
Response GetHold(Exchange& ex);

// POST /v1/holds/{id}/lift.
Response LiftHold(Exchange& ex);

}  // namespace sb::http::handlers::holds
