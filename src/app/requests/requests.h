#pragma once

// The request engine's public use cases (docs/ARCHITECTURE.md, "Domain"): filing a request of any
// type, the queue work on it (assign, comment, approve, reject, cancel, answer an offer),
// and the evidence checks read (identity, consent, data confirmation). Every method runs
// one transaction, honours ctx.dry_run and stores its answer for ctx.idempotency_key.
// How a request moves is in app/request_flow.h. Thread-safe.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/core/context.h"
#include "common/status.h"
#include "domain/checks.h"
#include "domain/model.h"

namespace sb::app {

struct SubmitInput {
  domain::RequestType type = domain::RequestType::kStatusSync;
  std::string account_id;
  std::optional<std::string> service_id;
  domain::Origin origin = domain::Origin::kVoluntary;
  // True when the caller named `origin` (a body's "origin") rather than the change implying
  // it: only then can the origin be one the caller may not claim (see CheckOriginAllowed).
  bool origin_chosen = false;
  std::string priority = "normal";  // one of domain::kPriorities
  boost::json::object payload;      // the type's fields (see app/requests/effects/effects.h)
  // Consent the customer gave with the request (e.g. "recorded_call"); recorded as a
  // consent verification tied to the request.
  std::optional<std::string> consent_method;
  std::string assignee;
};

// A request after a call, with the results of its latest checks and the requests booked
// with it (a fee becomes a billing adjustment request). Submit also gives the account after
// the call and the hold or service the request concerns (the engine's other entry points
// leave them unset).
struct RequestOutcome {
  domain::Request request;
  std::vector<domain::CheckResult> checks;
  std::vector<domain::Request> follow_ups;
  std::optional<AccountView> account;
  std::optional<domain::Hold> hold;
  std::optional<domain::Service> service;
};

struct VerificationInput {
  domain::VerificationKind kind = domain::VerificationKind::kIdentity;
  std::string party = "owner";  // "owner" or "new_owner"
  // How it was proven. Identity: one of the pack's `identity_methods` (e.g. "document_check");
  // others: free, e.g. "recorded_call".
  std::string method;
  // Identity: 0 takes the method's level from the pack; a level given may not exceed it.
  // Others: 0.
  int level = 0;
  std::optional<Timestamp> verified_at;  // default: now; never in the future
  std::string request_id;                // consent for one request; empty for any
};

// Who is recording a verification: a person by hand (RecordVerification), or a one-time code
// check (app/verification/verification_codes.h), the only way to record otp_email / otp_sms.
enum class VerificationSource { kByHand, kCodeCheck };

// Records verification `in` of `account_id` inside `tx`: checks it against the tenant's pack in
// force (the method's level; the defaults without a pack), writes it and its
// `verification.recorded` audit entry, and resumes the account's requests waiting on evidence
// (ResumeWaiting). kUnprocessable naming `method` for an unknown identity method or a code
// method by hand, naming `level` for a level above the method's; kNotFound for the account or
// a request_id not on it.
Result<domain::Verification> RecordVerificationInTx(domain::Tx& tx, const Deps& deps,
                                                    const CallContext& ctx, Timestamp now,
                                                    const std::string& account_id,
                                                    const VerificationInput& in,
                                                    VerificationSource source);

// Who may claim an origin or a channel for a request, since it decides which checks run.
//   kSystemOnly  the server's own system actor (signed inbound events, jobs): the origins
//                only its triggers produce (automated, technical) and the `system` channel.
//   kSupervisor  the system actor, supervisors and admins: an origin or channel the pack
//                trusts for the type, i.e. whose override skips a check that applies to the
//                others (e.g. an involuntary termination skips identity and consent).
//   kAnyone      every other origin and channel.
// A caller claiming more than it may is refused (CheckCaller), so a key cannot pick the
// checks it is held to.
// kCustomerOnly: the portal's channel, which only a customer's own session acts on.
enum class Trust { kAnyone, kSupervisor, kSystemOnly, kCustomerOnly };
Trust OriginTrust(const domain::RequestPolicy& policy, domain::Origin origin);
// `policy` may be null (no request type yet): then only the `system` channel is trusted.
Trust ChannelTrust(const domain::RequestPolicy* policy, domain::Channel channel);

// kPermissionDenied "channel_not_allowed" (param X-Channel) when ctx's caller may not claim
// ctx.channel (ChannelTrust under `policy`, when given).
Status CheckChannelAllowed(const CallContext& ctx, const domain::RequestPolicy* policy = nullptr);

// Whether ctx's caller may file `in` under `policy`, checked before anything is written:
// kPermissionDenied "role_not_allowed" (param type) for a type whose registry row says
// people_only (domain/request_types.h) from a system-role API key (the server's own system
// actor is not a key and may); "origin_not_allowed" (param origin) when the caller chose
// (in.origin_chosen) an origin it may not claim (OriginTrust); then CheckChannelAllowed. An origin
// the change implies (a lifted technical_fault hold's `technical`) is the server's choice, not
// checked.
Status CheckCaller(const CallContext& ctx, const domain::RequestPolicy& policy,
                   const SubmitInput& in);

class RequestEngine {
 public:
  explicit RequestEngine(Deps deps) : deps_(deps) {}

