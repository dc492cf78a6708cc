// Notifications: those waiting to be composed, the suppression list and the ids providers gave
// the messages they accepted.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

#define SB_INTENT_COLS \
  "tenant_id, id, event_type, account_id, request_id, request_state, data, context, created_at"
constexpr const char* kInsertIntent =
    "INSERT INTO notification_intents (" SB_INTENT_COLS ") VALUES (?,?,?,?,?,?,?,?,?)";
constexpr const char* kListIntents = "SELECT " SB_INTENT_COLS
                                     " FROM notification_intents WHERE tenant_id = ? "
                                     "ORDER BY id LIMIT ?";
constexpr const char* kDeleteIntent =
    "DELETE FROM notification_intents WHERE tenant_id = ? AND id = ?";
constexpr const char* kCountIntents = "SELECT count(*) FROM notification_intents";
constexpr const char* kIntentTenants =
    "SELECT DISTINCT tenant_id FROM notification_intents ORDER BY tenant_id";

domain::NotificationIntent ReadIntent(const Stmt& s) {
  domain::NotificationIntent n;
  n.tenant_id = s.ColText(0);
  n.id = s.ColText(1);
  n.event_type = s.ColText(2);
  n.account_id = s.ColText(3);
  n.request_id = s.ColOptText(4).value_or("");
  n.request_state = s.ColOptText(5).value_or("");
  n.data_json = s.ColText(6);
  n.context_json = s.ColText(7);
  n.created_at = s.ColInt(8);
  return n;
}

constexpr const char* kInsertSuppression =
    "INSERT INTO notification_suppressions (tenant_id, address_hash, message_id, created_at) "
    "VALUES (?,?,?,?) ON CONFLICT (tenant_id, address_hash) DO NOTHING";
constexpr const char* kIsSuppressed =
    "SELECT 1 FROM notification_suppressions WHERE tenant_id = ? AND address_hash = ?";
constexpr const char* kInsertProviderRef =
    "INSERT INTO outbox_provider_refs (tenant_id, provider_ref, message_id, created_at) "
    "VALUES (?,?,?,?)";
constexpr const char* kMessageIdByProviderRef =
    "SELECT message_id FROM outbox_provider_refs WHERE tenant_id = ? AND provider_ref = ?";

}  // namespace

Status SqliteTx::InsertNotificationIntent(const domain::NotificationIntent& n) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertIntent);
  s.Text(n.tenant_id).Text(n.id).Text(n.event_type).Text(n.account_id);
  s.OptText(n.request_id.empty() ? std::nullopt : std::optional<std::string>(n.request_id));
  s.OptText(n.request_state.empty() ? std::nullopt : std::optional<std::string>(n.request_state));
  return s.Text(n.data_json).Text(n.context_json).Int(n.created_at).Run();
}

Result<std::vector<domain::NotificationIntent>> SqliteTx::ListNotificationIntents(
    std::string_view tenant_id, int limit) {
  Stmt s(conn_, kListIntents);
  s.Text(tenant_id).Int(limit);
  return CollectRows<domain::NotificationIntent>(s, &ReadIntent);
}

Status SqliteTx::DeleteNotificationIntent(std::string_view tenant_id, std::string_view id) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kDeleteIntent);
  SB_RETURN_IF_ERROR(s.Text(tenant_id).Text(id).Run());
  if (s.Changes() == 0) return Status::NotFound("notification intent");
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteTx::TenantsWithNotificationIntents() {
  Stmt s(conn_, kIntentTenants);
  return CollectRows<std::string>(s, [](const Stmt& r) { return r.ColText(0); });
}

Result<std::int64_t> SqliteTx::CountNotificationIntents() {
  Stmt s(conn_, kCountIntents);
  return OneRow<std::int64_t>(s, "count", [](const Stmt& r) { return r.ColInt(0); });
}

Status SqliteTx::InsertSuppression(std::string_view tenant_id, std::string_view address_hash,
                                   std::string_view message_id, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertSuppression);
  return s.Text(tenant_id).Text(address_hash).Text(message_id).Int(at).Run();
}

Result<bool> SqliteTx::IsSuppressed(std::string_view tenant_id, std::string_view address_hash) {
  Stmt s(conn_, kIsSuppressed);
  s.Text(tenant_id).Text(address_hash);
  return s.Next();
}

Status SqliteTx::InsertProviderRef(std::string_view tenant_id, std::string_view provider_ref,
                                   std::string_view message_id, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertProviderRef);
  return s.Text(tenant_id).Text(provider_ref).Text(message_id).Int(at).Run();
}

Result<std::string> SqliteTx::MessageIdByProviderRef(std::string_view tenant_id,
                                                     std::string_view provider_ref) {
  Stmt s(conn_, kMessageIdByProviderRef);
  s.Text(tenant_id).Text(provider_ref);
  return OneRow<std::string>(s, "provider message", [](const Stmt& r) { return r.ColText(0); });
}

}  // namespace sb::storage::sqlite
