#pragma once

// Thin libpq helpers: bound parameters, binary results read column by column, and one
// connection that prepares each named statement once.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/status.h"

namespace sb::storage::postgres {

// Which rows a statement reaches under row-level security (migrations/postgres/0013).
enum class Reach {
  // Rows of one tenant, whose id is the statement's $1: the transaction is scoped to that
  // tenant before the statement runs (PgTx), and the database refuses every other row.
  kTenant,
  // No tenant: a server-wide table (server_keys, schema_migrations) or one of the privileged
  // switchboard_* functions that cross tenants.
  kServer,
};

// A named SQL statement, prepared once per connection on first use. `name` must be unique
// and the object must outlive every connection (define them as static constants).
struct Stmt {
  const char* name;
  const char* sql;
  Reach reach = Reach::kTenant;
};

// The INSERT statements of one table for 1 to `max_rows` rows at once, "INSERT INTO t (...)
// VALUES ($1, ..., $k), ($k+1, ...) ON CONFLICT DO NOTHING", named `name` and the row count;
// with `fail_on_duplicate`, without the ON CONFLICT clause: a row already there fails the
// statement (and its transaction). Made once; define them as static constants, as Stmt.
class MultiRowInsert {
 public:
  // `head` is the statement up to and including "VALUES ".
  MultiRowInsert(std::string name, std::string head, int columns, int max_rows,
                 bool fail_on_duplicate = false);
  // REQUIRES: 1 <= rows <= max_rows.
  const Stmt& For(int rows) const { return stmts_.at(static_cast<std::size_t>(rows) - 1); }
  int max_rows() const { return static_cast<int>(stmts_.size()); }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> sqls_;
  std::vector<Stmt> stmts_;
};

// Parameters of one statement, in order ($1, $2, ...). Text and integers go in text format,
// binary data as bytea in binary format. Not thread-safe.
class Params {
 public:
  Params& Text(std::string_view v);
  Params& Int(std::int64_t v);
  Params& Bool(bool v);
  Params& Bytes(std::string_view v);
  Params& Null();
  Params& OptText(const std::optional<std::string>& v);
  Params& OptInt(const std::optional<std::int64_t>& v);
  // Adds `more`'s parameters after these (the rows of one multi-row INSERT).
  Params& Append(Params&& more);

  int size() const { return static_cast<int>(values_.size()); }
  // The text of parameter `i` (0-based); nullopt when it is NULL or out of range.
  std::optional<std::string_view> TextAt(int i) const;
  // Arrays for PQexecPrepared; valid while this object is unchanged.
  std::vector<const char*> Values() const;
  const int* Lengths() const { return lengths_.data(); }
  const int* Formats() const { return formats_.data(); }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// Owns a PGresult whose columns are in binary format.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}
  PGresult* get() const { return r_.get(); }

  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  // Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // Raw bytes of a text, varchar or bytea column.
  std::string Str(int row, int col) const;
  // An int2, int4 or int8 column.
  std::int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_{nullptr, &PQclear};
};

// Reads one row's columns left to right.
class RowReader {
 public:
  RowReader(const PgResult& r, int row) : r_(r), row_(row) {}
  std::string Str() { return r_.Str(row_, col_++); }
  std::int64_t Int() { return r_.Int(row_, col_++); }
  int Int32() { return static_cast<int>(r_.Int(row_, col_++)); }
  bool Bool() { return r_.Bool(row_, col_++); }
  std::optional<std::string> OptStr();
  std::optional<std::int64_t> OptInt();

 private:
  const PgResult& r_;
  int row_;
  int col_ = 0;
};

// A one-column row of a count (SELECT count(*) ...), for PgTx::One.
inline std::int64_t ReadCount(RowReader& r) { return r.Int(); }

// One server connection. Not thread-safe; the pool hands it to one transaction at a time.
class Conn {
 public:
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Connects and sets the session up (synchronous_commit=on, quiet notices).
  // kUnavailable when the server cannot be reached.
  static Result<std::unique_ptr<Conn>> Connect(const std::string& uri);

  // Runs a prepared statement (preparing it on first use on this connection).
  // kConflict("duplicate") on a unique violation, kUnavailable when the connection is lost,
  // kInternal otherwise.
  Result<PgResult> Exec(const Stmt& stmt, const Params& params);

  // Runs SQL text without parameters (transaction control, migrations).
  Status Simple(const char* sql);

  // A statement of a pipeline (ExecAll, CommitAfter).
  struct Call {
    const Stmt* stmt;
    const Params* params;
  };
  // Runs `calls` in order in one round trip (libpq's pipeline mode) and answers their results.
  // A call that fails fails the whole, with that call's error (as Exec's); the calls after it
  // did not run.
  Result<std::vector<PgResult>> ExecAll(const std::vector<Call>& calls);

  // Commits the open transaction. kInternal when the server rolled it back instead (a
  // statement in it failed), kUnavailable when the connection is lost.
  Status Commit();
  // Runs `calls`, then COMMIT, in one round trip: a failing call fails it with that call's
  // error and COMMIT does not run (the transaction is left open, failed: roll it back).
  // Returns the calls' results when all of them and COMMIT succeeded.
  Result<std::vector<PgResult>> CommitAfter(const std::vector<Call>& calls);

  // True once the connection is lost; the pool then drops it.
  bool broken() const { return broken_ || PQstatus(pg_) != CONNECTION_OK; }

 private:
  explicit Conn(PGconn* pg) : pg_(pg) {}
  Status Prepare(const Stmt& stmt);
  // ExecAll, with COMMIT as its last statement when `commit`.
  Result<std::vector<PgResult>> Pipeline(const std::vector<Call>& calls, bool commit);
  // A PgResult's status as Commit checks it.
  Status CheckCommitted(PGresult* r);
  Status Check(PGresult* r, ExecStatusType want);

  PGconn* pg_;
  bool broken_ = false;
  std::unordered_set<const Stmt*> prepared_;
};

}  // namespace sb::storage::postgres
