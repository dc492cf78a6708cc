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
      {"4111 1111 1111  1111 2", true, "[card number removed] 2"},
      {"account 4111 1111 1111    1111", false, ""},  // 4 separators end the number
      {"at 12:30 on 2026-11-11, ref 9876543210987654", false, ""},
      {"", false, ""},
      {"no digits here", false, ""},
      // Ids: many digits in all, but letters end each run of them.
      {"acc_01m97vpg4d1ajw5381btmm7p3j", false, ""},
      {"req_0123x4567y8901z2345", false, ""},
      {"ref_x4111_1111_1111_1111", true, "ref_x[card number removed]"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LooksLikeCardNumber(c.text), c.is_card) << c.text;
    EXPECT_EQ(MaskCardNumbers(c.text), c.masked.empty() ? c.text : c.masked) << c.text;
  }
}

// Every way of writing 4111 1111 1111 1111 found in the wild: the scan normalises Unicode
// digits and separators first, and masking keeps the rest of the original text.
TEST(CardNumbers, NormalisesUnicodeDigitsAndSeparators) {
  const Case cases[] = {
      {"pay 4111.1111.1111.1111 now", true, "pay [card number removed] now"},
      {"4111  1111  1111  1111", true, "[card number removed]"},
      {"4111_1111_1111_1111", true, "[card number removed]"},
      {"4111/1111/1111/1111", true, "[card number removed]"},
      {"4111 - 1111 - 1111 - 1111", true, "[card number removed]"},
      {"4111\t1111\n1111\r\n1111", true, "[card number removed]"},
      // U+00A0 no-break space and U+202F narrow no-break space.
      {"card 4111\u00a01111\u00a01111\u00a01111.", true, "card [card number removed]."},
      {"4111\u202f1111\u202f1111\u202f1111", true, "[card number removed]"},
      // U+3000 ideographic space, U+2013 en dash; U+200B zero-width space and U+00AD soft
      // hyphen are invisible.
      {"4111\u30001111\u20131111\u200b1111", true, "[card number removed]"},
      {"41\u00ad11111111111111", true, "[card number removed]"},
      // Full-width digits U+FF10..FF19 with a full-width full stop (U+FF0E) and solidus.
      {"\uff14\uff11\uff11\uff11\uff0e\uff11\uff11\uff11\uff11\uff0f\uff11\uff11"
       "\uff11\uff11\uff11\uff11\uff11\uff11",
       true, "[card number removed]"},
      // Arabic-Indic (U+0660..0669) and Devanagari (U+0966..096F) digits.
      {"\u0664\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661"
       "\u0661\u0661\u0661\u0661 x",
       true, "[card number removed] x"},
      {"\u096a\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 "
       "\u0967\u0967\u0967\u0967",
       true, "[card number removed]"},
      // Mixed scripts spell the same number.
      {"4111 \uff11\uff11\uff11\uff11 1111 1111", true, "[card number removed]"},
      // Not UTF-8: the stray byte ends the digits, and is kept as it was.
      {"4111 1111\xff"
       "1111 1111",
       false, ""},
      {"\xe9 4111111111111111 \xe9", true, "\xe9 [card number removed] \xe9"},
      // Still not card numbers.
      {"due 2026/03/29, 2026.04.01", false, ""},
      {"\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff12", false, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LooksLikeCardNumber(c.text), c.is_card) << c.text;
    EXPECT_EQ(MaskCardNumbers(c.text), c.masked.empty() ? c.text : c.masked) << c.text;
  }
}

// A body of many short digit groups is scanned in linear time: each candidate looks at most
// 19 digits ahead.
TEST(CardNumbers, LongRunsOfGroupsAreCheap) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "123 ";
  EXPECT_FALSE(LooksLikeCardNumber(text));
}

}  // namespace
}  // namespace sb::domain
