#pragma once

// A bulk job's per-row results as CSV, the one format of the results download
// (GET /v1/bulk-jobs/{id}/results) and of `switchboard bulk results`. Pure functions.

#include <string>

#include "domain/bulk.h"

namespace sb::app {

// "row,state,account_id,request_id,request_state,error_code,error_column\r\n".
std::string ResultsCsvHeader();

// One row's line, CRLF-terminated. A row still pending in a cancelled job reads `cancelled`.
std::string ResultsCsvLine(const domain::BulkRow& row, domain::BulkJobState job_state);

}  // namespace sb::app
