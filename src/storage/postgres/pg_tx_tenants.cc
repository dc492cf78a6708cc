// Tenants, API keys, reason codes and plans.
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::ApiKey;
using domain::Plan;
using domain::ReasonCode;
using domain::Tenant;

const Stmt kInsertTenant{"tenant_insert",
                         "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) "
                         "ON CONFLICT DO NOTHING"};
const Stmt kGetTenant{"tenant_get", "SELECT id, name, created_at FROM tenants WHERE id = $1"};
// Crosses tenants: a privileged call (migrations/postgres/0013), as is kFindApiKey.
const Stmt kListTenants{
    "tenant_list", "SELECT id, name, created_at FROM switchboard_list_tenants()", Reach::kServer};

#define SB_API_KEY_COLS "tenant_id, id, name, role, secret_hash, prefix, created_at, revoked_at"
const Stmt kInsertApiKey{"api_key_insert", "INSERT INTO api_keys (" SB_API_KEY_COLS
                                           ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                                           "ON CONFLICT DO NOTHING"};
const Stmt kFindApiKey{"api_key_by_hash",
                       "SELECT " SB_API_KEY_COLS " FROM switchboard_api_key_by_hash($1)",
                       Reach::kServer};
const Stmt kListApiKeys{"api_key_list", "SELECT " SB_API_KEY_COLS
                                        " FROM api_keys WHERE tenant_id = $1 ORDER BY id DESC"};
const Stmt kRevokeApiKey{"api_key_revoke",
                         "UPDATE api_keys SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2"};

const Stmt kUpsertReason{"reason_upsert",
                         "INSERT INTO reason_codes (tenant_id, code, description) "
                         "VALUES ($1, $2, $3) ON CONFLICT (tenant_id, code) "
                         "DO UPDATE SET description = EXCLUDED.description"};
const Stmt kListReasons{"reason_list",
                        "SELECT tenant_id, code, description FROM reason_codes "
                        "WHERE tenant_id = $1 ORDER BY code"};

#define SB_PLAN_COLS "tenant_id, code, name, price_minor, currency, active"
const Stmt kUpsertPlan{"plan_upsert",
                       "INSERT INTO plans (" SB_PLAN_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, code) DO UPDATE "
                       "SET name = EXCLUDED.name, price_minor = EXCLUDED.price_minor, "
                       "currency = EXCLUDED.currency, active = EXCLUDED.active"};
const Stmt kGetPlan{"plan_get",
                    "SELECT " SB_PLAN_COLS " FROM plans WHERE tenant_id = $1 AND code = $2"};
const Stmt kListPlans{"plan_list",
                      "SELECT " SB_PLAN_COLS " FROM plans WHERE tenant_id = $1 ORDER BY code"};

Tenant ReadTenant(RowReader& r) {
  Tenant t;
  t.id = r.Str();
  t.name = r.Str();
  t.created_at = r.Int();
  return t;
}

ApiKey ReadApiKey(RowReader& r) {
  ApiKey k;
  k.tenant_id = r.Str();
  k.id = r.Str();
  k.name = r.Str();
  k.role = EnumOr<domain::Role>(r.Str());
  k.secret_hash = r.Str();
  k.prefix = r.Str();
  k.created_at = r.Int();
  k.revoked_at = r.OptInt();
  return k;
}

ReasonCode ReadReason(RowReader& r) {
  ReasonCode c;
  c.tenant_id = r.Str();
  c.code = r.Str();
  c.description = r.Str();
  return c;
}

Plan ReadPlan(RowReader& r) {
  Plan p;
  p.tenant_id = r.Str();
  p.code = r.Str();
  p.name = r.Str();
  p.price_minor = r.Int();
  p.currency = r.Str();
  p.active = r.Bool();
  return p;
}

}  // namespace

Status PgTx::InsertTenant(const Tenant& t) {
  return Insert(kInsertTenant, Params().Text(t.id).Text(t.name).Int(t.created_at));
}

Result<Tenant> PgTx::GetTenant(std::string_view tenant_id) {
  return One(kGetTenant, Params().Text(tenant_id), "tenant", &ReadTenant);
}

Result<std::vector<Tenant>> PgTx::ListTenants() {
  return Many(kListTenants, Params(), &ReadTenant);
}

Status PgTx::InsertApiKey(const ApiKey& k) {
  Params p;
  p.Text(k.tenant_id).Text(k.id).Text(k.name).Text(domain::Name(k.role)).Text(k.secret_hash);
  p.Text(k.prefix).Int(k.created_at).OptInt(k.revoked_at);
  return Insert(kInsertApiKey, p);
}

Result<ApiKey> PgTx::FindApiKeyByHash(std::string_view secret_hash) {
  return One(kFindApiKey, Params().Text(secret_hash), "api key", &ReadApiKey);
}

Result<std::vector<ApiKey>> PgTx::ListApiKeys(std::string_view tenant_id) {
  return Many(kListApiKeys, Params().Text(tenant_id), &ReadApiKey);
}

Status PgTx::RevokeApiKey(std::string_view tenant_id, std::string_view key_id, Timestamp at) {
  return UpdateOne(kRevokeApiKey, Params().Text(tenant_id).Text(key_id).Int(at), "api key");
}

Status PgTx::UpsertReasonCode(const ReasonCode& r) {
  return Exec(kUpsertReason, Params().Text(r.tenant_id).Text(r.code).Text(r.description)).status();
}

Result<std::vector<ReasonCode>> PgTx::ListReasonCodes(std::string_view tenant_id) {
  return Many(kListReasons, Params().Text(tenant_id), &ReadReason);
}

Status PgTx::UpsertPlan(const Plan& p) {
  Params params;
  params.Text(p.tenant_id).Text(p.code).Text(p.name).Int(p.price_minor).Text(p.currency);
  params.Bool(p.active);
  return Exec(kUpsertPlan, params).status();
}

Result<Plan> PgTx::GetPlan(std::string_view tenant_id, std::string_view code) {
  return One(kGetPlan, Params().Text(tenant_id).Text(code), "plan", &ReadPlan);
}

Result<std::vector<Plan>> PgTx::ListPlans(std::string_view tenant_id) {
  return Many(kListPlans, Params().Text(tenant_id), &ReadPlan);
}

}  // namespace sb::storage::postgres
