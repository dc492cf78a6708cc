#pragma once

// Eligibility checks (docs/ARCHITECTURE.md, "Domain") as pure functions: given what is known about
// the account and the request, each check passes or says what is missing; the verdict of all of
// them decides the state the request moves to. Nothing here reads storage or the clock.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/enums.h"
#include "domain/model.h"
#include "domain/policy.h"

namespace sb::domain {

// Everything the checks read, gathered by the caller inside the request's transaction.
struct CheckFacts {
  Timestamp now = 0;
  const Account* account = nullptr;                 // REQUIRES: set
  const std::vector<Hold>* active_holds = nullptr;  // REQUIRES: set; the account's active holds
  std::optional<std::string> service_id;            // the request's service, if any
  const std::vector<Verification>* verifications = nullptr;  // REQUIRES: set
  std::string request_id;
  Actor maker;                                       // who filed the request
  const std::vector<Decision>* decisions = nullptr;  // REQUIRES: set
  // Requests of the same type on the account inside the largest cooling_off window, not
  // counting this one (and not rejected, cancelled or failed ones).
  std::int64_t same_type_recent = 0;
  // The approval role of the request's policy (an approval check without its own role).
  std::optional<Role> policy_approval_role;
  // The pack's identity methods (identity_verified: which may stand alone); null reads as
  // DefaultIdentityMethods(). A method not listed stands alone (recorded under an older pack).
  const std::map<std::string, IdentityMethod>* identity_methods = nullptr;
};

// What one check found. `waits_for` is the state a failing check parks the request in:
// awaiting_payment, awaiting_customer, awaiting_approval, verifying (waits for another
// team: fraud review, a fault fix) or rejected (nothing can arrive that makes it pass).
struct CheckResult {
  CheckKind kind = CheckKind::kPaymentCleared;
  bool passed = false;
  std::string detail;  // a sentence a person reads: why it passed or what is missing
  std::string party;   // identity_verified: whose identity
  RequestState waits_for = RequestState::kVerifying;
};

// Runs one check.
CheckResult RunCheck(const CheckSpec& spec, const CheckFacts& facts);

// Runs every check, in order.
std::vector<CheckResult> RunChecks(const std::vector<CheckSpec>& specs, const CheckFacts& facts);

// The state the results lead to under `auto_approve`:
// - a result waiting for `rejected` rejects the request;
// - otherwise the first failing result in this order of precedence decides: payment,
//   then customer, then another team (verifying), then approval;
// - all passed: `approved`, except under kNever, where a person must still decide
//   (`awaiting_approval`) unless `decided` (an approving decision exists).
RequestState Verdict(const std::vector<CheckResult>& results, AutoApproval auto_approve,
                     bool decided);

// The largest cooling_off window (days) among `specs`; 0 when there is none.
int CoolingOffWindowDays(const std::vector<CheckSpec>& specs);

// True when `role` may act where `required` is asked: admin may act for every role, a
// supervisor also for an agent.
bool RoleSatisfies(std::optional<Role> role, Role required);

}  // namespace sb::domain
