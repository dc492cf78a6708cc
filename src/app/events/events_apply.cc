// The inbound event types other than payments: KYC, faults, provisioning, inactivity; and
// the dispatch of every type to its effect.
#include <algorithm>

#include "app/accounts/dormancy.h"
#include "app/events/events_internal.h"
#include "app/fraud/fraud_rules.h"
#include "app/policy/policy_cache.h"
#include "app/reconciliation/reconciliation.h"
#include "app/requests/request_flow.h"

namespace sb::app::events {

namespace json = boost::json;
using domain::AuditCategory;
using domain::HoldType;

namespace {

// A service the event names must be one of the account's.
Status CheckService(const AccountState& st, const std::optional<std::string>& service_id) {
  if (!service_id) return Status::Ok();
  bool found = std::any_of(st.services.begin(), st.services.end(),
                           [&](const domain::Service& s) { return s.id == *service_id; });
  return found ? Status::Ok() : Status::NotFound("service", "data.service_id");
}

// An error from the hold code names the API's field; the event's is under data.
Status InData(Status s) {
  if (s.param() != "service_id") return s;
  return Status(s.code(), s.reason(), s.message(), "data.service_id");
}

// The KYC level the pack asks for: the min_kyc_level of the activation policy's
// kyc_complete check (1 when it has none), the level a new customer must reach.
Result<int> RequiredKycLevel(EventTx& e) {
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(e.tx, e.ctx.tenant_id, e.now));
  for (const auto& c : policy->For(domain::RequestType::kActivation).checks) {
    if (c.kind == domain::CheckKind::kKycComplete) return c.min_kyc_level.value_or(1);
  }
  return 1;
}

// Once the level reaches what the pack requires, each kyc_incomplete hold is lifted by a
// request naming it (origin automated), after the waiting requests moved on.
Status LiftKycHolds(EventTx& e, const AccountState& st, EventReceipt& out) {
  SB_ASSIGN_OR_RETURN(auto holds, e.tx.ListHolds(e.ctx.tenant_id, st.account.id, true));
  bool any = std::any_of(holds.begin(), holds.end(),
                         [](const domain::Hold& h) { return h.type == HoldType::kKycIncomplete; });
  if (!any) return Status::Ok();
  SB_ASSIGN_OR_RETURN(int required, RequiredKycLevel(e));
  if (st.account.kyc_level < required) return Status::Ok();
  for (const domain::Hold& h : holds) {
    if (h.type != HoldType::kKycIncomplete) continue;
    SB_ASSIGN_OR_RETURN(auto lifted, SubmitInTx(e.tx, e.deps, e.ctx, e.now,
                                                LiftRequest(h, domain::Origin::kAutomated)));
    out.request_ids.push_back(lifted.request.id);
    if (lifted.request.state == domain::RequestState::kCompleted) out.outcome = "kyc_cleared";
  }
  return Status::Ok();
}

Result<EventReceipt> ApplyKyc(EventTx& e, const KycCompleted& k) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, k.account));
  EventReceipt out{false, "kyc_updated", {}};
  if (st.account.kyc_level != k.kyc_level) {
    json::object before{{"kyc_level", st.account.kyc_level}};
    json::object after{{"kyc_level", k.kyc_level}, {"event_id", e.event_id}};
    st.account.kyc_level = k.kyc_level;
    ChangeRecorder rec(e.tx, e.ctx, e.now);
    // The KYC level is the outcome of the customer's due diligence: data about the customer,
    // not a setting that guards access to the account (those are `security`).
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kCustomerData, "account.kyc_level_changed",
                                 "account", st.account.id, st.account.id, "", before, after));
    SB_RETURN_IF_ERROR(Reconcile(e.tx, rec, st, nullptr));
  }
  SB_RETURN_IF_ERROR(ResumeInto(e, st.account.id, out));
  SB_RETURN_IF_ERROR(LiftKycHolds(e, st, out));
  return out;
}

std::string FaultComment(const Fault& f) {
  std::string comment = f.fault_id.empty() ? "" : "fault " + f.fault_id;
  if (!f.description.empty()) comment += (comment.empty() ? "" : ": ") + f.description;
  return comment;
}

