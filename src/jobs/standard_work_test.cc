// The background work a serving process does, end to end on a real SQLite store.
#include "jobs/standard_work.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "app/admin.h"
#include "app/keyring.h"
#include "tests/support/test_stores.h"

namespace sb::jobs {
namespace {

class StandardWorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(audit_.EnsureSigningKey().ok());
    auto tenant = admin_.CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
    ctx_.actor = {domain::ActorType::kApiKey, "key_test", domain::Role::kAgent};
    ctx_.reason_code = "customer_request";
    RegisterStandardWork(runner_, accounts_, audit_, *store_, clock_);
  }

  ManualClock clock_{1'800'000'000'000};
  app::Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  app::AdminUseCases admin_{app::Deps{*store_, clock_, keyring_}};
  app::AccountUseCases accounts_{app::Deps{*store_, clock_, keyring_}};
  app::AuditLog audit_{app::Deps{*store_, clock_, keyring_}};
  JobRunner runner_{*store_, clock_};
  app::CallContext ctx_;
};

TEST_F(StandardWorkTest, ExpiringHoldIsLiftedWhenItsTimeComes) {
  app::CreateAccountInput account;
  account.external_ref = "CUST-1";
  account.plan_codes = {"mobile_basic"};
  auto created = accounts_.CreateAccount(ctx_, account);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  app::PlaceHoldInput hold;
  hold.account_id = created->account.account.id;
  hold.type = domain::HoldType::kVoluntaryPause;
  hold.expires_at = clock_.Now() + kMillisPerHour;
  auto placed = accounts_.PlaceHold(ctx_, hold);
  ASSERT_TRUE(placed.ok()) << placed.status().ToString();
  EXPECT_EQ(placed->account.account.status, domain::AccountStatus::kSuspended);

  ASSERT_TRUE(runner_.RunDueJobs().ok());
  auto before = accounts_.GetAccount(ctx_, hold.account_id);
  EXPECT_EQ(before->account.status, domain::AccountStatus::kSuspended);

  clock_.Advance(kMillisPerHour);
  auto ran = runner_.RunDueJobs();
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(*ran, 1);
  auto after = accounts_.GetAccount(ctx_, hold.account_id);
  EXPECT_EQ(after->account.status, domain::AccountStatus::kActive);
  EXPECT_TRUE(after->active_holds.empty());
}

TEST_F(StandardWorkTest, BackgroundThreadSequencesTheAuditLog) {
  app::CreateAccountInput account;
  account.external_ref = "CUST-2";
  ASSERT_TRUE(accounts_.CreateAccount(ctx_, account).ok());
  runner_.Start();
  runner_.Nudge();
  Result<domain::Checkpoint> checkpoint = Status::NotFound("checkpoint");
  for (int i = 0; i < 300 && !checkpoint.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    checkpoint = audit_.LatestCheckpoint(ctx_.tenant_id);
  }
  runner_.Stop();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  EXPECT_GT(checkpoint->tree_size, 0);
}

}  // namespace
}  // namespace sb::jobs
