// Reading the histories scoring needs over a real store (SQLite, and PostgreSQL when
// SB_TEST_PG_URL is set), across several pages read at once: every account once, newest
// first, each with its own steps, and no further than the caller wants.
#include "app/scoring/scoring.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "tests/support/test_stores.h"

namespace sb::app {
namespace {

constexpr Timestamp kHistoryStart = 1'796'169'600'000;  // 2026-12-01

class ScoringHistories : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = GetParam() == "postgres" ? sb::testing::NewPostgresTestStore()
                                      : sb::testing::NewSqliteTestStore();
    ASSERT_NE(store_, nullptr);
    deps_ = std::make_unique<Deps>(Deps{*store_, clock_, keyring_});
    auto tenant = AdminUseCases(*deps_).CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    tenant_ = tenant->id;
  }

  // `n` suspended accounts, the i-th created i minutes after kHistoryStart, each with one completed
  // suspension i seconds after kHistoryStart whose checks read an amount due of i. Returns the
  // external refs by account id.
  std::map<std::string, std::string> SuspendedAccounts(int n) {
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
      }
      return Status::Ok();
    });
    EXPECT_TRUE(written.ok()) << written.ToString();
    return refs;
  }

  ManualClock clock_{kHistoryStart + 30 * kMillisPerDay};
  Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<Deps> deps_;
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

INSTANTIATE_TEST_SUITE_P(Backends, ScoringHistories, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sb::app
