#pragma once

// What reports read and group by: an account's region code, and the dimensions a KPI
// breakdown groups requests by. Pure; the reads are app/reports/.

#include <optional>
#include <string>
#include <string_view>

namespace sb::domain {

// The longest region code: a tenant's own label for where a customer is served ("eu-west",
// "FR.IDF"), not personal data.
inline constexpr std::size_t kMaxRegionCode = 64;

// True when `code` is 1 to kMaxRegionCode ASCII letters, digits, '.', '_' or '-'.
bool IsRegionCode(std::string_view code);

// How KPIs are broken down (GET /v1/kpis?group_by=): by the request's assignee (the agent who
// works it), its origin, its channel, or its account's region.
enum class KpiGroupBy { kAgent, kOrigin, kChannel, kRegion };

// The wire name ("agent", "origin", "channel", "region") and its reverse (nullopt for any
// other text).
std::string_view Name(KpiGroupBy g);
std::optional<KpiGroupBy> ParseKpiGroupBy(std::string_view text);

}  // namespace sb::domain
