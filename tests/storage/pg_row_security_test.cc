// Row-level security on PostgreSQL (migrations/postgres/0013): the server's role, scoped to one
// tenant per transaction, reaches no other tenant's rows even with SQL that forgets its tenant
// filter; the only ways across tenants are the privileged switchboard_* functions.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/storage/contract.h"
#include "tests/support/pg_test_roles.h"
#include "tests/support/test_stores.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

// The outcome of one raw SQL statement: its rows (first column, text) or the server's error.
struct Outcome {
  std::vector<std::string> rows;
  std::string error;
};

// One plain libpq connection, for SQL the store would never send.
class RawConn {
 public:
  explicit RawConn(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  ~RawConn() { PQfinish(conn_); }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  Outcome Run(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    Outcome out;
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      out.error = PQresultErrorMessage(r);
    } else {
      for (int i = 0; i < PQntuples(r); ++i) out.rows.emplace_back(PQgetvalue(r, i, 0));
    }
    PQclear(r);
    return out;
  }

  // Opens a transaction scoped to `tenant` the way the store does (none when empty).
  void Begin(const std::string& tenant) {
    ASSERT_EQ(Run("BEGIN").error, "");
    if (!tenant.empty()) {
      ASSERT_EQ(Run("SELECT set_config('switchboard.tenant_id', '" + tenant + "', true)").error,
                "");
    }
  }

 private:
  PGconn* conn_;
};

class PgRowSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = NewPostgresTestDatabase();
    // One transaction writing both tenants: the store rescopes it at each tenant's statement.
    SB_ASSERT_OK(db_.store->Write([](Tx& tx) {
      for (const char* t : {"ten_a", "ten_b"}) {
        std::string tenant = t;
        SB_RETURN_IF_ERROR(tx.InsertTenant(FullTenant(tenant)));
        SB_RETURN_IF_ERROR(tx.InsertApiKey(FullApiKey(tenant, "key_" + tenant, "hash_" + tenant)));
        SB_RETURN_IF_ERROR(tx.InsertAccount(FullAccount(tenant, "acc_" + tenant, "ref")));
        SB_RETURN_IF_ERROR(
            tx.InsertAuditEntry(FullAudit(tenant, "aud_" + tenant, "acc_" + tenant)));
        SB_RETURN_IF_ERROR(tx.InsertJob(FullJob(tenant, "job_" + tenant, kT0)));
      }
      return Status::Ok();
    }));
    const char* admin = std::getenv("SB_TEST_PG_URL");
    ASSERT_NE(admin, nullptr);
    admin_url_ = PgUrlFor(admin, db_.name);
  }

  // Every table that carries tenant rows, from the catalog.
  std::vector<std::string> TenantTables() {
    RawConn admin(admin_url_);
    return admin
        .Run(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relkind = 'r' AND a.attname = 'tenant_id' AND NOT a.attisdropped "
            "AND c.relnamespace = 'public'::regnamespace ORDER BY 1")
        .rows;
  }

  PostgresTestDatabase db_;
  std::string admin_url_;
};

TEST_F(PgRowSecurity, AQueryThatForgetsItsTenantFilterSeesOnlyItsTenant) {
  RawConn admin(admin_url_);
  ASSERT_EQ(admin.Run("SELECT count(*) FROM accounts").rows, std::vector<std::string>{"2"});
  RawConn app(db_.app_url);
  app.Begin("ten_a");
  EXPECT_EQ(app.Run("SELECT tenant_id FROM accounts").rows, std::vector<std::string>{"ten_a"});
  EXPECT_EQ(app.Run("SELECT id FROM tenants").rows, std::vector<std::string>{"ten_a"});
  std::vector<std::string> tables = TenantTables();
  EXPECT_GE(tables.size(), 20u);
  for (const std::string& t : tables) {
    Outcome others = app.Run("SELECT count(*) FROM " + t + " WHERE tenant_id <> 'ten_a'");
    EXPECT_EQ(others.error, "") << t;
    EXPECT_EQ(others.rows, std::vector<std::string>{"0"}) << t;
  }
  // Changing another tenant's rows finds none to change.
  EXPECT_EQ(app.Run("UPDATE accounts SET status = 'closed' WHERE tenant_id = 'ten_b' "
                    "RETURNING id")
                .rows,
            std::vector<std::string>{});
  EXPECT_EQ(app.Run("COMMIT").error, "");
  EXPECT_EQ(admin.Run("SELECT count(*) FROM accounts WHERE status = 'closed'").rows,
            std::vector<std::string>{"0"});
}