Result<EventReceipt> ApplyFaultReported(EventTx& e, const Fault& f) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, f.account));
  SB_RETURN_IF_ERROR(CheckService(st, f.service_id));
  for (const domain::Hold& h : st.holds) {
    // One fault hold per scope: fault.resolved lifts them all together anyway.
    if (h.type == HoldType::kTechnicalFault && h.service_id == f.service_id) {
      return EventReceipt{false, "already_suspended", {}};
    }
  }
  PlaceHoldInput in;
  in.account_id = st.account.id;
  in.service_id = f.service_id;
  in.type = HoldType::kTechnicalFault;
  in.source = "system";
  CallContext ctx = e.ctx;
  ctx.comment = FaultComment(f);
  auto placed = SubmitInTx(e.tx, e.deps, ctx, e.now, HoldRequest(in));
  if (!placed.ok()) return InData(placed.status());
  return EventReceipt{false, "suspended", {placed->request.id}};
}

Result<EventReceipt> ApplyFaultResolved(EventTx& e, const Fault& f) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, f.account));
  SB_RETURN_IF_ERROR(CheckService(st, f.service_id));
  EventReceipt out{false, "no_open_fault", {}};
  for (const domain::Hold& h : st.holds) {
    if (h.type != HoldType::kTechnicalFault) continue;
    if (f.service_id && h.service_id != f.service_id) continue;
    SB_ASSIGN_OR_RETURN(auto lifted,
                        SubmitInTx(e.tx, e.deps, e.ctx, e.now, LiftRequest(h, std::nullopt)));
    out.request_ids.push_back(lifted.request.id);
    if (lifted.request.state == domain::RequestState::kCompleted) out.outcome = "reconnected";
  }
  // Requests whose technical_fault_resolved check waited on these holds.
  SB_RETURN_IF_ERROR(ResumeInto(e, st.account.id, out));
  return out;
}

// A fraud_review hold (unless one is active) and a signal naming the sender's alert.
Result<EventReceipt> ApplyFraudAlert(EventTx& e, const FraudAlert& a) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, a.account));
  boost::json::object figures{{"alert_id", a.alert_id}, {"reason", a.reason}};
  SB_ASSIGN_OR_RETURN(std::string hold_request,
                      RecordFraudAlert(e.tx, e.deps, e.ctx, e.now, st.account.id, figures));
  if (hold_request.empty()) return EventReceipt{false, "already_under_review", {}};
  return EventReceipt{false, "suspended", {hold_request}};
}

// A source system's view of one account compared as a reconciliation run of its own
// (app/reconciliation/): drift recorded, repairs filed as the pack says.
Result<EventReceipt> ApplySnapshot(EventTx& e, const StatusSnapshot& s) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, s.account));
  // Row 1 is the account (its status, its amount due), rows 2 on its services in order.
  std::vector<ReconciliationRowInput> rows;
  std::vector<BulkRowError> rejected;
  ReconciliationRowInput account;
  account.row = 1;
  account.account_id = st.account.id;
  account.said.amount_due_minor = s.amount_due_minor;
  if (s.account_status) {
    account.said.account_status = domain::Parse<domain::AccountStatus>(*s.account_status);
  }
  if (s.account_status && !account.said.account_status) {
    rejected.push_back({1, "account_status", "unknown_state"});  // the whole row, as in a file
  } else if (account.said.account_status || account.said.amount_due_minor) {
    rows.push_back(account);
  }
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    ReconciliationRowInput r;
    r.row = static_cast<std::int64_t>(i + 2);
    r.account_id = st.account.id;
    r.service_id = s.services[i].first;
    r.said.service_status = domain::Parse<domain::ServiceStatus>(s.services[i].second);
    if (!r.said.service_status) {
      rejected.push_back({r.row, "services[" + std::to_string(i) + "].status", "unknown_state"});
      continue;
    }
    rows.push_back(std::move(r));
  }
  SB_ASSIGN_OR_RETURN(domain::ReconciliationRun run,
                      Reconciliations(e.deps).RunSnapshotInTx(e.tx, e.ctx, s.source, e.event_id,
                                                              rows, std::move(rejected)));
  // A state this server does not know, or a service the account does not have, is listed on
  // the run, as a file's row would be.
  std::string outcome = run.drift() == 0 ? "in_step" : "drift_recorded";
  if (run.rows_rejected > 0) outcome = "rows_rejected";
  EventReceipt out{false, outcome, {}};
  SB_ASSIGN_OR_RETURN(auto page, [&]() -> Result<domain::Page<domain::DriftItem>> {
    domain::DriftItemFilter f;
    f.run_id = run.id;
    f.limit = 100;
    return e.tx.ListDriftItems(e.ctx.tenant_id, f);
  }());
  for (const auto& item : page.items) {
    if (!item.request_id.empty()) out.request_ids.push_back(item.request_id);
  }
  return out;
}

