#pragma once

// The one way enums get their wire names: a constexpr table of (value, name) pairs, read
// in both directions. Used by enums.cc and policy.cc.

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace sb::domain {

template <typename E, size_t N>
using EnumTable = std::array<std::pair<E, std::string_view>, N>;

// The name of `v` in `t`; "unknown" for a value the table lacks.
template <typename E, size_t N>
constexpr std::string_view EnumName(const EnumTable<E, N>& t, E v) {
  for (const auto& [e, n] : t)
    if (e == v) return n;
  return "unknown";
}

// The value named `text` in `t`; nullopt for an unknown name.
template <typename E, size_t N>
constexpr std::optional<E> EnumParse(const EnumTable<E, N>& t, std::string_view text) {
  for (const auto& [e, n] : t)
    if (n == text) return e;
  return std::nullopt;
}

}  // namespace sb::domain
