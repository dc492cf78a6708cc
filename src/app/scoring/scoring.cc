#include "app/scoring/scoring.h"

#include <algorithm>
#include <future>
#include <map>
#include <utility>

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::AccountStatus;
using domain::ScoringHistory;
using domain::ScoringModel;

// Accounts read per transaction: the most the storage's id lists take.
constexpr int kScoringPage = 1000;
// Pages whose histories are read at once, each in its own read transaction: reading them is
// the cost of scoring (random reads of requests and audit entries), and there are two cores.
constexpr size_t kScoringLanes = 2;
static_assert(kScoringPage * kScoringLanes == Scoring::kHistoriesPerRead);

bool Scorable(AccountStatus s) {
  return s == AccountStatus::kSuspended || s == AccountStatus::kDormant;
}

// Histories of `accounts`, their steps and failures read in `tx`, in the accounts' order.
Result<std::vector<ScoringHistory>> Histories(domain::Tx& tx, const std::string& tenant_id,
                                              const std::vector<domain::Account>& accounts) {
  std::vector<std::string> ids;
  std::map<std::string, size_t> at;
  std::vector<ScoringHistory> out;
  for (const auto& a : accounts) {
    at[a.id] = out.size();
    ids.push_back(a.id);
    ScoringHistory h;
    h.account_id = a.id;
    h.created_at = a.created_at;
    h.status = a.status;
    h.amount_due_minor = a.amount_due_minor;
    out.push_back(std::move(h));
  }
  SB_ASSIGN_OR_RETURN(auto steps, tx.ListLifecycleSteps(tenant_id, ids));
  for (auto& s : steps) {
    auto it = at.find(s.account_id);
    if (it != at.end()) out[it->second].steps.push_back(std::move(s));
  }
  SB_ASSIGN_OR_RETURN(auto failures, tx.ListPaymentFailures(tenant_id, ids));
  for (const auto& f : failures) {
    auto it = at.find(f.account_id);
    if (it != at.end()) out[it->second].failed_payments.push_back(f.at);
  }
  return out;
}

json::object ModelAudit(const ScoringModel& m) {
  return {{"version", m.version},
          {"training_size", m.training_size},
          {"holdout_size", m.holdout_size},
          {"holdout_auc", m.holdout_auc},
          {"positive_rate", m.positive_rate}};
}

AccountScore ScoreOf(const ScoringModel& m, const std::string& account_id,
                     const std::string& external_ref, AccountStatus status,
                     const std::vector<double>& x, int top) {
  AccountScore s;
  s.account_id = account_id;
  s.external_ref = external_ref;
  s.status = status;
  s.probability = domain::PredictScore(m, x);
  s.model_version = m.version;
  s.drivers = domain::ScoreDrivers(m, x, top);
  return s;
}

CallContext ScoringSystemContext(const std::string& tenant_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  ctx.channel = domain::Channel::kSystem;
  ctx.correlation_id = "job:scoring.retrain";
  return ctx;
}

}  // namespace

