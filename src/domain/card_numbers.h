#pragma once

// Detection of payment card numbers (PANs) in free text, so they never reach logs or
// stored comments in clear. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace sb::domain {

// True when `text` contains a card number: 13 to 19 digits that pass the Luhn check,
// written either as one unbroken run or as groups of at least 3 digits joined by single
// spaces or hyphens ("4111 1111 1111 1111", "3782-822463-10005"). Groups of 1 or 2
// digits (dates, phone numbers) never join a card number; a longer unbroken run of
// digits (an identifier) is not one either.
bool LooksLikeCardNumber(std::string_view text);

// `text` with every card number found as above replaced by "[card number removed]".
std::string MaskCardNumbers(std::string_view text);

}  // namespace sb::domain
