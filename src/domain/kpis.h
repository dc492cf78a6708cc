#pragma once

// Key performance indicators of the request engine, per request type, computed from the
// requests created in a window and the current backlog. Pure arithmetic; the storage reads
// live in app/reports/kpi_queries.h.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/enums.h"
#include "domain/ports/store.h"
#include "domain/reports.h"

namespace sb::domain {

// The upper bounds, in seconds, of the processing-time histogram (1 s to a day: the window
// covers requests created in the last day on /metrics).
inline constexpr std::array<double, 12> kProcessingBucketsSeconds = {
    1, 5, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400};

// The indicators of one request type.
struct TypeKpis {
  std::int64_t volume = 0;  // requests created in the window, whatever their state
  std::int64_t completed = 0;
  std::int64_t rejected = 0;
  std::int64_t cancelled = 0;
  std::int64_t failed = 0;
  // completed / (completed + rejected + failed); cancelled requests are the customer's
  // choice and do not count. Null when that denominator is 0.
  std::optional<double> success_rate;
  // Nearest-rank median and 95th percentile of completed_at - created_at, in seconds, over
  // the completed requests. Null when none completed.
  std::optional<double> median_processing_seconds;
  std::optional<double> p95_processing_seconds;
  // The same times as a histogram: processing_buckets[i] counts those at most
  // kProcessingBucketsSeconds[i] (cumulative), processing_count all of them, and
  // processing_seconds_sum their sum.
  std::array<std::int64_t, kProcessingBucketsSeconds.size()> processing_buckets{};
  std::int64_t processing_count = 0;
  double processing_seconds_sum = 0;
  // Share of the completed requests that had a due_at and completed at or before it. Null
  // when no completed request had a due_at.
  std::optional<double> sla_compliance;
  // Customer satisfaction: how many of the requests answered the completion email's link, and
  // their mean score (1..5; null when none did). Filled from RequestStat::csat_score.
  std::int64_t csat_count = 0;
  std::optional<double> csat_mean;
  // Open requests by state now (not limited to the window); only non-zero counts.
  std::map<RequestState, std::int64_t> backlog;
};

// The indicators of every request type over [from, to).
struct Kpis {
  Timestamp from = 0;
  Timestamp to = 0;
  std::map<RequestType, TypeKpis> types;  // one entry for every request type
};

// What is gathered for one type (or group) before the ratios are taken: the counts, and one
// processing time per completed request for the percentiles.
struct KpiParts {
  TypeKpis kpis;
  std::vector<double> processing_seconds;
  std::int64_t csat_sum = 0;
  std::int64_t with_due = 0;
  std::int64_t on_time = 0;

  void Add(const RequestStat& s);
  TypeKpis Finish() &&;
};

// The indicators, from requests handed over one at a time in any order: it keeps the counts
// and one processing time per completed request, never the requests (app/reports/kpi_queries.cc
// reads them a page at a time). `Add` the requests created in [from, to) (not filtered again
// here); `backlog` is the open-request counts. Every request type gets an entry, with zeros
// and nulls when it has no requests. A completed request without completed_at counts in
// `completed` but not in the processing times or the SLA compliance.
class KpiTally {
 public:
  void Add(const RequestStat& s) { parts_[s.type].Add(s); }
  Kpis Finish(Timestamp from, Timestamp to, const std::vector<BacklogCount>& backlog) &&;

 private:
  std::map<RequestType, KpiParts> parts_;
};

// KpiTally over `stats` at once.
Kpis ComputeKpis(Timestamp from, Timestamp to, const std::vector<RequestStat>& stats,
                 const std::vector<BacklogCount>& backlog);

// The indicators of the requests created in [from, to), broken down by one dimension
// (GET /v1/kpis?group_by=): every type together, per group. A group's backlog counts its
// requests of the window that are still open, by state.
struct GroupedKpis {
  Timestamp from = 0;
  Timestamp to = 0;
  KpiGroupBy by = KpiGroupBy::kAgent;
  // By the group's value: the assignee ("unassigned" for none), the origin's or channel's name,
  // the account's region ("none" for none). Only groups that have requests appear.
  std::map<std::string, TypeKpis> groups;
};

// The breakdown, from requests handed over one at a time as ListRequestReportStats reads them
// (their `team` set by the caller for KpiGroupBy::kTeam); it keeps what KpiTally keeps, per
// group.
class GroupedKpiTally {
 public:
  explicit GroupedKpiTally(KpiGroupBy by) : by_(by) {}
  void Add(const RequestStat& s);
  GroupedKpis Finish(Timestamp from, Timestamp to) &&;

 private:
  KpiGroupBy by_;
  std::map<std::string, KpiParts> parts_;
};

// GroupedKpiTally over `stats` at once.
GroupedKpis ComputeGroupedKpis(Timestamp from, Timestamp to, const std::vector<RequestStat>& stats,
                               KpiGroupBy by);

// The group a request falls in for `by` (see GroupedKpis::groups).
std::string GroupKey(const RequestStat& s, KpiGroupBy by);

// The nearest-rank percentile (0 < percent <= 100) of `values`: the smallest value such
// that at least `percent`% of the values are at or below it. Null for no values.
std::optional<double> NearestRankPercentile(std::vector<double> values, double percent);

}  // namespace sb::domain
