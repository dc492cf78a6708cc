// Tenant secrets and inbound events (deduplication by event id).
#include "storage/postgres/pg_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::postgres {
namespace {

using domain::InboundEvent;
using domain::TenantSecret;

const Stmt kUpsertTenantSecret{
    "tenant_secret_upsert",
    "INSERT INTO tenant_secrets (tenant_id, purpose, secret_sealed, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, purpose) DO UPDATE SET "
    "secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at"};
const Stmt kGetTenantSecret{"tenant_secret_get",
                            "SELECT tenant_id, purpose, secret_sealed, created_at "
                            "FROM tenant_secrets WHERE tenant_id = $1 AND purpose = $2"};

#define SB_EVENT_COLS \
  "tenant_id, event_id, type, received_at, request_id, outcome, request_ids_json"
const Stmt kInsertInboundEvent{"inbound_event_insert",
                               "INSERT INTO inbound_events (" SB_EVENT_COLS
                               ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"};
const Stmt kGetInboundEvent{"inbound_event_get",
                            "SELECT " SB_EVENT_COLS
                            " FROM inbound_events WHERE tenant_id = $1 AND event_id = $2"};

TenantSecret ReadTenantSecret(RowReader& r) {
  TenantSecret s;
  s.tenant_id = r.Str();
  s.purpose = r.Str();
  s.secret_sealed = r.Str();
  s.created_at = r.Int();
  return s;
}

InboundEvent ReadInboundEvent(RowReader& r) {
  InboundEvent e;
  e.tenant_id = r.Str();
  e.event_id = r.Str();
  e.type = r.Str();
  e.received_at = r.Int();
  r.Str();  // request_id: the first id, kept for older servers; request_ids_json has all
  e.outcome = r.Str();
  e.request_ids = DecodeStringList(r.Str());
  return e;
}

}  // namespace

Status PgTx::UpsertTenantSecret(const TenantSecret& s) {
  Params p;
  p.Text(s.tenant_id).Text(s.purpose).Bytes(s.secret_sealed).Int(s.created_at);
  return Exec(kUpsertTenantSecret, p).status();
}

Result<TenantSecret> PgTx::GetTenantSecret(std::string_view tenant_id, std::string_view purpose) {
  return One(kGetTenantSecret, Params().Text(tenant_id).Text(purpose), "tenant secret",
             &ReadTenantSecret);
}

Status PgTx::InsertInboundEvent(const InboundEvent& e) {
  Params p;
  p.Text(e.tenant_id).Text(e.event_id).Text(e.type).Int(e.received_at);
  std::string first = e.request_ids.empty() ? std::string() : e.request_ids.front();
  p.Text(first).Text(e.outcome).Text(EncodeStringList(e.request_ids));
  return Insert(kInsertInboundEvent, p);
}

Result<InboundEvent> PgTx::GetInboundEvent(std::string_view tenant_id, std::string_view event_id) {
  return One(kGetInboundEvent, Params().Text(tenant_id).Text(event_id), "inbound event",
             &ReadInboundEvent);
}

}  // namespace sb::storage::postgres
