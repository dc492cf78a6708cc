// The request state machine: filing, checks, waiting, completion (see request_flow.h).
#include "app/requests/request_flow.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "app/fraud/fraud_rules.h"
#include "app/notifications/composer.h"
#include "app/notifications/notification_queue.h"
#include "app/requests/check_inputs.h"
#include "app/requests/effects/effects.h"
#include "app/requests/request_sla.h"
#include "crypto/crypto.h"
#include "domain/money.h"

namespace sb::app {

namespace json = boost::json;
using domain::RequestState;
using domain::RequestType;

namespace {

// One pass of the machine over one request, with what every step needs.
struct Step {
  domain::Tx& tx;
  const Deps& deps;
  const CallContext& ctx;
  Timestamp now;
  const CompiledPolicy& policy;
  AccountState& st;
  RequestOutcome& out;
  // Resuming a request filed earlier: an effect the account no longer allows fails the
  // request instead of the whole transaction (which carries someone else's change).
  bool resuming = false;
  // Whether the request's row exists. A request filed in this call is written once, where
  // its first pass ends: most complete at once, and one write of the finished row costs
  // the writer half of an insert followed by an update of every index it is in.
  bool stored = true;
};

void Transition(domain::Request& r, RequestState to, Timestamp now) {
  r.state = to;
  r.history.push_back({to, now});
  r.updated_at = now;
  if (domain::IsTerminal(to)) r.completed_at = now;
}

bool NeedsReason(RequestType t) {
  return t == RequestType::kReconnection || t == RequestType::kReactivation ||
         t == RequestType::kActivation || t == RequestType::kSuspension ||
         t == RequestType::kTermination || t == RequestType::kStatusSync;
}

Status CheckReason(const CallContext& ctx, const domain::RequestPolicy& policy, RequestType type) {
  if (ctx.actor.type == domain::ActorType::kSystem) return Status::Ok();
  if (ctx.reason_code.empty()) {
    if (!NeedsReason(type)) return Status::Ok();
    return Status::Invalid("X-Reason", "this request needs a reason code in the X-Reason header",
                           "reason_required");
  }
  const auto& codes = policy.reason_codes;
  if (std::find(codes.begin(), codes.end(), ctx.reason_code) != codes.end()) return Status::Ok();
  return Status::Unprocessable("reason_not_allowed",
                               "'" + ctx.reason_code + "' is not a reason the policy allows for " +
                                   std::string(domain::Name(type)) + " requests",
                               "X-Reason");
}

// Tells of `r` now being in its state: the webhook events the policy lists ("request.<state>"
// on every move, the type's other events, e.g. "customer.data_changed", on completion), and
// the pack's notifications of "request.<state>" (app/notifications/composer.h), which Emit
// composes for a listed event and which are composed alone for one the type does not list.
// `just_filed`: the request was filed in this call and waits, so "request.received" is told
// too. Status changes are not among them: Reconcile announces those itself
// (domain::kStatusFactEvents).
Status Notify(Step& s, const domain::Request& r, bool just_filed = false) {
  std::vector<std::string> states;
  if (just_filed && !domain::IsTerminal(r.state)) states.push_back("request.received");
  states.push_back("request." + std::string(domain::Name(r.state)));
  const auto& listed = s.policy.For(r.type).notifications;
  for (const std::string& state_event : states) {
    json::object data{{"state", domain::Name(r.state)}};
    if (std::find(listed.begin(), listed.end(), state_event) != listed.end()) {
      SB_RETURN_IF_ERROR(Emit(s.tx, s.ctx, s.now, state_event, &r, r.account_id, data));
    } else if (NotifiesOf(s.policy.pack, state_event, &r)) {
      SB_RETURN_IF_ERROR(
          QueueNotification(s.tx, s.ctx, s.now, state_event, &r, r.account_id, data));
    }
  }
  if (r.state != RequestState::kCompleted) return Status::Ok();
  for (const std::string& name : listed) {
    // A pack stored before status events were refused may still list one: Reconcile sent it.
    const auto& facts = domain::kStatusFactEvents;
    if (name.rfind("request.", 0) == 0 ||
        std::find(std::begin(facts), std::end(facts), name) != std::end(facts))
      continue;
    SB_RETURN_IF_ERROR(
        Emit(s.tx, s.ctx, s.now, name, &r, r.account_id, {{"state", domain::Name(r.state)}}));
  }
  return Status::Ok();
}

// The fee of the request's policy, booked as a completed billing adjustment request.
Status BookFee(Step& s, ChangeRecorder& rec, const domain::Request& r) {
  const domain::RequestPolicy& p = s.policy.For(r.type);
  if (p.fee_minor <= 0) return Status::Ok();
  std::optional<std::int64_t> due = domain::AddMinor(s.st.account.amount_due_minor, p.fee_minor);
  if (!due) {
    return Status::Unprocessable("amount_too_large",
                                 "the request's fee would overflow the account's amount due",
                                 "fee_minor");
  }
  json::object before{{"amount_due_minor", s.st.account.amount_due_minor}};
  s.st.account.amount_due_minor = *due;
  json::object after{{"amount_due_minor", s.st.account.amount_due_minor}};
  json::object payload{{"kind", "debit"},
                       {"amount_minor", p.fee_minor},
                       {"currency", p.currency},
                       {"fee_for", r.id}};
  SB_ASSIGN_OR_RETURN(
      auto fee, rec.CompletedRequest(RequestType::kBillingAdjustment, domain::Origin::kAutomated,
                                     r.account_id, std::nullopt, payload, after));
  SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kPayment, "billing.fee_charged", "account",
                               r.account_id, r.account_id, fee.id, before, after));
  SB_RETURN_IF_ERROR(Reconcile(s.tx, rec, s.st, &fee));
  s.out.follow_ups.push_back(std::move(fee));
  return Status::Ok();
}

