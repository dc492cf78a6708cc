// Bulk jobs, their rows and the row idempotency keys applied (app/bulk/).
#include "domain/bulk.h"
#include "storage/sqlite/sqlite_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::sqlite {
namespace {

using domain::BulkJob;
using domain::BulkRow;

#define SB_BULK_JOB_COLS                                                                      \
  "tenant_id, id, state, format, actor_type, actor_id, actor_role, channel, file_sha256, "    \
  "total_rows, applied_rows, failed_rows, skipped_rows, created_at, updated_at, started_at, " \
  "finished_at, active_ms, running_since"
constexpr const char* kInsertBulkJob =
    "INSERT INTO bulk_jobs (" SB_BULK_JOB_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetBulkJob =
    "SELECT " SB_BULK_JOB_COLS " FROM bulk_jobs WHERE tenant_id = ?1 AND id = ?2";
constexpr const char* kUpdateBulkJob =
    "UPDATE bulk_jobs SET state = ?3, applied_rows = ?4, failed_rows = ?5, skipped_rows = ?6, "
    "updated_at = ?7, started_at = ?8, finished_at = ?9, active_ms = ?10, running_since = ?11, "
    "total_rows = ?12 WHERE tenant_id = ?1 AND id = ?2";
constexpr const char* kCountBulkRows =
    "UPDATE bulk_jobs SET applied_rows = applied_rows + ?3, failed_rows = failed_rows + ?4, "
    "skipped_rows = skipped_rows + ?5, updated_at = ?6 "
    "WHERE tenant_id = ?1 AND id = ?2 AND state = 'running'";
constexpr const char* kListBulkJobs =
    "SELECT " SB_BULK_JOB_COLS
    " FROM bulk_jobs WHERE tenant_id = ?1 AND (?2 = '' OR id < ?2) "
    "ORDER BY id DESC LIMIT ?3";

#define SB_BULK_ROW_COLS                                                                  \
  "tenant_id, job_id, row_no, state, account_id, request_type, reason_code, service_id, " \
  "idempotency_key, payload_sealed, request_id, request_state, error_code, error_param, " \
  "updated_at"
constexpr const char* kInsertRow =
    "INSERT INTO bulk_job_rows (" SB_BULK_ROW_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kListRows = "SELECT " SB_BULK_ROW_COLS
                                  " FROM bulk_job_rows WHERE tenant_id = ?1 AND job_id = ?2 "
                                  "AND row_no > ?3 ORDER BY row_no LIMIT ?4";
// Through the partial index of the pending rows, named: left to itself the planner walks the
// primary key from ?3 and filters, reading every row already done (a slice starts from the
// job's first row), which made a job's cost grow with the square of its rows.
constexpr const char* kListPendingRows =
    "SELECT " SB_BULK_ROW_COLS
    " FROM bulk_job_rows INDEXED BY bulk_job_rows_pending WHERE tenant_id = ?1 AND job_id = ?2 "
    "AND row_no > ?3 AND state = 'pending' ORDER BY row_no LIMIT ?4";
constexpr const char* kFinishRow =
    "UPDATE bulk_job_rows SET state = ?4, request_id = ?5, request_state = ?6, error_code = ?7, "
    "error_param = ?8, updated_at = ?9 "
    "WHERE tenant_id = ?1 AND job_id = ?2 AND row_no = ?3 AND state = 'pending'";
constexpr const char* kInsertKey =
    "INSERT INTO bulk_row_keys (tenant_id, idempotency_key, job_id, row_no, created_at) "
    "VALUES (?,?,?,?,?)";
// The keys are bound as one JSON array (storage/string_list_json.h).
constexpr const char* kAppliedKeys =
    "SELECT idempotency_key FROM bulk_row_keys WHERE tenant_id = ? "
    "AND idempotency_key IN (SELECT value FROM json_each(?))";

BulkJob ReadBulkJob(const Stmt& s) {
  BulkJob j;
  j.tenant_id = s.ColText(0);
  j.id = s.ColText(1);
  j.state = domain::ParseBulkJobState(s.ColText(2)).value_or(domain::BulkJobState::kLoading);
  j.format = s.ColText(3);
  j.actor.type = ParseOr(s.ColText(4), domain::ActorType::kSystem);
  j.actor.id = s.ColText(5);
  if (auto role = s.ColOptText(6)) j.actor.role = domain::Parse<domain::Role>(*role);
  j.channel = ParseOr(s.ColText(7), domain::Channel::kApi);
  j.file_sha256 = s.ColText(8);
  j.total_rows = s.ColInt(9);
  j.applied_rows = s.ColInt(10);
  j.failed_rows = s.ColInt(11);
  j.skipped_rows = s.ColInt(12);
  j.created_at = s.ColInt(13);
  j.updated_at = s.ColInt(14);
  j.started_at = s.ColOptInt(15);
  j.finished_at = s.ColOptInt(16);
  j.active_ms = s.ColInt(17);
  j.running_since = s.ColOptInt(18);
  return j;
}

BulkRow ReadRow(const Stmt& s) {
  BulkRow r;
  r.tenant_id = s.ColText(0);
  r.job_id = s.ColText(1);
  r.row_no = s.ColInt(2);
  r.state = domain::ParseBulkRowState(s.ColText(3)).value_or(domain::BulkRowState::kPending);
  r.account_id = s.ColText(4);
  r.type = ParseOr(s.ColText(5), domain::RequestType::kStatusSync);
  r.reason_code = s.ColText(6);
  r.service_id = s.ColText(7);
  r.idempotency_key = s.ColText(8);
  r.payload_sealed = s.ColText(9);
  r.request_id = s.ColText(10);
  r.request_state = s.ColText(11);
  r.error_code = s.ColText(12);
  r.error_param = s.ColText(13);
  r.updated_at = s.ColInt(14);
  return r;
}

std::optional<std::string> RoleText(const domain::Actor& a) {
  if (!a.role) return std::nullopt;
  return std::string(domain::Name(*a.role));
}

}  // namespace

