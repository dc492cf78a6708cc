// Bulk jobs, their rows and the row idempotency keys applied (app/bulk/).
#include <algorithm>

#include "domain/bulk.h"
#include "storage/postgres/pg_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::postgres {
namespace {

using domain::BulkJob;
using domain::BulkRow;

#define SB_BULK_JOB_COLS                                                                      \
  "tenant_id, id, state, format, actor_type, actor_id, actor_role, channel, file_sha256, "    \
  "total_rows, applied_rows, failed_rows, skipped_rows, created_at, updated_at, started_at, " \
  "finished_at, active_ms, running_since"
const Stmt kInsertBulkJob{"bulk_job_insert",
                          "INSERT INTO bulk_jobs (" SB_BULK_JOB_COLS
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                          "$15, $16, $17, $18, $19) ON CONFLICT DO NOTHING"};
const Stmt kGetBulkJob{
    "bulk_job_get", "SELECT " SB_BULK_JOB_COLS " FROM bulk_jobs WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetBulkJobForUpdate{"bulk_job_get_for_update",
                                "SELECT " SB_BULK_JOB_COLS
                                " FROM bulk_jobs WHERE tenant_id = $1 AND id = $2 FOR UPDATE"};
const Stmt kUpdateBulkJob{
    "bulk_job_update",
    "UPDATE bulk_jobs SET state = $3, applied_rows = $4, failed_rows = $5, skipped_rows = $6, "
    "updated_at = $7, started_at = $8, finished_at = $9, active_ms = $10, running_since = $11, "
    "total_rows = $12 WHERE tenant_id = $1 AND id = $2"};
const Stmt kCountBulkRows{
    "bulk_job_count_rows",
    "UPDATE bulk_jobs SET applied_rows = applied_rows + $3, failed_rows = failed_rows + $4, "
    "skipped_rows = skipped_rows + $5, updated_at = $6 "
    "WHERE tenant_id = $1 AND id = $2 AND state = 'running'"};
const Stmt kListBulkJobs{"bulk_job_list",
                         "SELECT " SB_BULK_JOB_COLS
                         " FROM bulk_jobs WHERE tenant_id = $1 "
                         "AND ($2::text = '' OR id < $2) ORDER BY id DESC LIMIT $3"};

#define SB_BULK_ROW_COLS                                                                  \
  "tenant_id, job_id, row_no, state, account_id, request_type, reason_code, service_id, " \
  "idempotency_key, payload_sealed, request_id, request_state, error_code, error_param, " \
  "updated_at"
// A stored batch's rows go kRowsPerInsert to a statement (15 parameters a row).
constexpr int kRowsPerInsert = 64;
const MultiRowInsert kInsertRows{"bulk_rows_insert",
                                 "INSERT INTO bulk_job_rows (" SB_BULK_ROW_COLS ") VALUES ", 15,
                                 kRowsPerInsert};
const Stmt kListRows{"bulk_row_list", "SELECT " SB_BULK_ROW_COLS
                                      " FROM bulk_job_rows WHERE tenant_id = $1 AND job_id = $2 "
                                      "AND row_no > $3 ORDER BY row_no LIMIT $4"};
const Stmt kListPendingRows{"bulk_row_list_pending",
                            "SELECT " SB_BULK_ROW_COLS
                            " FROM bulk_job_rows WHERE tenant_id = $1 AND job_id = $2 "
                            "AND row_no > $3 AND state = 'pending' ORDER BY row_no LIMIT $4"};
const Stmt kFinishRow{
    "bulk_row_finish",
    "UPDATE bulk_job_rows SET state = $4, request_id = $5, request_state = $6, error_code = $7, "
    "error_param = $8, updated_at = $9 "
    "WHERE tenant_id = $1 AND job_id = $2 AND row_no = $3 AND state = 'pending'"};
const Stmt kInsertKey{"bulk_row_key_insert",
                      "INSERT INTO bulk_row_keys (tenant_id, idempotency_key, job_id, row_no, "
                      "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"};
const Stmt kAppliedKeys{"bulk_row_keys_applied",
                        "SELECT idempotency_key FROM bulk_row_keys WHERE tenant_id = $1 "
                        "AND idempotency_key IN (SELECT json_array_elements_text($2::json))"};

BulkJob ReadBulkJob(RowReader& r) {
  BulkJob j;
  j.tenant_id = r.Str();
  j.id = r.Str();
  j.state = domain::ParseBulkJobState(r.Str()).value_or(domain::BulkJobState::kLoading);
  j.format = r.Str();
  j.actor.type = EnumOr<domain::ActorType>(r.Str());
  j.actor.id = r.Str();
  if (auto role = r.OptStr()) j.actor.role = domain::Parse<domain::Role>(*role);
  j.channel = EnumOr<domain::Channel>(r.Str());
  j.file_sha256 = r.Str();
  j.total_rows = r.Int();
  j.applied_rows = r.Int();
  j.failed_rows = r.Int();
  j.skipped_rows = r.Int();
  j.created_at = r.Int();
  j.updated_at = r.Int();
  j.started_at = r.OptInt();
  j.finished_at = r.OptInt();
  j.active_ms = r.Int();
  j.running_since = r.OptInt();
  return j;
}

BulkRow ReadRow(RowReader& r) {
  BulkRow b;
  b.tenant_id = r.Str();
  b.job_id = r.Str();
  b.row_no = r.Int();
  b.state = domain::ParseBulkRowState(r.Str()).value_or(domain::BulkRowState::kPending);
  b.account_id = r.Str();
  b.type = EnumOr<domain::RequestType>(r.Str());
  b.reason_code = r.Str();
  b.service_id = r.Str();
  b.idempotency_key = r.Str();
  b.payload_sealed = r.Str();
  b.request_id = r.Str();
  b.request_state = r.Str();
  b.error_code = r.Str();
  b.error_param = r.Str();
  b.updated_at = r.Int();
  return b;
}

std::optional<std::string> RoleText(const domain::Actor& a) {
  if (!a.role) return std::nullopt;
  return std::string(domain::Name(*a.role));
}

}  // namespace

