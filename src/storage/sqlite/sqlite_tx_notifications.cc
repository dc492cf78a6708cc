// Notification delivery: the suppression list and the ids providers gave the messages they
// accepted.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

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
