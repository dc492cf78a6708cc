#pragma once

// Arithmetic on amounts in minor units (cents) that never wraps: a sum or product that
// does not fit answers nullopt, and the caller refuses the change instead of booking a
// wrapped balance. Pure; thread-safe.

#include <cstdint>
#include <optional>

namespace sb::domain {

// a + b, or nullopt when it does not fit in 64 bits.
inline std::optional<std::int64_t> AddMinor(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// a - b, or nullopt when it does not fit in 64 bits.
inline std::optional<std::int64_t> SubMinor(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// a * b, or nullopt when it does not fit in 64 bits.
inline std::optional<std::int64_t> MulMinor(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

}  // namespace sb::domain
