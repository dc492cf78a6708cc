// Effects of the request types that end services or move money: termination (with its
// final settlement), plan_change (with its proration) and billing_adjustment.
#include <optional>

#include "app/accounts/plan_history.h"
#include "app/requests/effects/effects_common.h"
#include "common/tzif.h"
#include "domain/holds.h"
#include "domain/money.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::AuditCategory;
using domain::RequestType;
using domain::ServiceStatus;

namespace {

constexpr std::int64_t kMaxAdjustmentMinor = 1'000'000'000'000;

Status CheckNotTerminated(const domain::Service& s) {
  if (s.status != ServiceStatus::kTerminated && !s.terminated_at) return Status::Ok();
  return Status::Conflict("service_terminated", "service " + s.id + " is terminated", "service_id");
}

// A balance that would not fit in 64 bits is refused, never wrapped.
Status AmountTooLarge(const char* param) {
  return Status::Unprocessable("amount_too_large", "the amount due would overflow", param);
}

// Stores a new amount due on the account (written by Reconcile) with its audit entry.
Status SetAmountDue(ChangeRecorder& rec, AccountState& st, const domain::Request& req,
                    const char* action, std::int64_t to, json::object detail) {
  json::object before{{"amount_due_minor", st.account.amount_due_minor}};
  detail["amount_due_minor"] = to;
  st.account.amount_due_minor = to;
  return rec.Audit(AuditCategory::kPayment, action, "account", st.account.id, st.account.id, req.id,
                   before, detail);
}

// --- termination --------------------------------------------------------------------------

// The service to terminate, or nullopt when the whole account closes.
Result<std::optional<std::size_t>> ReadTermination(const AccountState& st, const json::object& p,
                                                   const std::optional<std::string>& service_id) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {}));
  if (!service_id) {
    SB_RETURN_IF_ERROR(domain::CheckAccountOpen(st.account));
    return std::optional<std::size_t>();
  }
  SB_ASSIGN_OR_RETURN(std::size_t i, FindService(st, service_id));
  SB_RETURN_IF_ERROR(CheckNotTerminated(st.services[i]));
  return std::optional<std::size_t>(i);
}

Result<json::object> ApplyTermination(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                      const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(auto service, ReadTermination(st, p, req.service_id));
  std::vector<bool> was_terminated;
  for (const auto& s : st.services)
    was_terminated.push_back(s.status == ServiceStatus::kTerminated);
  if (service) {
    st.services[*service].terminated_at = rec.now();  // Reconcile derives and audits it.
  } else {
    SB_ASSIGN_OR_RETURN(
        auto to, domain::ApplyLifecycleMove(st.account.lifecycle, domain::LifecycleMove::kClose));
    SB_RETURN_IF_ERROR(SetLifecycle(rec, st, to, req.id));
  }
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  json::array ended;
  for (std::size_t i = 0; i < st.services.size(); ++i) {
    if (!was_terminated[i] && st.services[i].status == ServiceStatus::kTerminated) {
      ended.emplace_back(st.services[i].id);
    }
  }
  json::object settlement{{"amount_due_minor", st.account.amount_due_minor},
                          {"currency", st.account.currency},
                          {"settled_at", FormatRfc3339(rec.now())},
                          {"services_terminated", std::move(ended)}};
  if (!service) {
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kPayment, "account.final_settlement", "account",
                                 st.account.id, st.account.id, req.id, {}, settlement));
  }
  json::object out = StatusSummary(st);
  out["settlement"] = std::move(settlement);
  return out;
}

// --- plan_change --------------------------------------------------------------------------

struct PlanChange {
  std::size_t service = 0;
  domain::Plan from;
  domain::Plan to;
};

Result<domain::Plan> PlanOf(domain::Tx& tx, const AccountState& st, const std::string& code) {
  auto plan = tx.GetPlan(st.account.tenant_id, code);
  if (!plan.ok() && plan.status().code() == Code::kNotFound) {
    return Status::NotFound("plan", "payload.plan_code");
  }
  return plan;
}