  // Files a request: checks the payload and the account (400/404/409/422 with nothing
  // written), records it, runs its checks and moves it as far as it can go in this call
  // (completed when the policy allows it, else waiting for payment, the customer, another
  // team or an approval). The reason code (X-Reason) must be one the type's policy allows;
  // it is required for the status-changing types. ctx.if_match, when set, must be the
  // account's version (412 otherwise, nothing written).
  Result<RequestOutcome> Submit(const CallContext& ctx, const SubmitInput& in,
                                const AnswerFn<RequestOutcome>& answer = nullptr) const;

  // Approves or rejects a request waiting for approval. The approver needs the policy's
  // role and, where the policy says so, must not be the requester (403
  // "maker_checker"). Rejecting needs a reason code. 409 "not_awaiting_approval" otherwise.
  // A request waiting in `verifying` for a fraud review (app/fraud/fraud_rules.h) is decided
  // the same way by a supervisor other than the requester.
  Result<RequestOutcome> Decide(const CallContext& ctx, const std::string& request_id, bool approve,
                                const AnswerFn<RequestOutcome>& answer = nullptr) const;
  // Cancels a request that has not finished; 409 "request_finished" once it has.
  Result<RequestOutcome> Cancel(const CallContext& ctx, const std::string& request_id,
                                const AnswerFn<RequestOutcome>& answer = nullptr) const;
  // Hands the request to an agent or queue (empty: unassigned).
  Result<RequestOutcome> Assign(const CallContext& ctx, const std::string& request_id,
                                const std::string& assignee,
                                const AnswerFn<RequestOutcome>& answer = nullptr) const;
  // Appends a note (1-2000 characters, at most 200 per request) scored for sentiment
  // (comment_sentiment.h): the score is kept with the comment and in the audit entry, never the
  // text; under the pack's `sentiment:` rule an angry comment raises the priority once.
  Result<RequestOutcome> Comment(const CallContext& ctx, const std::string& request_id,
                                 const std::string& text,
                                 const AnswerFn<RequestOutcome>& answer = nullptr) const;
  // The customer's answer to the retention offer of a termination waiting for it: accepting
  // keeps the account (the request ends cancelled, the offer recorded); declining lets the
  // termination go ahead. 409 "no_offer_pending" otherwise; 422 "unknown_offer".
  Result<RequestOutcome> AnswerOffer(const CallContext& ctx, const std::string& request_id,
                                     bool accept, const std::string& offer_code,
                                     const AnswerFn<RequestOutcome>& answer = nullptr) const;

  // Records evidence about the account's customer and moves on the requests that waited
  // for it.
  Result<domain::Verification> RecordVerification(
      const CallContext& ctx, const std::string& account_id, const VerificationInput& in,
      const AnswerFn<domain::Verification>& answer = nullptr) const;
  Result<std::vector<domain::Verification>> ListVerifications(const CallContext& ctx,
                                                              const std::string& account_id) const;

  // Job entry points (subject: a request id). OK when there is nothing (left) to do.
  Status OnSlaTimer(const std::string& tenant_id, const std::string& request_id) const;
  Status OnProvisioningTimeout(const std::string& tenant_id, const std::string& request_id) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
