#include "storage/sqlite/sqlite_conn.h"

namespace sb::storage::sqlite {
namespace {
constexpr int kBusyTimeoutMs = 5000;

// Process-wide settings, before SQLite initializes itself on the first open. Memory
// statistics (on by default) take a global mutex on every allocation, and this build of
// SQLite has no lookaside allocator, so every small allocation of every connection went
// through that one mutex. Nothing here reads sqlite3_memory_used().
void ConfigureLibrary() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialized
    return true;
  }();
  (void)configured;
}
}  // namespace

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::Conflict("duplicate", message);
  }
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(message);
  return Status::Internal(message);
}

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& path, int flags) {
  ConfigureLibrary();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::Unavailable(std::string("cannot open database: ") +
                                   (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return std::unique_ptr<Conn>(new Conn(db));
}

Conn::~Conn() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<sqlite3_stmt*> Conn::Prepared(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  cache_.emplace(sql, stmt);
  return stmt;
}

Status Conn::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return SqliteError(nullptr, rc, message);
}

Stmt::Stmt(Conn& conn, const char* sql) : conn_(conn) {
  auto prepared = conn.Prepared(sql);
  if (prepared.ok()) {
    stmt_ = *prepared;
  } else {
    status_ = prepared.status();
  }
}

Stmt::~Stmt() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::Text(std::string_view v) {
  if (stmt_ && status_.ok()) {
    int rc = sqlite3_bind_text(stmt_, next_param_, v.data(), static_cast<int>(v.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) status_ = SqliteError(conn_.db(), rc, "bind");
  }
  ++next_param_;
  return *this;
}

Stmt& Stmt::Blob(std::string_view v) {
  if (stmt_ && status_.ok()) {
    // A null pointer would bind SQL NULL; an empty value is a zero-length blob.
    int rc = sqlite3_bind_blob(stmt_, next_param_, v.empty() ? "" : v.data(),
                               static_cast<int>(v.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) status_ = SqliteError(conn_.db(), rc, "bind");
  }
  ++next_param_;
  return *this;
}

Stmt& Stmt::Int(std::int64_t v) {
  if (stmt_ && status_.ok()) sqlite3_bind_int64(stmt_, next_param_, v);
  ++next_param_;
  return *this;
}

Stmt& Stmt::OptInt(const std::optional<std::int64_t>& v) {
  if (v) return Int(*v);
  ++next_param_;  // parameters are NULL until bound
  return *this;
}

Stmt& Stmt::OptText(const std::optional<std::string>& v) {
  if (v) return Text(*v);
  ++next_param_;
  return *this;
}

Result<bool> Stmt::Next() {
  if (!status_.ok()) return status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  status_ = SqliteError(conn_.db(), rc, "step");
  return status_;
}

Status Stmt::Run() {
  while (true) {
    SB_ASSIGN_OR_RETURN(bool row, Next());
    if (!row) return Status::Ok();
  }
}

std::int64_t Stmt::Changes() const { return sqlite3_changes64(conn_.db()); }

std::string Stmt::ColText(int i) const { return std::string(ColView(i)); }

std::string_view Stmt::ColView(int i) const {
  const void* data = sqlite3_column_blob(stmt_, i);
  int n = sqlite3_column_bytes(stmt_, i);
  if (!data || n <= 0) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(n)};
}

bool Stmt::ColIsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

std::int64_t Stmt::ColInt(int i) const { return sqlite3_column_int64(stmt_, i); }

std::optional<std::int64_t> Stmt::ColOptInt(int i) const {
  if (ColIsNull(i)) return std::nullopt;
  return sqlite3_column_int64(stmt_, i);
}

std::optional<std::string> Stmt::ColOptText(int i) const {
  if (ColIsNull(i)) return std::nullopt;
  return ColText(i);
}

}  // namespace sb::storage::sqlite
