// Notification delivery: the suppression list and the ids providers gave the messages they
// accepted.

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

const Stmt kInsertSuppression{
    "suppression_insert",
    "INSERT INTO notification_suppressions (tenant_id, address_hash, message_id, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"};
const Stmt kIsSuppressed{"suppression_get",
                         "SELECT 1 FROM notification_suppressions "
                         "WHERE tenant_id = $1 AND address_hash = $2"};
const Stmt kInsertProviderRef{
    "provider_ref_insert",
    "INSERT INTO outbox_provider_refs (tenant_id, provider_ref, message_id, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"};
const Stmt kMessageIdByProviderRef{
    "provider_ref_get",
    "SELECT message_id FROM outbox_provider_refs WHERE tenant_id = $1 AND provider_ref = $2"};

std::string ReadMessageId(RowReader& r) { return r.Str(); }

}  // namespace

Status PgTx::InsertSuppression(std::string_view tenant_id, std::string_view address_hash,
                               std::string_view message_id, Timestamp at) {
  Status s = Insert(kInsertSuppression,
                    Params().Text(tenant_id).Text(address_hash).Text(message_id).Int(at));
  // Listed already: the first entry stays, and that is what the caller wanted.
  if (s.code() == Code::kConflict) return Status::Ok();
  return s;
}

Result<bool> PgTx::IsSuppressed(std::string_view tenant_id, std::string_view address_hash) {
  SB_ASSIGN_OR_RETURN(PgResult r,
                      Query(kIsSuppressed, Params().Text(tenant_id).Text(address_hash)));
  return r.rows() > 0;
}

Status PgTx::InsertProviderRef(std::string_view tenant_id, std::string_view provider_ref,
                               std::string_view message_id, Timestamp at) {
  return Insert(kInsertProviderRef,
                Params().Text(tenant_id).Text(provider_ref).Text(message_id).Int(at));
}

Result<std::string> PgTx::MessageIdByProviderRef(std::string_view tenant_id,
                                                 std::string_view provider_ref) {
  return One(kMessageIdByProviderRef, Params().Text(tenant_id).Text(provider_ref),
             "provider message", &ReadMessageId);
}

}  // namespace sb::storage::postgres
