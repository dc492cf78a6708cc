#pragma once

// Every route of the server, in one table (routes.cc): method, path pattern, who may call it,
// the handler (declared in http/handlers/<capability>.h) and what its body is. To add a
// route: write its handler in the capability's handler file, declare it in that file's
// header, and add one row to the table.

#include "http/router.h"
#include "http/server.h"

namespace sb::http {

// Adds every route to `router`; POST /v1/test/clock only when `options` has a test clock.
void AddRoutes(Router& router, const ServerOptions& options);

}  // namespace sb::http