Status Scoring::ForEachHistory(
    const std::string& tenant_id, std::optional<AccountStatus> status,
    const std::function<bool(ScoringHistory&&, const std::string&)>& each,
    const std::string& starting_after) const {
  domain::AccountFilter f;
  f.status = status;
  f.limit = kScoringPage;
  f.starting_after = starting_after;
  bool more = true;
  while (more) {
    // The next pages of accounts, listed one after another (an index range each, the cheap
    // part), then their histories read at once, a page on each reader.
    std::vector<std::vector<domain::Account>> pages;
    SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
      while (more && pages.size() < kScoringLanes) {
        SB_ASSIGN_OR_RETURN(auto page, tx.ListAccounts(tenant_id, f));
        more = page.has_more;
        f.starting_after = page.next_cursor;
        pages.push_back(std::move(page.items));
      }
      return Status::Ok();
    }));
    auto read_histories = [&](const std::vector<domain::Account>& accounts) {
      std::vector<ScoringHistory> out;
      Status s = deps_.store.Read([&](domain::Tx& tx) -> Status {
        SB_ASSIGN_OR_RETURN(out, Histories(tx, tenant_id, accounts));
        return Status::Ok();
      });
      return std::make_pair(std::move(s), std::move(out));
    };
    std::vector<std::future<std::pair<Status, std::vector<ScoringHistory>>>> others;
    for (size_t i = 1; i < pages.size(); ++i) {
      others.push_back(std::async(std::launch::async, read_histories, std::cref(pages[i])));
    }
    std::vector<std::pair<Status, std::vector<ScoringHistory>>> read;
    if (!pages.empty()) read.push_back(read_histories(pages[0]));
    for (auto& other : others) read.push_back(other.get());
    for (size_t p = 0; p < read.size(); ++p) {
      SB_RETURN_IF_ERROR(read[p].first);
      std::vector<ScoringHistory>& histories = read[p].second;
      for (size_t i = 0; i < histories.size(); ++i) {
        if (!each(std::move(histories[i]), pages[p][i].external_ref)) return Status::Ok();
      }
    }
  }
  return Status::Ok();
}

Result<ScoringModel> Scoring::Train(const CallContext& ctx,
                                    const AnswerFn<ScoringModel>& answer) const {
  Timestamp as_of = deps_.clock.Now();
  std::vector<domain::ScoringExample> train, holdout;
  std::int64_t read = 0;
  SB_RETURN_IF_ERROR(
      ForEachHistory(ctx.tenant_id, std::nullopt, [&](ScoringHistory&& h, const std::string&) {
        auto& side =
            domain::InHoldout(h.account_id, options_.train.holdout_per_mille) ? holdout : train;
        for (auto& ex : domain::TrainingExamples(h, as_of)) {
          side.push_back(std::move(ex));
          ++read;
        }
        return read < options_.max_examples;
      }));
  domain::TrainOutcome out = domain::TrainScoringModel(train, holdout, options_.train);
  if (!out.model) {
    return Status::Unprocessable("not_enough_history",
                                 "Not enough history to train a model: " + out.why_not + ".");
  }
  return RunChange<ScoringModel>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ScoringModel> {
        ScoringModel m = *out.model;
        m.tenant_id = ctx.tenant_id;
        m.trained_at = now;
        auto latest = tx.LatestScoringModel(ctx.tenant_id);
        if (!latest.ok() && latest.status().code() != Code::kNotFound) return latest.status();
        m.version = latest.ok() ? latest->version + 1 : 1;
        Status s = tx.InsertScoringModel(m);
        if (s.code() == Code::kConflict) {
          return Status::Conflict("model_version_taken", "Another training stored model version " +
                                                             std::to_string(m.version) +
                                                             " meanwhile; try again.");
        }
        SB_RETURN_IF_ERROR(s);
        // Its first refresh run scores the accounts it ranks, from now on.
        SB_RETURN_IF_ERROR(tx.InsertJob(RefreshJob(ctx.tenant_id, m.version, now, now, "{}")));
        // A model decides the order of outreach, not any account: filed with the account
        // status entries it ranks.
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccountStatus, "scoring_model.trained",
                                     "scoring_model", std::to_string(m.version), "", "",
                                     json::object{}, ModelAudit(m)));
        return m;
      });
}

Result<domain::Page<ScoringModel>> Scoring::Models(const CallContext& ctx,
                                                   const std::string& starting_after,
                                                   int limit) const {
  std::int64_t below = 0;
  if (!starting_after.empty()) {
    bool digits =
        starting_after.size() <= 18 && std::all_of(starting_after.begin(), starting_after.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      return Status::Invalid("starting_after", "'starting_after' must be a model version.");
    }
    below = std::stoll(starting_after);
  }
  domain::Page<ScoringModel> page;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(page, tx.ListScoringModels(ctx.tenant_id, below, limit));
    return Status::Ok();
  }));
  return page;
}