Result<PlanChange> ReadPlanChange(domain::Tx& tx, const AccountState& st, const json::object& p,
                                  const std::optional<std::string>& service_id) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"plan_code"}));
  SB_ASSIGN_OR_RETURN(std::string code, RequiredString(p, "plan_code", 64));
  PlanChange c;
  SB_ASSIGN_OR_RETURN(c.service, FindService(st, service_id));
  const domain::Service& s = st.services[c.service];
  SB_RETURN_IF_ERROR(CheckNotTerminated(s));
  SB_ASSIGN_OR_RETURN(c.to, PlanOf(tx, st, code));
  if (!c.to.active) {
    return Status::Unprocessable("plan_inactive", "plan " + code + " is no longer offered",
                                 "payload.plan_code");
  }
  if (c.to.code == s.plan_code) {
    return Status::Conflict("same_plan", "the service is already on plan " + code,
                            "payload.plan_code");
  }
  SB_RETURN_IF_ERROR(domain::CheckChangesAllowed(st.holds));
  auto from = tx.GetPlan(st.account.tenant_id, s.plan_code);
  if (!from.ok() && from.status().code() != Code::kNotFound) return from.status();
  // A plan gone from the catalogue prorates as free.
  c.from = from.ok() ? *from : domain::Plan{st.account.tenant_id, s.plan_code, "", 0,
                                            st.account.currency,  false};
  if (c.to.currency != st.account.currency || c.from.currency != st.account.currency) {
    return Status::Unprocessable(
        "currency_mismatch", "plan prices are not in the account's currency " + st.account.currency,
        "payload.plan_code");
  }
  return c;
}

// The share of the price difference owed for the rest of the current calendar month (UTC),
// today included, rounded toward zero.
Result<json::object> Prorate(std::int64_t old_price, std::int64_t new_price, Timestamp now) {
  CivilDate today = CivilFromDays(LocalDayNumber(now));
  CivilDate first{today.year, today.month, 1};
  CivilDate next = today.month == 12 ? CivilDate{today.year + 1, 1, 1}
                                     : CivilDate{today.year, today.month + 1, 1};
  std::int64_t days_in = DaysFromCivil(next) - DaysFromCivil(first);
  std::int64_t left = days_in - today.day + 1;
  std::optional<std::int64_t> diff = domain::SubMinor(new_price, old_price);
  std::optional<std::int64_t> owed = diff ? domain::MulMinor(*diff, left) : std::nullopt;
  if (!owed) return AmountTooLarge("payload.plan_code");
  return json::object{
      {"amount_minor", *owed / days_in}, {"days_left", left}, {"days_in_period", days_in}};
}

std::string_view Direction(std::int64_t from, std::int64_t to) {
  return to > from ? "upgrade" : to < from ? "downgrade" : "same_price";
}

Result<json::object> ApplyPlanChange(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(PlanChange c, ReadPlanChange(tx, st, p, req.service_id));
  domain::Service& s = st.services[c.service];
  s.plan_code = c.to.code;
  s.version += 1;
  s.updated_at = rec.now();
  SB_RETURN_IF_ERROR(tx.UpdateService(s));
  SB_RETURN_IF_ERROR(RecordPlan(tx, s, req.id, rec.now()));
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kServicePlan, "service.plan_changed", "service", s.id,
                               st.account.id, req.id, {{"plan", c.from.code}},
                               {{"plan", c.to.code}}));
  SB_ASSIGN_OR_RETURN(json::object proration,
                      Prorate(c.from.price_minor, c.to.price_minor, rec.now()));
  std::int64_t amount = proration["amount_minor"].as_int64();
  std::int64_t due = st.account.amount_due_minor;
  std::optional<std::int64_t> sum = domain::AddMinor(due, amount);
  if (!sum) return AmountTooLarge("payload.plan_code");
  // A credit larger than what is owed is kept in the record, never as a negative balance.
  std::int64_t after = std::max<std::int64_t>(0, *sum);
  proration["currency"] = st.account.currency;
  proration["applied_minor"] = after - due;
  proration["unused_credit_minor"] = after - due - amount;
  SB_RETURN_IF_ERROR(SetAmountDue(rec, st, req, "billing.prorated", after,
                                  {{"service_id", s.id}, {"proration", proration}}));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  return json::object{{"from_plan", c.from.code},
                      {"to_plan", c.to.code},
                      {"direction", Direction(c.from.price_minor, c.to.price_minor)},
                      {"proration", std::move(proration)}};
}

