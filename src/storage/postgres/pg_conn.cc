#include "storage/postgres/pg_conn.h"

#include <cstdlib>
#include <cstring>

namespace sb::storage::postgres {
namespace {

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

// Type OIDs of the columns the schema uses (pg_type.h).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

std::uint64_t BigEndian(const char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

Params& Params::Text(std::string_view v) {
  values_.emplace_back(std::string(v));
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(kTextFormat);
  return *this;
}

Params& Params::Int(std::int64_t v) { return Text(std::to_string(v)); }

Params& Params::Bool(bool v) { return Text(v ? "t" : "f"); }

Params& Params::Bytes(std::string_view v) {
  values_.emplace_back(std::string(v));
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(kBinaryFormat);
  return *this;
}

Params& Params::Null() {
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(kTextFormat);
  return *this;
}

Params& Params::OptText(const std::optional<std::string>& v) { return v ? Text(*v) : Null(); }

Params& Params::OptInt(const std::optional<std::int64_t>& v) { return v ? Int(*v) : Null(); }

MultiRowInsert::MultiRowInsert(std::string name, std::string head, int columns, int max_rows,
                               bool fail_on_duplicate) {
  for (int rows = 1; rows <= max_rows; ++rows) {
    names_.push_back(name + "_" + std::to_string(rows));
    std::string sql = head;
    for (int r = 0; r < rows; ++r) {
      sql += r == 0 ? "(" : ", (";
      for (int c = 1; c <= columns; ++c) {
        if (c > 1) sql += ", ";
        sql += "$" + std::to_string(r * columns + c);
      }
      sql += ")";
    }
    sqls_.push_back(fail_on_duplicate ? sql : sql + " ON CONFLICT DO NOTHING");
  }
  // The strings are all made before any statement points into them.
  for (std::size_t i = 0; i < names_.size(); ++i) {
    stmts_.push_back(Stmt{names_[i].c_str(), sqls_[i].c_str()});
  }
}

Params& Params::Append(Params&& more) {
  for (auto& v : more.values_) values_.push_back(std::move(v));
  lengths_.insert(lengths_.end(), more.lengths_.begin(), more.lengths_.end());
  formats_.insert(formats_.end(), more.formats_.begin(), more.formats_.end());
  return *this;
}

std::vector<const char*> Params::Values() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->data() : nullptr);
  return out;
}

std::optional<std::string_view> Params::TextAt(int i) const {
  if (i < 0 || i >= size() || !values_[i]) return std::nullopt;
  return std::string_view(*values_[i]);
}

std::int64_t PgResult::affected() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : "";
  return *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgResult::Str(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col), PQgetlength(r_.get(), row, col));
}

std::int64_t PgResult::Int(int row, int col) const {
  const char* p = PQgetvalue(r_.get(), row, col);
  switch (PQftype(r_.get(), col)) {
    case kInt8Oid:
      return static_cast<std::int64_t>(BigEndian(p, 8));
    case kInt4Oid:
      return static_cast<std::int32_t>(BigEndian(p, 4));
    case kInt2Oid:
      return static_cast<std::int16_t>(BigEndian(p, 2));
    default:
      return 0;
  }
}

bool PgResult::Bool(int row, int col) const {
  return PQftype(r_.get(), col) == kBoolOid && PQgetvalue(r_.get(), row, col)[0] != 0;
}

std::optional<std::string> RowReader::OptStr() {
  int c = col_++;
  if (r_.IsNull(row_, c)) return std::nullopt;
  return r_.Str(row_, c);
}

std::optional<std::int64_t> RowReader::OptInt() {
  int c = col_++;
  if (r_.IsNull(row_, c)) return std::nullopt;
  return r_.Int(row_, c);
}

Conn::~Conn() { PQfinish(pg_); }

Result<std::unique_ptr<Conn>> Conn::Connect(const std::string& uri) {
  PGconn* pg = PQconnectdb(uri.c_str());
  std::unique_ptr<Conn> conn(new Conn(pg));
  if (pg == nullptr || PQstatus(pg) != CONNECTION_OK) {
    std::string msg = pg ? PQerrorMessage(pg) : "out of memory";
    return Status::Unavailable("cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(pg, &IgnoreNotice, nullptr);
  SB_RETURN_IF_ERROR(conn->Simple(
      "SET synchronous_commit TO on; SET client_min_messages TO warning; SET TIME ZONE 'UTC'"));
  return conn;
}

Status Conn::Check(PGresult* r, ExecStatusType want) {
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == want || (want == PGRES_COMMAND_OK && st == PGRES_TUPLES_OK)) return Status::Ok();
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(pg_);
  if (PQstatus(pg_) != CONNECTION_OK) {
    broken_ = true;
    return Status::Unavailable("PostgreSQL connection lost: " + msg);
  }
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::strcmp(state, "23505") == 0) {
    return Status::Conflict("duplicate", "already exists");
  }
  if (state != nullptr && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0)) {
    return Status::Conflict("concurrent_update", "concurrent update, retry");
  }
  return Status::Internal("PostgreSQL: " + msg);
}

