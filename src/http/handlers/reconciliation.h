#pragma once

// The handlers of reconciliation (app/reconciliation/, docs/RECONCILIATION.md), each answering
// the route named above it. The routes themselves (method, path, who may call) are listed in
// http/routes.cc.

#include "http/exchange.h"
#include "http/types.h"

namespace sb::http::handlers::reconciliation {

// POST /v1/reconciliations?source=<system>: a source system's file (text/csv or
// application/x-ndjson), spooled by the server (BodyType::kUpload). 201 with the run; 200 with
// the run it already was when the same file was sent before for that source (`duplicate`),
// and on a dry run (with the items it would record); 400 naming row and column when the file
// cannot be read, nothing recorded.
Response Run(Exchange& ex);
// GET /v1/reconciliations.
Response List(Exchange& ex);
// GET /v1/reconciliations/{id}: the run's report (counts by kind, rejected rows).
Response Get(Exchange& ex);
// GET /v1/reconciliations/{id}/items: its drift items, a page as JSON, or every item as CSV
// (format=csv, streamed).
Response Items(Exchange& ex);
// GET /v1/drift-items: the drift queue (open items, any run), or closed ones with open=false.
Response Queue(Exchange& ex);
// POST /v1/drift-items/{id}/resolve: {"resolution": "fixed" | "dismissed", "note": "..."}.
Response Resolve(Exchange& ex);

}  // namespace sb::http::handlers::reconciliation
