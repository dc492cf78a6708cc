#pragma once

// Every use case over a fresh SQLite store, and the HTTP handler over them: what a test of
// Handler::Handle needs to call the real request pipeline without sockets. A test fixture
// derives from it (after ::testing::Test) and names the server options it runs with.

#include <memory>

#include "app/accounts/accounts.h"
#include "app/audit/audit_log.h"
#include "app/core/idempotency.h"
#include "app/core/keyring.h"
#include "app/requests/request_queries.h"
#include "app/tenants/tenant_admin.h"
#include "http/handler.h"
#include "tests/support/test_stores.h"

namespace sb::testing {

struct HandlerStack {
  explicit HandlerStack(http::ServerOptions options)
      : handler_{http::Api{accounts_, requests_, admin_, audit_, gate_, *store_, clock_, packs_,
                           events_, engine_, kpis_, webhooks_, outbox_},
                 std::move(options)} {}

  ManualClock clock_{1'800'000'000'000};
  app::Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = NewSqliteTestStore();
  app::Deps deps_{*store_, clock_, keyring_};
  app::AdminUseCases admin_{deps_};
  app::AccountUseCases accounts_{deps_};
  app::RequestQueries requests_{deps_};
  app::AuditLog audit_{deps_};
  app::IdempotencyGate gate_{deps_};
  app::PolicyPackUseCases packs_{deps_};
  app::EventUseCases events_{deps_};
  app::RequestEngine engine_{deps_};
  app::KpiQueries kpis_{deps_};
  app::WebhookEndpointUseCases webhooks_{deps_};
  app::OutboxDelivery outbox_{deps_};
  http::Handler handler_;
};

}  // namespace sb::testing
