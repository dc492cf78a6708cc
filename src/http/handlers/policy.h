#pragma once

// The handlers of the policy pack, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::policy {

// GET /v1/policy-pack.
Response GetPack(Exchange& ex);

// PUT /v1/policy-pack.
Response ReplacePack(Exchange& ex);

// GET /v1/policy-pack/request-types.
Response ListRequestTypes(Exchange& ex);

// POST /v1/policy-pack/validate.
Response ValidatePack(Exchange& ex);

// POST /v1/policy-pack/simulate.
Response SimulatePack(Exchange& ex);

}  // namespace sb::http::handlers::policy
