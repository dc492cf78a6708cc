#include "storage/postgres/pg_store.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>

#include "storage/migrations.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

// Any fixed number, shared by every process that migrates this database.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7215403911)";

const Stmt kAppliedVersions{"migrations_applied", "SELECT version FROM schema_migrations"};
const Stmt kRecordMigration{"migrations_record",
                            "INSERT INTO schema_migrations (version, name, applied_at) "
                            "VALUES ($1, $2, (extract(epoch FROM now()) * 1000)::bigint)"};

// Runs `fn` in the transaction open on `conn` and commits; rolls back on failure or exception.
Status RunTx(Conn& conn, bool writable, const domain::Store::TxFn& fn) {
  Status status;
  try {
    PgTx tx(conn, writable);
    status = fn(tx);
  } catch (const std::exception& e) {
    status = Status::Internal(std::string("exception in transaction: ") + e.what());
  } catch (...) {
    status = Status::Internal("unknown exception in transaction");
  }
  if (!status.ok()) {
    // A failed ROLLBACK only happens on a lost connection, which the pool then drops.
    (void)conn.Simple("ROLLBACK");
    return status;
  }
  return conn.Commit();
}

class PgStore final : public domain::Store {
 public:
  PgStore(std::string uri, int pool_size)
      : pool_size_(pool_size), pool_(std::move(uri), pool_size) {}

  Status Write(const TxFn& fn) override { return Run("BEGIN", true, fn); }

  Status Read(const TxFn& fn) override {
    return Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", false, fn);
  }

  std::string_view Backend() const override { return "postgres"; }

  Status Ping() override {
    return Run("BEGIN READ ONLY", false, [](domain::Tx&) { return Status::Ok(); });
  }

  // Applies pending migrations in one transaction under an advisory lock, so that several
  // processes starting together apply each migration exactly once.
  Result<std::vector<int>> Migrate() {
    SB_ASSIGN_OR_RETURN(Lease conn, pool_.Acquire());
    SB_RETURN_IF_ERROR(conn->Simple("BEGIN"));
    auto applied = MigrateLocked(*conn);
    if (!applied.ok()) {
      (void)conn->Simple("ROLLBACK");
      return applied.status();
    }
    SB_RETURN_IF_ERROR(conn->Commit());
    return applied;
  }

 private:
  // Pooled connections all break when the server restarts; a transaction that could not even
  // begin is retried on another (or a new) connection, so one restart costs no failed call.
  Status Run(const char* begin, bool writable, const TxFn& fn) {
    for (int attempt = 0;; ++attempt) {
      SB_ASSIGN_OR_RETURN(Lease conn, pool_.Acquire());
      Status began = conn->Simple(begin);
      if (began.code() == Code::kUnavailable && attempt < pool_size_) continue;
      SB_RETURN_IF_ERROR(began);
      return RunTx(*conn, writable, fn);
    }
  }

  static Result<std::vector<int>> MigrateLocked(Conn& conn) {
    SB_RETURN_IF_ERROR(conn.Simple(kMigrationLock));
    SB_RETURN_IF_ERROR(
        conn.Simple("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                    "name text NOT NULL, applied_at bigint NOT NULL)"));
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
      SB_RETURN_IF_ERROR(
          conn.Exec(kRecordMigration, Params().Int(m.version).Text(m.name)).status());
      applied.push_back(m.version);
    }
    return applied;
  }

  const int pool_size_;
  Pool pool_;
};

}  // namespace

Result<Opened> Open(std::string_view uri, const OpenOptions& options) {
  auto store = std::make_unique<PgStore>(std::string(uri), options.pg_pool_size);
  SB_RETURN_IF_ERROR(store->Ping());
  Opened opened;
  if (options.migrate) {
    SB_ASSIGN_OR_RETURN(opened.applied_migrations, store->Migrate());
  }
  opened.store = std::move(store);
  return opened;
}

}  // namespace sb::storage::postgres
