#include "storage/sqlite/sqlite_migrate.h"

#include <string>

#include "storage/migrations.h"

namespace sb::storage::sqlite {
namespace {

// schema_migrations
constexpr const char* kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr const char* kMigrationApplied = "SELECT 1 FROM schema_migrations WHERE version = ?";
constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))";

Status ApplyOne(Conn& conn, const Migration& m, bool* applied) {
  Stmt check(conn, kMigrationApplied);
  SB_ASSIGN_OR_RETURN(bool done, check.Int(m.version).Next());
  *applied = false;
  if (done) return Status::Ok();
  SB_RETURN_IF_ERROR(conn.Exec(std::string(m.sql).c_str()));
  Stmt record(conn, kRecordMigration);
  SB_RETURN_IF_ERROR(record.Int(m.version).Text(m.name).Run());
  *applied = true;
  return Status::Ok();
}

}  // namespace

Status ConfigureWriter(Conn& conn) {
  Stmt wal(conn, "PRAGMA journal_mode=WAL");
  SB_ASSIGN_OR_RETURN(bool row, wal.Next());
  if (!row || wal.ColText(0) != "wal") {
    return Status::Unavailable("cannot switch the database to WAL mode");
  }
  // A page cache of 16 MiB, not more: at the end of every write transaction SQLite walks every
  // page in the writer's cache (a b-tree split parks a page at the locking page's number for a
  // moment, and the commit then drops every cached page above the file's end by scanning them
  // all). That walk costs in proportion to the pages cached, and the writer's working set
  // (the index pages of the accounts being changed) fits in far fewer pages
  // (docs/PERFORMANCE.md, "The writer's page cache, and lists of states in the
  // write path").
  return conn.Exec(
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
      "PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=4000; PRAGMA secure_delete=ON");
}

Status ConfigureReader(Conn& conn) {
  return conn.Exec("PRAGMA query_only=ON; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY");
}

Result<std::vector<int>> ApplyMigrations(Conn& conn) {
  SB_RETURN_IF_ERROR(conn.Exec(kCreateMigrations));
  std::vector<int> applied_versions;
  for (const Migration& m : Migrations("sqlite")) {
    SB_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
    bool applied = false;
    Status s = ApplyOne(conn, m, &applied);
    if (s.ok()) s = conn.Exec("COMMIT");
    if (!s.ok()) {
      conn.Exec("ROLLBACK");
      return Status::Internal("migration " + std::string(m.name) + " failed: " + s.message());
    }
    if (applied) applied_versions.push_back(m.version);
  }
  return applied_versions;
}

}  // namespace sb::storage::sqlite
