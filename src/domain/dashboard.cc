#include "domain/dashboard.h"

#include <algorithm>
#include <utility>

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

DashboardTally::DashboardTally(Timestamp now) : now_(now), today_(now - now % kMillisPerDay) {
  d_.from = now - kDashboardWindow;
  d_.to = now;
}

void DashboardTally::Add(const RequestStat& s) {
  if (s.csat_score) {
    ++d_.csat_count;
    csat_sum_ += *s.csat_score;
  }
  if (BreachedSince(s, today_, now_)) ++d_.breaches_today;
  if (s.state == RequestState::kRejected || s.state == RequestState::kFailed) {
    ++rejected_or_failed_;
  }
  if (s.state != RequestState::kCompleted) return;
  ++completed_;
  ++d_.throughput_by_agent[s.assignee.empty() ? "unassigned" : s.assignee];
  if (!s.completed_at) return;
  Timestamp took = std::max<Timestamp>(0, *s.completed_at - s.created_at);
  times_[s.type][*s.completed_at - *s.completed_at % kMillisPerHour].push_back(
      static_cast<double>(took) / kMillisPerSecond);
  if (!s.due_at) return;
  ++with_due_;
  if (*s.completed_at <= *s.due_at) ++on_time_;
}

Dashboard DashboardTally::Finish(const std::vector<BacklogCount>& backlog) && {
  Dashboard d = std::move(d_);
  for (const BacklogCount& b : backlog) {
    if (b.count > 0) d.backlog[b.type][b.state] += b.count;
  }
  d.success_rate = Ratio(completed_, completed_ + rejected_or_failed_);
  d.sla_compliance = Ratio(on_time_, with_due_);
  d.csat_mean = Ratio(csat_sum_, d.csat_count);
  for (auto& [type, hours] : times_) {
    for (auto& [hour, seconds] : hours) {
      d.processing_by_hour[type].push_back({hour, static_cast<std::int64_t>(seconds.size()),
                                            NearestRankPercentile(seconds, 50),
                                            NearestRankPercentile(seconds, 95)});
    }
  }
  return d;
}

Dashboard ComputeDashboard(Timestamp now, const std::vector<RequestStat>& stats,
                           const std::vector<BacklogCount>& backlog) {
  DashboardTally tally(now);
  for (const RequestStat& s : stats) tally.Add(s);
  return std::move(tally).Finish(backlog);
}

}  // namespace sb::domain
