// The dormancy scan over a real store (SQLite, and PostgreSQL when SB_TEST_PG_URL is set):
// what it marks, what it leaves, and that scans running at once invite an account once.
#include "app/accounts/dormancy.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/core/keyring.h"
#include "app/requests/request_queries.h"
#include "app/tenants/tenant_admin.h"
#include "tests/support/backend_tenant_fixture.h"

namespace sb::app {
namespace {

class DormancyScanTest : public sb::testing::BackendTenantTest {
 protected:
  void SetUp() override {
    BackendTenantTest::SetUp();
    if (HasFatalFailure()) return;
    ctx_.actor = {domain::ActorType::kApiKey, "key_test", domain::Role::kAgent};
    ctx_.reason_code = "customer_request";
  }

  std::string NewAccount(const std::string& ref) {
    CreateAccountInput in;
    in.external_ref = ref;
    in.plan_codes = {"mobile_basic"};
    auto r = AccountUseCases(*deps_).CreateAccount(ctx_, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->account.account.id : "";
  }

  domain::AccountStatus StatusOf(const std::string& id) {
    return AccountUseCases(*deps_).GetAccount(ctx_, id)->account.status;
  }

  // Invitations in the outbox, by account.
  std::map<std::string, int> Invitations() {
    domain::OutboxFilter f;
    f.event_type = kReactivationInvited;
    f.limit = 100;
    auto page = RequestQueries(*deps_).ListOutbox(ctx_, f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::map<std::string, int> out;
    if (!page.ok()) return out;
    for (const auto& m : page->items) ++out[m.account_id];
    return out;
  }
};

TEST_P(DormancyScanTest, MarksOnlyAccountsPastInactiveDaysAndOnlyOnce) {
  std::string stale = NewAccount("CUST-1");
  clock_.Advance(100 * kMillisPerDay);
  std::string recent = NewAccount("CUST-2");
  DormancyScan scan(*deps_);
  auto early = scan.Run();
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_EQ(early->marked, 0);

  clock_.Advance(81 * kMillisPerDay);  // stale: 181 days untouched; recent: 81
  auto run = scan.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->marked, 1);
  EXPECT_EQ(run->failed, 0) << run->first_failure.ToString();
  EXPECT_EQ(StatusOf(stale), domain::AccountStatus::kDormant);
  EXPECT_EQ(StatusOf(recent), domain::AccountStatus::kActive);
  EXPECT_EQ(Invitations(), (std::map<std::string, int>{{stale, 1}}));
  EXPECT_EQ(scan.Run()->marked, 0);
  EXPECT_EQ(Invitations(), (std::map<std::string, int>{{stale, 1}}));
}

TEST_P(DormancyScanTest, ScansRunningAtOnceInviteEachAccountOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(NewAccount("CUST-" + std::to_string(i)));
  clock_.Advance(200 * kMillisPerDay);
  std::vector<int> marked(4, 0);
  std::vector<std::thread> scans;
  for (int t = 0; t < 4; ++t) {
    scans.emplace_back([&, t] {
      auto r = DormancyScan(*deps_).Run();
      if (r.ok()) marked[t] = r->marked;
    });
  }
  for (auto& t : scans) t.join();
  EXPECT_EQ(marked[0] + marked[1] + marked[2] + marked[3], 25);
  std::map<std::string, int> invited = Invitations();
  EXPECT_EQ(invited.size(), ids.size());
  for (const std::string& id : ids) EXPECT_EQ(invited[id], 1) << id;
}

INSTANTIATE_TEST_SUITE_P(Backends, DormancyScanTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace sb::app
