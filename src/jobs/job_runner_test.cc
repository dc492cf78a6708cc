#include "jobs/job_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "crypto/crypto.h"
#include "tests/support/test_stores.h"

namespace sb::jobs {
namespace {

constexpr Timestamp kStart = 1'800'000'000'000;
constexpr char kTenant[] = "ten_jobs";

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Tenant t{kTenant, "Jobs Test", kStart};
    ASSERT_TRUE(store_->Write([&](domain::Tx& tx) { return tx.InsertTenant(t); }).ok());
  }

  // Inserts a pending job of `kind` for `subject`, due at `run_at`.
  void AddJob(const std::string& kind, const std::string& subject, Timestamp run_at) {
    domain::Job j;
    j.tenant_id = kTenant;
    j.id = crypto::NewId("job", clock_.Now());
    j.kind = kind;
    j.subject_id = subject;
    j.payload_json = "{}";
    j.run_at = run_at;
    j.created_at = clock_.Now();
    ASSERT_TRUE(store_->Write([&](domain::Tx& tx) { return tx.InsertJob(j); }).ok());
  }

  domain::Job JobOf(const std::string& subject) {
    std::vector<domain::Job> jobs;
    EXPECT_TRUE(store_
                    ->Read([&](domain::Tx& tx) {
                      SB_ASSIGN_OR_RETURN(jobs, tx.ListJobs(kTenant, subject));
                      return Status::Ok();
                    })
                    .ok());
    EXPECT_EQ(jobs.size(), 1u);
    return jobs.empty() ? domain::Job{} : jobs.front();
  }

  ManualClock clock_{kStart};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  app::JobQueue queue_{*store_};
};

TEST_F(JobRunnerTest, DueJobRunsAndNotDueJobWaits) {
  std::vector<std::string> ran;
  JobRunner runner(queue_, clock_);
  runner.Register("test.record", [&](const domain::Job& j) {
    ran.push_back(j.subject_id);
    return Status::Ok();
  });
  AddJob("test.record", "due", kStart - 1);
  AddJob("test.record", "later", kStart + kMillisPerHour);

  auto n = runner.RunDueJobs();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(ran, std::vector<std::string>{"due"});
  EXPECT_EQ(JobOf("due").state, domain::JobState::kDone);
  EXPECT_EQ(JobOf("later").state, domain::JobState::kPending);

  clock_.Advance(kMillisPerHour);
  ASSERT_TRUE(runner.RunDueJobs().ok());
  EXPECT_EQ(ran, (std::vector<std::string>{"due", "later"}));
  EXPECT_EQ(JobOf("later").state, domain::JobState::kDone);
}

