#pragma once

// How a request moves, inside a transaction the caller holds (the use cases in
// app/requests.h, inbound events and jobs all drive requests through these, so a request
// moves the same way whoever pushes it):
//
//   received -> verifying -> checks run (domain/checks.h) ->
//     rejected                      a check nothing can fix (cooling off)
//     awaiting_payment | awaiting_customer | verifying | awaiting_approval
//                                   waits; moves on by itself when ResumeWaiting runs
//                                   after what it waited for arrives
//     approved -> provisioning      when the policy needs the network: waits for
//                                   provisioning.completed / failed or the timeout
//              -> completed         the effect applied (app/requests/effects/), the fee
//                                   booked as a billing adjustment request
//
// The SLA clock starts when the request is filed (due_at and at_risk_at from the policy's
// target for its priority, in the policy's calendar), pauses while the request waits for
// the customer and moves due_at later by the working time paused. "request.sla" jobs fire at
// at_risk_at and due_at. Every change of state writes one audit entry with the checks'
// results, and outbox messages for the notifications the policy lists (the status changes a
// completion causes are announced by Reconcile, app/accounts/account_state.h).

#include <string>
#include <vector>

#include "app/core/change.h"
#include "app/core/context.h"
#include "app/core/job_kinds.h"
#include "app/policy/policy_cache.h"
#include "app/requests/requests.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// The request `id` of the tenant, read after locking its account's row (PostgreSQL: FOR
// UPDATE; SQLite has one writer). Every transaction that changes a request holds its
// account's lock, so a caller that writes the request back cannot overwrite what another
// transaction (an SLA timer, a decision, a verification) changed since. Where writes are
// serialized (Tx::WritesAreSerialized) nothing can change between the reads, so the request
// is read once. kNotFound "request" when there is no such request.
Result<domain::Request> LockRequest(domain::Tx& tx, const std::string& tenant_id,
                                    const std::string& id);

// Files and advances a request inside `tx` (see RequestEngine::Submit).
Result<RequestOutcome> SubmitInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                  Timestamp now, const SubmitInput& in);

// Re-runs the checks of every request of the account that waits (verifying or awaiting_*)
// and moves each as far as it can go. Appends the requests that changed state to `moved`
// when given.
Status ResumeWaiting(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                     const std::string& account_id, std::vector<domain::Request>* moved = nullptr);

// Runs the checks of `r` again (after a decision, an answer) and moves it on; `r` is the
// request as the caller changed it, not yet stored. An effect the account no longer allows
// fails the request rather than the transaction.
Result<RequestOutcome> AdvanceInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   Timestamp now, domain::Request r);

// The outcome of the hand-off of a request in `provisioning`: success applies the effect
// and completes it; failure fails it or escalates it as the policy says. kConflict
// "not_provisioning" when the request is elsewhere; kNotFound for an unknown request.
Result<RequestOutcome> FinishProvisioning(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          Timestamp now, const std::string& request_id,
                                          bool succeeded, const std::string& detail);

// Writes one outbox message (a webhook event in the docs/ARCHITECTURE.md, "Events and webhooks"
// envelope) about `request` (may be null) on `account_id`.
Status Emit(domain::Tx& tx, const CallContext& ctx, Timestamp now, const std::string& event_type,
            const domain::Request* request, const std::string& account_id,
            const boost::json::object& data, const std::string& channel = "webhook");

// Emit for a fact about an object (a service suspended, an account's status changed): the
// webhook envelope also carries `previous`, the changed fields as they were before.
Status EmitChange(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                  const std::string& event_type, const domain::Request* request,
                  const std::string& account_id, const boost::json::object& data,
                  const boost::json::object& previous);

// The audit category of a request type's changes.
domain::AuditCategory CategoryFor(domain::RequestType type);

// The results of checks as stored in Request::checks_json, and read back.
std::string ChecksToJson(const std::vector<domain::CheckResult>& results);
std::vector<domain::CheckResult> ChecksFromJson(const std::string& text);

}  // namespace sb::app
