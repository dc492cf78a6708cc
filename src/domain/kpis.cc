#include "domain/kpis.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "domain/request_types.h"

namespace sb::domain {
namespace {

std::optional<double> KpiRatio(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void KpiParts::Add(const RequestStat& s) {
  TypeKpis& k = kpis;
  ++k.volume;
  if (s.csat_score) {
    ++k.csat_count;
    csat_sum += *s.csat_score;
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
  processing_seconds.push_back(seconds);
  ++k.processing_count;
  k.processing_seconds_sum += seconds;
  for (std::size_t i = 0; i < kProcessingBucketsSeconds.size(); ++i) {
    if (seconds <= kProcessingBucketsSeconds[i]) ++k.processing_buckets[i];
  }
  if (!s.due_at) return;
  ++with_due;
  if (*s.completed_at <= *s.due_at) ++on_time;
}

TypeKpis KpiParts::Finish() && {
  TypeKpis k = std::move(kpis);
  k.success_rate = KpiRatio(k.completed, k.completed + k.rejected + k.failed);
  k.median_processing_seconds = NearestRankPercentile(processing_seconds, 50);
  k.p95_processing_seconds = NearestRankPercentile(std::move(processing_seconds), 95);
  k.sla_compliance = KpiRatio(on_time, with_due);
  k.csat_mean = KpiRatio(csat_sum, k.csat_count);
  return k;
}

std::optional<double> NearestRankPercentile(std::vector<double> values, double percent) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  double n = static_cast<double>(values.size());
  // The epsilon keeps exact ranks exact (95% of 20 is rank 19, not 20).
  double rank = std::ceil(percent * n / 100.0 - 1e-9);
  size_t index = static_cast<size_t>(std::clamp(rank, 1.0, n)) - 1;
  return values[index];
}

Kpis KpiTally::Finish(Timestamp from, Timestamp to, const std::vector<BacklogCount>& backlog) && {
  Kpis out;
  out.from = from;
  out.to = to;
  for (const RequestTypeInfo& row : RequestTypes()) out.types[row.type];
  for (auto& [type, parts] : parts_) out.types[type] = std::move(parts).Finish();
  for (const BacklogCount& b : backlog) {
    if (b.count > 0) out.types[b.type].backlog[b.state] += b.count;
  }
  return out;
}

Kpis ComputeKpis(Timestamp from, Timestamp to, const std::vector<RequestStat>& stats,
                 const std::vector<BacklogCount>& backlog) {
  KpiTally tally;
  for (const RequestStat& s : stats) tally.Add(s);
  return std::move(tally).Finish(from, to, backlog);
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

void GroupedKpiTally::Add(const RequestStat& s) {
  KpiParts& parts = parts_[GroupKey(s, by_)];
  parts.Add(s);
  if (!IsTerminal(s.state)) ++parts.kpis.backlog[s.state];
}

GroupedKpis GroupedKpiTally::Finish(Timestamp from, Timestamp to) && {
  GroupedKpis out;
  out.from = from;
  out.to = to;
  out.by = by_;
  for (auto& [key, parts] : parts_) out.groups[key] = std::move(parts).Finish();
  return out;
}

GroupedKpis ComputeGroupedKpis(Timestamp from, Timestamp to, const std::vector<RequestStat>& stats,
                               KpiGroupBy by) {
  GroupedKpiTally tally(by);
  for (const RequestStat& s : stats) tally.Add(s);
  return std::move(tally).Finish(from, to);
}

}  // namespace sb::domain
