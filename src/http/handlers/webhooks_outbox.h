#pragma once

// The handlers of the outbox and webhook replays, each answering the route named above it. The
// routes themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::webhooks_outbox {

// GET /v1/outbox.
Response ListOutbox(Exchange& ex);

// POST /v1/outbox/{id}/replay.
Response Replay(Exchange& ex);

}  // namespace sb::http::handlers::webhooks_outbox