Status PgTx::InsertBulkJob(const BulkJob& j) {
  Params p;
  p.Text(j.tenant_id).Text(j.id).Text(domain::BulkJobStateName(j.state)).Text(j.format);
  p.Text(domain::Name(j.actor.type)).Text(j.actor.id).OptText(RoleText(j.actor));
  p.Text(domain::Name(j.channel)).Text(j.file_sha256).Int(j.total_rows).Int(j.applied_rows);
  p.Int(j.failed_rows).Int(j.skipped_rows).Int(j.created_at).Int(j.updated_at);
  p.OptInt(j.started_at).OptInt(j.finished_at).Int(j.active_ms).OptInt(j.running_since);
  return Insert(kInsertBulkJob, p);
}

Result<BulkJob> PgTx::GetBulkJob(std::string_view tenant_id, std::string_view id, bool for_update) {
  Params p;
  p.Text(tenant_id).Text(id);
  // A READ ONLY transaction refuses FOR UPDATE; there is nothing to lock for there anyway.
  return One(for_update && writable_ ? kGetBulkJobForUpdate : kGetBulkJob, p, "bulk job",
             &ReadBulkJob);
}

Status PgTx::UpdateBulkJob(const BulkJob& j) {
  Params p;
  p.Text(j.tenant_id).Text(j.id).Text(domain::BulkJobStateName(j.state)).Int(j.applied_rows);
  p.Int(j.failed_rows).Int(j.skipped_rows).Int(j.updated_at).OptInt(j.started_at);
  p.OptInt(j.finished_at).Int(j.active_ms).OptInt(j.running_since).Int(j.total_rows);
  return UpdateOne(kUpdateBulkJob, p, "bulk job");
}

Status PgTx::CountBulkRows(std::string_view tenant_id, std::string_view job_id,
                           std::int64_t applied, std::int64_t failed, std::int64_t skipped,
                           Timestamp at) {
  Params p;
  p.Text(tenant_id).Text(job_id).Int(applied).Int(failed).Int(skipped).Int(at);
  return UpdateOne(kCountBulkRows, p, "running bulk job");
}

Result<domain::Page<BulkJob>> PgTx::ListBulkJobs(std::string_view tenant_id,
                                                 std::string_view starting_after, int limit) {
  limit = PageLimit(limit);
  Params p;
  p.Text(tenant_id).Text(starting_after).Int(limit + 1);
  return PageOf(kListBulkJobs, p, limit, &ReadBulkJob, &BulkJob::id);
}

Status PgTx::InsertBulkRows(const std::vector<BulkRow>& rows) {
  for (std::size_t first = 0; first < rows.size(); first += kRowsPerInsert) {
    const std::size_t end = std::min(rows.size(), first + kRowsPerInsert);
    Params all;
    for (std::size_t i = first; i < end; ++i) {
      const BulkRow& r = rows[i];
      Params p;
      p.Text(r.tenant_id).Text(r.job_id).Int(r.row_no).Text(domain::BulkRowStateName(r.state));
      p.Text(r.account_id).Text(domain::Name(r.type)).Text(r.reason_code).Text(r.service_id);
      p.Text(r.idempotency_key).Text(r.payload_sealed).Text(r.request_id).Text(r.request_state);
      p.Text(r.error_code).Text(r.error_param).Int(r.updated_at);
      all.Append(std::move(p));
    }
    const int count = static_cast<int>(end - first);
    SB_ASSIGN_OR_RETURN(PgResult r, Exec(kInsertRows.For(count), all));
    if (r.affected() < count) return Status::Conflict("duplicate", "already exists");
  }
  return Status::Ok();
}

Result<std::vector<BulkRow>> PgTx::ListBulkRows(std::string_view tenant_id, std::string_view job_id,
                                                std::int64_t after_row, int limit,
                                                bool pending_only) {
  Params p;
  p.Text(tenant_id).Text(job_id).Int(after_row).Int(PageLimit(limit));
  return Many(pending_only ? kListPendingRows : kListRows, p, &ReadRow);
}

Status PgTx::FinishBulkRow(const BulkRow& r) {
  Params p;
  p.Text(r.tenant_id).Text(r.job_id).Int(r.row_no).Text(domain::BulkRowStateName(r.state));
  p.Text(r.request_id).Text(r.request_state).Text(r.error_code).Text(r.error_param);
  p.Int(r.updated_at);
  return UpdateOne(kFinishRow, p, "pending bulk row");
}

Status PgTx::InsertBulkRowKey(std::string_view tenant_id, std::string_view idempotency_key,
                              std::string_view job_id, std::int64_t row_no, Timestamp at) {
  Params p;
  p.Text(tenant_id).Text(idempotency_key).Text(job_id).Int(row_no).Int(at);
  return Insert(kInsertKey, p);
}

Result<std::vector<std::string>> PgTx::AppliedBulkRowKeys(std::string_view tenant_id,
                                                          const std::vector<std::string>& keys) {
  std::vector<std::string> applied;
  if (keys.empty()) return applied;
  SB_ASSIGN_OR_RETURN(PgResult r,
                      Query(kAppliedKeys, Params().Text(tenant_id).Text(EncodeStringList(keys))));
  for (int i = 0; i < r.rows(); ++i) applied.push_back(r.Str(i, 0));
  return applied;
}

}  // namespace sb::storage::postgres
