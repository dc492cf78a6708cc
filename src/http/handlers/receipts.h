#pragma once

// The handlers of customer receipts (app/receipts/), each answering the route named above it.
// The routes themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::receipts {

// GET /v1/requests/{id}/receipt: the receipt of a request, for the agent to give the customer.
Response ForRequest(Exchange& ex);

// GET /v1/portal/requests/{id}/receipt: the receipt of one of the session's own requests.
Response ForPortalRequest(Exchange& ex);

// POST /v1/receipts/check {"token"}: no key and no session, the token is the credential.
Response Check(Exchange& ex);

}  // namespace sb::http::handlers::receipts
