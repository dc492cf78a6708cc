// PgTx: the audit entries and outbox messages a transaction inserts, written together
// (PgTx::Pending in storage/postgres/pg_tx.h).
#include <string_view>
#include <utility>

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {

Status PgTx::KeepPending(Pending& pending, std::string_view tenant_id, Params row,
                         const MultiRowInsert& insert) {
  if (!writable_) return Status::Internal("write in a read-only transaction");
  // One statement is scoped to one tenant (row-level security checks every row against it).
  if (!pending.rows.empty() && pending.tenant_id != tenant_id) {
    SB_RETURN_IF_ERROR(WritePending(pending, insert));
  }
  if (pending.rows.empty()) pending.tenant_id = std::string(tenant_id);
  pending.rows.push_back(std::move(row));
  if (static_cast<int>(pending.rows.size()) >= insert.max_rows()) {
    return WritePending(pending, insert);
  }
  return Status::Ok();
}

Status PgTx::WritePending(Pending& pending, const MultiRowInsert& insert) {
  if (pending.rows.empty()) return Status::Ok();
  std::vector<Params> rows;
  rows.swap(pending.rows);  // empty before the statement runs: Exec flushes what still waits
  const int count = static_cast<int>(rows.size());
  Params all;
  for (Params& row : rows) all.Append(std::move(row));
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(insert.For(count), all));
  if (r.affected() < count) return Status::Conflict("duplicate", "already exists");
  return Status::Ok();
}

Status PgTx::FlushPending() {
  SB_RETURN_IF_ERROR(FlushAudit());
  return FlushOutbox();
}

Status PgTx::FlushBefore(const Stmt& stmt) {
  if (pending_audit_.rows.empty() && pending_outbox_.rows.empty()) return Status::Ok();
  std::string_view sql = stmt.sql;
  if (sql.find("audit_entries") == std::string_view::npos &&
      sql.find("outbox") == std::string_view::npos) {
    return Status::Ok();
  }
  return FlushPending();
}

}  // namespace sb::storage::postgres
