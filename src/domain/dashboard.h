#pragma once

// The supervisor's dashboard (GET /v1/kpis/dashboard): what the floor looks like now and over
// the last 24 hours, computed from one read of the window's requests and the backlog. Pure;
// the reads are app/reports/kpi_queries.h.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/enums.h"
#include "domain/ports/store.h"

namespace sb::domain {

// The window the dashboard covers, ending now.
inline constexpr Timestamp kDashboardWindow = kMillisPerDay;

// Processing times of the requests of one type that completed in one hour.
struct HourlyProcessing {
  Timestamp hour = 0;  // the hour's start (UTC)
  std::int64_t completed = 0;
  std::optional<double> p50_seconds;
  std::optional<double> p95_seconds;
};

struct Dashboard {
  Timestamp from = 0;  // now - kDashboardWindow
  Timestamp to = 0;    // now
  // Open requests now, by type then state (only non-zero counts).
  std::map<RequestType, std::map<RequestState, std::int64_t>> backlog;
  // Of the window's requests: completed on time over completed with a due time (null: none),
  // completed over completed + rejected + failed (null: none), and how many are past their due
  // time since the start of today (UTC) without having completed by it.
  std::optional<double> sla_compliance;
  std::optional<double> success_rate;
  std::int64_t breaches_today = 0;
  // Per type, the window's completions by hour of completion, oldest hour first; only hours
  // with completions.
  std::map<RequestType, std::vector<HourlyProcessing>> processing_by_hour;
  // Completed requests of the window per assignee ("unassigned" for none).
  std::map<std::string, std::int64_t> throughput_by_agent;
  std::int64_t csat_count = 0;
  std::optional<double> csat_mean;
};

// The dashboard as of `now`, from the requests created in [now - kDashboardWindow, now)
// handed over one at a time (ListRequestReportStats, a page at a time): it keeps counts and one
// processing time per completed request, never the requests. `backlog`: CountBacklog.
class DashboardTally {
 public:
  explicit DashboardTally(Timestamp now);
  void Add(const RequestStat& s);
  Dashboard Finish(const std::vector<BacklogCount>& backlog) &&;

 private:
  Timestamp now_;
  Timestamp today_;  // the start of now's day (UTC)
  Dashboard d_;
  std::int64_t completed_ = 0, rejected_or_failed_ = 0, with_due_ = 0, on_time_ = 0;
  std::int64_t csat_sum_ = 0;
  // Per type, per hour of completion: the processing times, in seconds.
  std::map<RequestType, std::map<Timestamp, std::vector<double>>> times_;
};

// DashboardTally over `stats` at once.
Dashboard ComputeDashboard(Timestamp now, const std::vector<RequestStat>& stats,
                           const std::vector<BacklogCount>& backlog);

}  // namespace sb::domain