Status Conn::Prepare(const Stmt& stmt) {
  if (prepared_.contains(&stmt)) return Status::Ok();
  PGresult* raw = PQprepare(pg_, stmt.name, stmt.sql, 0, nullptr);
  PgResult r(raw);
  SB_RETURN_IF_ERROR(Check(raw, PGRES_COMMAND_OK));
  prepared_.insert(&stmt);
  return Status::Ok();
}

Result<PgResult> Conn::Exec(const Stmt& stmt, const Params& params) {
  SB_RETURN_IF_ERROR(Prepare(stmt));
  std::vector<const char*> values = params.Values();
  PGresult* raw = PQexecPrepared(pg_, stmt.name, params.size(), values.data(), params.Lengths(),
                                 params.Formats(), kBinaryFormat);
  PgResult r(raw);
  SB_RETURN_IF_ERROR(Check(raw, PGRES_COMMAND_OK));
  return r;
}

Status Conn::Simple(const char* sql) {
  PGresult* raw = PQexec(pg_, sql);
  PgResult r(raw);
  return Check(raw, PGRES_COMMAND_OK);
}

Status Conn::CheckCommitted(PGresult* r) {
  SB_RETURN_IF_ERROR(Check(r, PGRES_COMMAND_OK));
  if (std::strcmp(PQcmdStatus(r), "COMMIT") != 0) {
    return Status::Internal("transaction rolled back by the server after a failed statement");
  }
  return Status::Ok();
}

Status Conn::Commit() {
  PGresult* raw = PQexec(pg_, "COMMIT");
  PgResult r(raw);
  return CheckCommitted(raw);
}

Result<std::vector<PgResult>> Conn::ExecAll(const std::vector<Call>& calls) {
  return Pipeline(calls, /*commit=*/false);
}

Result<std::vector<PgResult>> Conn::CommitAfter(const std::vector<Call>& calls) {
  return Pipeline(calls, /*commit=*/true);
}

Result<std::vector<PgResult>> Conn::Pipeline(const std::vector<Call>& calls, bool commit) {
  // Statements are prepared outside the pipeline, on their first use on this connection.
  for (const Call& c : calls) SB_RETURN_IF_ERROR(Prepare(*c.stmt));
  if (PQenterPipelineMode(pg_) != 1) return Check(nullptr, PGRES_COMMAND_OK);
  const std::size_t sent_count = calls.size() + (commit ? 1 : 0);
  bool sent = true;
  for (const Call& c : calls) {
    std::vector<const char*> values = c.params->Values();
    sent = PQsendQueryPrepared(pg_, c.stmt->name, c.params->size(), values.data(),
                               c.params->Lengths(), c.params->Formats(), kBinaryFormat) == 1;
    if (!sent) break;
  }
  if (sent && commit) {
    sent = PQsendQueryParams(pg_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  }
  if (sent) sent = PQpipelineSync(pg_) == 1;
  if (!sent) {
    broken_ = true;  // half a pipeline on the wire: the pool drops the connection
    return Status::Unavailable(std::string("PostgreSQL pipeline not sent: ") + PQerrorMessage(pg_));
  }
  // One result per statement (each followed by a null), then the sync point.
  std::vector<PgResult> results;
  Status first_error;
  for (std::size_t i = 0; i < sent_count; ++i) {
    PGresult* raw = PQgetResult(pg_);
    PgResult r(raw);
    while (PGresult* extra = PQgetResult(pg_)) PQclear(extra);
    if (raw == nullptr || PQstatus(pg_) != CONNECTION_OK) {
      broken_ = true;
      return Check(nullptr, PGRES_COMMAND_OK);
    }
    if (!first_error.ok()) continue;
    ExecStatusType st = PQresultStatus(raw);
    if (st == PGRES_PIPELINE_ABORTED) {
      first_error = Status::Internal("PostgreSQL: pipeline aborted");
    } else if (commit && i == calls.size()) {
      first_error = CheckCommitted(raw);
    } else {
      first_error = Check(raw, PGRES_COMMAND_OK);
      if (first_error.ok()) results.push_back(std::move(r));
    }
  }
  PgResult sync(PQgetResult(pg_));
  if (sync.get() == nullptr || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC ||
      PQexitPipelineMode(pg_) != 1) {
    broken_ = true;
    return Status::Unavailable(std::string("PostgreSQL pipeline not ended: ") +
                               PQerrorMessage(pg_));
  }
  if (!first_error.ok()) return first_error;
  return results;
}

}  // namespace sb::storage::postgres
