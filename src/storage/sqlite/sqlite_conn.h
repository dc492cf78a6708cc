#pragma once

// A SQLite connection with a per-connection cache of prepared statements, and a small
// statement wrapper that binds parameters in order and reads columns. Internal to
// storage/sqlite.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace sb::storage::sqlite {

// Maps a SQLite result code to a Status: unique/primary key violations become
// kConflict("duplicate"), busy/locked kUnavailable, anything else kInternal.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// One open database handle. Not thread-safe: used by one thread at a time.
class Conn {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*), sets the busy timeout and extended codes.
  static Result<std::unique_ptr<Conn>> Open(const std::string& path, int flags);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  sqlite3* db() const { return db_; }
  // The prepared statement for `sql`, prepared on first use and cached by the address of
  // `sql`. REQUIRES: `sql` outlives the connection (a string literal or a static string).
  Result<sqlite3_stmt*> Prepared(const char* sql);
  // Runs one or more statements without parameters (pragmas, migrations).
  Status Exec(const char* sql);

 private:
  explicit Conn(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// A cached statement in use: parameters are bound in order with the Bind* methods, rows
// are stepped with Next(), and the statement is reset when the wrapper is destroyed.
class Stmt {
 public:
  Stmt(Conn& conn, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Text(std::string_view v);
  Stmt& Blob(std::string_view v);
  Stmt& Int(std::int64_t v);
  Stmt& OptInt(const std::optional<std::int64_t>& v);
  Stmt& OptText(const std::optional<std::string>& v);

  // Steps once: true with a row, false when done, or the error (including a failed
  // prepare or bind).
  Result<bool> Next();
  // Steps to completion, ignoring rows.
  Status Run();
  // Rows changed by the last Run().
  std::int64_t Changes() const;

  std::string ColText(int i) const;
  // The column's bytes, valid until the next step or column read of this row's column.
  std::string_view ColView(int i) const;
  bool ColIsNull(int i) const;
  std::string ColBlob(int i) const { return ColText(i); }
  std::int64_t ColInt(int i) const;
  std::optional<std::int64_t> ColOptInt(int i) const;
  std::optional<std::string> ColOptText(int i) const;

 private:
  Conn& conn_;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
  int next_param_ = 1;
};

}  // namespace sb::storage::sqlite
