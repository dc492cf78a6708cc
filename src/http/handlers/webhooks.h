#pragma once

// The handlers of webhook endpoints, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::webhooks {

// POST /v1/webhook-endpoints.
Response Create(Exchange& ex);

// GET /v1/webhook-endpoints.
Response List(Exchange& ex);

// GET /v1/webhook-endpoints/{id}.
Response Get(Exchange& ex);

// DELETE /v1/webhook-endpoints/{id}.
Response Remove(Exchange& ex);

}  // namespace sb::http::handlers::webhooks
