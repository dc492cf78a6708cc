#include "domain/scoring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace sb::domain {
namespace {

constexpr Timestamp kDay = 24LL * 60 * 60 * 1000;
constexpr Timestamp kScoringNow = 1000 * kDay;

// A generated tenant history: one suspension episode per account, begun between day 100 and
// day 900, ended by a reconnection after an exponentially distributed time (unless that falls
// after day 1000). With `signal`, its mean follows the amount due and the failed payments (the
// more owed or failed, the longer); without, it is 45 days for every account, and since the
// exponential has no memory, nothing an account has (not even how long it has been suspended)
// says anything about its next 30 days.
std::vector<ScoringHistory> Generate(int accounts, bool signal, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<ScoringHistory> out;
  for (int i = 0; i < accounts; ++i) {
    ScoringHistory h;
    h.account_id = "acc_" + std::to_string(seed) + "_" + std::to_string(i);
    h.created_at = static_cast<Timestamp>(unit(rng) * 90) * kDay;
    Timestamp start = (100 + static_cast<Timestamp>(unit(rng) * 800)) * kDay;
    double owed = std::floor(unit(rng) * 200);  // major units
    int failures = static_cast<int>(unit(rng) * 4);
    for (int f = 0; f < failures; ++f) h.failed_payments.push_back(start - (f + 1) * 5 * kDay);
    std::sort(h.failed_payments.begin(), h.failed_payments.end());
    auto channel = static_cast<Channel>(static_cast<int>(unit(rng) * 9));
    h.steps.push_back({h.account_id, LifecycleStepKind::kSuspended, channel, start,
                       static_cast<std::int64_t>(owed * 100)});
    double mean_days = signal ? 8.0 * std::exp(0.02 * owed + 0.6 * failures) : 45.0;
    Timestamp after = static_cast<Timestamp>(-std::log(1.0 - unit(rng)) * mean_days * kDay) + 1;
    bool comes_back = start + after < kScoringNow;
    if (comes_back) {
      h.steps.push_back(
          {h.account_id, LifecycleStepKind::kReconnected, Channel::kApi, start + after, -1});
    }
    h.status = comes_back ? AccountStatus::kActive : AccountStatus::kSuspended;
    out.push_back(std::move(h));
  }
  return out;
}

struct Split {
  std::vector<ScoringExample> train, holdout;
};

Split Examples(const std::vector<ScoringHistory>& histories) {
  Split s;
  for (const auto& h : histories) {
    auto& side = InHoldout(h.account_id, 250) ? s.holdout : s.train;
    for (auto& ex : TrainingExamples(h, kScoringNow)) side.push_back(std::move(ex));
  }
  return s;
}

double Coefficient(const ScoringModel& m, const std::string& feature) {
  for (size_t j = 0; j < m.feature_names.size(); ++j)
    if (m.feature_names[j] == feature) return m.coefficients[j];
  ADD_FAILURE() << feature;
  return 0;
}

TEST(Scoring, AKnownSignalIsLearnedWellEnoughToRankHeldOutAccounts) {
  Split s = Examples(Generate(3000, /*signal=*/true, 7));
  TrainOutcome out = TrainScoringModel(s.train, s.holdout);
  ASSERT_TRUE(out.model) << out.why_not;
  EXPECT_GE(out.model->holdout_auc, 0.75);
  EXPECT_GT(out.model->holdout_size, 300);
  EXPECT_LE(out.iterations, 25);
  // The drivers' signs follow the signal: owing more and failing more lower the chance.
  EXPECT_LT(Coefficient(*out.model, "amount_due"), 0);
  EXPECT_LT(Coefficient(*out.model, "failed_payments"), 0);
}

TEST(Scoring, WithoutASignalTheHeldOutAucStaysNearHalf) {
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    Split s = Examples(Generate(3000, /*signal=*/false, seed));
    TrainOutcome out = TrainScoringModel(s.train, s.holdout);
    ASSERT_TRUE(out.model) << out.why_not;
    EXPECT_NEAR(out.model->holdout_auc, 0.5, 0.06) << "seed " << seed;
  }
}

TEST(Scoring, TrainingIsDeterministic) {
  Split s = Examples(Generate(800, true, 3));
  TrainOutcome a = TrainScoringModel(s.train, s.holdout);
  TrainOutcome b = TrainScoringModel(s.train, s.holdout);
  ASSERT_TRUE(a.model && b.model);
  EXPECT_EQ(a.model->coefficients, b.model->coefficients);
  EXPECT_EQ(a.model->intercept, b.model->intercept);
  EXPECT_EQ(a.model->holdout_auc, b.model->holdout_auc);
}

