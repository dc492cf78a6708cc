#include "domain/scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sb::domain {
namespace {

constexpr Timestamp kDayMs = 24LL * 60 * 60 * 1000;
constexpr Channel kLastChannel = Channel::kPortal;  // every Channel is <= it
constexpr int kScoredChannels = static_cast<int>(kLastChannel) + 1;
constexpr int kBaseFeatures = 6;  // before the channel one-hot

double Days(Timestamp ms) { return static_cast<double>(ms) / static_cast<double>(kDayMs); }

// An episode of one history: when it began, how, and when it ended (if it did).
struct Episode {
  Timestamp start = 0;
  std::optional<Timestamp> end;
  Channel channel = Channel::kSystem;
  bool dormant = false;
  std::int64_t amount_due_minor = 0;
  int earlier_suspensions = 0;
};

std::vector<Episode> Episodes(const ScoringHistory& h) {
  std::vector<Episode> out;
  bool open = false;
  int suspensions = 0;
  for (const LifecycleStep& s : h.steps) {
    bool begins = s.kind == LifecycleStepKind::kSuspended || s.kind == LifecycleStepKind::kDormant;
    if (begins && !open) {
      Episode e;
      e.start = s.at;
      e.channel = s.channel;
      e.dormant = s.kind == LifecycleStepKind::kDormant;
      e.amount_due_minor = std::max<std::int64_t>(0, s.amount_due_minor);
      e.earlier_suspensions = suspensions;
      out.push_back(e);
      open = true;
    } else if (!begins && open) {
      out.back().end = s.at;
      open = false;
    }
    if (s.kind == LifecycleStepKind::kSuspended) ++suspensions;
  }
  return out;
}

int FailuresBefore(const std::vector<Timestamp>& failures, Timestamp t) {
  auto from =
      std::lower_bound(failures.begin(), failures.end(), t - kFailedPaymentWindowDays * kDayMs);
  auto to = std::lower_bound(failures.begin(), failures.end(), t);
  return static_cast<int>(to - from);
}

std::vector<double> FeaturesAt(const ScoringHistory& h, const Episode& e, Timestamp t,
                               std::int64_t amount_due_minor) {
  std::vector<double> x(kBaseFeatures + kScoredChannels, 0.0);
  x[0] = Days(t - e.start);
  x[1] = static_cast<double>(amount_due_minor) / 100.0;
  x[2] = e.earlier_suspensions;
  x[3] = FailuresBefore(h.failed_payments, t);
  x[4] = std::max(0.0, Days(t - h.created_at));
  x[5] = e.dormant ? 1.0 : 0.0;
  x[kBaseFeatures + static_cast<int>(e.channel)] = 1.0;
  return x;
}

double Sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  double ez = std::exp(z);
  return ez / (1.0 + ez);
}

