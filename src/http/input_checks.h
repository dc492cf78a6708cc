#pragma once

// Checks made on every request before it is routed, whatever its route or method, so that
// nothing the server may store, log or echo back from the request line or the headers is
// invalid UTF-8 or a card number. (Bodies are JSON read by app/core/json_fields.h, which
// refuses invalid UTF-8; card numbers in bodies are refused by http/card_guard.h.)
// Pure functions; thread-safe.

#include <string>

#include "common/status.h"
#include "http/types.h"

namespace sb::http {

// Why the client's X-Request-Id cannot be used as the correlation id, or OK:
// 400 "invalid_header" unless it is 1-128 characters of [A-Za-z0-9._:-]; 422
// "card_number_refused" when it looks like a card number. Either way the caller logs and
// answers a generated id instead (NewRequestId), never the value sent.
Status CheckRequestId(const std::string& given);

// A fresh correlation id, "rid_" and 24 hex digits.
std::string NewRequestId();

// OK, or the first problem of the request line and headers:
// - 400 "invalid_utf8" naming the header whose value is not valid UTF-8;
// - 400 "invalid_utf8" naming "path", or the query parameter ("query" when its name is the
//   problem), whose percent-decoded text is not valid UTF-8;
// - 422 "card_number_refused" naming "path" when a path segment holds a card number (ids
//   are never card numbers, and the events route logs its tenant segment), or naming the
//   query parameter of any request but GET and HEAD whose name or value holds one.
// A target that does not parse at all is left to the router's 400 "invalid_target".
Status CheckInput(const Request& request);
// The same for a target already parsed: its decoded `query` and path `segments`
// (DecodedSegments in http/router.h; nullopt when the target or its encoding is broken, which
// the router answers).
Status CheckInput(const Request& request, const std::map<std::string, std::string>& query,
                  const std::optional<std::vector<std::string>>& segments);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace sb::http
