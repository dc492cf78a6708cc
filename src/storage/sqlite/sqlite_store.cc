// The SQLite Store: one writer thread that group-commits queued Write callbacks (one COMMIT
// and fsync per batch; a savepoint each, except callbacks that may run again), a pool of
// reader connections, and a checkpointer that copies the write-ahead log into the database
// beside the writer. Every few seconds the writer thread empties the readers' page caches that
// a scan grew (those over kKeptCacheBytes) and hands the freed memory back to the system.

#include "storage/sqlite/sqlite_store.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "storage/sqlite/sqlite_checkpointer.h"
#include "storage/sqlite/sqlite_migrate.h"
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::Store;

// Writer statements.
constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
constexpr const char* kSavepoint = "SAVEPOINT sb_write";
constexpr const char* kRelease = "RELEASE sb_write";
constexpr const char* kRollbackTo = "ROLLBACK TO sb_write";
// Reader statements.
constexpr const char* kBeginRead = "BEGIN";
constexpr const char* kPing = "SELECT 1";

Status RunStatement(Conn& conn, const char* sql) {
  Stmt s(conn, sql);
  return s.Run();
}

// Runs `fn`, turning an exception into kInternal (logged without its data).
Status CallGuarded(const Store::TxFn& fn, domain::Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    std::string what = e.what();
    std::replace_if(
        what.begin(), what.end(),
        [](char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }, '\'');
    spdlog::error(R"({{"msg":"transaction callback threw","backend":"sqlite","what":"{}"}})", what);
    return Status::Internal("transaction callback threw");
  } catch (...) {
    spdlog::error(R"({{"msg":"transaction callback threw","backend":"sqlite"}})");
    return Status::Internal("transaction callback threw");
  }
}

// One queued Write: the caller blocks until the writer has set `status` and `done`.
// (A mutex and condition variable: a semaphore's spin-and-yield wait burns the CPU the
// writer needs when dozens of callers wait at once.)
struct PendingWrite {
  PendingWrite(const Store::TxFn* f, Store::Rerun r) : fn(f), rerun(r) {}
  const Store::TxFn* fn;
  Store::Rerun rerun;
  Status status;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;

  void Wait() {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return done; });
  }
  void Finish() {
    std::lock_guard lock(mu);
    done = true;
    cv.notify_one();
  }
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Conn> writer, std::vector<std::unique_ptr<Conn>> readers,
              std::unique_ptr<Checkpointer> checkpointer, int max_batch, int cache_trim_ms)
      : writer_(std::move(writer)),
        readers_(std::move(readers)),
        checkpointer_(std::move(checkpointer)),
        max_batch_(std::max(1, max_batch)),
        cache_trim_(cache_trim_ms) {
    for (auto& r : readers_) free_readers_.push_back(r.get());
    checkpointer_->Attach(*writer_);
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_cv_.notify_one();
    writer_thread_.join();
  }

  using Store::Write;
  Status Write(const TxFn& fn, Rerun rerun) override {
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      return Status::Internal("Store::Write called from inside a write transaction");
    }
    PendingWrite pending(&fn, rerun);
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Status::Unavailable("the store is closing");
      queue_.push_back(&pending);
    }
    work_cv_.notify_one();
    pending.Wait();
    return std::move(pending.status);
  }

  Status Read(const TxFn& fn) override {
    Conn* conn = AcquireReader();
    Status status = RunStatement(*conn, kBeginRead);
    if (status.ok()) {
      SqliteTx tx(*conn, /*writable=*/false);
      status = CallGuarded(fn, tx);
      RunStatement(*conn, kRollback);
    }
    ReleaseReader(conn);
    return status;
  }

  std::string_view Backend() const override { return "sqlite"; }

  Status Ping() override {
    Conn* conn = AcquireReader();
    Status status = RunStatement(*conn, kPing);
    ReleaseReader(conn);
    return status.ok() ? status : Status::Unavailable(status.message());
  }

 private:
  void WriterLoop();
  void RunBatch(const std::vector<PendingWrite*>& batch);
  size_t RunTransaction(const std::vector<PendingWrite*>& batch, size_t first, bool savepoint_each);
  Status RunOne(const TxFn& fn);
  Status RunBare(const TxFn& fn);
  // Fails every OK caller in batch[from, to) with `why` (their work was not committed).
  static void FailCommitted(const std::vector<PendingWrite*>& batch, size_t from, size_t to,
                            const Status& why);
  Conn* AcquireReader();
  void ReleaseReader(Conn* conn);
  // Empties the page caches over kKeptCacheBytes of the readers not in use, then returns the
  // freed memory to the system. On the writer thread. (The writer's own cache, 16 MiB at most,
  // is its working set under load and stays.)
  void TrimCaches();

  std::unique_ptr<Conn> writer_;
  std::vector<std::unique_ptr<Conn>> readers_;
  std::unique_ptr<Checkpointer> checkpointer_;
  const int max_batch_;
  const std::chrono::milliseconds cache_trim_;
  std::chrono::steady_clock::time_point last_trim_ = std::chrono::steady_clock::now();

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<PendingWrite*> queue_;
  bool stopping_ = false;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<Conn*> free_readers_;

  std::thread writer_thread_;  // last: started once everything above exists
};

