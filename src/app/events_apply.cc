// The dispatch of every inbound event type to its effect, and what the effects share.
#include "app/events_internal.h"
#include "app/request_flow.h"

namespace sb::app::events {

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
  } reason;
  return std::visit(reason, data);
}

Result<EventReceipt> Apply(EventTx& e, const EventData& data) {
  if (const auto* p = std::get_if<PaymentReceived>(&data)) return ApplyPaymentReceived(e, *p);
  if (const auto* p = std::get_if<PaymentFailed>(&data)) return ApplyPaymentFailed(e, *p);
  return EventReceipt{false, "ignored", {}};
}

}  // namespace sb::app::events
