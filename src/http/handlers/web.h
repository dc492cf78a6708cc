#pragma once

// The web console and the customer portal: their HTML shells and their bundled assets
// (http/web_assets.h). The routes themselves are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/types.h"

namespace sb::http::handlers::web {

// GET /: the console's HTML shell, with the strict Content-Security-Policy of
// WebContentSecurityPolicy and `Cache-Control: no-cache` (it names the hashed assets of the
// current build). 404 problem when the server has no web assets.
Response Console(Exchange& ex);

// GET /portal: the customer portal's HTML shell, with the same headers.
Response Portal(Exchange& ex);

// GET /assets/{name}: one bundled file by its exact (content-hashed) name, cached for a
// year as immutable; 404 problem for any other name.
Response Asset(Exchange& ex);

}  // namespace sb::http::handlers::web
