#pragma once

// The handlers of data rights (app/rights/), each answering the route named above it. The
// routes themselves (method, path, who may call) are listed in http/routes.cc; the requests
// (data_access, data_erasure) are filed on POST /v1/requests like any other.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::rights {

// GET /v1/requests/{id}/data-export.
Response DataExport(Exchange& ex);

}  // namespace sb::http::handlers::rights
