#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {

Result<PgResult> PgTx::Query(const Stmt& stmt, const Params& p) { return conn_.Exec(stmt, p); }

Result<PgResult> PgTx::Exec(const Stmt& stmt, const Params& p) {
  if (!writable_) return Status::Internal("write in a read-only transaction");
  return conn_.Exec(stmt, p);
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
