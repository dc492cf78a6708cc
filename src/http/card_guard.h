#pragma once

// Refusing card numbers at the door: a write whose body (any string, number or key, at any
// depth) or free-text headers hold something that looks like a full card number
// (domain/card_numbers.h) is answered 422 "card_number_refused" before any use case runs,
// so the number is never stored or logged. The path, X-Request-Id and the query string of
// every write are checked before routing (http/input_checks.h); inbound events by their
// use case once their signature holds (app/events/events.h), with the same walk
// (app/core/card_fields.h). Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/types.h"

namespace sb::http {

// The path of the first field of `body` holding a card number ("payload.note",
// "users[2].name"; "body" when the body is not JSON), or nullopt when there is none.
std::optional<std::string> CardNumberField(std::string_view body);

// 422 naming the body field or header that carries a card number, or OK.
Status RefuseCardNumbers(const Request& request);

}  // namespace sb::http
