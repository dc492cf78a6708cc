#pragma once

// Reconnection and churn scoring (docs/SCORING.md): for a suspended or dormant account, the
// probability that it reconnects or reactivates within kOutcomeDays, from a logistic regression
// trained per tenant on its own history. Pure: the features of an account's history, training
// (Newton's method with an L2 penalty, deterministic and bounded), prediction, the drivers of one
// score and the rank-based AUC a model is judged by. No I/O; app/scoring/ reads and stores.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "domain/enums.h"

namespace sb::domain {

// How far after the moment it is observed an episode's outcome is looked for.
inline constexpr int kOutcomeDays = 30;
// Failed payments are counted over this many days before the moment observed.
inline constexpr int kFailedPaymentWindowDays = 90;
// Days after an episode's start at which it is observed for training, while still open.
inline constexpr int kObservationDays[] = {0, 7, 14, 30, 60, 90};

// The features, in the order of every vector of values: days_suspended, amount_due (in major
// units), earlier_suspensions, failed_payments (last kFailedPaymentWindowDays), tenure_days,
// dormant (1 for a dormancy episode), then channel_<name> one-hot over every domain::Channel
// (the channel of the request that began the episode).
const std::vector<std::string>& ScoringFeatureNames();

// One completed step of an account's lifecycle that scoring reads.
enum class LifecycleStepKind { kSuspended, kReconnected, kDormant, kReactivated };

struct LifecycleStep {
  std::string account_id;
  LifecycleStepKind kind = LifecycleStepKind::kSuspended;
  Channel channel = Channel::kApi;
  Timestamp at = 0;  // when the request completed
  // A suspension: the amount due its checks read, in minor units; -1 when not kept.
  std::int64_t amount_due_minor = -1;
};

// A payment.failed event recorded on an account.
struct PaymentFailure {
  std::string account_id;
  Timestamp at = 0;
};

// What scoring knows of one account: its facts now, its steps and failed payments, both in
// time order.
struct ScoringHistory {
  std::string account_id;
  Timestamp created_at = 0;
  AccountStatus status = AccountStatus::kActive;
  std::int64_t amount_due_minor = 0;
  std::vector<LifecycleStep> steps;
  std::vector<Timestamp> failed_payments;
};

// One observation of an episode: the features as they stood then and whether the account
// reconnected or reactivated within kOutcomeDays after.
struct ScoringExample {
  std::vector<double> x;
  bool reconnected = false;
};

// The training examples of one history, observed at kObservationDays after each episode's
// start while it was still open and only where the outcome is known by `now` (observed at least
// kOutcomeDays before). An episode begins with a suspension or a dormancy of an account in
// none and ends with the first reconnection or reactivation after it.
std::vector<ScoringExample> TrainingExamples(const ScoringHistory& h, Timestamp now);

// The features of the episode open at `now` (the amount due as it is now); nullopt when the
// account is neither suspended nor dormant. An account suspended or dormant without a step
// that began it counts from created_at, channel system.
std::optional<std::vector<double>> CurrentFeatures(const ScoringHistory& h, Timestamp now);

// A trained model, as stored (scoring_models).
struct ScoringModel {
  std::string tenant_id;
  std::int64_t version = 0;  // 1, 2, 3... per tenant
  Timestamp trained_at = 0;
  std::vector<std::string> feature_names;
  std::vector<double> means;  // standardisation: (x - mean) / scale
  std::vector<double> scales;
  std::vector<double> coefficients;
  double intercept = 0;
  std::int64_t training_size = 0;  // examples fitted on
  std::int64_t holdout_size = 0;   // examples the AUC was measured on
  double holdout_auc = 0;
  double positive_rate = 0;  // share of every example that reconnected
};

struct TrainOptions {
  double l2 = 1.0;          // penalty on the standardised coefficients (not the intercept)
  int max_iterations = 25;  // Newton steps
  std::int64_t min_examples = 50;
  int holdout_per_mille = 250;  // accounts whose examples are held out for the AUC
};

// Whether an account's examples are held out (by a hash of its id, so that every example of an
// account is on one side).
bool InHoldout(std::string_view account_id, int holdout_per_mille);

// Fits standardisation, coefficients and intercept on `train` and measures the AUC on
// `holdout`. kUnprocessable "not_enough_history" naming what is missing when `train` has fewer
// than min_examples or either part lacks one of the two outcomes. The result's tenant, version
// and trained_at are left for the caller.
struct TrainOutcome {
  std::optional<ScoringModel> model;
  std::string why_not;  // set when model is nullopt
  int iterations = 0;
};
TrainOutcome TrainScoringModel(const std::vector<ScoringExample>& train,
                               const std::vector<ScoringExample>& holdout,
                               const TrainOptions& options = {});

// The probability the model gives `x` (values in ScoringFeatureNames order).
double PredictScore(const ScoringModel& m, const std::vector<double>& x);

// What moved one score: coefficient times standardised value, per feature.
// An account's score as a refresh run stored it for the outreach list (app/scoring/).
struct StoredScore {
  std::string tenant_id;
  std::string account_id;
  std::int64_t model_version = 0;
  std::int64_t rank_ppb = 0;     // the probability in parts per billion: the list's order
  std::vector<double> features;  // what it was computed from, in the model's feature order
  Timestamp scored_at = 0;       // the start of the run that wrote it
  // Read with the outreach list, from the account as it is now.
  std::string external_ref;
  AccountStatus status = AccountStatus::kSuspended;
};
// `probability` (0 to 1) in parts per billion, rounded.
std::int64_t RankPpb(double probability);

struct ScoreDriver {
  std::string feature;
  double value = 0;         // as the account has it
  double contribution = 0;  // to the log-odds
};
// The `top` drivers with the largest absolute contribution, largest first (ties: feature order).
std::vector<ScoreDriver> ScoreDrivers(const ScoringModel& m, const std::vector<double>& x,
                                      int top = 5);

// The area under the ROC curve of `scores` against `labels` (rank-based, ties counted half);
// 0.5 when either label is absent. REQUIRES: same sizes.
double Auc(const std::vector<double>& scores, const std::vector<bool>& labels);

}  // namespace sb::domain
