// Reading the histories scoring needs over a real store (SQLite, and PostgreSQL when
// SB_TEST_PG_URL is set), across several pages read at once: every account once, newest
// first, each with its own steps, and no further than the caller wants. And the refresh runs
// that store every score the outreach list pages through, slice after slice.
#include "app/scoring/scoring.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/core/job_kinds.h"
#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "tests/support/backend_tenant_fixture.h"

namespace sb::app {
namespace {

constexpr Timestamp kHistoryStart = 1'796'169'600'000;  // 2026-12-01

class ScoringHistories : public sb::testing::BackendTenantTest {
 protected:
  ScoringHistories() : BackendTenantTest(kHistoryStart + 30 * kMillisPerDay) {}

  void SetUp() override {
    BackendTenantTest::SetUp();
    if (HasFatalFailure()) return;
    tenant_ = ctx_.tenant_id;
  }

  // `n` suspended accounts, the i-th created i minutes after kHistoryStart, each with one completed
  // suspension i seconds after kHistoryStart whose checks read an amount due of i; with
  // `reconnect_odd`, every odd one reconnected three days later (a history a model can be
  // trained on once the outcome window has passed). Returns the external refs by account id.
  std::map<std::string, std::string> SuspendedAccounts(int n, bool reconnect_odd = false) {
    std::map<std::string, std::string> refs;
    Status written = store_->Write([&](domain::Tx& tx) -> Status {
      for (int i = 0; i < n; ++i) {
        domain::Account a;
        a.tenant_id = tenant_;
        a.created_at = a.updated_at = kHistoryStart + i * kMillisPerMinute;
        a.id = crypto::NewId("acc", a.created_at);
        a.external_ref = "H" + std::to_string(i);
        a.status = domain::AccountStatus::kSuspended;
        SB_RETURN_IF_ERROR(tx.InsertAccount(a));
        refs[a.id] = a.external_ref;
        domain::Request r;
        r.tenant_id = tenant_;
        r.created_at = r.updated_at = kHistoryStart + i * kMillisPerSecond;
        r.completed_at = r.created_at;
        r.id = crypto::NewId("req", r.created_at);
        r.account_id = a.id;
        r.type = domain::RequestType::kSuspension;
        r.origin = domain::Origin::kInvoluntary;
        r.state = domain::RequestState::kCompleted;
        r.payload_json = r.result_json = "{}";
        r.check_inputs_json = "{\"account\":{\"amount_due_minor\":" + std::to_string(i) + "}}";
        SB_RETURN_IF_ERROR(tx.InsertRequest(r));
        if (reconnect_odd && i % 2 == 1) {
          r.created_at = r.updated_at = r.created_at + 3 * kMillisPerDay;
          r.completed_at = r.created_at;
          r.id = crypto::NewId("req", r.created_at);
          r.type = domain::RequestType::kReconnection;
          r.check_inputs_json = "{}";
          SB_RETURN_IF_ERROR(tx.InsertRequest(r));
          std::int64_t version = a.version;
          a.status = domain::AccountStatus::kActive;
          a.version += 1;
          SB_RETURN_IF_ERROR(tx.UpdateAccount(a, version));
        }
      }
      return Status::Ok();
    });
    EXPECT_TRUE(written.ok()) << written.ToString();
    return refs;
  }