void SqliteStore::WriterLoop() {
  std::vector<PendingWrite*> batch;
  batch.reserve(max_batch_);
  while (true) {
    if (cache_trim_.count() > 0 && std::chrono::steady_clock::now() - last_trim_ >= cache_trim_) {
      TrimCaches();
      last_trim_ = std::chrono::steady_clock::now();
    }
    {
      std::unique_lock lock(mu_);
      auto ready = [this] { return stopping_ || !queue_.empty(); };
      if (cache_trim_.count() > 0) {
        if (!work_cv_.wait_for(lock, cache_trim_, ready)) continue;  // time for the next trim
      } else {
        work_cv_.wait(lock, ready);
      }
      if (queue_.empty()) return;  // stopping, and nothing left to do
      while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    for (PendingWrite* p : batch) p->Finish();
    batch.clear();
  }
}

void SqliteStore::RunBatch(const std::vector<PendingWrite*>& batch) {
  size_t first = 0;
  while (first < batch.size()) first = RunTransaction(batch, first, /*savepoint_each=*/false);
}

// Runs batch[first..] in one transaction and commits it; returns where the next transaction
// starts (the batch's end, or the call after one whose failure SQLite answered by rolling the
// whole transaction back).
//
// A savepoint per call lets one call fail without undoing the others, but it costs: SQLite
// copies every page the call changes into its statement journal first. So calls that may
// run again (Store::Rerun::kAllowed) share the transaction bare, as long as every call
// before them in it may run again too. When such a bare call fails after writing, its rows
// are mixed with the others': the transaction is rolled back and run again from `first`,
// each call in its own savepoint (`savepoint_each`). A bare call that fails before writing
// anything needs neither.
size_t SqliteStore::RunTransaction(const std::vector<PendingWrite*>& batch, size_t first,
                                   bool savepoint_each) {
  Status begin = RunStatement(*writer_, kBeginImmediate);
  if (!begin.ok()) {
    for (size_t j = first; j < batch.size(); ++j) batch[j]->status = begin;
    return batch.size();
  }
  bool bare_allowed = !savepoint_each;
  for (size_t i = first; i < batch.size(); ++i) {
    const bool bare = bare_allowed && batch[i]->rerun == Rerun::kAllowed;
    const sqlite3_int64 changes_before = sqlite3_total_changes64(writer_->db());
    batch[i]->status = bare ? RunBare(*batch[i]->fn) : RunOne(*batch[i]->fn);
    if (sqlite3_get_autocommit(writer_->db())) {
      // SQLite rolled the whole transaction back (I/O error, disk full): nothing since
      // `first` was kept. The rest of the batch goes on in a new one.
      FailCommitted(batch, first, i + 1, Status::Internal("transaction rolled back"));
      return i + 1;
    }
    if (bare && !batch[i]->status.ok() &&
        sqlite3_total_changes64(writer_->db()) != changes_before) {
      RunStatement(*writer_, kRollback);
      return RunTransaction(batch, first, /*savepoint_each=*/true);
    }
    if (batch[i]->rerun == Rerun::kNo) bare_allowed = false;
  }
  Status commit = RunStatement(*writer_, kCommit);
  if (!commit.ok()) {
    spdlog::error(R"({{"msg":"group commit failed","backend":"sqlite","error":"{}"}})",
                  CodeName(commit.code()));
    if (!sqlite3_get_autocommit(writer_->db())) RunStatement(*writer_, kRollback);
    FailCommitted(
        batch, first, batch.size(),
        commit.code() == Code::kUnavailable ? commit : Status::Internal(commit.message()));
  }
  return batch.size();
}

Status SqliteStore::RunOne(const TxFn& fn) {
  SB_RETURN_IF_ERROR(RunStatement(*writer_, kSavepoint));
  SqliteTx tx(*writer_, /*writable=*/true);
  Status status = CallGuarded(fn, tx);
  if (status.ok()) {
    Status release = RunStatement(*writer_, kRelease);
    if (release.ok()) return status;
    status = release;
  }
  if (!sqlite3_get_autocommit(writer_->db())) {
    RunStatement(*writer_, kRollbackTo);
    RunStatement(*writer_, kRelease);
  }
  return status;
}

Status SqliteStore::RunBare(const TxFn& fn) {
  SqliteTx tx(*writer_, /*writable=*/true);
  return CallGuarded(fn, tx);
}

void SqliteStore::FailCommitted(const std::vector<PendingWrite*>& batch, size_t from, size_t to,
                                const Status& why) {
  for (size_t j = from; j < to; ++j) {
    if (batch[j]->status.ok()) batch[j]->status = why;
  }
}

namespace {

// What a connection's page cache may keep between trims: its working set for the API's
// lookups (the b-trees' upper pages, the rows of the accounts being changed), not what a scan
// of the whole database (an export, the KPIs, the scheduled scans) brought in.
constexpr int kKeptCacheBytes = 2 << 20;

// Empties `conn`'s page cache when it holds more than kKeptCacheBytes; whether it did.
// REQUIRES: no other thread uses `conn`, and it is not in a transaction.
bool TrimCache(Conn& conn) {
  int used = 0, highest = 0;
  if (sqlite3_db_status(conn.db(), SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0) != SQLITE_OK ||
      used <= kKeptCacheBytes) {
    return false;
  }
  sqlite3_db_release_memory(conn.db());
  return true;
}

}  // namespace

void SqliteStore::TrimCaches() {
  bool trimmed = false;
  std::vector<Conn*> idle;
  {
    std::lock_guard lock(pool_mu_);
    idle.swap(free_readers_);  // held here, they are not handed out meanwhile
  }
  for (Conn* conn : idle) trimmed = TrimCache(*conn) || trimmed;
  {
    std::lock_guard lock(pool_mu_);
    free_readers_.insert(free_readers_.end(), idle.begin(), idle.end());
  }
  pool_cv_.notify_all();
  // What the caches and the calls since the last trim freed goes back to the system.
  if (trimmed) malloc_trim(0);
}

Conn* SqliteStore::AcquireReader() {
  std::unique_lock lock(pool_mu_);
  pool_cv_.wait(lock, [this] { return !free_readers_.empty(); });
  Conn* conn = free_readers_.back();
  free_readers_.pop_back();
  return conn;
}

void SqliteStore::ReleaseReader(Conn* conn) {
  {
    std::lock_guard lock(pool_mu_);
    free_readers_.push_back(conn);
  }
  pool_cv_.notify_one();
}

}  // namespace