// Solves a x = b for the symmetric positive definite `a` (n x n, row-major) by Cholesky; false
// when it is not positive definite.
bool SolveSpd(std::vector<double> a, std::vector<double>& b, int n) {
  for (int j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (int k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (d <= 0) return false;
    double l = std::sqrt(d);
    a[j * n + j] = l;
    for (int i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (int k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (int i = 0; i < n; ++i) {  // L y = b
    for (int k = 0; k < i; ++k) b[i] -= a[i * n + k] * b[k];
    b[i] /= a[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {  // L^T x = y
    for (int k = i + 1; k < n; ++k) b[i] -= a[k * n + i] * b[k];
    b[i] /= a[i * n + i];
  }
  return true;
}

void Standardise(const std::vector<ScoringExample>& train, ScoringModel& m) {
  size_t d = ScoringFeatureNames().size();
  m.means.assign(d, 0.0);
  m.scales.assign(d, 1.0);
  double n = static_cast<double>(train.size());
  for (const auto& ex : train)
    for (size_t j = 0; j < d; ++j) m.means[j] += ex.x[j] / n;
  std::vector<double> var(d, 0.0);
  for (const auto& ex : train)
    for (size_t j = 0; j < d; ++j) var[j] += (ex.x[j] - m.means[j]) * (ex.x[j] - m.means[j]) / n;
  for (size_t j = 0; j < d; ++j) m.scales[j] = var[j] > 1e-12 ? std::sqrt(var[j]) : 1.0;
}

// Newton's method on the penalised log-likelihood; returns the steps taken.
int Fit(const std::vector<ScoringExample>& train, const TrainOptions& o, ScoringModel& m) {
  const int d = static_cast<int>(m.means.size());
  const int p = d + 1;  // the intercept last
  std::vector<double> beta(p, 0.0), z(p, 1.0);
  int steps = 0;
  for (; steps < o.max_iterations; ++steps) {
    std::vector<double> grad(p, 0.0), hess(p * p, 0.0);
    for (const auto& ex : train) {
      for (int j = 0; j < d; ++j) z[j] = (ex.x[j] - m.means[j]) / m.scales[j];
      double eta = beta[d];
      for (int j = 0; j < d; ++j) eta += beta[j] * z[j];
      double prob = Sigmoid(eta);
      double r = prob - (ex.reconnected ? 1.0 : 0.0);
      double w = std::max(prob * (1 - prob), 1e-9);
      for (int i = 0; i < p; ++i) {
        grad[i] += r * z[i];
        for (int j = 0; j <= i; ++j) hess[i * p + j] += w * z[i] * z[j];
      }
    }
    for (int i = 0; i < p; ++i)
      for (int j = 0; j < i; ++j) hess[j * p + i] = hess[i * p + j];
    for (int j = 0; j < d; ++j) {
      grad[j] += o.l2 * beta[j];
      hess[j * p + j] += o.l2;
    }
    hess[d * p + d] += 1e-9;
    if (!SolveSpd(hess, grad, p)) break;
    double largest = 0;
    for (int j = 0; j < p; ++j) {
      beta[j] -= grad[j];
      largest = std::max(largest, std::abs(grad[j]));
    }
    if (largest < 1e-7) {
      ++steps;
      break;
    }
  }
  m.coefficients.assign(beta.begin(), beta.begin() + d);
  m.intercept = beta[d];
  return steps;
}

bool BothOutcomes(const std::vector<ScoringExample>& xs) {
  bool yes = false, no = false;
  for (const auto& ex : xs) (ex.reconnected ? yes : no) = true;
  return yes && no;
}

}  // namespace

const std::vector<std::string>& ScoringFeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = {"days_suspended",  "amount_due",  "earlier_suspensions",
                                  "failed_payments", "tenure_days", "dormant"};
    for (int c = 0; c < kScoredChannels; ++c)
      n.push_back("channel_" + std::string(Name(static_cast<Channel>(c))));
    return n;
  }();
  return names;
}

std::vector<ScoringExample> TrainingExamples(const ScoringHistory& h, Timestamp now) {
  std::vector<ScoringExample> out;
  for (const Episode& e : Episodes(h)) {
    for (int days : kObservationDays) {
      Timestamp t = e.start + days * kDayMs;
      if (e.end && *e.end <= t) break;             // closed before: nothing left to observe
      if (t + kOutcomeDays * kDayMs > now) break;  // outcome not known yet
      ScoringExample ex;
      ex.x = FeaturesAt(h, e, t, e.amount_due_minor);
      ex.reconnected = e.end && *e.end <= t + kOutcomeDays * kDayMs;
      out.push_back(std::move(ex));
    }
  }
  return out;
}

std::optional<std::vector<double>> CurrentFeatures(const ScoringHistory& h, Timestamp now) {
  if (h.status != AccountStatus::kSuspended && h.status != AccountStatus::kDormant) {
    return std::nullopt;
  }
  std::vector<Episode> episodes = Episodes(h);
  Episode e;
  if (!episodes.empty() && !episodes.back().end) {
    e = episodes.back();
  } else {
    e.start = h.created_at;
    e.dormant = h.status == AccountStatus::kDormant;
    for (const auto& s : h.steps) e.earlier_suspensions += s.kind == LifecycleStepKind::kSuspended;
  }
  return FeaturesAt(h, e, std::max(now, e.start), h.amount_due_minor);
}

bool InHoldout(std::string_view account_id, int holdout_per_mille) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : account_id) hash = (hash ^ c) * 1099511628211ULL;
  return static_cast<int>(hash % 1000) < holdout_per_mille;
}

TrainOutcome TrainScoringModel(const std::vector<ScoringExample>& train,
                               const std::vector<ScoringExample>& holdout,
                               const TrainOptions& options) {
  TrainOutcome out;
  std::int64_t n = static_cast<std::int64_t>(train.size());
  if (n < options.min_examples) {
    out.why_not = "needs at least " + std::to_string(options.min_examples) +
                  " training examples (episodes observed at least " + std::to_string(kOutcomeDays) +
                  " days ago), has " + std::to_string(n);
    return out;
  }
  if (!BothOutcomes(train) || !BothOutcomes(holdout)) {
    out.why_not = std::string("needs accounts that reconnected and accounts that did not, in ") +
                  (BothOutcomes(train) ? "the held-out part" : "the training part");
    return out;
  }
  ScoringModel m;
  m.feature_names = ScoringFeatureNames();
  Standardise(train, m);
  out.iterations = Fit(train, options, m);
  std::vector<double> scores;
  std::vector<bool> labels;
  for (const auto& ex : holdout) {
    scores.push_back(PredictScore(m, ex.x));
    labels.push_back(ex.reconnected);
  }
  m.holdout_auc = Auc(scores, labels);
  m.training_size = n;
  m.holdout_size = static_cast<std::int64_t>(holdout.size());
  std::int64_t positives = 0;
  for (const auto& ex : train) positives += ex.reconnected;
  for (const auto& ex : holdout) positives += ex.reconnected;
  m.positive_rate = static_cast<double>(positives) / static_cast<double>(n + m.holdout_size);
  out.model = std::move(m);
  return out;
}

double PredictScore(const ScoringModel& m, const std::vector<double>& x) {
  double eta = m.intercept;
  size_t d = std::min(x.size(), m.coefficients.size());
  for (size_t j = 0; j < d; ++j) eta += m.coefficients[j] * (x[j] - m.means[j]) / m.scales[j];
  return Sigmoid(eta);
}

std::int64_t RankPpb(double probability) {
  return std::llround(std::clamp(probability, 0.0, 1.0) * 1e9);
}

std::vector<ScoreDriver> ScoreDrivers(const ScoringModel& m, const std::vector<double>& x,
                                      int top) {
  std::vector<ScoreDriver> all;
  size_t d = std::min({x.size(), m.coefficients.size(), m.feature_names.size()});
  for (size_t j = 0; j < d; ++j) {
    all.push_back(
        {m.feature_names[j], x[j], m.coefficients[j] * (x[j] - m.means[j]) / m.scales[j]});
  }
  std::stable_sort(all.begin(), all.end(), [](const ScoreDriver& a, const ScoreDriver& b) {
    return std::abs(a.contribution) > std::abs(b.contribution);
  });
  if (top >= 0 && all.size() > static_cast<size_t>(top)) all.resize(top);
  return all;
}

double Auc(const std::vector<double>& scores, const std::vector<bool>& labels) {
  size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_ranks = 0;
  double positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // 1-based mean
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]]) {
        positive_ranks += rank;
        positives += 1;
      }
    }
    i = j;
  }
  double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (positive_ranks - positives * (positives + 1) / 2.0) / (positives * negatives);
}

}  // namespace sb::domain