  std::string tenant_;
};

// 2,600 accounts are three pages of a thousand, the first two read at once: each account
// comes once, newest first, with its ref and its own suspension (the amount due its checks
// read tells which account it was filed on).
TEST_P(ScoringHistories, EveryAccountOnceNewestFirstWithItsOwnSteps) {
  std::map<std::string, std::string> refs = SuspendedAccounts(2600);
  ASSERT_EQ(refs.size(), 2600u);
  std::vector<std::string> seen;
  Status read = Scoring(*deps_).ForEachHistory(
      tenant_, domain::AccountStatus::kSuspended,
      [&](domain::ScoringHistory&& h, const std::string& ref) {
        EXPECT_EQ(ref, refs[h.account_id]);
        EXPECT_EQ(h.status, domain::AccountStatus::kSuspended);
        EXPECT_EQ(h.steps.size(), 1u) << ref;
        if (!h.steps.empty()) {
          EXPECT_EQ("H" + std::to_string(h.steps[0].amount_due_minor), ref);
          EXPECT_EQ(h.steps[0].kind, domain::LifecycleStepKind::kSuspended);
        }
        seen.push_back(h.account_id);
        return true;
      });
  ASSERT_TRUE(read.ok()) << read.ToString();
  ASSERT_EQ(seen.size(), 2600u);
  for (size_t i = 1; i < seen.size(); ++i) {
    ASSERT_GT(seen[i - 1], seen[i]) << "not newest first at " << i;
  }
  EXPECT_EQ(refs[seen.front()], "H2599");
  EXPECT_EQ(refs[seen.back()], "H0");
}

// A caller that has enough (training stops at its cap of examples) is given no more, even
// in the middle of a page read alongside another.
TEST_P(ScoringHistories, StopsWhenTheCallerHasEnough) {
  SuspendedAccounts(2600);
  int given = 0;
  Status read = Scoring(*deps_).ForEachHistory(
      tenant_, std::nullopt,
      [&](domain::ScoringHistory&&, const std::string&) { return ++given < 1500; });
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_EQ(given, 1500);
}

// A model under which the longest suspended account is the likeliest to come back: only
// days_suspended counts, about 30 days in scoring 0.5.
domain::ScoringModel DaysSuspendedModel(const std::string& tenant, std::int64_t version,
                                        Timestamp at) {
  domain::ScoringModel m;
  m.tenant_id = tenant;
  m.version = version;
  m.trained_at = at;
  m.feature_names = domain::ScoringFeatureNames();
  size_t d = m.feature_names.size();
  m.means.assign(d, 0.0);
  m.means[0] = 30;
  m.scales.assign(d, 1.0);
  m.coefficients.assign(d, 0.0);
  m.coefficients[0] = 1;
  m.training_size = 100;
  m.holdout_size = 20;
  m.holdout_auc = 0.8;
  m.positive_rate = 0.3;
  return m;
}

class ScoringRefresh : public ScoringHistories {
 protected:
  // Stores model `version` with the first refresh job of its runs, as training does.
  void StoreModel(std::int64_t version) {
    Timestamp now = clock_.Now();
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_RETURN_IF_ERROR(tx.InsertScoringModel(DaysSuspendedModel(tenant_, version, now)));
      domain::Job j;
      j.tenant_id = tenant_;
      j.id = crypto::NewId("job", now);
      j.kind = kScoringRefreshJob;
      j.subject_id = std::to_string(version);
      j.payload_json = "{}";
      j.run_at = now;
      j.created_at = now;
      return tx.InsertJob(j);
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs every due job, as the job runner does, until none is due; how many ran.
  int RunRefreshJobs(const Scoring& scoring) {
    int ran = 0;
    for (int rounds = 0; rounds < 100; ++rounds) {
      std::vector<domain::Job> due;
      Status claimed = store_->Write([&](domain::Tx& tx) -> Status {
        SB_ASSIGN_OR_RETURN(due, tx.ClaimDueJobs(clock_.Now(), 10, 30 * kMillisPerSecond));
        return Status::Ok();
      });
      EXPECT_TRUE(claimed.ok()) << claimed.ToString();
      if (due.empty()) break;
      for (const domain::Job& j : due) {
        EXPECT_EQ(j.kind, kScoringRefreshJob);
        Status s = scoring.RefreshSlice(j);
        EXPECT_TRUE(s.ok()) << s.ToString();
        ++ran;
      }
    }
    return ran;
  }

  // The whole outreach list, page after page.
  std::vector<AccountScore> Outreach(const Scoring& scoring) {
    CallContext ctx;
    ctx.tenant_id = tenant_;
    std::vector<AccountScore> all;
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = scoring.Outreach(ctx, cursor, 100);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (auto& item : page->items) all.push_back(std::move(item));
      if (!page->has_more) break;
      cursor = page->next_cursor;
    }
    return all;
  }

