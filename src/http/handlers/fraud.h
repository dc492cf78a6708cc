#pragma once

// The handlers of fraud signals, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::fraud {

// GET /v1/fraud/signals?account_id=&limit=&starting_after=.
Response ListSignals(Exchange& ex);

}  // namespace sb::http::handlers::fraud
