// Reconciliation over a real store (SQLite, and PostgreSQL on SB_TEST_PG_URL): a tenant of
// 100,000 accounts (20,000 on PostgreSQL) compared with a file in which 1% of the rows were planted
// to differ, every difference found and no other; the pack's repairs filed through the engine; the
// same file twice; a dry run; the drift queue resolved by an agent.
#include "app/reconciliation/reconciliation.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <sstream>

#include "app/core/keyring.h"
#include "app/policy/policy_packs.h"
#include "app/requests/request_queries.h"
#include "app/tenants/tenant_admin.h"
#include "tests/support/backend_tenant_fixture.h"

namespace sb::app {
namespace {

// The tenant's size: 100,000 accounts on SQLite; 20,000 on PostgreSQL, where seeding row by row
// costs a minute per 100,000 and the paths exercised (paging, the repair cap) are the same.
int TenantSize(const std::string& backend) { return backend == "postgres" ? 20'000 : 100'000; }

class ReconciliationTest : public sb::testing::BackendTenantTest {
 protected:
  void SetUp() override {
    BackendTenantTest::SetUp();
    if (HasFatalFailure()) return;
    ctx_.actor = {domain::ActorType::kApiKey, "key_sup", domain::Role::kSupervisor};
  }

  // `n` active accounts "CUST-<i>", each with one active service "svc_t<i>" and 1000 due,
  // written straight into the store (a few thousand per transaction).
  void Seed(int n) {
    for (int from = 0; from < n; from += 5000) {
      Status s = store_->Write([&](domain::Tx& tx) -> Status {
        for (int i = from; i < std::min(n, from + 5000); ++i) {
          std::string n = std::to_string(i);
          SB_RETURN_IF_ERROR(
              InsertAccountWithService(tx, "acc_t" + n, "CUST-" + n, "svc_t" + n, 1000));
        }
        return Status::Ok();
      });
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  Result<ReconciliationOutcome> Run(const std::string& csv, const std::string& hash,
                                    bool dry_run = false) {
    std::istringstream in(csv);
    CallContext ctx = ctx_;
    ctx.dry_run = dry_run;
    return Reconciliations(*deps_).RunFile(ctx, "billing", BulkFormat::kCsv, in, hash);
  }

  std::vector<domain::DriftItem> AllItems(const std::string& run_id) {
    std::vector<domain::DriftItem> out;
    domain::DriftItemFilter f;
    f.run_id = run_id;
    f.limit = 1000;
    while (true) {
      auto page = Reconciliations(*deps_).Items(ctx_, f);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) return out;
      for (auto& d : page->items) out.push_back(std::move(d));
      if (!page->has_more) return out;
      f.starting_after = page->next_cursor;
    }
  }

  int Requests(domain::RequestType type) {
    int n = 0;
    Status s = store_->Read([&](domain::Tx& tx) -> Status {
      domain::RequestFilter f;
      f.type = type;
      f.limit = 1000;
      SB_ASSIGN_OR_RETURN(auto page, tx.ListRequests(ctx_.tenant_id, f));
      n = static_cast<int>(page.items.size());
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  }
};

// A file of every account: row i says what Switchboard holds, except 1% planted to differ:
// i % 100 == 7 a suspended service, == 37 a dormant account, == 67 another amount due.
std::string PlantedFile(int n) {
  std::string csv = "external_ref,service_id,service_status,account_status,amount_due_minor\n";
  for (int i = 0; i < n; ++i) {
    int k = i % 100;
    csv += "CUST-" + std::to_string(i) + ",svc_t" + std::to_string(i) + "," +
           (k == 7 ? "suspended" : "active") + "," + (k == 37 ? "dormant" : "active") + "," +
           (k == 67 ? "2500" : "1000") + "\n";
  }
  return csv;
}

TEST_P(ReconciliationTest, EveryPlantedDifferenceIsFoundAndNoOther) {
  const int kAccounts = TenantSize(GetParam());
  Seed(kAccounts);
  const std::string csv = PlantedFile(kAccounts);

  auto out = Run(csv, "hash-1");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const domain::ReconciliationRun& run = out->run;
  EXPECT_FALSE(out->duplicate);
  EXPECT_EQ(run.rows_read, kAccounts);
  EXPECT_EQ(run.rows_rejected, 0) << run.rejected_json;
  EXPECT_EQ(run.rows_in_step, kAccounts - kAccounts / 100 * 3);
  EXPECT_EQ(run.service_status_drift, kAccounts / 100);
  EXPECT_EQ(run.account_status_drift, kAccounts / 100);
  EXPECT_EQ(run.amount_due_drift, kAccounts / 100);
  EXPECT_NE(run.finished_at, 0);

  // Every item is a planted row, of the kind planted there, and the pack's default rules
  // decided what was done: a service status is announced again at once, the rest queued.
  std::vector<domain::DriftItem> items = AllItems(run.id);
  ASSERT_EQ(static_cast<int>(items.size()), kAccounts / 100 * 3);
  std::set<std::string> seen;
  for (const auto& d : items) {
    int i = std::stoi(d.external_ref.substr(5));
    int k = i % 100;
    EXPECT_TRUE(seen.insert(d.external_ref + "/" + std::string(domain::Name(d.kind))).second);
    switch (d.kind) {
      case domain::DriftKind::kServiceStatus:
        EXPECT_EQ(k, 7) << d.external_ref;
        EXPECT_EQ(d.switchboard_value, "active");
        EXPECT_EQ(d.source_value, "suspended");
        EXPECT_EQ(d.service_id, "svc_t" + std::to_string(i));
        EXPECT_EQ(d.action, "repair");
        EXPECT_FALSE(d.open);
        EXPECT_EQ(d.resolution, "repaired");
        EXPECT_FALSE(d.request_id.empty());
        break;
      case domain::DriftKind::kAccountStatus:
        EXPECT_EQ(k, 37) << d.external_ref;
        EXPECT_EQ(d.source_value, "dormant");
        EXPECT_EQ(d.action, "queue");
        EXPECT_TRUE(d.open);
        break;
      case domain::DriftKind::kAmountDue:
        EXPECT_EQ(k, 67) << d.external_ref;
        EXPECT_EQ(d.switchboard_value, "1000");
        EXPECT_EQ(d.source_value, "2500");
        EXPECT_EQ(d.truth, domain::DriftTruth::kSource);
        EXPECT_TRUE(d.open);
        break;
    }
  }
  EXPECT_EQ(run.repairs_filed, kAccounts / 100);
  EXPECT_EQ(run.queued, kAccounts / 100 * 2);
  EXPECT_EQ(Requests(domain::RequestType::kStatusSync), std::min(1000, kAccounts / 100));

  // The same file again changes nothing: the first run is the answer.
  auto again = Run(csv, "hash-1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->run.id, run.id);
  EXPECT_EQ(AllItems(run.id).size(), items.size());
  EXPECT_EQ(Requests(domain::RequestType::kStatusSync), std::min(1000, kAccounts / 100));
}

TEST_P(ReconciliationTest, AnOpenItemStandsForTheSameDriftInALaterRunUntilResolved) {
  Seed(3);
  const std::string csv =
      "account_id,account_status\n"
      "acc_t0,active\n"
      "acc_t1,dormant\n"
      "acc_t2,closed\n";
  // A dry run finds what a run would and records nothing.
  auto dry = Run(csv, "h1", /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_EQ(dry->run.queued, 2);
  ASSERT_EQ(dry->items.size(), 2u);
  EXPECT_EQ(dry->items[0].source_value, "dormant");
  EXPECT_EQ(Reconciliations(*deps_).List(ctx_, "", 10)->items.size(), 0u);

  auto first = Run(csv, "h1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->duplicate);
  EXPECT_EQ(first->run.queued, 2);
  auto items = AllItems(first->run.id);
  ASSERT_EQ(items.size(), 2u);

  // A later file (another hash) with the same differences: each is already open.
  auto second = Run(csv + "acc_t0,active\n", "h2");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->run.already_open, 2);
  EXPECT_EQ(second->run.queued, 0);
  EXPECT_EQ(second->run.rows_rejected, 1);  // acc_t0 twice
  EXPECT_NE(second->run.rejected_json.find("duplicate_row"), std::string::npos);
  for (const auto& d : AllItems(second->run.id)) {
    EXPECT_EQ(d.action, "already_open");
    EXPECT_FALSE(d.known_item_id.empty());
  }

  // An agent resolves one; the next run queues that difference afresh.
  CallContext agent = ctx_;
  agent.actor = {domain::ActorType::kApiKey, "key_agent", domain::Role::kAgent};
  auto resolved = Reconciliations(*deps_).Resolve(agent, items[0].id, "dismissed", "checked");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_FALSE(resolved->open);
  auto twice = Reconciliations(*deps_).Resolve(agent, items[0].id, "fixed", "");
  EXPECT_EQ(twice.status().reason(), "drift_item_closed");
  EXPECT_EQ(Reconciliations(*deps_).Resolve(agent, items[1].id, "ignored", "").status().param(),
            "resolution");
  auto third = Run(csv, "h3");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->run.queued, 1);
  EXPECT_EQ(third->run.already_open, 1);
}

TEST_P(ReconciliationTest, RowsThatNameNothingKnownAreRejectedAndTheRestCompared) {
  Seed(2);
  auto out =
      Run("external_ref,service_id,service_status,amount_due_minor\n"
          "CUST-0,svc_t0,active,1000\n"
          "CUST-404,,,1000\n"
          "CUST-1,svc_t0,active,\n"
          "CUST-1,svc_t1,asleep,\n"
          "CUST-1,,,-5\n"
          "CUST-1,,,\n"
          "CUST-1,svc_t1,,\n"
          "CUST-1,svc_t1,active,999\n",
          "h");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->run.rows_read, 8);
  EXPECT_EQ(out->run.rows_rejected, 6);
  EXPECT_EQ(out->run.rows_in_step, 1);
  EXPECT_EQ(out->run.amount_due_drift, 1);
  for (const char* code : {"unknown_account", "unknown_service", "unknown_state", "invalid_amount",
                           "nothing_to_compare", "service_status_required"}) {
    EXPECT_NE(out->run.rejected_json.find(code), std::string::npos) << code;
  }
}

TEST_P(ReconciliationTest, AFileThatCannotBeReadRecordsNothing) {
  Seed(1);
  auto out = Run("external_ref,colour\nCUST-0,blue\n", "h");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->malformed);
  EXPECT_EQ(out->error.column, "colour");
  EXPECT_EQ(out->error.code, "unknown_column");
  auto broken = Run("external_ref,account_status\nCUST-0,\"dormant\n", "h2");
  ASSERT_TRUE(broken.ok());
  EXPECT_TRUE(broken->malformed);
  EXPECT_EQ(broken->error.code, "unterminated_quote");
  EXPECT_EQ(Reconciliations(*deps_).List(ctx_, "", 10)->items.size(), 0u);
  CallContext agent = ctx_;
  agent.actor.role = domain::Role::kAgent;
  std::istringstream in("account_id,account_status\nacc_t0,active\n");
  EXPECT_EQ(Reconciliations(*deps_)
                .RunFile(agent, "billing", BulkFormat::kCsv, in, "h3")
                .status()
                .reason(),
            "role_required");
  std::istringstream in2("account_id,account_status\nacc_t0,active\n");
  EXPECT_EQ(Reconciliations(*deps_)
                .RunFile(ctx_, "Billing!", BulkFormat::kCsv, in2, "h4")
                .status()
                .param(),
            "source");
}

TEST_P(ReconciliationTest, AHeaderIsRefusedNamingTheColumnButNeverACardNumber) {
  Seed(1);
  struct Case {
    std::string header;
    std::string column;
    std::string code;
  };
  std::vector<Case> cases = {
      {"external_ref,account_status,4111111111111111", "[card number removed]", "unknown_column"},
      {"external_ref,account_status,4111 1111 1111 1111", "[card number removed]",
       "unknown_column"},
      {"external_ref,account_status,4111-1111-1111-1111", "[card number removed]",
       "unknown_column"},
      {"external_ref,account_status,,", "column 3", "unnamed_column"},
      {"external_ref,account_status,", "column 3", "unnamed_column"},
  };
  int n = 0;
  for (const Case& c : cases) {
    auto out = Run(c.header + "\nCUST-0,active\n", "hh" + std::to_string(++n));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_TRUE(out->malformed) << c.header;
    EXPECT_EQ(out->error.row, 1) << c.header;
    EXPECT_EQ(out->error.column, c.column) << c.header;
    EXPECT_EQ(out->error.code, c.code) << c.header;
  }
  EXPECT_EQ(Reconciliations(*deps_).List(ctx_, "", 10)->items.size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReconciliationTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace sb::app
