// Tenant secrets and inbound events (deduplication by event id).

#include "storage/sqlite/sqlite_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::sqlite {
namespace {

using domain::InboundEvent;
using domain::TenantSecret;

constexpr const char* kUpsertTenantSecret =
    "INSERT INTO tenant_secrets (tenant_id, purpose, secret_sealed, created_at) "
    "VALUES (?,?,?,?) ON CONFLICT (tenant_id, purpose) DO UPDATE SET "
    "secret_sealed = excluded.secret_sealed, created_at = excluded.created_at";
constexpr const char* kGetTenantSecret =
    "SELECT tenant_id, purpose, secret_sealed, created_at FROM tenant_secrets "
    "WHERE tenant_id = ? AND purpose = ?";

#define SB_EVENT_COLS \
  "tenant_id, event_id, type, received_at, request_id, outcome, request_ids_json"
constexpr const char* kInsertInboundEvent =
    "INSERT INTO inbound_events (" SB_EVENT_COLS ") VALUES (?,?,?,?,?,?,?)";
constexpr const char* kGetInboundEvent =
    "SELECT " SB_EVENT_COLS " FROM inbound_events WHERE tenant_id = ? AND event_id = ?";

}  // namespace

Status SqliteTx::UpsertTenantSecret(const TenantSecret& t) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpsertTenantSecret);
  return s.Text(t.tenant_id).Text(t.purpose).Blob(t.secret_sealed).Int(t.created_at).Run();
}

Result<TenantSecret> SqliteTx::GetTenantSecret(std::string_view tenant_id,
                                               std::string_view purpose) {
  Stmt s(conn_, kGetTenantSecret);
  s.Text(tenant_id).Text(purpose);
  return OneRow<TenantSecret>(s, "tenant secret", [](const Stmt& r) {
    return TenantSecret{r.ColText(0), r.ColText(1), r.ColBlob(2), r.ColInt(3)};
  });
}

Status SqliteTx::InsertInboundEvent(const InboundEvent& e) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertInboundEvent);
  s.Text(e.tenant_id).Text(e.event_id).Text(e.type).Int(e.received_at);
  std::string first = e.request_ids.empty() ? std::string() : e.request_ids.front();
  return s.Text(first).Text(e.outcome).Text(EncodeStringList(e.request_ids)).Run();
}

Result<InboundEvent> SqliteTx::GetInboundEvent(std::string_view tenant_id,
                                               std::string_view event_id) {
  Stmt s(conn_, kGetInboundEvent);
  s.Text(tenant_id).Text(event_id);
  return OneRow<InboundEvent>(s, "inbound event", [](const Stmt& r) {
    // Column 4 (request_id, the first id) is kept for older servers; request_ids_json has all.
    return InboundEvent{
        r.ColText(0), r.ColText(1), r.ColText(2), r.ColInt(3), DecodeStringList(r.ColText(6)),
        r.ColText(5)};
  });
}

}  // namespace sb::storage::sqlite
