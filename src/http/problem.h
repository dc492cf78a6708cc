#pragma once

// Errors as application/problem+json (RFC 9457): type, title, status, detail, code, param.

#include "common/status.h"
#include "http/types.h"

namespace sb::http {

// The HTTP status code for a Status code (kOk -> 200, kAborted -> 500: never user-visible).
int HttpStatusFor(Code code);

// The problem+json answer for a non-OK Status. Never includes internals for kInternal.
Response ProblemResponse(const Status& status);

// A problem answer with an explicit HTTP status (e.g. 405, 431) outside the Code mapping.
Response ProblemResponse(int http_status, const std::string& reason, const std::string& detail,
                         const std::string& param = {});

// The problem's `title`: the standard phrase of `http_status` (RFC 9110), e.g. "Unsupported
// media type" for 415; a status without one gets "Client error" or "Server error".
const char* ProblemTitle(int http_status);

// "https://switchboard.dev/problems/<reason>".
std::string ProblemType(const std::string& reason);

}  // namespace sb::http