// Merges the effect's result into what the request already recorded (an offer answer).
void MergeResult(domain::Request& r, const json::object& result) {
  boost::system::error_code ec;
  json::value v = json::parse(r.result_json, ec);
  json::object merged = !ec && v.is_object() ? v.as_object() : json::object();
  for (const auto& kv : result) merged[kv.key()] = kv.value();
  r.result_json = json::serialize(merged);
}

json::object ResultObject(const domain::Request& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.result_json, ec);
  return !ec && v.is_object() ? v.as_object() : json::object();
}

Status Complete(Step& s, ChangeRecorder& rec, domain::Request& r) {
  const domain::RequestPolicy& p = s.policy.For(r.type);
  SB_ASSIGN_OR_RETURN(json::object result, ApplyEffect(s.tx, s.deps, rec, s.st, r, p));
  MergeResult(r, result);
  SB_RETURN_IF_ERROR(BookFee(s, rec, r));
  Transition(r, RequestState::kCompleted, s.now);
  return Status::Ok();
}

// Completes `r`, or, when `fail_refused` and the effect refuses what the account has become
// since the request was filed (a conflict, not a broken store), fails the request with the
// refusal in its result instead of failing the transaction that carried someone else's
// change. Effects check before they write, so a refusal leaves nothing half applied.
Status CompleteOrFail(Step& s, ChangeRecorder& rec, domain::Request& r, bool fail_refused) {
  Status done = Complete(s, rec, r);
  if (done.ok()) return done;
  bool refused = done.code() != Code::kInternal && done.code() != Code::kUnavailable;
  if (!fail_refused || !refused) return done;
  MergeResult(r, {{"error", {{"reason", done.reason()}, {"message", done.message()}}}});
  Transition(r, RequestState::kFailed, s.now);
  return Status::Ok();
}

bool NeedsNetwork(const domain::RequestPolicy& p, RequestType t) {
  return p.provisioning.required &&
         (t == RequestType::kReconnection || t == RequestType::kActivation ||
          t == RequestType::kReactivation);
}

Status HandOff(Step& s, domain::Request& r) {
  const domain::RequestPolicy& p = s.policy.For(r.type);
  Transition(r, RequestState::kProvisioning, s.now);
  json::object data{
      {"request_id", r.id}, {"type", domain::Name(r.type)}, {"account_id", r.account_id}};
  if (r.service_id) data["service_id"] = *r.service_id;
  SB_RETURN_IF_ERROR(Emit(s.tx, s.ctx, s.now, "provisioning.requested", &r, r.account_id, data));
  domain::Job job;
  job.tenant_id = r.tenant_id;
  job.id = crypto::NewId("job", s.now);
  job.kind = kProvisioningTimeoutJob;
  job.subject_id = r.id;
  job.payload_json = "{}";
  job.run_at = s.now + p.provisioning.timeout_minutes * kMillisPerMinute;
  job.created_at = s.now;
  return s.tx.InsertJob(job);
}

bool OfferPending(const domain::RequestPolicy& p, const domain::Request& r) {
  return OffersPending(p, r.type, r.origin, ResultObject(r).contains("offer"));
}

