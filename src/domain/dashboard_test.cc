#include "domain/dashboard.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

constexpr Timestamp kHour = 3600 * kMillisPerSecond;
// 2026-03-04T10:30:00Z.
constexpr Timestamp kDashboardNow = 1772620200000;

RequestStat Stat(RequestType type, RequestState state, Timestamp created, Timestamp completed,
                 std::optional<Timestamp> due = std::nullopt) {
  RequestStat s;
  s.type = type;
  s.state = state;
  s.created_at = created;
  if (state == RequestState::kCompleted) s.completed_at = completed;
  s.due_at = due;
  return s;
}

TEST(Dashboard, ChartsProcessingTimesByHourOfCompletion) {
  std::vector<RequestStat> stats = {
      Stat(RequestType::kReconnection, RequestState::kCompleted, kDashboardNow - 3 * kHour,
           kDashboardNow - 3 * kHour + 10'000),
      Stat(RequestType::kReconnection, RequestState::kCompleted, kDashboardNow - 3 * kHour,
           kDashboardNow - 3 * kHour + 30'000),
      Stat(RequestType::kReconnection, RequestState::kCompleted, kDashboardNow - kHour,
           kDashboardNow - kHour + 60'000),
  };
  stats[0].assignee = "usr_ann";
  stats[1].csat_score = 4;
  stats[2].csat_score = 2;
  Dashboard d = ComputeDashboard(kDashboardNow, stats,
                                 {{RequestType::kSuspension, RequestState::kVerifying, 2}});
  const auto& hours = d.processing_by_hour.at(RequestType::kReconnection);
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].completed, 2);
  EXPECT_EQ(hours[0].p50_seconds, 10.0);
  EXPECT_EQ(hours[0].p95_seconds, 30.0);
  EXPECT_EQ(hours[1].p50_seconds, 60.0);
  EXPECT_LT(hours[0].hour, hours[1].hour);
  EXPECT_EQ(d.throughput_by_agent.at("usr_ann"), 1);
  EXPECT_EQ(d.throughput_by_agent.at("unassigned"), 2);
  EXPECT_EQ(d.csat_count, 2);
  EXPECT_EQ(d.csat_mean, 3.0);
  EXPECT_EQ(d.success_rate, 1.0);
  EXPECT_EQ(d.backlog.at(RequestType::kSuspension).at(RequestState::kVerifying), 2);
}

TEST(Dashboard, CountsTodaysBreachesOpenOrLate) {
  Timestamp midnight = kDashboardNow - kDashboardNow % kMillisPerDay;
  std::vector<RequestStat> stats = {
      // Open and past due this morning: a breach.
      Stat(RequestType::kReactivation, RequestState::kVerifying, midnight - kHour, 0,
           midnight + kHour),
      // Completed after its due time today: a breach.
      Stat(RequestType::kReactivation, RequestState::kCompleted, midnight - kHour,
           midnight + 3 * kHour, midnight + 2 * kHour),
      // Completed in time: none.
      Stat(RequestType::kReactivation, RequestState::kCompleted, midnight - kHour, midnight + kHour,
           midnight + 2 * kHour),
      // Due yesterday: not today's.
      Stat(RequestType::kReactivation, RequestState::kVerifying, midnight - 5 * kHour, 0,
           midnight - kHour),
      // Not due yet.
      Stat(RequestType::kReactivation, RequestState::kVerifying, midnight, 0,
           kDashboardNow + kHour),
  };
  Dashboard d = ComputeDashboard(kDashboardNow, stats, {});
  EXPECT_EQ(d.breaches_today, 2);
  EXPECT_EQ(d.sla_compliance, 0.5);
}

}  // namespace
}  // namespace sb::domain
