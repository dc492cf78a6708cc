#pragma once

// The handlers of services and plans, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::services {

// POST /v1/accounts/{id}/services.
Response AddService(Exchange& ex);

// GET /v1/accounts/{id}/services.
Response ListServices(Exchange& ex);

// POST /v1/services/{id}/plan-change.
Response ChangePlan(Exchange& ex);

// POST /v1/services/{id}/terminate.
Response Terminate(Exchange& ex);

}  // namespace sb::http::handlers::services
