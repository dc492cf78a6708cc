#pragma once

// Detection of payment card numbers (PANs) in free text, so they never reach logs or
// stored comments in clear. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace sb::domain {

// True when `text` contains a card number: 13 to 19 digits that pass the Luhn check,
// written either as one unbroken run or as groups of at least 3 digits joined by 1 to 3
// separators ("4111 1111 1111 1111", "3782-822463-10005", "4111.1111.1111.1111",
// "4111  1111__1111/1111"). The text is read as UTF-8 and normalised first, so every way
// of writing the same number is caught:
// - a digit is any Unicode decimal digit (ASCII, full-width U+FF10..FF19, Arabic-Indic,
//   Devanagari, ...) and any character whose compatibility form is one ASCII digit;
// - a separator is any white space (tab, new line, U+00A0, U+202F, U+3000...), a dash, a
//   connector such as '_', '.', '/', and any character whose compatibility form is one of
//   them (U+FF0E, U+FF0F...);
// - invisible format characters (U+200B, U+00AD...) are read as if they were not there.
// Groups of 1 or 2 digits (dates, phone numbers) never join a card number; a longer
// unbroken run of digits (an identifier) is not one either. Bytes that are not UTF-8 are
// neither digits nor separators.
bool LooksLikeCardNumber(std::string_view text);

// `text` with every card number found as above replaced by "[card number removed]"; the
// rest of the text, separators included, is kept byte for byte.
std::string MaskCardNumbers(std::string_view text);

}  // namespace sb::domain
