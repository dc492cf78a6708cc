#pragma once

// Refusing card numbers at the door: a write whose body (any string or number, at any
// depth) or free-text headers hold something that looks like a full card number is
// answered 422 "card_number_refused" before any use case runs, so the number is never
// stored or logged. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/types.h"

namespace sb::http {

// The path of the first field of `body` holding a card number ("payload.note",
// "users[2].name"; "body" when the body is not JSON), or nullopt when there is none.
std::optional<std::string> CardNumberField(std::string_view body);

// 422 naming the field or header that carries a card number, or OK.
Status RefuseCardNumbers(const Request& request);

}  // namespace sb::http
