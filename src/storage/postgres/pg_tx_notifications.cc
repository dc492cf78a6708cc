// Notifications: those waiting to be composed, the suppression list and the ids providers gave
// the messages they accepted.

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

#define SB_INTENT_COLS \
  "tenant_id, id, event_type, account_id, request_id, request_state, data, context, created_at"
const Stmt kInsertIntent{"intent_insert", "INSERT INTO notification_intents (" SB_INTENT_COLS
                                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
// Locked until the composing transaction ends; another process's composer skips them.
const Stmt kListIntents{"intent_list", "SELECT " SB_INTENT_COLS
                                       " FROM notification_intents WHERE tenant_id = $1 "
                                       "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED"};
const Stmt kDeleteIntent{"intent_delete",
                         "DELETE FROM notification_intents WHERE tenant_id = $1 AND id = $2"};
// Crosses tenants: a privileged call (migrations/postgres/0036).
const Stmt kCountIntents{"intent_count", "SELECT switchboard_count_notification_intents()",
                         Reach::kServer};
const Stmt kIntentTenants{"intent_tenants",
                          "SELECT * FROM switchboard_tenants_with_notification_intents()",
                          Reach::kServer};

domain::NotificationIntent ReadIntent(RowReader& r) {
  domain::NotificationIntent n;
  n.tenant_id = r.Str();
  n.id = r.Str();
  n.event_type = r.Str();
  n.account_id = r.Str();
  n.request_id = r.OptStr().value_or("");
  n.request_state = r.OptStr().value_or("");
  n.data_json = r.Str();
  n.context_json = r.Str();
  n.created_at = r.Int();
  return n;
}

std::optional<std::string> UnlessEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

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

Status PgTx::InsertNotificationIntent(const domain::NotificationIntent& n) {
  Params p;
  p.Text(n.tenant_id).Text(n.id).Text(n.event_type).Text(n.account_id);
  p.OptText(UnlessEmpty(n.request_id)).OptText(UnlessEmpty(n.request_state));
  p.Text(n.data_json).Text(n.context_json).Int(n.created_at);
  return Exec(kInsertIntent, p).status();
}

Result<std::vector<domain::NotificationIntent>> PgTx::ListNotificationIntents(
    std::string_view tenant_id, int limit) {
  return Many(kListIntents, Params().Text(tenant_id).Int(limit), &ReadIntent);
}

Status PgTx::DeleteNotificationIntent(std::string_view tenant_id, std::string_view id) {
  return UpdateOne(kDeleteIntent, Params().Text(tenant_id).Text(id), "notification intent");
}

Result<std::vector<std::string>> PgTx::TenantsWithNotificationIntents() {
  return Many<std::string>(kIntentTenants, Params(),
                           [](RowReader& r) -> std::string { return r.Str(); });
}

Result<std::int64_t> PgTx::CountNotificationIntents() {
  return One(kCountIntents, Params(), "count", &ReadCount);
}

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
