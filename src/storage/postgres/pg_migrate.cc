#include "storage/postgres/pg_migrate.h"

#include <algorithm>

#include "storage/migrations.h"

namespace sb::storage::postgres {
namespace {

// Any fixed number, shared by every process that migrates this database.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7215403911)";
// Lets this transaction's data migrations reach every tenant's rows through the owner's
// privileged_path policy (migrations/postgres/0013); ends with the transaction.
constexpr const char* kCrossTenant = "SET LOCAL switchboard.cross_tenant = 'on'";
// Created only when missing: the server's own role may not create tables, and starts fine on a
// database the owner has already migrated.
constexpr const char* kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
    "name text NOT NULL, applied_at bigint NOT NULL)";

const Stmt kHaveMigrations{"migrations_table",
                           "SELECT to_regclass('schema_migrations') IS NOT NULL", Reach::kServer};
const Stmt kAppliedVersions{"migrations_applied", "SELECT version FROM schema_migrations",
                            Reach::kServer};
const Stmt kRecordMigration{"migrations_record",
                            "INSERT INTO schema_migrations (version, name, applied_at) "
                            "VALUES ($1, $2, (extract(epoch FROM now()) * 1000)::bigint)",
                            Reach::kServer};
const Stmt kCurrentRole{"current_role", "SELECT current_user::text", Reach::kServer};
const Stmt kGrantAppRole{"grant_app_role", "SELECT switchboard_grant_app_role($1)", Reach::kServer};

Result<std::vector<int>> MigrateLocked(Conn& conn, const std::string& app_role) {
  SB_RETURN_IF_ERROR(conn.Simple(kMigrationLock));
  SB_RETURN_IF_ERROR(conn.Simple(kCrossTenant));
  SB_ASSIGN_OR_RETURN(PgResult exists, conn.Exec(kHaveMigrations, Params()));
  if (!exists.Bool(0, 0)) SB_RETURN_IF_ERROR(conn.Simple(kCreateMigrations));
  SB_ASSIGN_OR_RETURN(PgResult done, conn.Exec(kAppliedVersions, Params()));
  std::vector<int> have;
  for (int i = 0; i < done.rows(); ++i) have.push_back(static_cast<int>(done.Int(i, 0)));
  std::vector<int> applied;
  for (const Migration& m : Migrations("postgres")) {
    if (std::find(have.begin(), have.end(), m.version) != have.end()) continue;
    std::string sql(m.sql);
    Status s = conn.Simple(sql.c_str());
    if (!s.ok()) {
      return Status::Internal("migration " + std::string(m.name) + " failed: " + s.message());
    }
    SB_RETURN_IF_ERROR(conn.Exec(kRecordMigration, Params().Int(m.version).Text(m.name)).status());
    applied.push_back(m.version);
  }
  if (!app_role.empty()) {
    SB_ASSIGN_OR_RETURN(std::string owner, CurrentRole(conn));
    if (owner != app_role) {
      SB_RETURN_IF_ERROR(conn.Exec(kGrantAppRole, Params().Text(app_role)).status());
    }
  }
  return applied;
}

}  // namespace

Result<std::string> CurrentRole(Conn& conn) {
  SB_ASSIGN_OR_RETURN(PgResult r, conn.Exec(kCurrentRole, Params()));
  return r.Str(0, 0);
}

Result<std::vector<int>> Migrate(Conn& conn, const std::string& app_role) {
  SB_RETURN_IF_ERROR(conn.Simple("BEGIN"));
  auto applied = MigrateLocked(conn, app_role);
  if (!applied.ok()) {
    (void)conn.Simple("ROLLBACK");
    return applied.status();
  }
  SB_RETURN_IF_ERROR(conn.Commit());
  return applied;
}

}  // namespace sb::storage::postgres
