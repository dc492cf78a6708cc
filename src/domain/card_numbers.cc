#include "domain/card_numbers.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace sb::domain {
namespace {

constexpr std::size_t kMinDigits = 13;
constexpr std::size_t kMaxDigits = 19;
constexpr std::size_t kMinGroupDigits = 3;
// "4111 - 1111" joins its groups; more separators in a row end the number.
constexpr std::size_t kMaxSeparators = 3;
constexpr std::string_view kMask = "[card number removed]";

// What each code point reads as in the normalised text.
constexpr char kSeparator = ' ';
constexpr char kOther = 'x';
constexpr char kIgnored = 0;  // read as if it were not there

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ReadAscii(UChar32 c) {
  if (c >= '0' && c <= '9') return static_cast<char>(c);
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\v':
    case '\f':
    case '-':
    case '.':
    case '_':
    case '/':
      return kSeparator;
    default:
      return kOther;
  }
}

// The one ASCII character the compatibility (NFKC) form of `c` is, or 0.
char CompatibilityAscii(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2* nfkc = unorm2_getNFKCInstance(&err);
  if (U_FAILURE(err)) return 0;
  UChar out[4];
  int32_t n = unorm2_getDecomposition(nfkc, c, out, 4, &err);
  if (U_FAILURE(err) || n != 1 || out[0] >= 0x80) return 0;
  return static_cast<char>(out[0]);
}

char ReadCodePoint(UChar32 c) {
  if (c < 0) return kOther;  // not UTF-8
  if (c < 0x80) return ReadAscii(c);
  int8_t type = u_charType(c);
  if (type == U_DECIMAL_DIGIT_NUMBER) return static_cast<char>('0' + u_charDigitValue(c));
  // Invisible: "41<soft hyphen>11..." shows as one run of digits.
  if (type == U_FORMAT_CHAR) return kIgnored;
  if (u_isUWhiteSpace(c) || type == U_SPACE_SEPARATOR || type == U_DASH_PUNCTUATION ||
      type == U_CONNECTOR_PUNCTUATION) {
    return kSeparator;
  }
  if (char ascii = CompatibilityAscii(c)) return ReadAscii(ascii);
  return kOther;
}

// The text as one character per code point (a digit, kSeparator or kOther; invisible format
// characters are left out), and where each starts in the original bytes (plus the end of
// the text).
struct Normalised {
  std::string chars;
  std::vector<std::size_t> starts;
};

Normalised Normalise(std::string_view text) {
  Normalised n;
  n.chars.reserve(text.size());
  n.starts.reserve(text.size() + 1);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    char read = ReadCodePoint(c);
    if (read == kIgnored) continue;
    n.starts.push_back(static_cast<std::size_t>(start));
    n.chars.push_back(read);
  }
  n.starts.push_back(text.size());
  return n;
}

// Digits [begin, end) of the normalised text, with no separator inside.
struct Group {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, twice = !twice) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

// The groups of the run of digits starting at `pos`, joined by 1 to kMaxSeparators
// separators.
std::vector<Group> ReadRun(std::string_view text, std::size_t pos) {
  std::vector<Group> groups;
  while (true) {
    Group g{pos, pos};
    while (g.end < text.size() && IsDigit(text[g.end])) ++g.end;
    groups.push_back(g);
    std::size_t next = g.end;
    while (next < text.size() && text[next] == kSeparator && next - g.end < kMaxSeparators) {
      ++next;
    }
    if (next == g.end || next >= text.size() || !IsDigit(text[next])) return groups;
    pos = next;
  }
}

// The last group of the longest card number that starts with group `first`, or nullopt.
// Looks at most kMaxDigits digits ahead, so a long run costs linear time.
std::optional<std::size_t> LongestCardFrom(std::string_view text, const std::vector<Group>& groups,
                                           std::size_t first) {
  std::optional<std::size_t> best;
  std::string digits;
  for (std::size_t last = first; last < groups.size(); ++last) {
    // Only whole groups of 3 or more digits join another group.
    if (last > first &&
        (groups[first].size() < kMinGroupDigits || groups[last].size() < kMinGroupDigits)) {
      break;
    }
    digits.append(text.substr(groups[last].begin, groups[last].size()));
    if (digits.size() > kMaxDigits) break;
    if (digits.size() >= kMinDigits && PassesLuhn(digits)) best = last;
  }
  return best;
}

// Card numbers in the normalised text (indices of code points), left to right, longest
// first at each position.
std::vector<Span> FindCardNumbers(std::string_view text) {
  std::vector<Span> found;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!IsDigit(text[pos])) {
      ++pos;
      continue;
    }
    std::vector<Group> groups = ReadRun(text, pos);
    for (std::size_t first = 0; first < groups.size(); ++first) {
      std::optional<std::size_t> last = LongestCardFrom(text, groups, first);
      if (!last) continue;
      found.push_back({groups[first].begin, groups[*last].end});
      first = *last;
    }
    pos = groups.back().end;
  }
  return found;
}

}  // namespace

namespace {

// ASCII text none of whose runs of digits and separators holds as many digits as a card
// number cannot hold one: in ASCII only '0'-'9' read as digits, and any other character that
// is not a separator ends a run (an id such as "acc_01m97vpg4d1ajw5381btmm" has short runs).
// Most text is settled in one pass, without normalising it.
bool TooFewDigitsForACard(std::string_view text) {
  std::size_t run_digits = 0;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
    if (IsDigit(c)) {
      if (++run_digits >= kMinDigits) return false;
    } else if (ReadAscii(c) != kSeparator) {
      run_digits = 0;
    }
  }
  return true;
}

}  // namespace

bool LooksLikeCardNumber(std::string_view text) {
  if (TooFewDigitsForACard(text)) return false;
  return !FindCardNumbers(Normalise(text).chars).empty();
}

std::string MaskCardNumbers(std::string_view text) {
  if (TooFewDigitsForACard(text)) return std::string(text);
  Normalised n = Normalise(text);
  std::string out;
  std::size_t copied = 0;
  for (const Span& span : FindCardNumbers(n.chars)) {
    std::size_t begin = n.starts[span.begin];
    out.append(text.substr(copied, begin - copied)).append(kMask);
    copied = n.starts[span.end];
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace sb::domain
