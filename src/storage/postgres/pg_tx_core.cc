// Idempotency records, and the sealed data keys of subjects and of the server (the
// storage side of app/core: idempotency and the keyring).

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::IdempotencyRecord;
using domain::ServerKey;
using domain::SubjectKey;

#define SB_IDEMPOTENCY_COLS                                                                      \
  "tenant_id, key, fingerprint, status_code, response_headers_json, response_body, created_at, " \
  "expires_at"
const Stmt kGetIdempotency{"idempotency_get",
                           "SELECT " SB_IDEMPOTENCY_COLS
                           " FROM idempotency_keys WHERE tenant_id = $1 AND key = $2"};
const Stmt kInsertIdempotency{"idempotency_insert",
                              "INSERT INTO idempotency_keys (" SB_IDEMPOTENCY_COLS
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"};
// Crosses tenants: a privileged call (migrations/postgres/0013).
const Stmt kPurgeIdempotency{"idempotency_purge", "SELECT switchboard_purge_idempotency($1)",
                             Reach::kServer};

const Stmt kInsertSubjectKey{"subject_key_insert",
                             "INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, "
                             "destroyed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"};
const Stmt kGetSubjectKey{"subject_key_get",
                          "SELECT tenant_id, subject_id, wrapped_key, destroyed_at "
                          "FROM subject_keys WHERE tenant_id = $1 AND subject_id = $2"};
const Stmt kInsertServerKey{"server_key_insert",
                            "INSERT INTO server_keys (id, purpose, public_key, secret_sealed, "
                            "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                            Reach::kServer};
const Stmt kGetServerKey{"server_key_get",
                         "SELECT id, purpose, public_key, secret_sealed, created_at "
                         "FROM server_keys WHERE purpose = $1 "
                         "ORDER BY created_at DESC, id DESC LIMIT 1",
                         Reach::kServer};

IdempotencyRecord ReadIdempotency(RowReader& r) {
  IdempotencyRecord i;
  i.tenant_id = r.Str();
  i.key = r.Str();
  i.fingerprint = r.Str();
  i.status_code = r.Int32();
  i.response_headers_json = r.Str();
  i.response_body = r.Str();
  i.created_at = r.Int();
  i.expires_at = r.Int();
  return i;
}

SubjectKey ReadSubjectKey(RowReader& r) {
  SubjectKey k;
  k.tenant_id = r.Str();
  k.subject_id = r.Str();
  k.wrapped_key = r.Str();
  k.destroyed_at = r.OptInt();
  return k;
}

ServerKey ReadServerKey(RowReader& r) {
  ServerKey k;
  k.id = r.Str();
  k.purpose = r.Str();
  k.public_key = r.Str();
  k.secret_sealed = r.Str();
  k.created_at = r.Int();
  return k;
}

}  // namespace

Result<IdempotencyRecord> PgTx::GetIdempotency(std::string_view tenant_id, std::string_view key) {
  return One(kGetIdempotency, Params().Text(tenant_id).Text(key), "idempotency key",
             &ReadIdempotency);
}

Status PgTx::InsertIdempotency(const IdempotencyRecord& r) {
  Params p;
  p.Text(r.tenant_id).Text(r.key).Text(r.fingerprint).Int(r.status_code);
  p.Text(r.response_headers_json).Bytes(r.response_body).Int(r.created_at).Int(r.expires_at);
  return Insert(kInsertIdempotency, p);
}

Result<std::int64_t> PgTx::PurgeIdempotency(Timestamp now) {
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(kPurgeIdempotency, Params().Int(now)));
  return r.Int(0, 0);
}

Status PgTx::InsertSubjectKey(const SubjectKey& k) {
  Params p;
  p.Text(k.tenant_id).Text(k.subject_id).Bytes(k.wrapped_key).OptInt(k.destroyed_at);
  KeepingRows keeping(*this);
  SB_RETURN_IF_ERROR(Insert(kInsertSubjectKey, p));
  rows_.subject_keys[RowKey(k.tenant_id, k.subject_id)] = k;
  return Status::Ok();
}

// Destroying a key is a statement of its own (pg_tx_rights.cc): it forgets the kept rows.
Result<SubjectKey> PgTx::GetSubjectKey(std::string_view tenant_id, std::string_view subject_id) {
  return KeptOrRead(rows_.subject_keys, RowKey(tenant_id, subject_id), [&] {
    return One(kGetSubjectKey, Params().Text(tenant_id).Text(subject_id), "subject key",
               &ReadSubjectKey);
  });
}

Status PgTx::InsertServerKey(const ServerKey& k) {
  Params p;
  p.Text(k.id).Text(k.purpose).Bytes(k.public_key).Bytes(k.secret_sealed).Int(k.created_at);
  return Insert(kInsertServerKey, p);
}

Result<ServerKey> PgTx::GetServerKey(std::string_view purpose) {
  return One(kGetServerKey, Params().Text(purpose), "server key", &ReadServerKey);
}

}  // namespace sb::storage::postgres
