#pragma once

// A use case's test over a real store of either backend, by the test's parameter ("sqlite", or
// "postgres" on the cluster of SB_TEST_PG_URL), holding one tenant made as an operator makes
// it (ctx_.tenant_id). A test derives from it, sets ctx_.actor to the role it calls as, and is
// instantiated with ::testing::Values("sqlite", "postgres").

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/core/context.h"
#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "common/time.h"
#include "domain/model.h"
#include "tests/support/test_stores.h"

namespace sb::testing {

class BackendTenantTest : public ::testing::TestWithParam<std::string> {
 protected:
  // `now`: where the test's clock starts.
  explicit BackendTenantTest(Timestamp now = 1'800'000'000'000) : clock_(now) {}

  void SetUp() override {
    store_ = GetParam() == "postgres" ? NewPostgresTestStore() : NewSqliteTestStore();
    ASSERT_NE(store_, nullptr);
    deps_ = std::make_unique<app::Deps>(app::Deps{*store_, clock_, keyring_});
    auto tenant = app::AdminUseCases(*deps_).CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
  }

  // Inserts, inside `tx`, an active account of the tenant (`id`, `external_ref`, owing
  // `amount_due_minor`) with one mobile_basic service `service_id`, made now.
  Status InsertAccountWithService(domain::Tx& tx, const std::string& id,
                                  const std::string& external_ref, const std::string& service_id,
                                  std::int64_t amount_due_minor = 0) {
    domain::Account a;
    a.tenant_id = ctx_.tenant_id;
    a.id = id;
    a.external_ref = external_ref;
    a.amount_due_minor = amount_due_minor;
    a.created_at = a.updated_at = clock_.Now();
    SB_RETURN_IF_ERROR(tx.InsertAccount(a));
    domain::Service svc;
    svc.tenant_id = ctx_.tenant_id;
    svc.id = service_id;
    svc.account_id = id;
    svc.plan_code = "mobile_basic";
    svc.created_at = svc.updated_at = clock_.Now();
    return tx.InsertService(svc);
  }

  ManualClock clock_;
  app::Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<app::Deps> deps_;
  app::CallContext ctx_;
};

}  // namespace sb::testing
