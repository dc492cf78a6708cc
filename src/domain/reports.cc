#include "domain/reports.h"

namespace sb::domain {

bool IsRegionCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxRegionCode) return false;
  for (char c : code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsTeamCode(std::string_view team) { return IsRegionCode(team); }

std::string_view Name(KpiGroupBy g) {
  switch (g) {
    case KpiGroupBy::kAgent:
      return "agent";
    case KpiGroupBy::kTeam:
      return "team";
    case KpiGroupBy::kOrigin:
      return "origin";
    case KpiGroupBy::kChannel:
      return "channel";
    case KpiGroupBy::kRegion:
      return "region";
  }
  return "agent";
}

std::optional<KpiGroupBy> ParseKpiGroupBy(std::string_view text) {
  for (KpiGroupBy g : {KpiGroupBy::kAgent, KpiGroupBy::kTeam, KpiGroupBy::kOrigin,
                       KpiGroupBy::kChannel, KpiGroupBy::kRegion}) {
    if (Name(g) == text) return g;
  }
  return std::nullopt;
}

}  // namespace sb::domain
