#pragma once

// The tenant's policy pack in force, parsed and with its calendars bound to their time
// zones, cached per (tenant, version): the request path reads only the version in force
// and parses a pack once per process. Thread-safe.

#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "domain/policy.h"
#include "domain/ports/store.h"
#include "domain/sla.h"

namespace sb::app {

// A parsed pack with every calendar it names resolved. Immutable once built.
struct CompiledPolicy {
  domain::PolicyPack pack;
  std::map<std::string, domain::BusinessCalendar> calendars;

  // The policy of `type`. REQUIRES: validated packs name every type (domain::Validate).
  const domain::RequestPolicy& For(domain::RequestType type) const {
    return pack.requests.at(type);
  }
  // The calendar `target` counts in (its own or the pack's default); null when the pack has
  // no such calendar (calendar-hours targets then need none).
  const domain::BusinessCalendar* CalendarFor(const domain::SlaTarget& target) const;
};

// The pack in force for `tenant_id` at `at`. kUnprocessable "no_policy_pack" when the tenant
// has none; kInternal when a stored pack no longer parses (it was validated when stored).
Result<std::shared_ptr<const CompiledPolicy>> PolicyInForce(domain::Tx& tx,
                                                            const std::string& tenant_id,
                                                            Timestamp at);

// The tenant's pack of version `version`, whether or not it is in force (a request keeps
// the rules of the version it was filed under). kNotFound "policy_pack" when the tenant
// has no such version; kInternal as PolicyInForce.
Result<std::shared_ptr<const CompiledPolicy>> PolicyOfVersion(domain::Tx& tx,
                                                              const std::string& tenant_id,
                                                              const std::string& version);

}  // namespace sb::app
