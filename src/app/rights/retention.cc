// Retention: erasing closed accounts past the pack's period (see retention.h).
#include "app/rights/retention.h"

#include <algorithm>
#include <vector>

#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"

namespace sb::app {

namespace {

constexpr int kBatch = 100;
constexpr int kMaxBatches = 10;

CallContext ScanContext(const std::string& tenant_id) {
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
Result<std::optional<Timestamp>> CutoffFor(domain::Tx& tx, const std::string& tenant_id,
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

void Count(RetentionScan::Report& report, const Status& failure) {
  if (report.failed++ == 0) report.first_failure = failure;
}

}  // namespace

Result<RetentionScan::Report> RetentionScan::Run() const {
  std::vector<domain::Tenant> tenants;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(tenants, tx.ListTenants());
    return Status::Ok();
  }));
  Report report;
  for (const domain::Tenant& t : tenants) ScanTenant(t.id, report);
  return report;
}

void RetentionScan::ScanTenant(const std::string& tenant_id, Report& report) const {
  Timestamp now = deps_.clock.Now();
  std::optional<Timestamp> cutoff;
  std::vector<domain::Account> batch;
  for (int round = 0; round < kMaxBatches; ++round) {
    Status listed = deps_.store.Read([&](domain::Tx& tx) -> Status {
      if (round == 0) {
        SB_ASSIGN_OR_RETURN(cutoff, CutoffFor(tx, tenant_id, now));
      }
      if (!cutoff) return Status::Ok();
      SB_ASSIGN_OR_RETURN(batch, tx.ListClosedAccountsToErase(tenant_id, *cutoff, kBatch));
      return Status::Ok();
    });
    if (!listed.ok()) return Count(report, listed);
    if (!cutoff) return;
    int erased = 0;
    for (const domain::Account& a : batch) {
      Result<std::string> state = EraseIfStillDue(tenant_id, a.id, *cutoff);
      if (!state.ok()) {
        Count(report, state.status());
        continue;
      }
      if (state->empty()) continue;
      ++report.filed;
      if (*state == domain::Name(domain::RequestState::kCompleted)) ++erased;
    }
    report.erased += erased;
    // A short batch was the last; one where nothing was erased would list the same accounts.
    if (static_cast<int>(batch.size()) < kBatch || erased == 0) return;
  }
}

Result<std::string> RetentionScan::EraseIfStillDue(const std::string& tenant_id,
                                                   const std::string& account_id,
                                                   Timestamp cutoff) const {
  CallContext ctx = ScanContext(tenant_id);
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