// What the checks of `r` read now, kept with it (check_inputs.h) so that its decision can be
// replayed under another pack.
Result<CheckInputs> GatherInputs(Step& s, const domain::Request& r,
                                 const std::vector<domain::CheckSpec>& specs) {
  CheckInputs in;
  in.at = s.now;
  in.account.amount_due_minor = s.st.account.amount_due_minor;
  in.account.currency = s.st.account.currency;
  in.account.kyc_level = s.st.account.kyc_level;
  in.account.created_at = s.st.account.created_at;
  SB_ASSIGN_OR_RETURN(in.verifications, s.tx.ListVerifications(s.ctx.tenant_id, r.account_id));
  if (int days = domain::CoolingOffWindowDays(specs); days > 0) {
    SB_ASSIGN_OR_RETURN(std::int64_t recent,
                        s.tx.CountRequestsSince(s.ctx.tenant_id, r.account_id, r.type,
                                                s.now - days * kMillisPerDay));
    if (s.stored) recent = std::max<std::int64_t>(0, recent - 1);  // not this request itself
    in.cooling_off_counts[days] = recent;
  }
  in.holds = HoldsSeenByChecks(s.st.holds, r);
  in.decisions = r.decisions;
  in.maker = r.actor;
  in.service_id = r.service_id;
  in.fraud_review = FraudReviewCheck(r);
  in.offer_answered = ResultObject(r).contains("offer");
  return in;
}

Result<RequestState> Evaluate(Step& s, domain::Request& r) {
  const domain::RequestPolicy& p = s.policy.For(r.type);
  std::vector<domain::CheckSpec> specs = domain::EffectiveChecks(p, r.origin, r.channel);
  SB_ASSIGN_OR_RETURN(CheckInputs in, GatherInputs(s, r, specs));
  // The facts are those a replay reads back, so a replay under this pack decides the same.
  std::optional<domain::CheckFacts> facts = ReplayFacts(in, r.id, specs, p, s.policy.pack);
  if (!facts) return Status::Internal("the cooling-off window was not counted");
  s.out.checks = domain::RunChecks(specs, *facts);
  if (in.fraud_review) s.out.checks.push_back(*in.fraud_review);
  bool decided = std::any_of(r.decisions.begin(), r.decisions.end(),
                             [](const domain::Decision& d) { return d.approved; });
  RequestState verdict =
      DecideVerdict(s.out.checks, in.fraud_review, p.auto_approve, decided, false);
  if (verdict == RequestState::kApproved && OfferPending(p, r)) {
    json::object result = ResultObject(r);
    json::array offers;
    for (const auto& o : p.offers) {
      offers.push_back({{"code", o.code},
                        {"description", o.description},
                        {"discount_percent", o.discount_percent},
                        {"duration_months", o.duration_months}});
    }
    result["offers_pending"] = std::move(offers);
    r.result_json = json::serialize(result);
    verdict = RequestState::kAwaitingCustomer;
  }
  in.verdict = verdict;
  r.check_inputs_json = CheckInputsJson(in);
  r.checks_json = ChecksToJson(s.out.checks);
  return verdict;
}

// Runs the checks and moves `r` as far as it goes; stores it and audits the move.
Status Advance(Step& s, domain::Request& r) {
  s.out.request = r;
  if (domain::IsTerminal(r.state) || r.state == RequestState::kProvisioning) return Status::Ok();
  RequestState from = r.state;
  if (r.state == RequestState::kReceived) Transition(r, RequestState::kVerifying, s.now);
  SB_ASSIGN_OR_RETURN(RequestState verdict, Evaluate(s, r));
  if (verdict == RequestState::kAwaitingCustomer) {
    SB_RETURN_IF_ERROR(PauseSla(s.tx, s.policy, r, s.now));
  } else {
    SB_RETURN_IF_ERROR(ResumeSla(s.tx, s.policy, r, s.now));
  }
  if (verdict != r.state) Transition(r, verdict, s.now);
  ChangeRecorder rec(s.tx, s.ctx, s.now);
  if (verdict == RequestState::kApproved) {
    if (NeedsNetwork(s.policy.For(r.type), r.type)) {
      SB_RETURN_IF_ERROR(HandOff(s, r));
    } else {
      SB_RETURN_IF_ERROR(CompleteOrFail(s, rec, r, s.resuming));
    }
  }
  SB_RETURN_IF_ERROR(s.stored ? s.tx.UpdateRequest(r) : s.tx.InsertRequest(r));
  s.stored = true;
  if (r.state != from) {
    json::object before{{"state", domain::Name(from)}};
    json::object after{{"state", domain::Name(r.state)}, {"checks", json::parse(r.checks_json)}};
    SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type),
                                 "request." + std::string(domain::Name(r.state)), "request", r.id,
                                 r.account_id, r.id, before, after));
    SB_RETURN_IF_ERROR(Notify(s, r, from == RequestState::kReceived));
  }
  s.out.request = r;
  return Status::Ok();
}

