#include "app/policy/policy_cache.h"

#include <mutex>

#include "app/policy/policy_yaml.h"
#include "common/tzif.h"

namespace sb::app {
namespace {

struct Cache {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const CompiledPolicy>> packs;
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
  Cache& cache = TheCache();
  auto key = std::make_pair(tenant_id, *version);
  {
    std::lock_guard<std::mutex> lock(cache.mu);
    auto it = cache.packs.find(key);
    if (it != cache.packs.end()) return it->second;
  }
  SB_ASSIGN_OR_RETURN(auto stored, tx.PolicyPackInForce(tenant_id, at));
  SB_ASSIGN_OR_RETURN(auto compiled, Compile(stored));
  std::lock_guard<std::mutex> lock(cache.mu);
  cache.packs[std::make_pair(tenant_id, stored.version)] = compiled;
  return compiled;
}

}  // namespace sb::app
