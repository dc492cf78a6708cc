// Data rights: destroying a subject's data key and subject access exports (the storage side
// of app/rights; the retention scan's account list is in sqlite_tx_accounts.cc).

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::DataExport;

// The wrapped key is overwritten with an empty blob (secure_delete, set on every connection
// by sqlite_store.cc, zeroes the bytes it occupied in the page).
constexpr const char* kDestroySubjectKey =
    "INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, destroyed_at) "
    "VALUES (?1, ?2, X'', ?3) ON CONFLICT (tenant_id, subject_id) DO UPDATE SET "
    "wrapped_key = X'', destroyed_at = COALESCE(subject_keys.destroyed_at, excluded.destroyed_at)";

#define SB_EXPORT_COLS "tenant_id, request_id, account_id, sealed, created_at"
constexpr const char* kInsertDataExport =
    "INSERT INTO data_exports (" SB_EXPORT_COLS ") VALUES (?,?,?,?,?)";
constexpr const char* kGetDataExport =
    "SELECT " SB_EXPORT_COLS " FROM data_exports WHERE tenant_id = ? AND request_id = ?";

}  // namespace

Status SqliteTx::DestroySubjectKey(std::string_view tenant_id, std::string_view subject_id,
                                   Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kDestroySubjectKey);
  return s.Text(tenant_id).Text(subject_id).Int(at).Run();
}

Status SqliteTx::InsertDataExport(const DataExport& e) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertDataExport);
  return s.Text(e.tenant_id)
      .Text(e.request_id)
      .Text(e.account_id)
      .Blob(e.sealed)
      .Int(e.created_at)
      .Run();
}

Result<DataExport> SqliteTx::GetDataExport(std::string_view tenant_id,
                                           std::string_view request_id) {
  Stmt s(conn_, kGetDataExport);
  s.Text(tenant_id).Text(request_id);
  return OneRow<DataExport>(s, "data export", [](const Stmt& r) {
    return DataExport{r.ColText(0), r.ColText(1), r.ColText(2), r.ColBlob(3), r.ColInt(4)};
  });
}

}  // namespace sb::storage::sqlite
