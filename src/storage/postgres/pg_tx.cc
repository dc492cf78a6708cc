#include "storage/postgres/pg_tx.h"

#include <optional>
#include <string>

namespace sb::storage::postgres {
namespace {

// Local to the transaction (is_local = true): a pooled connection carries no tenant into the
// next one, and a rolled back transaction leaves none behind.
const Stmt kSetTenant{"tenant_scope", "SELECT set_config('switchboard.tenant_id', $1, true)",
                      Reach::kServer};

}  // namespace

const Stmt& PgTx::TenantScope() { return kSetTenant; }

Result<std::optional<Params>> PgTx::ScopeFor(const Stmt& stmt, const Params& p) const {
  if (stmt.reach == Reach::kServer) return std::optional<Params>();
  std::optional<std::string_view> tenant = p.TextAt(0);
  if (!tenant) return Status::Internal(std::string("statement ") + stmt.name + " has no tenant");
  // An empty id (never a tenant's) scopes to nothing, so its lookups find nothing, as before.
  if (*tenant == tenant_) return std::optional<Params>();
  return std::optional<Params>(Params().Text(*tenant));
}

Result<PgResult> PgTx::Run(const Stmt& stmt, const Params& p) {
  SB_ASSIGN_OR_RETURN(std::optional<Params> scope, ScopeFor(stmt, p));
  if (!scope) return conn_.Exec(stmt, p);
  SB_ASSIGN_OR_RETURN(std::vector<PgResult> results,
                      conn_.ExecAll({{&kSetTenant, &*scope}, {&stmt, &p}}));
  tenant_ = std::string(*p.TextAt(0));
  return std::move(results.back());
}

Result<PgResult> PgTx::Query(const Stmt& stmt, const Params& p) {
  SB_RETURN_IF_ERROR(FlushBefore(stmt));
  if (!keeping_rows_) ForgetRowsWrittenBy(stmt);
  return Run(stmt, p);
}

Result<PgResult> PgTx::Exec(const Stmt& stmt, const Params& p) {
  if (!writable_) return Status::Internal("write in a read-only transaction");
  SB_RETURN_IF_ERROR(FlushBefore(stmt));
  if (!keeping_rows_) ForgetRowsWrittenBy(stmt);
  return Run(stmt, p);
}

Status PgTx::Insert(const Stmt& stmt, const Params& p) {
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(stmt, p));
  if (r.affected() == 0) return Status::Conflict("duplicate", "already exists");
  return Status::Ok();
}

Status PgTx::UpdateOne(const Stmt& stmt, const Params& p, const char* what) {
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(stmt, p));
  if (r.affected() == 0) return Status::NotFound(what);
  return Status::Ok();
}

}  // namespace sb::storage::postgres