// --- billing_adjustment -------------------------------------------------------------------

struct Adjustment {
  bool credit = false;
  std::int64_t amount = 0;
};

Result<Adjustment> ReadAdjustment(const AccountState& st, const json::object& p,
                                  const std::optional<std::string>& service_id) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"kind", "amount_minor", "currency"}));
  Adjustment a;
  SB_ASSIGN_OR_RETURN(std::string kind, RequiredString(p, "kind", 16));
  if (kind != "credit" && kind != "debit") {
    return Status::Invalid("payload.kind", "kind must be credit or debit");
  }
  a.credit = kind == "credit";
  SB_ASSIGN_OR_RETURN(auto amount, OptInt(p, "amount_minor", 1, kMaxAdjustmentMinor));
  if (!amount)
    return Status::Invalid("payload.amount_minor", "amount_minor is required", "required");
  a.amount = *amount;
  SB_ASSIGN_OR_RETURN(std::string currency, RequiredString(p, "currency", 3));
  SB_RETURN_IF_ERROR(NoService(service_id));
  if (currency != st.account.currency) {
    return Status::Unprocessable(
        "currency_mismatch", "the account is billed in " + st.account.currency, "payload.currency");
  }
  if (!a.credit && !domain::AddMinor(st.account.amount_due_minor, a.amount)) {
    return AmountTooLarge("payload.amount_minor");
  }
  return a;
}

Result<json::object> ApplyAdjustment(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(Adjustment a, ReadAdjustment(st, p, req.service_id));
  std::int64_t due = st.account.amount_due_minor;
  std::optional<std::int64_t> sum = domain::AddMinor(due, a.credit ? -a.amount : a.amount);
  if (!sum) return AmountTooLarge("payload.amount_minor");
  std::int64_t after = std::max<std::int64_t>(0, *sum);
  const char* kind = a.credit ? "credit" : "debit";
  std::int64_t applied = a.credit ? due - after : after - due;
  SB_RETURN_IF_ERROR(
      SetAmountDue(rec, st, req, "billing.adjusted", after,
                   {{"kind", kind}, {"amount_minor", a.amount}, {"applied_minor", applied}}));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  return json::object{{"kind", kind},
                      {"amount_minor", a.amount},
                      {"applied_minor", applied},
                      {"amount_due_minor", after},
                      {"currency", st.account.currency}};
}

}  // namespace

Result<json::object> PrepareBilling(domain::Tx& tx, const Deps&, const CallContext&,
                                    const AccountState& st, const PrepareArgs& args) {
  const json::object& p = *args.payload;
  switch (args.type) {
    case RequestType::kTermination:
      SB_RETURN_IF_ERROR(ReadTermination(st, p, args.service_id).status());
      break;
    case RequestType::kPlanChange:
      SB_RETURN_IF_ERROR(ReadPlanChange(tx, st, p, args.service_id).status());
      break;
    case RequestType::kBillingAdjustment:
      SB_RETURN_IF_ERROR(ReadAdjustment(st, p, args.service_id).status());
      break;
    default:
      return Status::Unprocessable("not_supported", "not a billing request type", "type");
  }
  return p;
}

Result<json::object> ApplyBilling(domain::Tx& tx, const Deps&, ChangeRecorder& rec,
                                  AccountState& st, const domain::Request& req,
                                  const domain::RequestPolicy&) {
  SB_ASSIGN_OR_RETURN(json::object p, StoredPayload(req));
  switch (req.type) {
    case RequestType::kTermination:
      return ApplyTermination(tx, rec, st, req, p);
    case RequestType::kPlanChange:
      return ApplyPlanChange(tx, rec, st, req, p);
    case RequestType::kBillingAdjustment:
      return ApplyAdjustment(tx, rec, st, req, p);
    default:
      return Status::Unprocessable("not_supported", "not a billing request type", "type");
  }
}

}  // namespace sb::app::effects
