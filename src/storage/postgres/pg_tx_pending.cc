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

Params PgTx::TakeRows(Pending& pending, int* count) {
  std::vector<Params> rows;
  rows.swap(pending.rows);
  *count = static_cast<int>(rows.size());
  Params all;
  for (Params& row : rows) all.Append(std::move(row));
  return all;
}

Status PgTx::WritePending(Pending& pending, const MultiRowInsert& insert) {
  if (pending.rows.empty()) return Status::Ok();
  int count = 0;
  // Empty before the statement runs: Exec flushes what still waits.
  Params all = TakeRows(pending, &count);
  // The inserts fail on a row already there (MultiRowInsert's fail_on_duplicate): Exec answers
  // kConflict "duplicate".
  return Exec(insert.For(count), all).status();
}

Status PgTx::FlushPending() {
  SB_RETURN_IF_ERROR(FlushAudit());
  return FlushOutbox();
}

Status PgTx::Commit() {
  if (pending_audit_.rows.empty() && pending_outbox_.rows.empty()) return conn_.Commit();
  // At most two batches, each after the tenant scope when it changes: the addresses of the
  // parameters stay put.
  std::vector<Params> params;
  params.reserve(4);
  std::vector<Conn::Call> calls;
  std::string tenant = tenant_;
  auto add = [&](Pending& pending, const MultiRowInsert& insert) {
    if (pending.rows.empty()) return;
    if (pending.tenant_id != tenant) {
      tenant = pending.tenant_id;
      calls.push_back({&TenantScope(), &params.emplace_back(Params().Text(tenant))});
    }
    int count = 0;
    params.push_back(TakeRows(pending, &count));
    calls.push_back({&insert.For(count), &params.back()});
  };
  add(pending_audit_, AuditInsert());
  add(pending_outbox_, OutboxInsert());
  return conn_.CommitAfter(calls).status();
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
