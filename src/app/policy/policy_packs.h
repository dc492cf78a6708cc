#pragma once

// A tenant's policy packs: the one in force, checking a candidate, storing a new version
// (docs/ARCHITECTURE.md, "Domain": per tenant, versioned, effective-dated; policies are data).
// Thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/core/context.h"
#include "app/policy/policy_parse_gate.h"
#include "app/policy/policy_simulation.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/policy.h"

namespace sb::app {

// The outcome of storing a pack: the stored version, and whether it is now the pack in
// force (not when dated in the future, nor when dated before the pack in force).
struct PolicyPackChange {
  domain::StoredPolicyPack pack;
  bool in_force = false;
};

// The request types of one pack: its version and each type's policy.
struct PackRequestTypes {
  std::string version;
  std::vector<std::pair<domain::RequestType, domain::RequestPolicy>> types;
};

class PolicyPackUseCases {
 public:
  // Parses at most `parse_concurrency` candidate packs at once (see PolicyParseGate).
  explicit PolicyPackUseCases(Deps deps, int parse_concurrency = kDefaultParseConcurrency)
      : deps_(deps), gate_(parse_concurrency) {}

  static constexpr int kDefaultParseConcurrency = 2;

  // The pack in force for ctx.tenant_id now; kNotFound when the tenant has none.
  Result<domain::StoredPolicyPack> Get(const CallContext& ctx) const;

  // The types among `candidates`, in their order, that the pack in force for ctx.tenant_id
  // lets be filed with `reason_code` (its reason codes name it), which is what the request
  // engine's reason check asks of a filing. kUnprocessable "no_policy_pack" when the tenant
  // has none.
  Result<std::vector<domain::RequestType>> TypesAccepting(
      const CallContext& ctx, const std::vector<domain::RequestType>& candidates,
      const std::string& reason_code) const;

  // What the pack in force for ctx.tenant_id says about each request type, in the
  // request-type enum's order, with its version: what a filing form offers and shows up
  // front. kUnprocessable "no_policy_pack" when the tenant has none.
  Result<PackRequestTypes> RequestTypes(const CallContext& ctx) const;

  // Parses and validates `yaml_text` (see ParsePolicyPack) and checks that every reason code
  // it names is one of the tenant's: kUnprocessable "unknown_reason_code" whose param is
  // the field path (e.g. "requests.suspension.reason_codes[1]") and whose message names the
  // line. Writes nothing. kRateLimited "policy_parse_busy" when the server is already
  // parsing as many packs as it allows.
  Result<domain::PolicyPack> Validate(const CallContext& ctx, std::string_view yaml_text) const;

  // Validates `yaml_text` as Validate does, then replays the tenant's requests created in the
  // last `days` (kSimulationDefaultDays when 0) under it and reports what would change
  // (policy_simulation.h). Writes nothing. kInvalidArgument "days" outside
  // 1..kSimulationMaxDays; kRateLimited "policy_parse_busy" as for Validate.
  Result<PolicySimulation> Simulate(const CallContext& ctx, std::string_view yaml_text,
                                    int days) const;

  // Validates `yaml_text` as Validate does and stores it as a new version with its own
  // effective_from, with an audit entry, in one transaction. kConflict "version_exists"
  // (param "version") when the tenant already has that version; kRateLimited
  // "policy_parse_busy" as for Validate. Honors ctx.dry_run and
  // stores `answer` for ctx.idempotency_key.
  Result<PolicyPackChange> Replace(const CallContext& ctx, std::string_view yaml_text,
                                   const AnswerFn<PolicyPackChange>& answer = nullptr) const;

 private:
  // Replace, once a parse slot is held.
  Result<PolicyPackChange> Store(const CallContext& ctx, std::string_view yaml_text,
                                 const AnswerFn<PolicyPackChange>& answer) const;

  Deps deps_;
  mutable PolicyParseGate gate_;
};

// Parses `yaml_text` and checks its reason codes against the tenant's catalogue in `tx`.
// Shared by the use cases above and tenant creation.
Result<domain::PolicyPack> CheckPolicyPack(domain::Tx& tx, const std::string& tenant_id,
                                           std::string_view yaml_text);

}  // namespace sb::app