Result<Opened> Open(std::string_view path, const OpenOptions& options) {
  const std::string file(path);
  SB_ASSIGN_OR_RETURN(auto writer, Conn::Open(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  SB_RETURN_IF_ERROR(ConfigureWriter(*writer));
  Opened opened;
  if (options.migrate) {
    SB_ASSIGN_OR_RETURN(opened.applied_migrations, ApplyMigrations(*writer));
  }
  if (!opened.applied_migrations.empty()) {
    // A connection keeps the planner statistics it loaded when it opened; reopen so the
    // writer plans with the ones the migrations just wrote, as the readers will.
    writer.reset();
    SB_ASSIGN_OR_RETURN(writer, Conn::Open(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    SB_RETURN_IF_ERROR(ConfigureWriter(*writer));
  }
  std::vector<std::unique_ptr<Conn>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    SB_ASSIGN_OR_RETURN(auto reader, Conn::Open(file, SQLITE_OPEN_READWRITE));
    SB_RETURN_IF_ERROR(ConfigureReader(*reader));
    readers.push_back(std::move(reader));
  }
  SB_ASSIGN_OR_RETURN(auto checkpoint_conn, Conn::Open(file, SQLITE_OPEN_READWRITE));
  SB_RETURN_IF_ERROR(checkpoint_conn->Exec("PRAGMA synchronous=FULL"));
  auto checkpointer =
      std::make_unique<Checkpointer>(std::move(checkpoint_conn), options.wal_checkpoint_pages);
  opened.store =
      std::make_unique<SqliteStore>(std::move(writer), std::move(readers), std::move(checkpointer),
                                    options.max_batch, options.cache_trim_ms);
  return opened;
}

}  // namespace sb::storage::sqlite
