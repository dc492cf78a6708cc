#pragma once

// Policy what-if (docs/POLICY_SIMULATION.md): a candidate pack
// replayed over the tenant's recent requests, each under the inputs its last decision was made
// on (the request's check inputs, app/requests/check_inputs.h). Reports every decision that
// would come out differently, counts by type and transition, and the SLA targets that would
// move. Reads only: nothing is written, no request changes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"
#include "domain/policy.h"
#include "domain/ports/store.h"

namespace sb::app {

// One check of a changed decision, matched by kind and party: its result as decided, and
// under the candidate (unset where the check is not run in that pack).
struct SimulatedCheck {
  domain::CheckKind kind = domain::CheckKind::kPaymentCleared;
  std::string party;
  std::optional<bool> passed_before;
  std::optional<bool> passed_after;
  std::string detail_after;  // the candidate's sentence; empty when it does not run the check
};

// A request whose decision the candidate would change.
struct SimulatedDecision {
  std::string request_id;
  domain::RequestType type = domain::RequestType::kStatusSync;
  Timestamp created_at = 0;
  Timestamp decided_at = 0;  // when its last decision was made
  domain::RequestState state_now = domain::RequestState::kReceived;
  domain::RequestState decided = domain::RequestState::kReceived;   // as decided then
  domain::RequestState would_be = domain::RequestState::kReceived;  // under the candidate
  std::vector<SimulatedCheck> checks;  // only those whose result differs
};

struct SimulatedTransition {
  domain::RequestState decided = domain::RequestState::kReceived;
  domain::RequestState would_be = domain::RequestState::kReceived;
  std::int64_t requests = 0;
};

struct SimulatedType {
  domain::RequestType type = domain::RequestType::kStatusSync;
  std::int64_t replayed = 0;
  std::int64_t changed = 0;
  std::vector<SimulatedTransition> transitions;  // changed decisions only, most frequent first
};

// An SLA target (type, priority) the candidate sets differently from what the requests of the
// window ran under, with how many of them it concerns. `before` is unset where that pack had
// no target for the priority, `after` where the candidate has none.
struct SimulatedSlaMove {
  domain::RequestType type = domain::RequestType::kStatusSync;
  std::string priority;
  std::optional<domain::SlaTarget> before;
  std::optional<domain::SlaTarget> after;
  std::int64_t requests = 0;
};

struct PolicySimulation {
  std::string candidate_version;
  int days = 0;
  Timestamp from = 0;  // the window replayed: requests created in [from, to)
  Timestamp to = 0;
  std::int64_t requests = 0;        // in the window
  std::int64_t replayed = 0;        // whose inputs were kept
  std::int64_t not_replayable = 0;  // filed before inputs were kept, or never decided
  std::int64_t changed = 0;
  std::vector<SimulatedType> by_type;        // types with a replayed request, enum order
  std::vector<SimulatedDecision> decisions;  // oldest first, at most kMaxListed
  bool truncated = false;                    // more changed than listed
  std::vector<SimulatedSlaMove> sla_moves;   // type order, then priority

  static constexpr std::size_t kMaxListed = 1000;
};

// The days a simulation may look back: 1..365, 30 when not given.
inline constexpr int kSimulationDefaultDays = 30;
inline constexpr int kSimulationMaxDays = 365;

// Replays the requests of `tenant_id` created in the `days` before `now` under `candidate`
// (validated), reading them a page at a time inside `tx` (memory does not grow with the
// window, only with the listed decisions).
Result<PolicySimulation> SimulatePolicy(domain::Tx& tx, const std::string& tenant_id,
                                        const domain::PolicyPack& candidate, Timestamp now,
                                        int days);

}  // namespace sb::app
