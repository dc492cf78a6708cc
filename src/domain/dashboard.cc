#include "domain/dashboard.h"

#include <algorithm>

#include "domain/kpis.h"

namespace sb::domain {
namespace {

constexpr Timestamp kMillisPerHour = 3600 * kMillisPerSecond;

std::optional<double> Ratio(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

// Whether `s` was due before `now`, at or after `since`, and not completed by its due time.
bool BreachedSince(const RequestStat& s, Timestamp since, Timestamp now) {
  if (!s.due_at || *s.due_at < since || *s.due_at >= now) return false;
  if (s.state == RequestState::kCompleted) return s.completed_at && *s.completed_at > *s.due_at;
  return !IsTerminal(s.state);
}

}  // namespace

Dashboard ComputeDashboard(Timestamp now, const std::vector<RequestStat>& stats,
                           const std::vector<BacklogCount>& backlog) {
  Dashboard d;
  d.from = now - kDashboardWindow;
  d.to = now;
  for (const BacklogCount& b : backlog) {
    if (b.count > 0) d.backlog[b.type][b.state] += b.count;
  }
  const Timestamp today = now - now % kMillisPerDay;
  std::int64_t completed = 0, rejected_or_failed = 0, with_due = 0, on_time = 0, csat_sum = 0;
  std::map<RequestType, std::map<Timestamp, std::vector<double>>> times;
  for (const RequestStat& s : stats) {
    if (s.csat_score) {
      ++d.csat_count;
      csat_sum += *s.csat_score;
    }
    if (BreachedSince(s, today, now)) ++d.breaches_today;
    if (s.state == RequestState::kRejected || s.state == RequestState::kFailed) {
      ++rejected_or_failed;
    }
    if (s.state != RequestState::kCompleted) continue;
    ++completed;
    ++d.throughput_by_agent[s.assignee.empty() ? "unassigned" : s.assignee];
    if (!s.completed_at) continue;
    Timestamp took = std::max<Timestamp>(0, *s.completed_at - s.created_at);
    times[s.type][*s.completed_at - *s.completed_at % kMillisPerHour].push_back(
        static_cast<double>(took) / kMillisPerSecond);
    if (!s.due_at) continue;
    ++with_due;
    if (*s.completed_at <= *s.due_at) ++on_time;
  }
  d.success_rate = Ratio(completed, completed + rejected_or_failed);
  d.sla_compliance = Ratio(on_time, with_due);
  d.csat_mean = Ratio(csat_sum, d.csat_count);
  for (auto& [type, hours] : times) {
    for (auto& [hour, seconds] : hours) {
      d.processing_by_hour[type].push_back({hour, static_cast<std::int64_t>(seconds.size()),
                                            NearestRankPercentile(seconds, 50),
                                            NearestRankPercentile(seconds, 95)});
    }
  }
  return d;
}

}  // namespace sb::domain
