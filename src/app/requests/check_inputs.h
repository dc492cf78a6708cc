#pragma once

// The inputs a request's checks were run on, kept with the request (its `check_inputs` column,
// written with every evaluation) so that a candidate policy pack can be replayed over past
// decisions (app/policy/policy_simulation.h). Only what the checks read is kept: the account's
// amount due, currency, KYC level and creation time; the holds the checks saw; the account's
// verifications (kind, party, method, level, time: no personal data); the request's decisions,
// maker, service and the count of earlier requests in each cooling-off window the pack used;
// the fraud review's result and whether a retention offer was answered; and the verdict.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/checks.h"
#include "domain/model.h"
#include "domain/policy.h"

namespace sb::app {

// What one evaluation saw and decided, owned (CheckFacts only points).
struct CheckInputs {
  Timestamp at = 0;
  domain::Account account;
  std::vector<domain::Hold> holds;
  std::vector<domain::Verification> verifications;
  std::vector<domain::Decision> decisions;
  domain::Actor maker;
  std::optional<std::string> service_id;
  std::map<int, std::int64_t> cooling_off_counts;   // window in days -> earlier requests in it
  std::optional<domain::CheckResult> fraud_review;  // set while a fraud rule holds the request
  bool offer_answered = false;                      // a retention offer was accepted or declined
  domain::RequestState verdict = domain::RequestState::kVerifying;
};

// The JSON kept in the request's `check_inputs`.
std::string CheckInputsJson(const CheckInputs& in);

// Reads CheckInputsJson's text back. kInvalidArgument "check_inputs" when it is not (an empty
// text: a request filed before inputs were kept).
Result<CheckInputs> ParseCheckInputs(std::string_view text);

// The facts of `in` for `request_id` under `policy` (its approval role and cooling-off window)
// and `pack` (its identity methods). nullopt when a cooling-off window of `specs` was not counted
// when the inputs were kept, so the decision cannot be replayed. The facts point into `in`.
std::optional<domain::CheckFacts> ReplayFacts(const CheckInputs& in, const std::string& request_id,
                                              const std::vector<domain::CheckSpec>& specs,
                                              const domain::RequestPolicy& policy,
                                              const domain::PolicyPack& pack);

// The state a request's checks lead to: `results` (the pack's checks, then the fraud review
// when one holds the request) under `auto_approve`; a pending fraud review comes before anything
// asked of the customer; a voluntary termination whose pack has offers and whose offer is not
// answered waits for the customer. The one rule Evaluate and a replay both apply.
domain::RequestState DecideVerdict(const std::vector<domain::CheckResult>& results,
                                   const std::optional<domain::CheckResult>& review,
                                   domain::AutoApproval auto_approve, bool decided,
                                   bool offer_pending);

// Whether a request waits for the customer's answer to a retention offer: a voluntary
// termination whose policy has offers, not yet answered (an involuntary one, e.g. for
// non-payment, is not the customer's to reconsider).
bool OffersPending(const domain::RequestPolicy& policy, domain::RequestType type,
                   domain::Origin origin, bool offer_answered);

// What a request whose decision was kept as `in` would be decided under `policy` of `pack`:
// the checks' results (the fraud review last, as kept) and the verdict. nullopt when it cannot be
// replayed (see ReplayFacts).
struct Replayed {
  std::vector<domain::CheckResult> checks;
  domain::RequestState verdict = domain::RequestState::kVerifying;
};
std::optional<Replayed> Replay(const CheckInputs& in, const domain::Request& r,
                               const domain::RequestPolicy& policy, const domain::PolicyPack& pack);

}  // namespace sb::app