TEST_F(JobRunnerTest, FailingHandlerIsRetriedLaterThenFailed) {
  RunnerOptions options;
  options.max_attempts = 2;
  JobRunner runner(queue_, clock_, options);
  int calls = 0;
  runner.Register("test.flaky", [&](const domain::Job&) {
    ++calls;
    return Status::Unavailable("downstream is down");
  });
  AddJob("test.flaky", "x", kStart);

  ASSERT_TRUE(runner.RunDueJobs().ok());
  domain::Job j = JobOf("x");
  EXPECT_EQ(j.state, domain::JobState::kPending);
  EXPECT_EQ(j.attempts, 1);
  EXPECT_EQ(j.run_at, kStart + options.backoff_base_ms);
  EXPECT_NE(j.last_error.find("downstream is down"), std::string::npos);

  ASSERT_TRUE(runner.RunDueJobs().ok());  // not due yet: backoff
  EXPECT_EQ(calls, 1);

  clock_.Advance(options.backoff_base_ms);
  ASSERT_TRUE(runner.RunDueJobs().ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(JobOf("x").state, domain::JobState::kFailed);
  EXPECT_EQ(JobOf("x").attempts, 2);
}

TEST_F(JobRunnerTest, PermanentFailureAndExceptionsAreContained) {
  JobRunner runner(queue_, clock_);
  runner.Register("test.gone", [](const domain::Job&) { return Status::NotFound("hold"); });
  runner.Register("test.throws",
                  [](const domain::Job&) -> Status { throw std::runtime_error("bug"); });
  AddJob("test.gone", "gone", kStart);
  AddJob("test.throws", "throws", kStart);
  ASSERT_TRUE(runner.RunDueJobs().ok());
  EXPECT_EQ(JobOf("gone").state, domain::JobState::kFailed);
  EXPECT_EQ(JobOf("throws").state, domain::JobState::kPending);
  EXPECT_NE(JobOf("throws").last_error.find("bug"), std::string::npos);
}

TEST_F(JobRunnerTest, JobOfAnUnknownKindIsKeptForAProcessThatKnowsIt) {
  RunnerOptions options;
  options.max_attempts = 2;
  AddJob("test.newer", "unknown", kStart);
  JobRunner old_version(queue_, clock_, options);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(old_version.RunDueJobs().ok());
    domain::Job kept = JobOf("unknown");
    EXPECT_EQ(kept.state, domain::JobState::kPending);
    EXPECT_EQ(kept.attempts, 0);  // never counted: the job itself did not fail
    EXPECT_EQ(kept.run_at, clock_.Now() + options.unhandled_retry_ms);
    EXPECT_NE(kept.last_error.find("no handler for job kind test.newer"), std::string::npos);
    clock_.Advance(options.unhandled_retry_ms);
  }
  int calls = 0;
  JobRunner upgraded(queue_, clock_, options);
  upgraded.Register("test.newer", [&](const domain::Job&) {
    ++calls;
    return Status::Ok();
  });
  ASSERT_TRUE(upgraded.RunDueJobs().ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(JobOf("unknown").state, domain::JobState::kDone);
}

TEST_F(JobRunnerTest, JobSurvivesRestartAndAbandonedLeaseIsReclaimed) {
  AddJob("test.record", "durable", kStart + kMillisPerSecond);
  {
    JobRunner first(queue_, clock_);  // stops before the job is due
    ASSERT_TRUE(first.RunDueJobs().ok());
  }
  // A runner that claims the job and "crashes" before finishing it.
  clock_.Advance(kMillisPerSecond);
  ASSERT_TRUE(store_
                  ->Write([&](domain::Tx& tx) {
                    return tx.ClaimDueJobs(clock_.Now(), 10, 30 * kMillisPerSecond).status();
                  })
                  .ok());
  EXPECT_EQ(JobOf("durable").state, domain::JobState::kRunning);

  int calls = 0;
  JobRunner second(queue_, clock_);
  second.Register("test.record", [&](const domain::Job&) {
    ++calls;
    return Status::Ok();
  });
  ASSERT_TRUE(second.RunDueJobs().ok());
  EXPECT_EQ(calls, 0);  // still leased
  clock_.Advance(30 * kMillisPerSecond);
  ASSERT_TRUE(second.RunDueJobs().ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(JobOf("durable").state, domain::JobState::kDone);
}

TEST_F(JobRunnerTest, BackgroundThreadRunsJobsAndPeriodicTasksAndStops) {
  RunnerOptions options;
  options.poll_ms = 10;
  JobRunner runner(queue_, clock_, options);
  std::atomic<int> job_calls{0}, task_calls{0};
  runner.Register("test.record", [&](const domain::Job&) {
    ++job_calls;
    return Status::Ok();
  });
  runner.AddPeriodic("count", 1000 * 1000, /*on_nudge=*/true, [&] {
    ++task_calls;
    return Status::Ok();
  });
  AddJob("test.record", "bg", kStart);
  runner.Start();
  runner.Nudge();
  for (int i = 0; i < 200 && (job_calls == 0 || task_calls == 0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  runner.Stop();
  EXPECT_EQ(job_calls, 1);
  EXPECT_GE(task_calls, 1);
  EXPECT_EQ(JobOf("bg").state, domain::JobState::kDone);
}

TEST(Backoff, DoublesUpToTheCap) {
  RunnerOptions o;
  o.backoff_base_ms = 1000;
  o.backoff_max_ms = 5000;
  EXPECT_EQ(BackoffDelay(o, 1), 1000);
  EXPECT_EQ(BackoffDelay(o, 2), 2000);
  EXPECT_EQ(BackoffDelay(o, 3), 4000);
  EXPECT_EQ(BackoffDelay(o, 4), 5000);
  EXPECT_EQ(BackoffDelay(o, 40), 5000);
}

}  // namespace
}  // namespace sb::jobs
