#include "domain/card_numbers.h"

#include <cstddef>
#include <vector>

namespace sb::domain {
namespace {

constexpr std::size_t kMinDigits = 13;
constexpr std::size_t kMaxDigits = 19;
constexpr std::size_t kMinGroupDigits = 3;
constexpr std::string_view kMask = "[card number removed]";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits [begin, end) of the text, with no separator inside.
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

// The groups of the run of digits starting at `pos`, joined by single spaces or hyphens.
std::vector<Group> ReadRun(std::string_view text, std::size_t pos) {
  std::vector<Group> groups;
  while (true) {
    Group g{pos, pos};
    while (g.end < text.size() && IsDigit(text[g.end])) ++g.end;
    groups.push_back(g);
    std::size_t next = g.end + 1;
    if (next >= text.size() || (text[g.end] != ' ' && text[g.end] != '-') || !IsDigit(text[next])) {
      return groups;
    }
    pos = next;
  }
}

// Whether groups [first, last] of a run spell a card number.
bool IsCardNumber(std::string_view text, const std::vector<Group>& groups, std::size_t first,
                  std::size_t last) {
  std::string digits;
  for (std::size_t i = first; i <= last; ++i) {
    if (first != last && groups[i].size() < kMinGroupDigits) return false;
    digits.append(text.substr(groups[i].begin, groups[i].size()));
  }
  return digits.size() >= kMinDigits && digits.size() <= kMaxDigits && PassesLuhn(digits);
}

// Card numbers in `text`, left to right, longest first at each position.
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
      for (std::size_t last = groups.size(); last-- > first;) {
        if (IsCardNumber(text, groups, first, last)) {
          found.push_back({groups[first].begin, groups[last].end});
          first = last;
          break;
        }
      }
    }
    pos = groups.back().end;
  }
  return found;
}

}  // namespace

bool LooksLikeCardNumber(std::string_view text) { return !FindCardNumbers(text).empty(); }

std::string MaskCardNumbers(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  for (const Span& span : FindCardNumbers(text)) {
    out.append(text.substr(copied, span.begin - copied)).append(kMask);
    copied = span.end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace sb::domain
