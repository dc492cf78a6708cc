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

  ManualClock clock_;
  app::Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<app::Deps> deps_;
  app::CallContext ctx_;
};

}  // namespace sb::testing
