// Writers of a request serialise on its account's lock (app/request_flow.h, LockRequest): on
// PostgreSQL, a queue action running while another transaction changes the same request
// must see that change, not overwrite it with what it read before.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "app/accounts/accounts.h"
#include "app/core/keyring.h"
#include "app/requests/request_queries.h"
#include "app/requests/requests.h"
#include "app/tenants/tenant_admin.h"
#include "tests/support/test_stores.h"

namespace sb::app {
namespace {

class RequestLocking : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = sb::testing::NewPostgresTestStore();
    if (!store_) GTEST_SKIP() << "SB_TEST_PG_URL is not set";
    deps_ = std::make_unique<Deps>(Deps{*store_, clock_, keyring_});
    auto tenant = AdminUseCases(*deps_).CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
    ctx_.actor = {domain::ActorType::kApiKey, "key_test", domain::Role::kAgent};
  }

  // A reconnection waiting for payment.
  std::string WaitingRequest() {
    AccountUseCases accounts(*deps_);
    CreateAccountInput account;
    account.external_ref = "CUST-LOCK";
    account.plan_codes = {"mobile_basic"};
    account.amount_due_minor = 5000;
    auto created = accounts.CreateAccount(ctx_, account);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    PlaceHoldInput hold;
    hold.account_id = created->account.account.id;
    hold.type = domain::HoldType::kNonPayment;
    ctx_.reason_code = "non_payment";
    EXPECT_TRUE(accounts.PlaceHold(ctx_, hold).ok());
    SubmitInput in;
    in.type = domain::RequestType::kReconnection;
    in.account_id = hold.account_id;
    in.service_id = created->account.services.at(0).id;
    ctx_.reason_code = "payment_received";
    auto filed = RequestEngine(*deps_).Submit(ctx_, in);
    EXPECT_TRUE(filed.ok()) << filed.status().ToString();
    return filed.ok() ? filed->request.id : "";
  }

  ManualClock clock_{1'800'000'000'000};  // Friday 2027-01-15 09:00 Paris
  Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<Deps> deps_;
  CallContext ctx_;
};

TEST_F(RequestLocking, AssignDuringAnEscalationKeepsTheEscalation) {
  std::string id = WaitingRequest();
  ASSERT_FALSE(id.empty());
  // A writer that follows the rule (account lock, then the request) and is slow to commit,
  // as an SLA timer escalating the request would be.
  std::promise<void> updated;
  std::thread escalation([&] {
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(domain::Request r, tx.GetRequest(ctx_.tenant_id, id));
      SB_RETURN_IF_ERROR(tx.GetAccount(ctx_.tenant_id, r.account_id, true).status());
      r.priority = "high";
      r.sla_status = domain::SlaStatus::kBreached;
      SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
      updated.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  updated.get_future().wait();
  auto assigned = RequestEngine(*deps_).Assign(ctx_, id, "agent_bob");
  escalation.join();
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();

  auto stored = RequestQueries(*deps_).GetRequest(ctx_, id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->assignee, "agent_bob");
  EXPECT_EQ(stored->priority, "high");
  EXPECT_EQ(stored->sla_status, domain::SlaStatus::kBreached);
}

}  // namespace
}  // namespace sb::app
