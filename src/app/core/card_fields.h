#pragma once

// Card numbers in JSON from outside (domain/card_numbers.h says what counts as one): the
// one walk shared by the HTTP card guard (http/card_guard.h) and the inbound events
// (app/events/events.h), so a number is refused the same way whichever door it knocks on.
// Pure functions; thread-safe.

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"

namespace sb::app {

// The path of the first string, number or object key of `v`, at any depth, that holds a
// card number ("payload.note", "users[2].name", "id"; `prefix` leads every path and is
// what a card number in `v` itself is named), or nullopt when there is none. A key that is
// itself a card number appears masked in the path ("payload.[card number removed]").
std::optional<std::string> CardNumberPath(const boost::json::value& v,
                                          const std::string& prefix = "");

// 422 "card_number_refused" naming `where` (a field path or a header); the message never
// quotes the value.
Status CardNumberRefused(const std::string& where);

}  // namespace sb::app
