// Data rights: destroying a subject's data key and subject access exports (the storage side
// of app/rights; the retention scan's account list is in pg_tx_accounts.cc).

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::DataExport;

const Stmt kDestroySubjectKey{
    "subject_key_destroy",
    "INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, destroyed_at) "
    "VALUES ($1, $2, '\\x'::bytea, $3) ON CONFLICT (tenant_id, subject_id) DO UPDATE SET "
    "wrapped_key = '\\x'::bytea, "
    "destroyed_at = COALESCE(subject_keys.destroyed_at, excluded.destroyed_at)"};

#define SB_EXPORT_COLS "tenant_id, request_id, account_id, sealed, created_at"
const Stmt kInsertDataExport{"data_export_insert",
                             "INSERT INTO data_exports (" SB_EXPORT_COLS
                             ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"};
const Stmt kGetDataExport{"data_export_get",
                          "SELECT " SB_EXPORT_COLS
                          " FROM data_exports WHERE tenant_id = $1 AND request_id = $2"};

DataExport ReadDataExport(RowReader& r) {
  DataExport e;
  e.tenant_id = r.Str();
  e.request_id = r.Str();
  e.account_id = r.Str();
  e.sealed = r.Str();
  e.created_at = r.Int();
  return e;
}

}  // namespace

Status PgTx::DestroySubjectKey(std::string_view tenant_id, std::string_view subject_id,
                               Timestamp at) {
  return Exec(kDestroySubjectKey, Params().Text(tenant_id).Text(subject_id).Int(at)).status();
}

Status PgTx::InsertDataExport(const DataExport& e) {
  Params p;
  p.Text(e.tenant_id).Text(e.request_id).Text(e.account_id).Bytes(e.sealed).Int(e.created_at);
  return Insert(kInsertDataExport, p);
}

Result<DataExport> PgTx::GetDataExport(std::string_view tenant_id, std::string_view request_id) {
  return One(kGetDataExport, Params().Text(tenant_id).Text(request_id), "data export",
             &ReadDataExport);
}

}  // namespace sb::storage::postgres