TEST_F(PgRowSecurity, WithNoTenantSetNothingIsVisible) {
  RawConn app(db_.app_url);
  app.Begin("");
  for (const std::string& t : TenantTables()) {
    EXPECT_EQ(app.Run("SELECT count(*) FROM " + t).rows, std::vector<std::string>{"0"}) << t;
  }
  // The owner obeys the policies too (FORCE) outside its privileged functions.
  RawConn owner(db_.owner_url);
  owner.Begin("");
  EXPECT_EQ(owner.Run("SELECT count(*) FROM accounts").rows, std::vector<std::string>{"0"});
}

TEST_F(PgRowSecurity, AnInsertForAnotherTenantIsRefused) {
  RawConn app(db_.app_url);
  app.Begin("ten_a");
  Outcome o =
      app.Run("INSERT INTO reason_codes (tenant_id, code, description) VALUES ('ten_b', 'x', 'y')");
  EXPECT_NE(o.error.find("row-level security"), std::string::npos) << o.error;
  app.Run("ROLLBACK");
  RawConn admin(admin_url_);
  EXPECT_EQ(admin.Run("SELECT count(*) FROM reason_codes WHERE code = 'x'").rows,
            std::vector<std::string>{"0"});
}

TEST_F(PgRowSecurity, TheAppRoleCannotLiftTheWalls) {
  RawConn app(db_.app_url);
  // Not a superuser, cannot bypass row-level security, owns no table.
  EXPECT_EQ(
      app.Run("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").rows,
      std::vector<std::string>{"f"});
  EXPECT_EQ(app.Run("SELECT count(*) FROM pg_tables WHERE tableowner = current_user").rows,
            std::vector<std::string>{"0"});
  // The owner's cross-tenant switch means nothing to it.
  app.Begin("");
  EXPECT_EQ(app.Run("SET LOCAL switchboard.cross_tenant = 'on'").error, "");
  EXPECT_EQ(app.Run("SELECT count(*) FROM accounts").rows, std::vector<std::string>{"0"});
  app.Run("ROLLBACK");
  // No DELETE (the audit log is append-only), no DDL, no granting itself more.
  for (const char* sql : {"DELETE FROM audit_entries", "UPDATE audit_entries SET comment = 'x'",
                          "ALTER TABLE accounts DISABLE ROW LEVEL SECURITY",
                          "SELECT switchboard_grant_app_role('switchboard_app')"}) {
    std::string error = app.Run(sql).error;
    EXPECT_TRUE(error.find("permission denied") != std::string::npos ||
                error.find("must be owner") != std::string::npos)
        << sql << ": " << error;
  }
}

TEST_F(PgRowSecurity, EveryTenantTableForcesRowLevelSecurity) {
  RawConn admin(admin_url_);
  for (const std::string& t : TenantTables()) {
    EXPECT_EQ(admin
                  .Run("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                       "WHERE oid = '" +
                       t + "'::regclass")
                  .rows,
              std::vector<std::string>{"t"})
        << t << " carries tenant_id without forced row-level security";
  }
}

TEST_F(PgRowSecurity, ThePrivilegedCallsStillCrossTenants) {
  SB_ASSERT_OK(db_.store->Write([](Tx& tx) {
    SB_ASSIGN_OR_RETURN(ApiKey key, tx.FindApiKeyByHash("hash_ten_b"));
    EXPECT_EQ(key.tenant_id, "ten_b");
    SB_ASSIGN_OR_RETURN(std::vector<Tenant> tenants, tx.ListTenants());
    EXPECT_EQ(tenants.size(), 2u);
    SB_ASSIGN_OR_RETURN(std::vector<std::string> unsequenced, tx.TenantsWithUnsequencedAudit());
    EXPECT_EQ(unsequenced, (std::vector<std::string>{"ten_a", "ten_b"}));
    SB_ASSIGN_OR_RETURN(std::vector<Job> jobs, tx.ClaimDueJobs(kT0, 10, 1000));
    EXPECT_EQ(jobs.size(), 2u);
    return Status::Ok();
  }));
}

}  // namespace
}  // namespace sb::testing
