// Idempotency records, and the sealed data keys of subjects and of the server (the
// storage side of app/core: idempotency and the keyring).

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::IdempotencyRecord;
using domain::ServerKey;
using domain::SubjectKey;

// idempotency_keys
#define SB_IDEMPOTENCY_COLS                                                          \
  "tenant_id, key, fingerprint, status_code, response_headers_json, response_body, " \
  "created_at, expires_at"
constexpr const char* kInsertIdempotency =
    "INSERT INTO idempotency_keys (" SB_IDEMPOTENCY_COLS ") VALUES (?,?,?,?,?,?,?,?)";
constexpr const char* kGetIdempotency =
    "SELECT " SB_IDEMPOTENCY_COLS " FROM idempotency_keys WHERE tenant_id = ? AND key = ?";
constexpr const char* kPurgeIdempotency = "DELETE FROM idempotency_keys WHERE expires_at < ?";

IdempotencyRecord ReadIdempotency(const Stmt& s) {
  IdempotencyRecord r;
  r.tenant_id = s.ColText(0);
  r.key = s.ColText(1);
  r.fingerprint = s.ColText(2);
  r.status_code = static_cast<int>(s.ColInt(3));
  r.response_headers_json = s.ColText(4);
  r.response_body = s.ColBlob(5);
  r.created_at = s.ColInt(6);
  r.expires_at = s.ColInt(7);
  return r;
}

// subject_keys
constexpr const char* kInsertSubjectKey =
    "INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, destroyed_at) VALUES (?,?,?,?)";
constexpr const char* kGetSubjectKey =
    "SELECT tenant_id, subject_id, wrapped_key, destroyed_at FROM subject_keys "
    "WHERE tenant_id = ? AND subject_id = ?";

// server_keys
constexpr const char* kInsertServerKey =
    "INSERT INTO server_keys (id, purpose, public_key, secret_sealed, created_at) "
    "VALUES (?,?,?,?,?)";
constexpr const char* kGetServerKey =
    "SELECT id, purpose, public_key, secret_sealed, created_at FROM server_keys "
    "WHERE purpose = ? ORDER BY created_at DESC, id DESC LIMIT 1";

}  // namespace

Result<IdempotencyRecord> SqliteTx::GetIdempotency(std::string_view tenant_id,
                                                   std::string_view key) {
  Stmt s(conn_, kGetIdempotency);
  s.Text(tenant_id).Text(key);
  return OneRow<IdempotencyRecord>(s, "idempotency key", ReadIdempotency);
}

Status SqliteTx::InsertIdempotency(const IdempotencyRecord& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertIdempotency);
  s.Text(r.tenant_id).Text(r.key).Text(r.fingerprint).Int(r.status_code);
  s.Text(r.response_headers_json).Blob(r.response_body).Int(r.created_at).Int(r.expires_at);
  return s.Run();
}

Result<std::int64_t> SqliteTx::PurgeIdempotency(Timestamp now) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kPurgeIdempotency);
  SB_RETURN_IF_ERROR(s.Int(now).Run());
  return s.Changes();
}

Status SqliteTx::InsertSubjectKey(const SubjectKey& k) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertSubjectKey);
  return s.Text(k.tenant_id).Text(k.subject_id).Blob(k.wrapped_key).OptInt(k.destroyed_at).Run();
}

Result<SubjectKey> SqliteTx::GetSubjectKey(std::string_view tenant_id,
                                           std::string_view subject_id) {
  Stmt s(conn_, kGetSubjectKey);
  s.Text(tenant_id).Text(subject_id);
  return OneRow<SubjectKey>(s, "subject key", [](const Stmt& r) {
    return SubjectKey{r.ColText(0), r.ColText(1), r.ColBlob(2), r.ColOptInt(3)};
  });
}

Status SqliteTx::InsertServerKey(const ServerKey& k) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertServerKey);
  s.Text(k.id).Text(k.purpose).Blob(k.public_key).Blob(k.secret_sealed);
  return s.Int(k.created_at).Run();
}

Result<ServerKey> SqliteTx::GetServerKey(std::string_view purpose) {
  Stmt s(conn_, kGetServerKey);
  s.Text(purpose);
  return OneRow<ServerKey>(s, "server key", [](const Stmt& r) {
    return ServerKey{r.ColText(0), r.ColText(1), r.ColBlob(2), r.ColBlob(3), r.ColInt(4)};
  });
}

}  // namespace sb::storage::sqlite
