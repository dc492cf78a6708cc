#pragma once

// Fraud and abuse rules (the pack's `fraud:` section, domain::FraudPolicy), evaluated where the
// changes they watch happen: as a request is filed (SubmitInTx: reactivation velocity, a contact
// change followed by a payment-method change) and as a one-time code check fails (failed
// codes); and fraud alerts from client systems (the fraud.alert event). A rule that fires about
// a request sends it to `verifying` for a fraud review: a check of kind no_fraud_hold whose
// detail starts "fraud_review", which only a supervisor's approval passes. A rule with `hold`
// places a fraud_review hold on the account (a suspension filed by the system, reason
// fraud_suspected) unless one is active. Every rule that fires is a fraud signal
// (GET /v1/fraud/signals) with the figures that matched, and an audit entry `fraud.signal`.
// Everything happens inside the caller's transaction.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/checks.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "domain/ports/store.h"

namespace sb::app {

// A rule that fired: its name, whether it places a hold, and the figures that matched.
struct FiredRule {
  std::string rule;
  bool hold = false;
  boost::json::object figures;
};

// The request rules of `pack` that fire for `r`, about to be filed on its account.
Result<std::vector<FiredRule>> FraudRulesFor(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                             const domain::PolicyPack& pack,
                                             const domain::Request& r);

// Puts `r` under fraud review for `fired` (kept in its result as "fraud_review").
void MarkForFraudReview(domain::Request& r, const std::vector<FiredRule>& fired);

// The fraud review check of `r`: nullopt when it is not under review; otherwise passed once a
// supervisor (or an admin) approved it, else waiting in `verifying`.
std::optional<domain::CheckResult> FraudReviewCheck(const domain::Request& r);

// Whether `r` waits in `verifying` for a supervisor to end its fraud review.
bool AwaitsFraudReview(const domain::Request& r);

// Records `fired` about `account_id` (and `request_id`, empty for none): the hold one of them
// asks for, then a signal and an audit entry per rule.
Status RecordFraudSignals(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                          const std::string& account_id, const std::string& request_id,
                          const std::vector<FiredRule>& fired);

// A fraud.alert from a client system about `account_id`: a signal (rule "alert", `figures` the
// sender's) and a fraud_review hold unless one is active. Returns the suspension's id, or ""
// when a hold was already active.
Result<std::string> RecordFraudAlert(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                     Timestamp now, const std::string& account_id,
                                     const boost::json::object& figures);

// After a failed code check on `account_id`: the failed_codes rule, which fires once, on the
// check that reaches its count.
Status OnFailedCodeCheck(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                         const std::string& account_id);

}  // namespace sb::app
