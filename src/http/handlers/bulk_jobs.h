#pragma once

// The handlers of bulk jobs (app/bulk/), each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/types.h"

namespace sb::http::handlers::bulk_jobs {

// POST /v1/bulk-jobs: the upload (text/csv or application/x-ndjson), spooled to a file by
// the server (BodyType::kUpload). 202 with the job; 200 with the plan on a dry run; 400 when
// the file cannot be read, 422 when rows are invalid, each naming row, column and code.
Response Submit(Exchange& ex);
// GET /v1/bulk-jobs.
Response List(Exchange& ex);
// GET /v1/bulk-jobs/{id}: the job and its progress.
Response Get(Exchange& ex);
// GET /v1/bulk-jobs/{id}/events: the progress as server-sent events until the job finishes.
Response Events(Exchange& ex);
// GET /v1/bulk-jobs/{id}/results: every row's outcome as CSV.
Response Results(Exchange& ex);
// POST /v1/bulk-jobs/{id}/pause, /resume, /cancel.
Response Pause(Exchange& ex);
Response Resume(Exchange& ex);
Response Cancel(Exchange& ex);

}  // namespace sb::http::handlers::bulk_jobs
