#include "app/tenants/tenant_admin.h"

#include <algorithm>
#include <boost/json.hpp>

#include "app/accounts/accounts.h"
#include "app/core/change.h"
#include "app/policy/policy_packs.h"
#include "app/policy/policy_yaml.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;

namespace {

struct ReasonSeed {
  const char* code;
  const char* description;
};

constexpr ReasonSeed kDefaultReasons[] = {
    {"non_payment", "Balance overdue past the grace period"},
    {"payment_received", "Outstanding balance paid"},
    {"customer_request", "Asked for by the customer"},
    {"fraud_suspected", "Activity under fraud review"},
    {"fraud_cleared", "Fraud review closed without findings"},
    {"policy_violation", "Terms of service breached"},
    {"technical_fault", "Fault on the network or equipment"},
    {"fault_resolved", "Technical fault fixed"},
    {"kyc_pending", "Identity documents missing or expired"},
    {"kyc_completed", "Identity documents verified"},
    {"data_outdated", "Customer data needs confirming"},
    {"data_updated", "Customer data confirmed or updated"},
    {"inactivity", "No activity for the inactivity period"},
    {"regulatory_order", "Required by a regulator or court"},
    {"agent_correction", "Correction of an earlier mistake"},
    {"account_closure", "Account closed"},
    {"hold_expired", "Hold reached its expiry"},
    {"reconciliation", "Difference found by reconciliation with a client system"},
};

constexpr struct {
  const char* code;
  const char* name;
  std::int64_t price_minor;
} kDefaultPlans[] = {
    {"mobile_basic", "Mobile Basic 10 GB", 1500},
    {"mobile_unlimited", "Mobile Unlimited", 3500},
    {"fiber_500", "Fiber 500 Mbit/s", 4500},
    {"tv_plus", "TV Plus", 2000},
};

CallContext TenantSystemContext(const std::string& tenant_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", domain::Role::kAdmin};
  ctx.channel = domain::Channel::kSystem;
  ctx.correlation_id = "admin";
  return ctx;
}

// Stores the built-in pack as the tenant's first version. It is in force from the tenant's
// creation even when the pack itself is dated later: a tenant always has a pack.
Status StoreDefaultPolicyPack(domain::Tx& tx, const std::string& tenant_id, Timestamp now) {
  std::string yaml = DefaultPolicyPackYaml();
  SB_ASSIGN_OR_RETURN(domain::PolicyPack pack, CheckPolicyPack(tx, tenant_id, yaml));
  Timestamp from = std::min(pack.effective_from, now);
  return tx.InsertPolicyPack({tenant_id, pack.version, from, yaml, now, "system"});
}

}  // namespace

Result<domain::Tenant> AdminUseCases::CreateTenant(const std::string& name) const {
  if (name.empty() || name.size() > 200) {
    return Status::Invalid("name", "tenant name must be 1 to 200 characters");
  }
  CallContext ctx = TenantSystemContext("");
  return RunChange<domain::Tenant>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<domain::Tenant> {
        domain::Tenant t{crypto::NewId("ten", now), name, now};
        SB_RETURN_IF_ERROR(tx.InsertTenant(t));
        for (const auto& r : kDefaultReasons) {
          SB_RETURN_IF_ERROR(tx.UpsertReasonCode({t.id, r.code, r.description}));
        }
        for (const auto& p : kDefaultPlans) {
          SB_RETURN_IF_ERROR(tx.UpsertPlan({t.id, p.code, p.name, p.price_minor, "EUR", true}));
        }
        SB_RETURN_IF_ERROR(StoreDefaultPolicyPack(tx, t.id, now));
        CallContext tctx = TenantSystemContext(t.id);
        ChangeRecorder rec(tx, tctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "tenant.created", "tenant",
                                     t.id, "", "", {}, {{"name", t.name}}));
        return t;
      });
}

Result<std::vector<domain::Tenant>> AdminUseCases::ListTenants() const {
  std::vector<domain::Tenant> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListTenants());
    return Status::Ok();
  }));
  return out;
}

Result<NewApiKey> AdminUseCases::CreateApiKey(const std::string& tenant_id, const std::string& name,
                                              domain::Role role) const {
  if (name.empty() || name.size() > 200) {
    return Status::Invalid("name", "key name must be 1 to 200 characters");
  }
  CallContext ctx = TenantSystemContext(tenant_id);
  return RunChange<NewApiKey>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<NewApiKey> {
        auto tenant = tx.GetTenant(tenant_id);
        if (!tenant.ok()) return Status::NotFound("tenant", "tenant");
        NewApiKey k;
        k.secret = "sb_" + crypto::Base64Url(crypto::RandomBytes(32));
        k.key.tenant_id = tenant_id;
        k.key.id = crypto::NewId("key", now);
        k.key.name = name;
        k.key.role = role;
        k.key.secret_hash = crypto::Hex(crypto::Sha256(k.secret));
        k.key.prefix = k.secret.substr(0, 10);
        k.key.created_at = now;
        SB_RETURN_IF_ERROR(tx.InsertApiKey(k.key));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "api_key.created", "api_key",
                                     k.key.id, "", "", {},
                                     {{"name", name}, {"role", domain::Name(role)}}));
        return k;
      });
}

Result<std::vector<domain::ApiKey>> AdminUseCases::ListApiKeys(const std::string& tenant_id) const {
  std::vector<domain::ApiKey> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListApiKeys(tenant_id));
    return Status::Ok();
  }));
  return out;
}

Status AdminUseCases::RevokeApiKey(const std::string& tenant_id, const std::string& key_id) const {
  {
    std::lock_guard lock(cache_mu_);
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.key.id == key_id; });
  }
  CallContext ctx = TenantSystemContext(tenant_id);
  auto r = RunChange<bool>(deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<bool> {
    SB_RETURN_IF_ERROR(tx.RevokeApiKey(tenant_id, key_id, now));
    ChangeRecorder rec(tx, ctx, now);
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "api_key.revoked", "api_key",
                                 key_id, "", "", {}, {{"revoked", true}}));
    return true;
  });
  return r.status();
}

Result<domain::ApiKey> AdminUseCases::Authenticate(const std::string& secret) const {
  if (secret.empty() || secret.size() > 200) return Status::Unauthenticated("invalid API key");
  std::string hash = crypto::Hex(crypto::Sha256(secret));
  Timestamp now = deps_.clock.Now();
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && now >= it->second.fetched_at &&
        now - it->second.fetched_at < kAuthCacheTtl) {
      return it->second.key;
    }
  }
  std::optional<domain::ApiKey> key;
  Status s = deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto r = tx.FindApiKeyByHash(hash);
    if (r.ok()) key = std::move(*r);
    return r.ok() || r.status().code() == Code::kNotFound ? Status::Ok() : r.status();
  });
  SB_RETURN_IF_ERROR(s);
  if (!key || key->revoked_at) return Status::Unauthenticated("invalid or revoked API key");
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 10000) cache_.clear();  // bounded; unknown secrets are never cached
  cache_[hash] = {*key, now};
  return std::move(*key);
}

}  // namespace sb::app
