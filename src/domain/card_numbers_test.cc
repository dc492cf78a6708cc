#include "domain/card_numbers.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

struct Case {
  std::string_view text;
  bool is_card;
  std::string_view masked;  // empty: same as text
};

TEST(CardNumbers, FindsAndMasksLuhnValidCardNumbers) {
  const Case cases[] = {
      {"4111 1111 1111 1111", true, "[card number removed]"},
      {"4111-1111-1111-1111", true, "[card number removed]"},
      {"card 5555555555554444 please", true, "card [card number removed] please"},
      {"4111111111111111", true, "[card number removed]"},
      {"amex 378282246310005", true, "amex [card number removed]"},
      {"amex 3782 822463 10005.", true, "amex [card number removed]."},
      {"diners 30569309025904", true, "diners [card number removed]"},
      {"13 digits 4222222222222", true, "13 digits [card number removed]"},
      {"19 digits 4000 0000 0000 0000 006", true, "19 digits [card number removed]"},
      {"4012888888881881 and 6011-0009-9013-9424", true,
       "[card number removed] and [card number removed]"},
      {"ID:4111111111111111x", true, "ID:[card number removed]x"},
      {"4111 1111 1111 1111 2 items", true, "[card number removed] 2 items"},
      {"card 4111 1111 1111 1111 exp 12/27", true, "card [card number removed] exp 12/27"},
      {"order 1234567890123456", false, ""},  // fails Luhn
      {"4111 1111 1111 1112", false, ""},
      {"call +33 6 12 34 56 78", false, ""},
      {"+1 (212) 555-0100", false, ""},
      {"123456789015", false, ""},  // passes Luhn, but only 12 digits
      {"due 2026-03-29", false, ""},
      {"from 2026-04-29 2026-04-01", false, ""},    // 16 Luhn-valid digits, but dates
      {"account 41111111111111111111", false, ""},  // 20-digit identifier
      {"4111  1111  1111  1111", false, ""},        // separators are single
      {"4111_1111_1111_1111", false, ""},
      {"at 12:30 on 2026-11-11, ref 9876543210987654", false, ""},
      {"", false, ""},
      {"no digits here", false, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LooksLikeCardNumber(c.text), c.is_card) << c.text;
    EXPECT_EQ(MaskCardNumbers(c.text), c.masked.empty() ? c.text : c.masked) << c.text;
  }
}

}  // namespace
}  // namespace sb::domain