Status ValidatePriority(const std::string& priority) {
  for (std::string_view p : domain::kPriorities) {
    if (p == priority) return Status::Ok();
  }
  return Status::Invalid("priority", "priority must be one of low, normal, high, urgent",
                         "invalid_value");
}

domain::Request NewRequest(const CallContext& ctx, Timestamp now, const SubmitInput& in) {
  domain::Request r;
  r.tenant_id = ctx.tenant_id;
  r.id = crypto::NewId("req", now);
  r.account_id = in.account_id;
  r.service_id = in.service_id;
  r.type = in.type;
  r.origin = in.origin;
  r.channel = ctx.channel;
  r.priority = in.priority;
  r.actor = ctx.actor;
  r.reason_code = ctx.reason_code;
  r.comment = ctx.comment;
  r.correlation_id = ctx.correlation_id;
  r.idempotency_key = ctx.idempotency_key;
  r.checks_json = "[]";
  r.result_json = "{}";
  r.assignee = in.assignee;
  r.history.push_back({RequestState::kReceived, now});
  r.created_at = r.updated_at = now;
  return r;
}

Result<AccountState> LoadFor(domain::Tx& tx, const std::string& tenant_id,
                             const std::string& account_id) {
  auto st = LoadAccountState(tx, tenant_id, account_id);
  if (!st.ok() && st.status().code() == Code::kNotFound) {
    return Status::NotFound("account", "account_id");
  }
  return st;
}

}  // namespace

Result<domain::Request> LockRequest(domain::Tx& tx, const std::string& tenant_id,
                                    const std::string& id) {
  auto first = tx.GetRequest(tenant_id, id);
  if (!first.ok()) {
    return first.status().code() == Code::kNotFound ? Status::NotFound("request") : first.status();
  }
  if (tx.WritesAreSerialized()) return first;
  SB_RETURN_IF_ERROR(tx.GetAccount(tenant_id, first->account_id, /*for_update=*/true).status());
  return tx.GetRequest(tenant_id, id);
}

Result<RequestOutcome> SubmitInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                  Timestamp now, const SubmitInput& in) {
  SB_RETURN_IF_ERROR(ValidatePriority(in.priority));
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
  const domain::RequestPolicy& p = policy->For(in.type);
  SB_RETURN_IF_ERROR(CheckCaller(ctx, p, in));
  SB_RETURN_IF_ERROR(CheckReason(ctx, p, in.type));
  SB_ASSIGN_OR_RETURN(AccountState st, LoadFor(tx, ctx.tenant_id, in.account_id));
  // The account's version is the ETag of its whole aggregate (services and holds too).
  if (ctx.if_match && *ctx.if_match != st.account.version) {
    return Status::PreconditionFailed("the account changed since it was read (version " +
                                      std::to_string(st.account.version) + ")");
  }
  PrepareArgs args{in.type, in.origin, in.service_id, &in.payload, &p, &policy->pack};
  SB_ASSIGN_OR_RETURN(json::object payload, PrepareEffect(tx, deps, ctx, st, args));
  domain::Request r = NewRequest(ctx, now, in);
  r.policy_version = policy->pack.version;
  r.payload_json = json::serialize(payload);
  StartSla(*policy, r, now);
  SB_ASSIGN_OR_RETURN(std::vector<FiredRule> fired, FraudRulesFor(tx, ctx, now, policy->pack, r));
  if (!fired.empty()) MarkForFraudReview(r, fired);
  if (in.consent_method) {
    domain::Verification v;
    v.tenant_id = ctx.tenant_id;
    v.id = crypto::NewId("ver", now);
    v.account_id = r.account_id;
    v.kind = domain::VerificationKind::kConsent;
    v.method = *in.consent_method;
    v.verified_at = v.created_at = now;
    v.request_id = r.id;
    v.actor = ctx.actor;
    SB_RETURN_IF_ERROR(tx.InsertVerification(v));
  }
  RequestOutcome out;
  Step s{tx, deps, ctx, now, *policy, st, out};
  s.stored = false;  // Advance writes it
  SB_RETURN_IF_ERROR(Advance(s, r));
  if (!domain::IsTerminal(r.state) && !r.sla_paused_at) {
    SB_RETURN_IF_ERROR(ScheduleSlaJobs(tx, r, now));
  }
  if (!fired.empty()) {
    SB_RETURN_IF_ERROR(RecordFraudSignals(tx, deps, ctx, now, r.account_id, r.id, fired));
  }
  return out;
}

