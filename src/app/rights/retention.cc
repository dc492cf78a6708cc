// Retention: erasing closed accounts past the pack's period (see retention.h).
#include "app/rights/retention.h"

#include <algorithm>
#include <vector>

#include "app/core/account_scan.h"
#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"

namespace sb::app {

namespace {

CallContext RetentionScanContext(const std::string& tenant_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  ctx.channel = domain::Channel::kSystem;
  ctx.reason_code = "account_closure";
  ctx.correlation_id = "job:retention.scan";
  return ctx;
}

// Accounts last changed before the result are due; nullopt when retention is off for the
// tenant (or it has no pack).
Result<std::optional<Timestamp>> RetentionCutoff(domain::Tx& tx, const std::string& tenant_id,
                                                 Timestamp now) {
  auto policy = PolicyInForce(tx, tenant_id, now);
  if (!policy.ok()) {
    if (policy.status().reason() == "no_policy_pack") return std::optional<Timestamp>();
    return policy.status();
  }
  int days = (*policy)->pack.retention.erase_after_closure_days;
  if (days <= 0) return std::optional<Timestamp>();
  return std::optional<Timestamp>(now - static_cast<Timestamp>(days) * kMillisPerDay);
}

void CountErasures(RetentionScan::Report& report, const Status& failure) {
  if (report.failed++ == 0) report.first_failure = failure;
}

}  // namespace

Result<RetentionScan::Report> RetentionScan::Run() const {
  Report report;
  AccountScan scan;
  scan.cutoff = &RetentionCutoff;
  scan.list = [](domain::Tx& tx, const std::string& tenant_id, Timestamp cutoff, int limit) {
    return tx.ListClosedAccountsToErase(tenant_id, cutoff, limit);
  };
  // Progress is an erasure that completed: an account whose erasure still waits (e.g. for
  // money due) stays due and would be listed again.
  scan.act = [&](const std::string& tenant_id, const std::string& account_id,
                 Timestamp cutoff) -> Result<bool> {
    SB_ASSIGN_OR_RETURN(std::string state, EraseIfStillDue(tenant_id, account_id, cutoff));
    if (state.empty()) return false;
    ++report.filed;
    const bool erased = state == domain::Name(domain::RequestState::kCompleted);
    if (erased) ++report.erased;
    return erased;
  };
  scan.failed = [&](const Status& failure) { CountErasures(report, failure); };
  SB_RETURN_IF_ERROR(RunAccountScan(deps_, scan));
  return report;
}

Result<std::string> RetentionScan::EraseIfStillDue(const std::string& tenant_id,
                                                   const std::string& account_id,
                                                   Timestamp cutoff) const {
  CallContext ctx = RetentionScanContext(tenant_id);
  auto body = [&](domain::Tx& tx, Timestamp now) -> Result<std::string> {
    // Locks the row: a process that filed first has committed by the time this returns.
    auto acc = tx.GetAccount(tenant_id, account_id, /*for_update=*/true);
    if (!acc.ok()) {
      if (acc.status().code() == Code::kNotFound) return std::string();
      return acc.status();
    }
    if (acc->lifecycle != domain::AccountLifecycle::kClosed || acc->updated_at >= cutoff) {
      return std::string();
    }
    SB_ASSIGN_OR_RETURN(auto open, tx.ListOpenRequests(tenant_id, account_id));
    bool waiting = std::any_of(open.begin(), open.end(), [](const domain::Request& r) {
      return r.type == domain::RequestType::kDataErasure;
    });
    if (waiting) return std::string();
    SubmitInput in;
    in.type = domain::RequestType::kDataErasure;
    in.origin = domain::Origin::kAutomated;
    in.account_id = account_id;
    SB_ASSIGN_OR_RETURN(RequestOutcome out, SubmitInTx(tx, deps_, ctx, now, in));
    return std::string(domain::Name(out.request.state));
  };
  Result<std::string> filed = RunChange<std::string>(deps_, ctx, nullptr, body);
  // Another request of the account still open (the pack's data_rights): the next pass
  // tries again. Erased meanwhile: nothing left to do.
  if (!filed.ok() && (filed.status().reason() == "open_requests" ||
                      filed.status().reason() == "personal_data_erased")) {
    return std::string();
  }
  return filed;
}

}  // namespace sb::app
