#pragma once

// Tenants and API keys (administrator work, CLI and first start). Thread-safe.

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

// A freshly created key: the record and the secret, shown once and never stored.
struct NewApiKey {
  domain::ApiKey key;
  std::string secret;  // "sb_<tenant-independent random>"
};

class AdminUseCases {
 public:
  explicit AdminUseCases(Deps deps) : deps_(deps) {}

  // Creates a tenant with the default reason codes, plan catalogue and policy pack
  // (DefaultPolicyPackYaml, in force from creation).
  Result<domain::Tenant> CreateTenant(const std::string& name) const;
  Result<std::vector<domain::Tenant>> ListTenants() const;

  Result<NewApiKey> CreateApiKey(const std::string& tenant_id, const std::string& name,
                                 domain::Role role) const;
  Result<std::vector<domain::ApiKey>> ListApiKeys(const std::string& tenant_id) const;
  Status RevokeApiKey(const std::string& tenant_id, const std::string& key_id) const;

  // The key whose secret this is, if it exists and is not revoked; else kUnauthenticated.
  // Answers are remembered for kAuthCacheTtl, so a revocation made elsewhere (another
  // process, the CLI) takes effect within that time; one made here takes effect at once.
  Result<domain::ApiKey> Authenticate(const std::string& secret) const;
  static constexpr Timestamp kAuthCacheTtl = 5 * kMillisPerSecond;

  // On first start (no tenant yet): creates the "Demo Telecom" tenant, an admin key and a
  // few accounts with services and one suspension. Returns the new key's secret, or an
  // empty string when tenants already exist.
  Result<std::string> SeedDemoIfEmpty() const;

 private:
  struct CachedKey {
    domain::ApiKey key;
    Timestamp fetched_at;
  };
  Deps deps_;
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, CachedKey> cache_;  // by secret hash
};

}  // namespace sb::app
