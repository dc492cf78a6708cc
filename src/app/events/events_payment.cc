// payment.received and payment.failed: the account's balance, its count of consecutive
// failed payments, and the non-payment holds they lift or place.
#include <algorithm>

#include "app/events/events_internal.h"
#include "app/policy/policy_cache.h"
#include "domain/triggers.h"

namespace sb::app::events {

namespace json = boost::json;
using domain::AuditCategory;
using domain::HoldType;

namespace {

bool HasActiveHold(const std::vector<domain::Hold>& holds, HoldType type) {
  return std::any_of(holds.begin(), holds.end(), [&](const domain::Hold& h) {
    return h.type == type && h.state == domain::HoldState::kActive;
  });
}

Status CheckCurrency(const AccountState& st, const std::string& currency) {
  if (currency == st.account.currency) return Status::Ok();
  return Status::Unprocessable("currency_mismatch",
                               "the account is billed in " + st.account.currency, "data.currency");
}

// One automated billing_adjustment request with its `payment` audit entry: the amount due
// lowered (never below zero), last_payment_at set, the failure count back to zero.
Result<domain::Request> RecordPayment(EventTx& e, AccountState& st, const PaymentReceived& p) {
  domain::Account& a = st.account;
  json::object before{{"amount_due_minor", a.amount_due_minor}};
  if (a.failed_payments > 0) before["failed_payments"] = a.failed_payments;
  a.amount_due_minor = std::max<std::int64_t>(0, a.amount_due_minor - p.amount_minor);
  a.last_payment_at = e.now;
  json::object after{{"amount_due_minor", a.amount_due_minor},
                     {"last_payment_at", FormatRfc3339(e.now)}};
  if (a.failed_payments > 0) after["failed_payments"] = 0;
  a.failed_payments = 0;
  json::object payload{
      {"event_id", e.event_id}, {"amount_minor", p.amount_minor}, {"currency", p.currency}};
  ChangeRecorder rec(e.tx, e.ctx, e.now);
  SB_ASSIGN_OR_RETURN(auto req, rec.CompletedRequest(domain::RequestType::kBillingAdjustment,
                                                     domain::Origin::kAutomated, a.id, std::nullopt,
                                                     payload, after));
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kPayment, "payment.received", "account", a.id, a.id,
                               req.id, before, after));
  SB_RETURN_IF_ERROR(Reconcile(e.tx, rec, st, &req));
  return req;
}

// Lifts every non-payment hold still active with a request naming it (as LiftHold and
// ExpireHold do): one automated reconnection request each, through the engine.
Status LiftNonPaymentHolds(EventTx& e, const std::string& account_id, EventReceipt& out) {
  SB_ASSIGN_OR_RETURN(auto holds, e.tx.ListHolds(e.ctx.tenant_id, account_id, true));
  for (const domain::Hold& h : holds) {
    if (h.type != HoldType::kNonPayment) continue;
    SB_ASSIGN_OR_RETURN(auto lifted, SubmitInTx(e.tx, e.deps, e.ctx, e.now,
                                                LiftRequest(h, domain::Origin::kAutomated)));
    out.request_ids.push_back(lifted.request.id);
  }
  return Status::Ok();
}

// The pack's payment_failed_threshold (0, off, for a tenant without a pack).
Result<int> FailureThreshold(EventTx& e) {
  auto policy = PolicyInForce(e.tx, e.ctx.tenant_id, e.now);
  if (!policy.ok()) {
    if (policy.status().reason() == "no_policy_pack") return 0;
    return policy.status();
  }
  return (*policy)->pack.triggers.payment_failed_threshold;
}

// The involuntary suspension the failures trigger, a request as PlaceHold files.
Result<domain::Request> SuspendForNonPayment(EventTx& e, const AccountState& st,
                                             const PaymentFailed& p) {
  PlaceHoldInput in;
  in.account_id = st.account.id;
  in.type = HoldType::kNonPayment;
  in.source = "system";
  CallContext ctx = e.ctx;
  ctx.comment = std::to_string(st.account.failed_payments) + " payments failed in a row";
  if (!p.reason.empty()) ctx.comment += "; last: " + p.reason;
  SB_ASSIGN_OR_RETURN(RequestOutcome placed, SubmitInTx(e.tx, e.deps, ctx, e.now, HoldRequest(in)));
  return std::move(placed.request);
}

}  // namespace

Result<EventReceipt> ApplyPaymentReceived(EventTx& e, const PaymentReceived& p) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, p.account));
  SB_RETURN_IF_ERROR(CheckCurrency(st, p.currency));
  bool suspended = HasActiveHold(st.holds, HoldType::kNonPayment);
  SB_ASSIGN_OR_RETURN(domain::Request req, RecordPayment(e, st, p));
  EventReceipt out{false, "payment_applied", {req.id}};
  bool cleared = st.account.amount_due_minor == 0;
  // Requests that waited for this payment move first: a reconnection the customer asked for
  // then completes and lifts its holds itself, instead of failing because an automated lift
  // had already reconnected the service under it.
  EventReceipt moved;
  SB_RETURN_IF_ERROR(ResumeInto(e, st.account.id, moved));
  if (cleared) {
    SB_RETURN_IF_ERROR(LiftNonPaymentHolds(e, st.account.id, out));
    if (suspended) out.outcome = "reconnected";
  }
  out.request_ids.insert(out.request_ids.end(), moved.request_ids.begin(), moved.request_ids.end());
  return out;
}

Result<EventReceipt> ApplyPaymentFailed(EventTx& e, const PaymentFailed& p) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, p.account));
  if (p.currency) SB_RETURN_IF_ERROR(CheckCurrency(st, *p.currency));
  json::object before{{"failed_payments", st.account.failed_payments}};
  st.account.failed_payments += 1;
  json::object after{{"failed_payments", st.account.failed_payments}, {"event_id", e.event_id}};
  if (p.amount_minor) after["amount_minor"] = *p.amount_minor;
  if (p.currency) after["currency"] = *p.currency;
  if (!p.reason.empty()) after["reason"] = p.reason;
  ChangeRecorder rec(e.tx, e.ctx, e.now);
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kPayment, "payment.failed", "account", st.account.id,
                               st.account.id, "", before, after));
  SB_RETURN_IF_ERROR(Reconcile(e.tx, rec, st, nullptr));
  SB_ASSIGN_OR_RETURN(int threshold, FailureThreshold(e));
  EventReceipt out{false, "failure_counted", {}};
  bool held = HasActiveHold(st.holds, HoldType::kNonPayment);
  // A closed account has nothing left to suspend; the failure is still counted.
  if (!domain::PaymentFailuresSuspend(st.account.failed_payments, threshold, held) ||
      st.account.lifecycle == domain::AccountLifecycle::kClosed) {
    return out;
  }
  SB_ASSIGN_OR_RETURN(domain::Request req, SuspendForNonPayment(e, st, p));
  out.outcome = "suspended";
  out.request_ids.push_back(req.id);
  return out;
}

}  // namespace sb::app::events
