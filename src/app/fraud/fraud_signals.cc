#include "app/fraud/fraud_signals.h"

namespace sb::app {

Result<domain::Page<domain::FraudSignal>> FraudSignals::List(
    const CallContext& ctx, const domain::FraudSignalFilter& f) const {
  if (f.limit < 1 || f.limit > 100) {
    return Status::Invalid("limit", "limit must be from 1 to 100", "invalid_value");
  }
  domain::Page<domain::FraudSignal> page;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(page, tx.ListFraudSignals(ctx.tenant_id, f));
    return Status::Ok();
  }));
  return page;
}

}  // namespace sb::app
