#pragma once

// The handlers of signed inbound events, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::events {

// POST /v1/events/{tenant_id}.
Response ReceiveEvent(Exchange& ex);

}  // namespace sb::http::handlers::events
