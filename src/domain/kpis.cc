#include "domain/kpis.h"

#include <algorithm>
#include <cmath>

#include "domain/request_types.h"

namespace sb::domain {
namespace {

// What is gathered per type before the ratios are taken.
struct Tally {
  std::vector<double> processing_seconds;
  std::int64_t csat_sum = 0;
  std::int64_t with_due = 0;
  std::int64_t on_time = 0;
};

void Count(const RequestStat& s, TypeKpis& k, Tally& t) {
  ++k.volume;
  if (s.csat_score) {
    ++k.csat_count;
    t.csat_sum += *s.csat_score;
  }
  switch (s.state) {
    case RequestState::kRejected:
      ++k.rejected;
      return;
    case RequestState::kCancelled:
      ++k.cancelled;
      return;
    case RequestState::kFailed:
      ++k.failed;
      return;
    case RequestState::kCompleted:
      break;
    default:
      return;
  }
  ++k.completed;
  if (!s.completed_at) return;
  // A completion stamped before creation (clock skew between servers) took no time.
  Timestamp took = std::max<Timestamp>(0, *s.completed_at - s.created_at);
  double seconds = static_cast<double>(took) / kMillisPerSecond;
  t.processing_seconds.push_back(seconds);
  ++k.processing_count;
  k.processing_seconds_sum += seconds;
  for (std::size_t i = 0; i < kProcessingBucketsSeconds.size(); ++i) {
    if (seconds <= kProcessingBucketsSeconds[i]) ++k.processing_buckets[i];
  }
  if (!s.due_at) return;
  ++t.with_due;
  if (*s.completed_at <= *s.due_at) ++t.on_time;
}

std::optional<double> KpiRatio(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void Finish(const Tally& t, TypeKpis& k) {
  k.success_rate = KpiRatio(k.completed, k.completed + k.rejected + k.failed);
  k.median_processing_seconds = NearestRankPercentile(t.processing_seconds, 50);
  k.p95_processing_seconds = NearestRankPercentile(t.processing_seconds, 95);
  k.sla_compliance = KpiRatio(t.on_time, t.with_due);
  k.csat_mean = KpiRatio(t.csat_sum, k.csat_count);
}

}  // namespace

std::optional<double> NearestRankPercentile(std::vector<double> values, double percent) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  double n = static_cast<double>(values.size());
  // The epsilon keeps exact ranks exact (95% of 20 is rank 19, not 20).
  double rank = std::ceil(percent * n / 100.0 - 1e-9);
  size_t index = static_cast<size_t>(std::clamp(rank, 1.0, n)) - 1;
  return values[index];
}

Kpis ComputeKpis(Timestamp from, Timestamp to, const std::vector<RequestStat>& stats,
                 const std::vector<BacklogCount>& backlog) {
  Kpis out;
  out.from = from;
  out.to = to;
  std::map<RequestType, Tally> tallies;
  for (const RequestTypeInfo& row : RequestTypes()) out.types[row.type];
  for (const RequestStat& s : stats) Count(s, out.types[s.type], tallies[s.type]);
  for (auto& [type, k] : out.types) Finish(tallies[type], k);
  for (const BacklogCount& b : backlog) {
    if (b.count > 0) out.types[b.type].backlog[b.state] += b.count;
  }
  return out;
}

std::string GroupKey(const RequestStat& s, KpiGroupBy by) {
  switch (by) {
    case KpiGroupBy::kAgent:
      return s.assignee.empty() ? "unassigned" : s.assignee;
    case KpiGroupBy::kTeam:
      if (s.assignee.empty()) return "unassigned";
      return s.team.empty() ? "none" : s.team;
    case KpiGroupBy::kOrigin:
      return std::string(Name(s.origin));
    case KpiGroupBy::kChannel:
      return std::string(Name(s.channel));
    case KpiGroupBy::kRegion:
      return s.region.empty() ? "none" : s.region;
  }
  return "";
}

GroupedKpis ComputeGroupedKpis(Timestamp from, Timestamp to, const std::vector<RequestStat>& stats,
                               KpiGroupBy by) {
  GroupedKpis out;
  out.from = from;
  out.to = to;
  out.by = by;
  std::map<std::string, Tally> tallies;
  for (const RequestStat& s : stats) {
    std::string key = GroupKey(s, by);
    TypeKpis& k = out.groups[key];
    Count(s, k, tallies[key]);
    if (!IsTerminal(s.state)) ++k.backlog[s.state];
  }
  for (auto& [key, k] : out.groups) Finish(tallies[key], k);
  return out;
}

}  // namespace sb::domain
