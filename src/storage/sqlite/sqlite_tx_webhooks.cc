// Webhook endpoints (event types stored as storage/string_list_json.h describes).

#include "storage/sqlite/sqlite_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::sqlite {
namespace {

using domain::WebhookEndpoint;

#define SB_ENDPOINT_COLS                                                                        \
  "tenant_id, id, url, event_types_json, description, secret_sealed, created_at, disabled_at, " \
  "format"
constexpr const char* kInsertEndpoint =
    "INSERT INTO webhook_endpoints (" SB_ENDPOINT_COLS ") VALUES (?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetEndpoint =
    "SELECT " SB_ENDPOINT_COLS " FROM webhook_endpoints WHERE tenant_id = ? AND id = ?";
// The literal `disabled_at IS NULL` lets SQLite use the partial webhook_endpoints_enabled.
constexpr const char* kListEnabledEndpoints =
    "SELECT " SB_ENDPOINT_COLS
    " FROM webhook_endpoints WHERE tenant_id = ? AND disabled_at IS NULL ORDER BY id DESC";
constexpr const char* kDisableEndpoint =
    "UPDATE webhook_endpoints SET disabled_at = ? "
    "WHERE tenant_id = ? AND id = ? AND disabled_at IS NULL";

WebhookEndpoint ReadEndpoint(const Stmt& s) {
  WebhookEndpoint e;
  e.tenant_id = s.ColText(0);
  e.id = s.ColText(1);
  e.url = s.ColText(2);
  e.event_types = DecodeStringList(s.ColText(3));
  e.description = s.ColText(4);
  e.secret_sealed = s.ColBlob(5);
  e.created_at = s.ColInt(6);
  e.disabled_at = s.ColOptInt(7);
  e.format = domain::Parse<domain::WebhookFormat>(s.ColText(8)).value_or(e.format);
  return e;
}

}  // namespace

Status SqliteTx::InsertWebhookEndpoint(const WebhookEndpoint& e) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertEndpoint);
  s.Text(e.tenant_id).Text(e.id).Text(e.url).Text(EncodeStringList(e.event_types));
  s.Text(e.description).Blob(e.secret_sealed).Int(e.created_at).OptInt(e.disabled_at);
  s.Text(domain::Name(e.format));
  return s.Run();
}

Result<WebhookEndpoint> SqliteTx::GetWebhookEndpoint(std::string_view tenant_id,
                                                     std::string_view id) {
  Stmt s(conn_, kGetEndpoint);
  s.Text(tenant_id).Text(id);
  return OneRow<WebhookEndpoint>(s, "webhook endpoint", ReadEndpoint);
}

Result<std::vector<WebhookEndpoint>> SqliteTx::ListWebhookEndpoints(std::string_view tenant_id) {
  Stmt s(conn_, kListEnabledEndpoints);
  s.Text(tenant_id);
  return CollectRows<WebhookEndpoint>(s, ReadEndpoint);
}

Status SqliteTx::DisableWebhookEndpoint(std::string_view tenant_id, std::string_view id,
                                        Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kDisableEndpoint);
  SB_RETURN_IF_ERROR(s.Int(at).Text(tenant_id).Text(id).Run());
  return RequireChanged(s, "webhook endpoint");
}

}  // namespace sb::storage::sqlite