Result<std::optional<AccountScore>> Scoring::ScoreAccount(const CallContext& ctx,
                                                          const domain::Account& a) const {
  Timestamp now = deps_.clock.Now();
  std::optional<AccountScore> out;
  if (!Scorable(a.status)) return out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto model = tx.LatestScoringModel(ctx.tenant_id);
    if (!model.ok())
      return model.status().code() == Code::kNotFound ? Status::Ok() : model.status();
    SB_ASSIGN_OR_RETURN(auto histories, Histories(tx, ctx.tenant_id, {a}));
    auto x = domain::CurrentFeatures(histories.front(), now);
    if (x) {
      out = ScoreOf(*model, a.id, a.external_ref, a.status, *x, options_.top_drivers);
      out->scored_at = now;
    }
    return Status::Ok();
  }));
  return out;
}

Result<domain::Page<AccountScore>> Scoring::Outreach(const CallContext& ctx,
                                                     const std::string& starting_after,
                                                     int limit) const {
  domain::Page<domain::StoredScore> stored;
  std::map<std::int64_t, ScoringModel> models;  // the versions the page was scored with
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto latest = tx.LatestScoringModel(ctx.tenant_id);
    if (latest.status().code() == Code::kNotFound) {
      return Status::Conflict("no_scoring_model",
                              "This tenant has no scoring model yet: train one with POST "
                              "/v1/scoring/models.");
    }
    SB_RETURN_IF_ERROR(latest.status());
    models[latest->version] = std::move(*latest);
    std::optional<domain::StoredScore> after;
    if (!starting_after.empty()) {
      auto found = tx.GetAccountScore(ctx.tenant_id, starting_after);
      if (found.status().code() == Code::kNotFound) {
        return Status::Invalid("starting_after",
                               "'starting_after' names no account of the outreach list.");
      }
      SB_ASSIGN_OR_RETURN(after, std::move(found));
    }
    SB_ASSIGN_OR_RETURN(stored, tx.ListOutreach(ctx.tenant_id, after ? &*after : nullptr, limit));
    // A run of a newer model in progress leaves scores of the one before it in the list.
    for (const auto& s : stored.items) {
      if (models.count(s.model_version) > 0) continue;
      SB_ASSIGN_OR_RETURN(auto older, tx.ListScoringModels(ctx.tenant_id, s.model_version + 1, 1));
      if (older.items.empty() || older.items.front().version != s.model_version) {
        return Status::Internal("outreach: model version " + std::to_string(s.model_version) +
                                " of a stored score is missing");
      }
      models[s.model_version] = std::move(older.items.front());
    }
    return Status::Ok();
  }));
  domain::Page<AccountScore> page;
  page.has_more = stored.has_more;
  page.next_cursor = stored.next_cursor;
  for (const domain::StoredScore& s : stored.items) {
    AccountScore score = ScoreOf(models.at(s.model_version), s.account_id, s.external_ref, s.status,
                                 s.features, options_.top_drivers);
    score.scored_at = s.scored_at;
    page.items.push_back(std::move(score));
  }
  return page;
}

Result<Scoring::Report> Scoring::RetrainAll(Timestamp current_for) const {
  Report report;
  std::vector<std::string> due;
  const Timestamp trained_since = deps_.clock.Now() - current_for;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto tenants, tx.ListTenants());
    for (const auto& t : tenants) {
      auto latest = tx.LatestScoringModel(t.id);
      if (latest.ok() && current_for > 0 && latest->trained_at > trained_since) {
        ++report.current;
      } else if (latest.ok() || latest.status().code() == Code::kNotFound) {
        due.push_back(t.id);
      } else {
        return latest.status();
      }
    }
    return Status::Ok();
  }));
  for (const auto& tenant_id : due) {
    auto trained = Train(ScoringSystemContext(tenant_id), nullptr);
    if (trained.ok()) {
      ++report.trained;
    } else if (trained.status().reason() == "not_enough_history" ||
               trained.status().code() == Code::kConflict) {
      ++report.skipped;
    } else {
      if (report.failed++ == 0) report.first_failure = trained.status();
    }
  }
  return report;
}

}  // namespace sb::app