Status SqliteTx::InsertBulkJob(const BulkJob& j) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertBulkJob);
  s.Text(j.tenant_id).Text(j.id).Text(domain::BulkJobStateName(j.state)).Text(j.format);
  s.Text(domain::Name(j.actor.type)).Text(j.actor.id).OptText(RoleText(j.actor));
  s.Text(domain::Name(j.channel)).Text(j.file_sha256).Int(j.total_rows).Int(j.applied_rows);
  s.Int(j.failed_rows).Int(j.skipped_rows).Int(j.created_at).Int(j.updated_at);
  s.OptInt(j.started_at).OptInt(j.finished_at).Int(j.active_ms).OptInt(j.running_since);
  return s.Run();
}

Result<BulkJob> SqliteTx::GetBulkJob(std::string_view tenant_id, std::string_view id, bool) {
  Stmt s(conn_, kGetBulkJob);
  s.Text(tenant_id).Text(id);
  return OneRow<BulkJob>(s, "bulk job", ReadBulkJob);
}

Status SqliteTx::UpdateBulkJob(const BulkJob& j) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateBulkJob);
  s.Text(j.tenant_id).Text(j.id).Text(domain::BulkJobStateName(j.state)).Int(j.applied_rows);
  s.Int(j.failed_rows).Int(j.skipped_rows).Int(j.updated_at).OptInt(j.started_at);
  s.OptInt(j.finished_at).Int(j.active_ms).OptInt(j.running_since).Int(j.total_rows);
  SB_RETURN_IF_ERROR(s.Run());
  return RequireChanged(s, "bulk job");
}

Status SqliteTx::CountBulkRows(std::string_view tenant_id, std::string_view job_id,
                               std::int64_t applied, std::int64_t failed, std::int64_t skipped,
                               Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kCountBulkRows);
  s.Text(tenant_id).Text(job_id).Int(applied).Int(failed).Int(skipped).Int(at);
  SB_RETURN_IF_ERROR(s.Run());
  return RequireChanged(s, "running bulk job");
}

Result<domain::Page<BulkJob>> SqliteTx::ListBulkJobs(std::string_view tenant_id,
                                                     std::string_view starting_after, int limit) {
  limit = PageLimit(limit);
  Stmt s(conn_, kListBulkJobs);
  s.Text(tenant_id).Text(starting_after).Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<BulkJob>(s, ReadBulkJob));
  return MakePage(std::move(rows), limit);
}

Status SqliteTx::InsertBulkRows(const std::vector<BulkRow>& rows) {
  SB_RETURN_IF_ERROR(CheckWritable());
  for (const BulkRow& r : rows) {
    Stmt s(conn_, kInsertRow);
    s.Text(r.tenant_id).Text(r.job_id).Int(r.row_no).Text(domain::BulkRowStateName(r.state));
    s.Text(r.account_id).Text(domain::Name(r.type)).Text(r.reason_code).Text(r.service_id);
    s.Text(r.idempotency_key).Text(r.payload_sealed).Text(r.request_id).Text(r.request_state);
    s.Text(r.error_code).Text(r.error_param).Int(r.updated_at);
    SB_RETURN_IF_ERROR(s.Run());
  }
  return Status::Ok();
}

Result<std::vector<BulkRow>> SqliteTx::ListBulkRows(std::string_view tenant_id,
                                                    std::string_view job_id, std::int64_t after_row,
                                                    int limit, bool pending_only) {
  Stmt s(conn_, pending_only ? kListPendingRows : kListRows);
  s.Text(tenant_id).Text(job_id).Int(after_row).Int(PageLimit(limit));
  return CollectRows<BulkRow>(s, ReadRow);
}

Status SqliteTx::FinishBulkRow(const BulkRow& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kFinishRow);
  s.Text(r.tenant_id).Text(r.job_id).Int(r.row_no).Text(domain::BulkRowStateName(r.state));
  s.Text(r.request_id).Text(r.request_state).Text(r.error_code).Text(r.error_param);
  SB_RETURN_IF_ERROR(s.Int(r.updated_at).Run());
  return RequireChanged(s, "pending bulk row");
}

Status SqliteTx::InsertBulkRowKey(std::string_view tenant_id, std::string_view idempotency_key,
                                  std::string_view job_id, std::int64_t row_no, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertKey);
  return s.Text(tenant_id).Text(idempotency_key).Text(job_id).Int(row_no).Int(at).Run();
}

Result<std::vector<std::string>> SqliteTx::AppliedBulkRowKeys(
    std::string_view tenant_id, const std::vector<std::string>& keys) {
  if (keys.empty()) return std::vector<std::string>();
  Stmt s(conn_, kAppliedKeys);
  s.Text(tenant_id).Text(EncodeStringList(keys));
  return CollectRows<std::string>(s, [](const Stmt& row) { return row.ColText(0); });
}

}  // namespace sb::storage::sqlite
