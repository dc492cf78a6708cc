#include "domain/kpis.h"

#include <gtest/gtest.h>

#include <string>

namespace sb::domain {
namespace {

constexpr Timestamp kFrom = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr Timestamp kTo = kFrom + kMillisPerDay;

// A reconnection created at kFrom in `state`, completed `took_s` seconds later when set,
// due `due_s` seconds after creation when set.
RequestStat KpiStat(RequestState state, std::optional<double> took_s = std::nullopt,
                    std::optional<double> due_s = std::nullopt,
                    RequestType type = RequestType::kReconnection) {
  RequestStat s;
  s.type = type;
  s.state = state;
  s.created_at = kFrom;
  if (took_s) s.completed_at = kFrom + static_cast<Timestamp>(*took_s * kMillisPerSecond);
  if (due_s) s.due_at = kFrom + static_cast<Timestamp>(*due_s * kMillisPerSecond);
  return s;
}

RequestStat Done(double took_s, std::optional<double> due_s = std::nullopt) {
  return KpiStat(RequestState::kCompleted, took_s, due_s);
}

std::vector<RequestStat> DoneIn(std::vector<double> seconds) {
  std::vector<RequestStat> out;
  for (double s : seconds) out.push_back(Done(s));
  return out;
}

struct KpiCase {
  std::string name;
  std::vector<RequestStat> stats;
  std::int64_t volume, completed, rejected, cancelled, failed;
  std::optional<double> success_rate, median, p95, sla_compliance;
};

TEST(Kpis, ComputesReconnectionIndicators) {
  constexpr auto kNull = std::nullopt;
  using S = RequestState;
  const KpiCase cases[] = {
      {"empty input", {}, 0, 0, 0, 0, 0, kNull, kNull, kNull, kNull},
      {"one completed on time", {Done(90, 120)}, 1, 1, 0, 0, 0, 1.0, 90, 90, 1.0},
      {"one still open", {KpiStat(S::kVerifying)}, 1, 0, 0, 0, 0, kNull, kNull, kNull, kNull},
      {"only cancelled", {KpiStat(S::kCancelled)}, 1, 0, 0, 1, 0, kNull, kNull, kNull, kNull},
      {"cancelled left out of success",
       {Done(10), Done(30), KpiStat(S::kRejected), KpiStat(S::kFailed), KpiStat(S::kCancelled),
        KpiStat(S::kCancelled), KpiStat(S::kAwaitingApproval)},
       7,
       2,
       1,
       2,
       1,
       0.5,
       10,
       30,
       kNull},
      {"ties", DoneIn({10, 10, 10, 20}), 4, 4, 0, 0, 0, 1.0, 10, 20, kNull},
      {"all equal", DoneIn({7, 7, 7}), 3, 3, 0, 0, 0, 1.0, 7, 7, kNull},
      {"unsorted input", DoneIn({50, 10, 40, 20, 30}), 5, 5, 0, 0, 0, 1.0, 30, 50, kNull},
      {"p95 of 20 values",
       DoneIn({20, 1, 19, 2, 18, 3, 17, 4, 16, 5, 15, 6, 14, 7, 13, 8, 12, 9, 11, 10}), 20, 20, 0,
       0, 0, 1.0, 10, 19, kNull},
      {"p95 of 21 values",
       DoneIn({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}), 21, 21,
       0, 0, 0, 1.0, 11, 20, kNull},
      {"sub-second times", DoneIn({0.25, 1.5}), 2, 2, 0, 0, 0, 1.0, 0.25, 1.5, kNull},
      {"due exactly at completion counts as met",
       {Done(60, 60), Done(61, 60)},
       2,
       2,
       0,
       0,
       0,
       1.0,
       60,
       61,
       0.5},
      {"requests without due_at left out of compliance",
       {Done(10, 5), Done(10), Done(10, 20), Done(10, 30)},
       4,
       4,
       0,
       0,
       0,
       1.0,
       10,
       10,
       2.0 / 3.0},
      {"late ones still completed",
       {Done(100, 10), KpiStat(S::kFailed, kNull, 10)},
       2,
       1,
       0,
       0,
       1,
       0.5,
       100,
       100,
       0.0},
      {"completed without completed_at",
       {KpiStat(S::kCompleted, kNull, 60), Done(30, 60)},
       2,
       2,
       0,
       0,
       0,
       1.0,
       30,
       30,
       1.0},
      {"completion before creation takes no time", {Done(-5)}, 1, 1, 0, 0, 0, 1.0, 0, 0, kNull},
  };
  for (const KpiCase& c : cases) {
    Kpis kpis = ComputeKpis(kFrom, kTo, c.stats, {});
    EXPECT_EQ(kpis.from, kFrom) << c.name;
    EXPECT_EQ(kpis.to, kTo) << c.name;
    const TypeKpis& k = kpis.types.at(RequestType::kReconnection);
    EXPECT_EQ(k.volume, c.volume) << c.name;
    EXPECT_EQ(k.completed, c.completed) << c.name;
    EXPECT_EQ(k.rejected, c.rejected) << c.name;
    EXPECT_EQ(k.cancelled, c.cancelled) << c.name;
    EXPECT_EQ(k.failed, c.failed) << c.name;
    EXPECT_EQ(k.success_rate, c.success_rate) << c.name;
    EXPECT_EQ(k.median_processing_seconds, c.median) << c.name;
    EXPECT_EQ(k.p95_processing_seconds, c.p95) << c.name;
    ASSERT_EQ(k.sla_compliance.has_value(), c.sla_compliance.has_value()) << c.name;
    if (c.sla_compliance) {
      EXPECT_DOUBLE_EQ(*k.sla_compliance, *c.sla_compliance) << c.name;
    }
    EXPECT_TRUE(k.backlog.empty()) << c.name;
  }
}

TEST(Kpis, ListsEveryRequestTypeEvenWithoutRequests) {
  Kpis kpis = ComputeKpis(kFrom, kTo, {}, {});
  EXPECT_EQ(kpis.types.size(), 15u);
  EXPECT_EQ(kpis.types.count(RequestType::kStatusSync), 1u);
  EXPECT_EQ(kpis.types.count(RequestType::kOwnershipTransfer), 1u);
  for (const auto& [type, k] : kpis.types) {
    EXPECT_EQ(k.volume, 0) << Name(type);
    EXPECT_FALSE(k.success_rate.has_value()) << Name(type);
  }
}

TEST(Kpis, KeepsTypesApart) {
  Kpis kpis = ComputeKpis(kFrom, kTo,
                          {Done(10), KpiStat(RequestState::kRejected, std::nullopt, std::nullopt,
                                             RequestType::kPlanChange)},
                          {});
  EXPECT_EQ(kpis.types.at(RequestType::kReconnection).volume, 1);
  EXPECT_EQ(kpis.types.at(RequestType::kReconnection).success_rate, 1.0);
  EXPECT_EQ(kpis.types.at(RequestType::kPlanChange).volume, 1);
  EXPECT_EQ(kpis.types.at(RequestType::kPlanChange).success_rate, 0.0);
  EXPECT_FALSE(kpis.types.at(RequestType::kPlanChange).median_processing_seconds.has_value());
  EXPECT_EQ(kpis.types.at(RequestType::kActivation).volume, 0);
}

TEST(Kpis, GroupsBacklogByTypeAndState) {
  const std::vector<BacklogCount> backlog = {
      {RequestType::kReconnection, RequestState::kAwaitingPayment, 4},
      {RequestType::kReconnection, RequestState::kProvisioning, 2},
      {RequestType::kReconnection, RequestState::kProvisioning, 1},  // summed, not replaced
      {RequestType::kTermination, RequestState::kAwaitingApproval, 3},
      {RequestType::kTermination, RequestState::kVerifying, 0},  // zero counts are left out
  };
  Kpis kpis = ComputeKpis(kFrom, kTo, {}, backlog);
  const auto& reconnection = kpis.types.at(RequestType::kReconnection).backlog;
  EXPECT_EQ(reconnection.size(), 2u);
  EXPECT_EQ(reconnection.at(RequestState::kAwaitingPayment), 4);
  EXPECT_EQ(reconnection.at(RequestState::kProvisioning), 3);
  const auto& termination = kpis.types.at(RequestType::kTermination).backlog;
  EXPECT_EQ(termination.size(), 1u);
  EXPECT_EQ(termination.at(RequestState::kAwaitingApproval), 3);
  EXPECT_TRUE(kpis.types.at(RequestType::kActivation).backlog.empty());
  EXPECT_EQ(kpis.types.at(RequestType::kTermination).volume, 0);  // backlog is not volume
}

TEST(Kpis, NearestRankPercentile) {
  struct P {
    std::vector<double> values;
    double percent;
    std::optional<double> want;
  };
  const P cases[] = {
      {{}, 50, std::nullopt}, {{3}, 50, 3},          {{3}, 95, 3},
      {{1, 2}, 50, 1},        {{1, 2}, 51, 2},       {{1, 2, 3, 4}, 100, 4},
      {{4, 3, 2, 1}, 25, 1},  {{1, 2, 3, 4}, 75, 3}, {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95, 10},
  };
  for (const P& c : cases) {
    EXPECT_EQ(NearestRankPercentile(c.values, c.percent), c.want)
        << c.values.size() << " values at " << c.percent << "%";
  }
}

}  // namespace
}  // namespace sb::domain