Result<EventReceipt> ApplyProvisioning(EventTx& e, const ProvisioningResult& p) {
  auto done = FinishProvisioning(e.tx, e.deps, e.ctx, e.now, p.request_id, p.succeeded, p.detail);
  if (!done.ok()) {
    const Status& s = done.status();
    if (s.code() == Code::kNotFound) return Status::NotFound("request", "data.request_id");
    if (s.code() == Code::kConflict && s.reason() == "not_provisioning") {
      return Status(s.code(), s.reason(), s.message(), "data.request_id");
    }
    return s;
  }
  const domain::Request& r = done->request;
  std::string outcome = r.state == domain::RequestState::kProvisioning
                            ? "escalated"
                            : std::string(domain::Name(r.state));
  EventReceipt out{false, outcome, {r.id}};
  for (const domain::Request& f : done->follow_ups) out.request_ids.push_back(f.id);
  return out;
}

Result<EventReceipt> ApplyInactive(EventTx& e, const CustomerInactive& c) {
  SB_ASSIGN_OR_RETURN(AccountState st, LoadTarget(e, c.account));
  if (st.account.lifecycle == domain::AccountLifecycle::kDormant) {
    return EventReceipt{false, "already_dormant", {}};
  }
  DormancyCause cause{"customer.inactive", c.inactive_since};
  SB_ASSIGN_OR_RETURN(domain::Request req,
                      MarkDormantInTx(e.tx, e.deps, e.ctx, e.now, st.account.id, cause));
  bool done = req.state == domain::RequestState::kCompleted;
  return EventReceipt{false, done ? "dormant" : std::string(domain::Name(req.state)), {req.id}};
}

}  // namespace

Result<AccountState> LoadTarget(EventTx& e, const AccountRef& ref) {
  const std::string& tenant = e.ctx.tenant_id;
  if (ref.account_id.empty()) {
    auto acc = e.tx.GetAccountByRef(tenant, ref.external_ref);
    if (!acc.ok() && acc.status().code() == Code::kNotFound) {
      return Status::NotFound("account", "data.external_ref");
    }
    SB_RETURN_IF_ERROR(acc.status());
    return LoadAccountState(e.tx, tenant, acc->id);
  }
  auto st = LoadAccountState(e.tx, tenant, ref.account_id);
  if (!st.ok() && st.status().code() == Code::kNotFound) {
    return Status::NotFound("account", "data.account_id");
  }
  return st;
}

Status ResumeInto(EventTx& e, const std::string& account_id, EventReceipt& out) {
  std::vector<domain::Request> moved;
  SB_RETURN_IF_ERROR(ResumeWaiting(e.tx, e.deps, e.ctx, e.now, account_id, &moved));
  for (const domain::Request& r : moved) out.request_ids.push_back(r.id);
  return Status::Ok();
}

std::string ReasonFor(const EventData& data) {
  struct {
    std::string operator()(const Ignored&) const { return ""; }
    std::string operator()(const PaymentReceived&) const { return "payment_received"; }
    std::string operator()(const PaymentFailed&) const { return "non_payment"; }
    std::string operator()(const KycCompleted&) const { return "kyc_completed"; }
    std::string operator()(const Fault& f) const {
      return f.resolved ? "fault_resolved" : "technical_fault";
    }
    std::string operator()(const ProvisioningResult&) const { return ""; }
    std::string operator()(const CustomerInactive&) const { return "inactivity"; }
    std::string operator()(const FraudAlert&) const { return "fraud_suspected"; }
    std::string operator()(const StatusSnapshot&) const { return "reconciliation"; }
  } reason;
  return std::visit(reason, data);
}

Result<EventReceipt> Apply(EventTx& e, const EventData& data) {
  if (std::holds_alternative<Ignored>(data)) return EventReceipt{false, "ignored", {}};
  if (const auto* p = std::get_if<PaymentReceived>(&data)) return ApplyPaymentReceived(e, *p);
  if (const auto* p = std::get_if<PaymentFailed>(&data)) return ApplyPaymentFailed(e, *p);
  if (const auto* k = std::get_if<KycCompleted>(&data)) return ApplyKyc(e, *k);
  if (const auto* f = std::get_if<Fault>(&data)) {
    return f->resolved ? ApplyFaultResolved(e, *f) : ApplyFaultReported(e, *f);
  }
  if (const auto* p = std::get_if<ProvisioningResult>(&data)) return ApplyProvisioning(e, *p);
  if (const auto* a = std::get_if<FraudAlert>(&data)) return ApplyFraudAlert(e, *a);
  if (const auto* s = std::get_if<StatusSnapshot>(&data)) return ApplySnapshot(e, *s);
  return ApplyInactive(e, std::get<CustomerInactive>(data));
}

}  // namespace sb::app::events
