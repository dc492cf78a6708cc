#include "domain/bulk.h"

#include <array>
#include <utility>

namespace sb::domain {
namespace {

constexpr std::array<std::pair<BulkJobState, std::string_view>, 5> kBulkJobStates{{
    {BulkJobState::kLoading, "loading"},
    {BulkJobState::kRunning, "running"},
    {BulkJobState::kPaused, "paused"},
    {BulkJobState::kCancelled, "cancelled"},
    {BulkJobState::kCompleted, "completed"},
}};
constexpr std::array<std::pair<BulkRowState, std::string_view>, 4> kRowStates{{
    {BulkRowState::kPending, "pending"},
    {BulkRowState::kApplied, "applied"},
    {BulkRowState::kFailed, "failed"},
    {BulkRowState::kSkipped, "skipped"},
}};

template <typename E, std::size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [v, n] : table) {
    if (v == e) return n;
  }
  return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view s) {
  for (const auto& [v, n] : table) {
    if (n == s) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view BulkJobStateName(BulkJobState s) { return NameIn(kBulkJobStates, s); }
std::optional<BulkJobState> ParseBulkJobState(std::string_view s) {
  return ParseIn(kBulkJobStates, s);
}
std::string_view BulkRowStateName(BulkRowState s) { return NameIn(kRowStates, s); }
std::optional<BulkRowState> ParseBulkRowState(std::string_view s) { return ParseIn(kRowStates, s); }

}  // namespace sb::domain
