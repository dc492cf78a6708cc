// Webhook endpoints (event types stored as storage/string_list_json.h describes).
#include "storage/postgres/pg_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::postgres {
namespace {

using domain::WebhookEndpoint;

#define SB_ENDPOINT_COLS                                                                        \
  "tenant_id, id, url, event_types_json, description, secret_sealed, created_at, disabled_at, " \
  "format"
const Stmt kInsertEndpoint{"webhook_endpoint_insert",
                           "INSERT INTO webhook_endpoints (" SB_ENDPOINT_COLS
                           ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"};
const Stmt kGetEndpoint{"webhook_endpoint_get",
                        "SELECT " SB_ENDPOINT_COLS
                        " FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2"};
const Stmt kListEnabledEndpoints{"webhook_endpoint_list",
                                 "SELECT " SB_ENDPOINT_COLS
                                 " FROM webhook_endpoints WHERE tenant_id = $1 "
                                 "AND disabled_at IS NULL ORDER BY id DESC"};
const Stmt kDisableEndpoint{"webhook_endpoint_disable",
                            "UPDATE webhook_endpoints SET disabled_at = $3 "
                            "WHERE tenant_id = $1 AND id = $2 AND disabled_at IS NULL"};

WebhookEndpoint ReadEndpoint(RowReader& r) {
  WebhookEndpoint e;
  e.tenant_id = r.Str();
  e.id = r.Str();
  e.url = r.Str();
  e.event_types = DecodeStringList(r.Str());
  e.description = r.Str();
  e.secret_sealed = r.Str();
  e.created_at = r.Int();
  e.disabled_at = r.OptInt();
  e.format = domain::Parse<domain::WebhookFormat>(r.Str()).value_or(e.format);
  return e;
}

}  // namespace

Status PgTx::InsertWebhookEndpoint(const WebhookEndpoint& e) {
  Params p;
  p.Text(e.tenant_id).Text(e.id).Text(e.url).Text(EncodeStringList(e.event_types));
  p.Text(e.description).Bytes(e.secret_sealed).Int(e.created_at).OptInt(e.disabled_at);
  p.Text(domain::Name(e.format));
  endpoints_read_.reset();
  return Insert(kInsertEndpoint, p);
}

Result<WebhookEndpoint> PgTx::GetWebhookEndpoint(std::string_view tenant_id, std::string_view id) {
  return One(kGetEndpoint, Params().Text(tenant_id).Text(id), "webhook endpoint", &ReadEndpoint);
}

Result<std::vector<WebhookEndpoint>> PgTx::ListWebhookEndpoints(std::string_view tenant_id) {
  if (endpoints_read_ && endpoints_read_->tenant_id == tenant_id) return endpoints_read_->endpoints;
  SB_ASSIGN_OR_RETURN(auto listed,
                      Many(kListEnabledEndpoints, Params().Text(tenant_id), &ReadEndpoint));
  endpoints_read_ = EndpointsRead{std::string(tenant_id), listed};
  return listed;
}

Status PgTx::DisableWebhookEndpoint(std::string_view tenant_id, std::string_view id, Timestamp at) {
  endpoints_read_.reset();
  return UpdateOne(kDisableEndpoint, Params().Text(tenant_id).Text(id).Int(at), "webhook endpoint");
}

}  // namespace sb::storage::postgres
