#pragma once

// The handlers of the audit log, its checkpoints and proofs, each answering the route named above
// it. The routes themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::audit {

// GET /v1/audit/checkpoint.
Response Checkpoint(Exchange& ex);

// GET /v1/audit/entries.
Response Entries(Exchange& ex);

// GET /v1/audit/entries/{id}/proof.
Response Proof(Exchange& ex);

// GET /v1/audit/consistency.
Response Consistency(Exchange& ex);

}  // namespace sb::http::handlers::audit
