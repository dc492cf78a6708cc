#include "storage/postgres/pg_store.h"

#include <exception>
#include <memory>
#include <string>

#include "storage/postgres/pg_migrate.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

// Runs `fn` in the transaction open on `conn` and commits (with the rows it held back, in one
// round trip: PgTx::Commit); rolls back on failure or exception.
Status RunTx(Conn& conn, bool writable, const domain::Store::TxFn& fn) {
  Status status;
  try {
    PgTx tx(conn, writable);
    status = fn(tx);
    if (status.ok()) status = tx.Commit();
    if (status.ok()) return status;
  } catch (const std::exception& e) {
    status = Status::Internal(std::string("exception in transaction: ") + e.what());
  } catch (...) {
    status = Status::Internal("unknown exception in transaction");
  }
  // A failed ROLLBACK only happens on a lost connection, which the pool then drops; after a
  // COMMIT that failed there is no transaction left and it only warns.
  (void)conn.Simple("ROLLBACK");
  return status;
}

class PgStore final : public domain::Store {
 public:
  PgStore(std::string uri, int pool_size)
      : pool_size_(pool_size), pool_(std::move(uri), pool_size) {}

  using Store::Write;
  // One transaction per write. PostgreSQL ends a transaction caught in a deadlock (or a
  // serialization failure) with its work undone; a call that may run again is then run again,
  // a few times, instead of answering its caller "concurrent update, retry".
  Status Write(const TxFn& fn, Rerun rerun) override {
    constexpr int kRuns = 4;
    for (int run = 1;; ++run) {
      Status s = Run("BEGIN", true, fn);
      if (rerun == Rerun::kNo || run == kRuns || s.reason() != "concurrent_update") return s;
    }
  }

  Status Read(const TxFn& fn) override {
    return Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", false, fn);
  }

  std::string_view Backend() const override { return "postgres"; }

  Status Ping() override {
    return Run("BEGIN READ ONLY", false, [](domain::Tx&) { return Status::Ok(); });
  }

  // Applies pending migrations (pg_migrate.h): over a connection of `owner_url`, granting this
  // pool's role what it needs, or over a pooled connection when `owner_url` is empty.
  Result<std::vector<int>> Migrate(const std::string& owner_url) {
    SB_ASSIGN_OR_RETURN(Lease conn, pool_.Acquire());
    if (owner_url.empty()) return postgres::Migrate(*conn, "");
    SB_ASSIGN_OR_RETURN(std::string app_role, CurrentRole(*conn));
    SB_ASSIGN_OR_RETURN(std::unique_ptr<Conn> owner, Conn::Connect(owner_url));
    return postgres::Migrate(*owner, app_role);
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

  const int pool_size_;
  Pool pool_;
};

}  // namespace

Result<Opened> Open(std::string_view uri, const OpenOptions& options) {
  auto store = std::make_unique<PgStore>(std::string(uri), options.pg_pool_size);
  SB_RETURN_IF_ERROR(store->Ping());
  Opened opened;
  if (options.migrate) {
    SB_ASSIGN_OR_RETURN(opened.applied_migrations, store->Migrate(options.owner_url));
  }
  opened.store = std::move(store);
  return opened;
}

}  // namespace sb::storage::postgres
