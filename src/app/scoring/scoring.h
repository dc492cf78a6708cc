#pragma once

// Reconnection and churn scoring (docs/SCORING.md): per tenant, a logistic regression trained on
// the tenant's own history (domain/scoring.h) and kept as versioned models; the score of each
// suspended or dormant account under the latest one, with the features that drove it; and the
// outreach list, those accounts by score. Training runs on demand (an admin) and on a schedule
// (jobs/standard_work.h, for every tenant). Each model, once stored, scores every suspended
// and dormant account of its tenant in a refresh run (a chain of durable jobs, a slice each,
// app::kScoringRefreshJob) that stores the scores the outreach list pages through, then runs
// again every `refresh_every_ms` until a newer model takes over.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/core/change.h"
#include "app/core/context.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/scoring.h"

namespace sb::app {

// The score of one suspended or dormant account.
struct AccountScore {
  std::string account_id;
  std::string external_ref;
  domain::AccountStatus status = domain::AccountStatus::kSuspended;
  double probability = 0;
  std::int64_t model_version = 0;
  std::vector<domain::ScoreDriver> drivers;  // largest effect first
  // When the features were read: now for the account read, the start of the refresh run
  // that stored it for the outreach list.
  Timestamp scored_at = 0;
};

struct ScoringOptions {
  domain::TrainOptions train;
  // Training examples read at most (newest accounts first): bounds the memory of a run.
  std::int64_t max_examples = 200'000;
  int top_drivers = 5;
  // A refresh run scores again this long after it ended (0: only when a model is trained).
  Timestamp refresh_every_ms = kMillisPerHour;
  // A refresh job reads and scores pages of accounts for about this long, then writes them and
  // leaves the next slice to the job runner, so that the runner's other work keeps its pace.
  int refresh_slice_ms = 200;
};

// Thread-safe: holds no state between calls.
class Scoring {
 public:
  // Histories ForEachHistory reads at once (two pages of a thousand).
  static constexpr int kHistoriesPerRead = 2000;

  explicit Scoring(Deps deps, ScoringOptions options = {}) : deps_(deps), options_(options) {}

  // Trains a model on the tenant's history as it stands now and stores it as the next version,
  // with a `scoring_model.trained` audit entry, in one transaction. kUnprocessable
  // "not_enough_history" saying what is missing when the history cannot make a model (nothing
  // is written). kConflict when another process stored the same version meanwhile.
  Result<domain::ScoringModel> Train(const CallContext& ctx,
                                     const AnswerFn<domain::ScoringModel>& answer) const;

  // The tenant's models, newest version first; `starting_after` is a version ("" for the first
  // page; kInvalidArgument "starting_after" when it is not a number).
  Result<domain::Page<domain::ScoringModel>> Models(const CallContext& ctx,
                                                    const std::string& starting_after,
                                                    int limit) const;

  // The score of `account`, as the caller just read it, under the tenant's latest model;
  // nullopt when it is neither suspended nor dormant (then nothing is read) or the tenant has
  // no model yet.
  Result<std::optional<AccountScore>> ScoreAccount(const CallContext& ctx,
                                                   const domain::Account& account) const;

  // The tenant's suspended and dormant accounts by score as the last refresh run stored them,
  // highest first (ties: account id), a page after the account `starting_after` ("" for the
  // first; kInvalidArgument "starting_after" when it has no stored score). An account no
  // longer suspended or dormant leaves the list at once; one suspended since the run started
  // joins it with the next run. kConflict "no_scoring_model" when the tenant has no model yet.
  Result<domain::Page<AccountScore>> Outreach(const CallContext& ctx,
                                              const std::string& starting_after, int limit) const;

  // The scheduled retraining: trains, as the system, every tenant that has no model or whose
  // newest model was trained `current_for` ago or longer; the others are left as they are
  // (`current`), so that a server restarted soon after a retraining, or a second process
  // started beside it, does not train every tenant again. A tenant without enough history is
  // skipped (counted); a failure on one tenant does not stop the run.
  struct Report {
    int trained = 0;
    int current = 0;
    int skipped = 0;
    int failed = 0;
    Status first_failure;
  };
  Result<Report> RetrainAll(Timestamp current_for = 0) const;

  // One slice of a refresh run (the job app::kScoringRefreshJob; its subject the model
  // version, its payload where the run stands): scores the next pages of accounts, then in one
  // transaction stores their scores, marks `job` done and writes the next slice, or, at the
  // end of the run, removes the scores the run did not reach and writes the next run. A job
  // whose model is no longer the latest ends its chain (the newer model's runs take over).
  Status RefreshSlice(const domain::Job& job) const;

  // The histories of the tenant's accounts (all of them, or those with `status`), newest first
  // from the one after `starting_after` ("" for the newest), a thousand at a time (two such
  // pages read at once, on two readers), each given to `each` on the calling thread until it
  // returns false. Exposed for bench/.
  Status ForEachHistory(
      const std::string& tenant_id, std::optional<domain::AccountStatus> status,
      const std::function<bool(domain::ScoringHistory&&, const std::string& external_ref)>& each,
      const std::string& starting_after = "") const;

 private:
  // The refresh job of `version`'s runs, due at `run_at`, its payload where the run stands.
  static domain::Job RefreshJob(const std::string& tenant_id, std::int64_t version, Timestamp now,
                                Timestamp run_at, std::string payload_json);

  Deps deps_;
  ScoringOptions options_;
};

}  // namespace sb::app
