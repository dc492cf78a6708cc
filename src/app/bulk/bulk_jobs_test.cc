// Bulk jobs over a real store (SQLite, and PostgreSQL on SB_TEST_PG_URL): a job left loading by
// a killed loader is cancelled and leaves the dashboard; a loader still storing rows stops once
// its job is cancelled elsewhere and never lets it run; a cancelled job has nothing remaining,
// counts its cancelled rows and announces its end as a completed one does.
#include "app/bulk/bulk_jobs.h"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "app/reports/kpi_queries.h"
#include "tests/support/backend_tenant_fixture.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::BulkJobState;

// The store as another process sees it while this one stores an upload: `before_write` runs
// before each of this process's writes, outside any transaction.
class WatchedStore : public domain::Store {
 public:
  WatchedStore(domain::Store& inner, std::function<void()> before_write)
      : inner_(inner), before_write_(std::move(before_write)) {}
  Status Write(const TxFn& fn, Rerun rerun) override {
    before_write_();
    return inner_.Write(fn, rerun);
  }
  Status Read(const TxFn& fn) override { return inner_.Read(fn); }
  std::string_view Backend() const override { return inner_.Backend(); }
  Status Ping() override { return inner_.Ping(); }

 private:
  domain::Store& inner_;
  std::function<void()> before_write_;
};

