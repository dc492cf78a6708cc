#pragma once

// Small text helpers the test support code and the functional tests share.

#include <cctype>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace sb::testing {

// `s` with its ASCII letters lowered (header names, codes).
inline std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The bytes of the file at `path` ("" when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// `n` random lowercase letters: values unique to the run, so that a find cannot be another
// test's.
inline std::string RandomLetters(size_t n) {
  static std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  for (size_t i = 0; i < n; ++i) out += static_cast<char>('a' + rng() % 26);
  return out;
}

}  // namespace sb::testing