TEST(Scoring, TooLittleHistoryOrOneOutcomeIsRefusedWithTheReason) {
  Split s = Examples(Generate(5, true, 5));
  TrainOutcome few = TrainScoringModel(s.train, s.holdout);
  EXPECT_FALSE(few.model);
  EXPECT_NE(few.why_not.find("at least 50"), std::string::npos) << few.why_not;

  Split big = Examples(Generate(400, true, 5));
  for (auto& ex : big.train) ex.reconnected = false;
  TrainOutcome one = TrainScoringModel(big.train, big.holdout);
  EXPECT_FALSE(one.model);
  EXPECT_NE(one.why_not.find("training part"), std::string::npos) << one.why_not;
}

TEST(Scoring, EpisodesAreObservedWhileOpenAndOnlyOnceTheirOutcomeIsKnown) {
  ScoringHistory h;
  h.account_id = "acc_1";
  h.created_at = 0;
  h.failed_payments = {95 * kDay, 99 * kDay, 150 * kDay};
  // Suspended on day 100 by voice owing 30.00, reconnected on day 110; suspended again on day
  // 975 (its outcome not known on day 1000), never reconnected.
  h.steps = {{"acc_1", LifecycleStepKind::kSuspended, Channel::kVoice, 100 * kDay, 3000},
             {"acc_1", LifecycleStepKind::kReconnected, Channel::kApi, 110 * kDay, -1},
             {"acc_1", LifecycleStepKind::kSuspended, Channel::kWeb, 975 * kDay, 0}};
  std::vector<ScoringExample> xs = TrainingExamples(h, kScoringNow);
  // Day 100 and day 107 of the first episode (closed by day 114); none of the second.
  ASSERT_EQ(xs.size(), 2u);
  EXPECT_TRUE(xs[0].reconnected);
  EXPECT_TRUE(xs[1].reconnected);
  EXPECT_EQ(xs[0].x[0], 0);  // days suspended
  EXPECT_EQ(xs[1].x[0], 7);
  EXPECT_EQ(xs[0].x[1], 30.0);  // amount due
  EXPECT_EQ(xs[0].x[2], 0);     // earlier suspensions
  EXPECT_EQ(xs[0].x[3], 2);     // failed payments in the 90 days before
  EXPECT_EQ(xs[0].x[4], 100);   // tenure
  EXPECT_EQ(xs[0].x[6 + static_cast<int>(Channel::kVoice)], 1);

  h.status = AccountStatus::kSuspended;
  h.amount_due_minor = 1250;
  auto now = CurrentFeatures(h, kScoringNow);
  ASSERT_TRUE(now);
  EXPECT_EQ((*now)[0], 25);  // suspended since day 975
  EXPECT_EQ((*now)[1], 12.5);
  EXPECT_EQ((*now)[2], 1);
  EXPECT_EQ((*now)[6 + static_cast<int>(Channel::kWeb)], 1);
  h.status = AccountStatus::kActive;
  EXPECT_FALSE(CurrentFeatures(h, kScoringNow));
}

TEST(Scoring, DriversAreTheLargestContributionsFirst) {
  ScoringModel m;
  m.feature_names = {"a", "b", "c"};
  m.means = {0, 10, 0};
  m.scales = {1, 2, 1};
  m.coefficients = {0.5, -1.0, 0.1};
  m.intercept = 0;
  std::vector<ScoreDriver> d = ScoreDrivers(m, {1, 16, 2}, 2);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].feature, "b");
  EXPECT_DOUBLE_EQ(d[0].contribution, -3.0);
  EXPECT_EQ(d[0].value, 16);
  EXPECT_EQ(d[1].feature, "a");
  EXPECT_NEAR(PredictScore(m, {1, 16, 2}), 1 / (1 + std::exp(2.3)), 1e-12);
}

TEST(Scoring, AucCountsTiesAsHalf) {
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);
  EXPECT_DOUBLE_EQ(Auc({0.5, 0.5, 0.5, 0.5}, {false, true, false, true}), 0.5);
  EXPECT_DOUBLE_EQ(Auc({0.9, 0.1}, {false, true}), 0.0);
  EXPECT_DOUBLE_EQ(Auc({0.9, 0.1}, {true, true}), 0.5);
}

}  // namespace
}  // namespace sb::domain
