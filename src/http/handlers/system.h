#pragma once

// The handlers of health, metrics, the API contract, the plan catalogue, the caller and the
// test clock, each
// answering the route named above it. The routes themselves (method, path, who may call) are listed
// in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::system {

// GET /healthz.
Response Healthz(Exchange& ex);

// GET /readyz.
Response Readyz(Exchange& ex);

// GET /metrics (routed only when ServerOptions::metrics_token is set): the Prometheus text
// of http/metrics.h to "Authorization: Bearer <metrics_token>"; 401 "unauthenticated",
// with nothing of the metrics, to anyone else.
Response MetricsText(Exchange& ex);

// GET /v1/openapi.json (no API key): the API's contract (http/openapi.h) as JSON, with its
// ETag and Cache-Control; 304 with no body when If-None-Match names that ETag.
Response OpenApi(Exchange& ex);

// GET /v1/plans.
Response ListPlans(Exchange& ex);

// GET /v1/whoami.
Response WhoAmI(Exchange& ex);

// POST /v1/test/clock.
Response MoveClock(Exchange& ex);

}  // namespace sb::http::handlers::system
