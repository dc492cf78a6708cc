// Tenants, API keys, reason codes and plans.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::ApiKey;
using domain::Plan;
using domain::ReasonCode;
using domain::Tenant;

// tenants
constexpr const char* kInsertTenant = "INSERT INTO tenants (id, name, created_at) VALUES (?,?,?)";
constexpr const char* kGetTenant = "SELECT id, name, created_at FROM tenants WHERE id = ?";
constexpr const char* kListTenants = "SELECT id, name, created_at FROM tenants ORDER BY id";

Tenant ReadTenant(const Stmt& s) { return {s.ColText(0), s.ColText(1), s.ColInt(2)}; }

// api_keys
#define SB_API_KEY_COLS "tenant_id, id, name, role, secret_hash, prefix, created_at, revoked_at"
constexpr const char* kInsertApiKey =
    "INSERT INTO api_keys (" SB_API_KEY_COLS ") VALUES (?,?,?,?,?,?,?,?)";
constexpr const char* kFindApiKeyByHash =
    "SELECT " SB_API_KEY_COLS " FROM api_keys WHERE secret_hash = ?";
constexpr const char* kListApiKeys =
    "SELECT " SB_API_KEY_COLS " FROM api_keys WHERE tenant_id = ? ORDER BY id DESC";
constexpr const char* kRevokeApiKey =
    "UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ?";

ApiKey ReadApiKey(const Stmt& s) {
  ApiKey k;
  k.tenant_id = s.ColText(0);
  k.id = s.ColText(1);
  k.name = s.ColText(2);
  k.role = ParseOr(s.ColText(3), domain::Role::kAgent);
  k.secret_hash = s.ColText(4);
  k.prefix = s.ColText(5);
  k.created_at = s.ColInt(6);
  k.revoked_at = s.ColOptInt(7);
  return k;
}

// reason_codes
constexpr const char* kUpsertReasonCode =
    "INSERT INTO reason_codes (tenant_id, code, description) VALUES (?,?,?) "
    "ON CONFLICT (tenant_id, code) DO UPDATE SET description = excluded.description";
constexpr const char* kListReasonCodes =
    "SELECT tenant_id, code, description FROM reason_codes WHERE tenant_id = ? ORDER BY code";

// plans
#define SB_PLAN_COLS "tenant_id, code, name, price_minor, currency, active"
constexpr const char* kUpsertPlan =
    "INSERT INTO plans (" SB_PLAN_COLS
    ") VALUES (?,?,?,?,?,?) "
    "ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name, "
    "price_minor = excluded.price_minor, currency = excluded.currency, active = excluded.active";
constexpr const char* kGetPlan =
    "SELECT " SB_PLAN_COLS " FROM plans WHERE tenant_id = ? AND code = ?";
constexpr const char* kListPlans =
    "SELECT " SB_PLAN_COLS " FROM plans WHERE tenant_id = ? ORDER BY code";

Plan ReadPlan(const Stmt& s) {
  return {s.ColText(0), s.ColText(1), s.ColText(2), s.ColInt(3), s.ColText(4), s.ColInt(5) != 0};
}

}  // namespace

Status SqliteTx::CheckWritable() const {
  return writable_ ? Status::Ok() : Status::Internal("write in a read-only transaction");
}

Status SqliteTx::InsertTenant(const Tenant& t) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertTenant);
  return s.Text(t.id).Text(t.name).Int(t.created_at).Run();
}

Result<Tenant> SqliteTx::GetTenant(std::string_view tenant_id) {
  Stmt s(conn_, kGetTenant);
  s.Text(tenant_id);
  return OneRow<Tenant>(s, "tenant", ReadTenant);
}

Result<std::vector<Tenant>> SqliteTx::ListTenants() {
  Stmt s(conn_, kListTenants);
  return CollectRows<Tenant>(s, ReadTenant);
}

Status SqliteTx::InsertApiKey(const ApiKey& k) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertApiKey);
  s.Text(k.tenant_id).Text(k.id).Text(k.name).Text(domain::Name(k.role));
  return s.Text(k.secret_hash).Text(k.prefix).Int(k.created_at).OptInt(k.revoked_at).Run();
}

Result<ApiKey> SqliteTx::FindApiKeyByHash(std::string_view secret_hash) {
  Stmt s(conn_, kFindApiKeyByHash);
  s.Text(secret_hash);
  return OneRow<ApiKey>(s, "api key", ReadApiKey);
}

Result<std::vector<ApiKey>> SqliteTx::ListApiKeys(std::string_view tenant_id) {
  Stmt s(conn_, kListApiKeys);
  s.Text(tenant_id);
  return CollectRows<ApiKey>(s, ReadApiKey);
}

Status SqliteTx::RevokeApiKey(std::string_view tenant_id, std::string_view key_id, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kRevokeApiKey);
  SB_RETURN_IF_ERROR(s.Int(at).Text(tenant_id).Text(key_id).Run());
  return RequireChanged(s, "api key");
}

Status SqliteTx::UpsertReasonCode(const ReasonCode& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpsertReasonCode);
  return s.Text(r.tenant_id).Text(r.code).Text(r.description).Run();
}

Result<std::vector<ReasonCode>> SqliteTx::ListReasonCodes(std::string_view tenant_id) {
  Stmt s(conn_, kListReasonCodes);
  s.Text(tenant_id);
  return CollectRows<ReasonCode>(s, [](const Stmt& r) {
    return ReasonCode{r.ColText(0), r.ColText(1), r.ColText(2)};
  });
}

Status SqliteTx::UpsertPlan(const Plan& p) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpsertPlan);
  s.Text(p.tenant_id).Text(p.code).Text(p.name).Int(p.price_minor);
  return s.Text(p.currency).Int(p.active ? 1 : 0).Run();
}

Result<Plan> SqliteTx::GetPlan(std::string_view tenant_id, std::string_view code) {
  Stmt s(conn_, kGetPlan);
  s.Text(tenant_id).Text(code);
  return OneRow<Plan>(s, "plan", ReadPlan);
}

Result<std::vector<Plan>> SqliteTx::ListPlans(std::string_view tenant_id) {
  Stmt s(conn_, kListPlans);
  s.Text(tenant_id);
  return CollectRows<Plan>(s, ReadPlan);
}

}  // namespace sb::storage::sqlite