Status ResumeWaiting(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                     const std::string& account_id, std::vector<domain::Request>* moved) {
  // The lock first (see LockRequest): the requests read next are the ones this writes back.
  auto locked = tx.GetAccount(ctx.tenant_id, account_id, /*for_update=*/true);
  if (!locked.ok()) {
    return locked.status().code() == Code::kNotFound ? Status::Ok() : locked.status();
  }
  SB_ASSIGN_OR_RETURN(auto open, tx.ListOpenRequests(ctx.tenant_id, account_id));
  if (open.empty()) return Status::Ok();
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
  SB_ASSIGN_OR_RETURN(AccountState st, LoadFor(tx, ctx.tenant_id, account_id));
  for (domain::Request& r : open) {
    if (r.state == RequestState::kProvisioning) continue;
    RequestState before = r.state;
    RequestOutcome out;
    Step s{tx, deps, ctx, now, *policy, st, out, /*resuming=*/true};
    SB_RETURN_IF_ERROR(Advance(s, r));
    if (moved && r.state != before) moved->push_back(r);
  }
  return Status::Ok();
}

Result<RequestOutcome> AdvanceInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   Timestamp now, domain::Request r) {
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
  SB_ASSIGN_OR_RETURN(AccountState st, LoadFor(tx, ctx.tenant_id, r.account_id));
  RequestOutcome out;
  Step s{tx, deps, ctx, now, *policy, st, out, /*resuming=*/true};
  if (domain::IsTerminal(r.state)) {
    // Cancelled or rejected by the caller: store and audit the end.
    SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
    ChangeRecorder rec(tx, ctx, now);
    SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type),
                                 "request." + std::string(domain::Name(r.state)), "request", r.id,
                                 r.account_id, r.id, {}, {{"state", domain::Name(r.state)}}));
    SB_RETURN_IF_ERROR(Notify(s, r));
    out.request = r;
    out.checks = ChecksFromJson(r.checks_json);
    return out;
  }
  SB_RETURN_IF_ERROR(Advance(s, r));
  return out;
}

Result<RequestOutcome> FinishProvisioning(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          Timestamp now, const std::string& request_id,
                                          bool succeeded, const std::string& detail) {
  auto found = LockRequest(tx, ctx.tenant_id, request_id);
  if (!found.ok()) {
    if (found.status().code() == Code::kNotFound) return Status::NotFound("request", "request_id");
    return found.status();
  }
  domain::Request r = std::move(found).value();
  if (r.state != RequestState::kProvisioning) {
    return Status::Conflict("not_provisioning",
                            "request " + r.id + " is " + std::string(domain::Name(r.state)));
  }
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
  SB_ASSIGN_OR_RETURN(AccountState st, LoadFor(tx, ctx.tenant_id, r.account_id));
  RequestOutcome out;
  Step s{tx, deps, ctx, now, *policy, st, out};
  ChangeRecorder rec(tx, ctx, now);
  const domain::RequestPolicy& p = policy->For(r.type);
  if (succeeded) {
    // The network work is done whatever the account became meanwhile: a refusal now fails
    // the request rather than leaving it in provisioning until its timeout.
    SB_RETURN_IF_ERROR(CompleteOrFail(s, rec, r, /*fail_refused=*/true));
  } else if (p.provisioning.on_failure == domain::ProvisioningFailure::kFail) {
    MergeResult(r, {{"provisioning_error", detail}});
    Transition(r, RequestState::kFailed, now);
  } else {
    MergeResult(r, {{"provisioning_error", detail}});
    SB_RETURN_IF_ERROR(Escalate(tx, ctx, now, p.escalate_breached, r));
    r.updated_at = now;
  }
  SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
  std::string action = r.state == RequestState::kProvisioning
                           ? "request.provisioning_escalated"
                           : "request." + std::string(domain::Name(r.state));
  SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type), action, "request", r.id, r.account_id, r.id,
                               {{"state", "provisioning"}},
                               {{"state", domain::Name(r.state)}, {"detail", detail}}));
  if (r.state != RequestState::kProvisioning) SB_RETURN_IF_ERROR(Notify(s, r));
  out.request = r;
  return out;
}

}  // namespace sb::app