class BulkJobsTest : public sb::testing::BackendTenantTest {
 protected:
  void SetUp() override {
    BackendTenantTest::SetUp();
    if (HasFatalFailure()) return;
    ctx_.actor = {domain::ActorType::kApiKey, "key_sup", domain::Role::kSupervisor};
    options_.rows_per_transaction = 2;
    options_.load_rows_per_transaction = 2;
    options_.slice_rows = 2;  // a slice runs two rows, in one transaction
    options_.parallel_transactions = 1;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      for (int i = 0; i < kAccounts; ++i) {
        std::string n = std::to_string(i);
        SB_RETURN_IF_ERROR(InsertAccountWithService(tx, "acc_b" + n, "BULK-" + n, "svc_b" + n));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  static constexpr int kAccounts = 8;

  // A file suspending the first `rows` accounts.
  static std::string File(int rows) {
    std::string csv = "external_ref,type,reason_code,payload.hold_type\r\n";
    for (int i = 0; i < rows; ++i) {
      csv += "BULK-" + std::to_string(i) + ",suspension,non_payment,non_payment\r\n";
    }
    return csv;
  }

  BulkJobs Bulk() const { return BulkJobs(*deps_, options_); }

  // The tenant's one job.
  domain::BulkJob OnlyJob() {
    auto page = Bulk().List(ctx_, "", 10);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(page.ok() ? page->items.size() : 0u, 1u);
    return page.ok() && !page->items.empty() ? page->items[0].job : domain::BulkJob{};
  }

  // The job's stored rows.
  std::vector<domain::BulkRow> Rows(const std::string& id) {
    auto rows = Bulk().Results(ctx_, id, 0, 1000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<domain::BulkRow>{};
  }

  // The ids of the jobs the dashboard shows in progress.
  std::vector<std::string> OnTheDashboard() {
    auto view = KpiQueries(*deps_).Dashboard(ctx_);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    std::vector<std::string> ids;
    if (view.ok()) {
      for (const BulkProgress& p : view->bulk_jobs) ids.push_back(p.job.id);
    }
    return ids;
  }

  // The data of the tenant's bulk_job.completed events, newest first.
  std::vector<json::object> EndEvents() {
    std::vector<json::object> out;
    Status s = store_->Read([&](domain::Tx& tx) -> Status {
      domain::OutboxFilter f;
      f.event_type = "bulk_job.completed";
      f.limit = 100;
      SB_ASSIGN_OR_RETURN(auto page, tx.ListOutbox(ctx_.tenant_id, f));
      for (const domain::OutboxMessage& m : page.items) {
        out.push_back(json::parse(m.payload_json).at("data").as_object());
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // Submits `rows` rows, the job cancelled from another BulkJobs over the same database once
  // `stored` of its rows are stored.
  Result<BulkSubmitOutcome> SubmitCancelledOnceStored(int rows, std::size_t stored) {
    bool fired = false;
    WatchedStore watched(*store_, [&] {
      auto page = Bulk().List(ctx_, "", 10);
      if (fired || !page.ok() || page->items.empty()) return;
      const domain::BulkJob& job = page->items[0].job;
      if (Rows(job.id).size() < stored) return;
      fired = true;
      EXPECT_EQ(job.state, BulkJobState::kLoading);
      auto cancelled = Bulk().Cancel(ctx_, job.id);
      EXPECT_TRUE(cancelled.ok()) << cancelled.status().ToString();
    });
    Deps loader{watched, clock_, keyring_};
    std::istringstream in(File(rows));
    auto out = BulkJobs(loader, options_).Submit(ctx_, BulkFormat::kCsv, in);
    EXPECT_TRUE(fired);
    return out;
  }

  // Runs the job's slices as the job runner would, until it is no longer running.
  void RunToTheEnd(const std::string& id) {
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(Bulk().RunSlice(ctx_.tenant_id, id).ok());
      if (Bulk().Get(ctx_, id)->job.state != BulkJobState::kRunning) return;
    }
  }

  BulkOptions options_;
};

// What a loader killed with SIGKILL leaves: the job, loading, and the rows it stored so far.
TEST_P(BulkJobsTest, AJobLeftLoadingIsCancelledAndLeavesTheDashboard) {
  domain::BulkJob job;
  job.tenant_id = ctx_.tenant_id;
  job.id = "blk_left_loading";
  job.format = "csv";
  job.actor = ctx_.actor;
  job.total_rows = 5;
  job.created_at = job.updated_at = clock_.Now();
  domain::BulkRow row;
  row.tenant_id = job.tenant_id;
  row.job_id = job.id;
  row.row_no = 2;
  row.account_id = "acc_b0";
  row.type = domain::RequestType::kSuspension;
  row.reason_code = "non_payment";
  row.updated_at = clock_.Now();
  ASSERT_TRUE(store_
                  ->Write([&](domain::Tx& tx) -> Status {
                    SB_RETURN_IF_ERROR(tx.InsertBulkJob(job));
                    return tx.InsertBulkRows({row});
                  })
                  .ok());
  EXPECT_EQ(OnTheDashboard(), std::vector<std::string>{job.id});

  // Its rows are not all stored: it cannot be paused or resumed, only cancelled.
  for (auto control : {&BulkJobs::Pause, &BulkJobs::Resume}) {
    auto refused = (Bulk().*control)(ctx_, job.id, nullptr);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kConflict);
    EXPECT_EQ(refused.status().reason(), "bulk_job_loading");
  }
  clock_.Advance(1000);
  auto cancelled = Bulk().Cancel(ctx_, job.id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->job.state, BulkJobState::kCancelled);
  EXPECT_EQ(cancelled->job.finished_at, clock_.Now());
  EXPECT_EQ(cancelled->remaining, 0);
  EXPECT_EQ(cancelled->cancelled, 5);
  EXPECT_EQ(OnTheDashboard(), std::vector<std::string>{});
  EXPECT_EQ(Bulk().Get(ctx_, job.id)->job.state, BulkJobState::kCancelled);
  std::vector<json::object> events = EndEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("state").as_string(), "cancelled");
  EXPECT_EQ(events[0].at("cancelled_rows").as_int64(), 5);
  auto again = Bulk().Pause(ctx_, job.id);
  EXPECT_EQ(again.status().reason(), "bulk_job_finished");
}

// Several processes share one PostgreSQL database: a job loading in one is cancelled from
// another. The loader stores no more rows, and the job never runs.
TEST_P(BulkJobsTest, ALoaderStopsOnceItsJobIsCancelledElsewhere) {
  auto out = SubmitCancelledOnceStored(kAccounts, 2);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kConflict);
  EXPECT_EQ(out.status().reason(), "bulk_job_cancelled");
  domain::BulkJob job = OnlyJob();
  EXPECT_EQ(job.state, BulkJobState::kCancelled);
  EXPECT_LT(Rows(job.id).size(), static_cast<std::size_t>(kAccounts));
  ASSERT_TRUE(Bulk().RunSlice(ctx_.tenant_id, job.id).ok());
  job = Bulk().Get(ctx_, job.id)->job;
  EXPECT_EQ(job.state, BulkJobState::kCancelled);
  EXPECT_EQ(job.done_rows(), 0);
  EXPECT_FALSE(job.started_at.has_value());
}

// The cancel comes after the last row was stored, before the loader lets the job run: the
// loader's last step finds the job no longer loading and leaves it cancelled.
TEST_P(BulkJobsTest, ACancelJustBeforeTheJobWouldRunKeepsItCancelled) {
  auto out = SubmitCancelledOnceStored(kAccounts, kAccounts);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().reason(), "bulk_job_cancelled");
  domain::BulkJob job = OnlyJob();
  EXPECT_EQ(Rows(job.id).size(), static_cast<std::size_t>(kAccounts));
  EXPECT_EQ(job.state, BulkJobState::kCancelled);
  ASSERT_TRUE(Bulk().RunSlice(ctx_.tenant_id, job.id).ok());
  EXPECT_EQ(Bulk().Get(ctx_, job.id)->job.done_rows(), 0);
  EXPECT_EQ(OnTheDashboard(), std::vector<std::string>{});
}

TEST_P(BulkJobsTest, ACancelledJobHasNothingRemainingAndCountsItsCancelledRows) {
  std::istringstream in(File(6));
  auto out = Bulk().Submit(ctx_, BulkFormat::kCsv, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string id = out->job->id;
  ASSERT_TRUE(Bulk().RunSlice(ctx_.tenant_id, id).ok());  // two rows
  auto running = Bulk().Get(ctx_, id);
  EXPECT_EQ(running->job.applied_rows, 2);
  EXPECT_EQ(running->remaining, 4);
  EXPECT_EQ(running->cancelled, 0);
  auto cancelled = Bulk().Cancel(ctx_, id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  for (const BulkProgress& p : {*cancelled, *Bulk().Get(ctx_, id)}) {
    EXPECT_EQ(p.job.state, BulkJobState::kCancelled);
    EXPECT_EQ(p.remaining, 0);
    EXPECT_EQ(p.cancelled, 4);
    EXPECT_FALSE(p.eta_seconds.has_value());
  }
  // Its end is announced as a completed job's is, with its state and figures.
  std::vector<json::object> events = EndEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("id").as_string(), id);
  EXPECT_EQ(events[0].at("state").as_string(), "cancelled");
  EXPECT_EQ(events[0].at("total_rows").as_int64(), 6);
  EXPECT_EQ(events[0].at("applied_rows").as_int64(), 2);
  EXPECT_EQ(events[0].at("cancelled_rows").as_int64(), 4);
  EXPECT_FALSE(events[0].at("finished_at").as_string().empty());
  // A cancel that changes nothing announces nothing again.
  ASSERT_TRUE(Bulk().Cancel(ctx_, id).ok());
  EXPECT_EQ(EndEvents().size(), 1u);
}

TEST_P(BulkJobsTest, ACompletedJobAnnouncesItsEndOnce) {
  std::istringstream in(File(3));
  auto out = Bulk().Submit(ctx_, BulkFormat::kCsv, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  RunToTheEnd(out->job->id);
  auto done = Bulk().Get(ctx_, out->job->id);
  EXPECT_EQ(done->job.state, BulkJobState::kCompleted);
  EXPECT_EQ(done->remaining, 0);
  EXPECT_EQ(done->cancelled, 0);
  std::vector<json::object> events = EndEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("state").as_string(), "completed");
  EXPECT_EQ(events[0].at("applied_rows").as_int64(), 3);
  EXPECT_EQ(events[0].at("cancelled_rows").as_int64(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkJobsTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace sb::app
