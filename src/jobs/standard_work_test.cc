// The background work a serving process does, end to end on a real SQLite store.
#include "jobs/standard_work.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "app/core/keyring.h"
#include "app/requests/request_queries.h"
#include "app/requests/requests.h"
#include "app/tenants/tenant_admin.h"
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
    RegisterStandardWork(runner_, accounts_, engine_, audit_, queue_, clock_);
  }

  ManualClock clock_{1'800'000'000'000};
  app::Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  app::AdminUseCases admin_{app::Deps{*store_, clock_, keyring_}};
  app::AccountUseCases accounts_{app::Deps{*store_, clock_, keyring_}};
  app::RequestEngine engine_{app::Deps{*store_, clock_, keyring_}};
  app::RequestQueries queries_{app::Deps{*store_, clock_, keyring_}};
  app::AuditLog audit_{app::Deps{*store_, clock_, keyring_}};
  app::JobQueue queue_{*store_};
  JobRunner runner_{queue_, clock_};
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

// How many outbox messages of `event_type` the request has.
size_t CountEvents(const app::RequestQueries& queries, const app::CallContext& ctx,
                   const std::string& request_id, const std::string& event_type) {
  domain::OutboxFilter f;
  f.request_id = request_id;
  f.event_type = event_type;
  f.limit = 100;
  auto page = queries.ListOutbox(ctx, f);
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  return page.ok() ? page->items.size() : 0;
}

TEST_F(StandardWorkTest, SlaJobsMarkAnOpenRequestAtRiskThenBreached) {
  // Friday 2027-01-15 09:00 Paris. A reconnection waiting for payment, normal priority: 540
  // business minutes, so at risk at 16:12 (80%) and due at 18:00 the same day.
  app::CreateAccountInput account;
  account.external_ref = "CUST-SLA";
  account.plan_codes = {"mobile_basic"};
  account.amount_due_minor = 5000;
  auto created = accounts_.CreateAccount(ctx_, account);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  app::PlaceHoldInput hold;
  hold.account_id = created->account.account.id;
  hold.type = domain::HoldType::kNonPayment;
  ctx_.reason_code = "non_payment";
  ASSERT_TRUE(accounts_.PlaceHold(ctx_, hold).ok());
  app::SubmitInput in;
  in.type = domain::RequestType::kReconnection;
  in.account_id = hold.account_id;
  in.service_id = created->account.services.at(0).id;
  ctx_.reason_code = "payment_received";
  auto filed = engine_.Submit(ctx_, in);
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  std::string id = filed->request.id;
  ASSERT_EQ(filed->request.state, domain::RequestState::kAwaitingPayment);
  EXPECT_EQ(filed->request.at_risk_at, std::optional<Timestamp>(clock_.Now() + 432 * 60'000));
  EXPECT_EQ(filed->request.due_at, std::optional<Timestamp>(clock_.Now() + 540 * 60'000));

  clock_.Advance(432 * 60'000 - 1);
  ASSERT_TRUE(runner_.RunDueJobs().ok());
  EXPECT_EQ(queries_.GetRequest(ctx_, id)->sla_status, domain::SlaStatus::kOnTrack);
  clock_.Advance(1);
  EXPECT_EQ(*runner_.RunDueJobs(), 1);
  EXPECT_EQ(queries_.GetRequest(ctx_, id)->sla_status, domain::SlaStatus::kAtRisk);
  EXPECT_EQ(CountEvents(queries_, ctx_, id, "request.sla_at_risk"), 1u);

  clock_.Advance(108 * 60'000);
  EXPECT_EQ(*runner_.RunDueJobs(), 1);
  auto breached = queries_.GetRequest(ctx_, id);
  EXPECT_EQ(breached->sla_status, domain::SlaStatus::kBreached);
  EXPECT_EQ(breached->priority, "high");
  EXPECT_EQ(breached->assignee, "supervisors");
  EXPECT_EQ(CountEvents(queries_, ctx_, id, "request.sla_breached"), 1u);
  EXPECT_EQ(CountEvents(queries_, ctx_, id, "request.escalated"), 2u);
  clock_.Advance(kMillisPerDay);
  EXPECT_EQ(*runner_.RunDueJobs(), 0);
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
