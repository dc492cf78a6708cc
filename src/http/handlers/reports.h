#pragma once

// The handlers of KPI reports, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::reports {

// GET /v1/kpis.
Response GetKpis(Exchange& ex);

}  // namespace sb::http::handlers::reports