  std::vector<domain::Job> PendingJobs(const std::string& version) {
    std::vector<domain::Job> pending;
    Status s = store_->Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(auto jobs, tx.ListJobs(tenant_, version));
      for (auto& j : jobs)
        if (j.state == domain::JobState::kPending) pending.push_back(std::move(j));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return pending;
  }
};

// 2,600 suspended accounts take more than one slice; once the run ends the outreach list has
// each of them once, longest suspended first, with the score and drivers of the model that
// ranked it, and the next run is due an hour later. An account reconnected meanwhile leaves the
// list at once. A newer model's run takes over: the older chain ends, every score is the new
// model's, and the reconnected account's score is gone.
TEST_P(ScoringRefresh, RunsStoreEveryScoreTheOutreachListPagesThrough) {
  std::map<std::string, std::string> refs = SuspendedAccounts(2600);
  ScoringOptions options;
  options.refresh_slice_ms = 1;  // a slice reads two pages of a thousand, then stops
  Scoring scoring(*deps_, options);
  CallContext ctx;
  ctx.tenant_id = tenant_;
  EXPECT_EQ(scoring.Outreach(ctx, "", 10).status().code(), Code::kConflict);
  StoreModel(1);
  Timestamp started = clock_.Now();
  EXPECT_GE(RunRefreshJobs(scoring), 2);

  std::vector<AccountScore> list = Outreach(scoring);
  ASSERT_EQ(list.size(), 2600u);
  for (size_t i = 0; i < list.size(); ++i) {
    ASSERT_EQ(list[i].external_ref, "H" + std::to_string(i)) << "not longest suspended first";
    if (i > 0) {
      ASSERT_LE(list[i].probability, list[i - 1].probability);
    }
    ASSERT_EQ(list[i].model_version, 1);
    ASSERT_EQ(list[i].scored_at, started);
    ASSERT_FALSE(list[i].drivers.empty());
    ASSERT_EQ(list[i].drivers[0].feature, "days_suspended");
  }
  EXPECT_GT(list.front().probability, list.back().probability);
  std::vector<domain::Job> next = PendingJobs("1");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].run_at, clock_.Now() + kMillisPerHour);

  // H0 is reconnected: the list drops it before any run.
  std::string reconnected = list.front().account_id;
  Status updated = store_->Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto a, tx.GetAccount(tenant_, reconnected));
    std::int64_t version = a.version;
    a.status = domain::AccountStatus::kActive;
    a.version += 1;
    return tx.UpdateAccount(a, version);
  });
  ASSERT_TRUE(updated.ok()) << updated.ToString();
  list = Outreach(scoring);
  ASSERT_EQ(list.size(), 2599u);
  EXPECT_EQ(list.front().external_ref, "H1");

  // Model 2 is trained; an hour on, model 1's next run finds it superseded.
  clock_.Advance(kMillisPerMinute);
  StoreModel(2);
  clock_.Advance(kMillisPerHour);
  EXPECT_GE(RunRefreshJobs(scoring), 3);
  EXPECT_TRUE(PendingJobs("1").empty());
  EXPECT_EQ(PendingJobs("2").size(), 1u);
  list = Outreach(scoring);
  ASSERT_EQ(list.size(), 2599u);
  for (const AccountScore& s : list) ASSERT_EQ(s.model_version, 2);
  Status gone = store_->Read(
      [&](domain::Tx& tx) -> Status { return tx.GetAccountScore(tenant_, reconnected).status(); });
  EXPECT_EQ(gone.code(), Code::kNotFound);
  EXPECT_EQ(scoring.Outreach(ctx, reconnected, 10).status().code(), Code::kInvalidArgument);
}

// The scheduled retraining trains a tenant whose newest model is older than the time it is
// given, and leaves one trained since alone: a restart an hour after a retraining trains
// nothing again; a day on, the tenant gets its next version, scored by a run of its own.
TEST_P(ScoringRefresh, TheScheduledRetrainingLeavesARecentModelAlone) {
  SuspendedAccounts(400, /*reconnect_odd=*/true);
  clock_.Advance(10 * kMillisPerDay);  // every suspension's outcome window has passed
  Scoring scoring(*deps_);
  auto versions = [&] {
    std::vector<std::int64_t> out;
    Status s = store_->Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(auto page, tx.ListScoringModels(tenant_, 0, 10));
      for (const auto& m : page.items) out.push_back(m.version);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  };

  auto first = scoring.RetrainAll(kMillisPerDay / 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->trained, 1) << first->first_failure.ToString();
  EXPECT_EQ(first->current, 0);
  EXPECT_EQ(versions(), std::vector<std::int64_t>{1});

  clock_.Advance(kMillisPerHour);
  auto again = scoring.RetrainAll(kMillisPerDay / 2);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->trained, 0);
  EXPECT_EQ(again->current, 1);
  EXPECT_EQ(versions(), std::vector<std::int64_t>{1});

  clock_.Advance(kMillisPerDay);
  auto next = scoring.RetrainAll(kMillisPerDay / 2);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->trained, 1) << next->first_failure.ToString();
  EXPECT_EQ(next->current, 0);
  EXPECT_EQ(versions(), (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(PendingJobs("2").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScoringRefresh, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

INSTANTIATE_TEST_SUITE_P(Backends, ScoringHistories, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sb::app
