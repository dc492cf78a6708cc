#pragma once

// The handlers of one-time verification codes, each answering the route named above it. The
// routes themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::verification_codes {

// POST /v1/accounts/{id}/verification-codes: {"channel": "email" | "sms"}.
Response Send(Exchange& ex);

// POST /v1/accounts/{id}/verification-codes/check: {"channel", "code"}.
Response Check(Exchange& ex);

}  // namespace sb::http::handlers::verification_codes
