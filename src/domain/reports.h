#pragma once

// What reports read and group by: an account's region code, a staff user's team, and the
// dimensions a KPI breakdown groups requests by. Pure; the reads are app/reports/.

#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace sb::domain {

// The longest region code: a tenant's own label for where a customer is served ("eu-west",
// "FR.IDF"), not personal data.
inline constexpr std::size_t kMaxRegionCode = 64;

// True when `code` is 1 to kMaxRegionCode ASCII letters, digits, '.', '_' or '-'.
bool IsRegionCode(std::string_view code);

// True when `team` has a region code's shape: a tenant's own label for a group of staff
// ("billing-desk", "tier2"), kept on the staff user (domain/people.h).
bool IsTeamCode(std::string_view team);

// How KPIs are broken down (GET /v1/kpis?group_by=): by the request's assignee (the agent who
// works it), the assignee's team, its origin, its channel, or its account's region.
enum class KpiGroupBy { kAgent, kTeam, kOrigin, kChannel, kRegion };

// The wire name ("agent", "team", "origin", "channel", "region") and its reverse (nullopt for
// any other text).
std::string_view Name(KpiGroupBy g);
std::optional<KpiGroupBy> ParseKpiGroupBy(std::string_view text);

// Customer satisfaction with one completed request: the link its completion email carried and,
// once the customer used it, their score and comment. One per request.
struct CsatAnswer {
  std::string tenant_id;
  std::string request_id;
  std::string account_id;
  std::string token_hash;  // hex SHA-256 of the link's token; the token itself is never stored
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
  std::optional<int> score;    // 1..5 once answered
  std::string comment_sealed;  // the comment sealed under the account's data key; "" for none
  std::optional<Timestamp> answered_at;
};

// How long a satisfaction link works, and the longest comment it takes (in bytes).
inline constexpr Timestamp kCsatLinkLifetime = 30 * kMillisPerDay;
inline constexpr std::size_t kMaxCsatComment = 2000;

}  // namespace sb::domain
