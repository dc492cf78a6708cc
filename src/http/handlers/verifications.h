#pragma once

// The handlers of verifications, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::verifications {

// POST /v1/accounts/{id}/verifications.
Response Record(Exchange& ex);

// GET /v1/accounts/{id}/verifications.
Response List(Exchange& ex);

}  // namespace sb::http::handlers::verifications
