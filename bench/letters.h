#pragma once

#include <string>

namespace sb::bench {

// A number written in letters ('a' for 0, least significant first). The load generator
// builds its external_refs and event ids from it (a long run of digits can look like a card
// number, which the server refuses); the raw limit builds the same event ids.
inline std::string Letters(long long v) {
  std::string out;
  do {
    out.push_back(static_cast<char>('a' + v % 26));
    v /= 26;
  } while (v > 0);
  return out;
}

}  // namespace sb::bench
