// Dormancy: marking inactive accounts dormant and inviting them back (see dormancy.h).
#include "app/accounts/dormancy.h"

#include <vector>

#include "app/core/account_scan.h"
#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"
#include "domain/triggers.h"

namespace sb::app {

namespace json = boost::json;

namespace {

CallContext ScanContext(const std::string& tenant_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  ctx.channel = domain::Channel::kSystem;
  ctx.reason_code = "inactivity";
  ctx.correlation_id = "job:dormancy.scan";
  return ctx;
}

// The pack's dormancy cutoff at `now`; nullopt when the scan is off for the tenant (or it
// has no pack).
Result<std::optional<Timestamp>> CutoffFor(domain::Tx& tx, const std::string& tenant_id,
                                           Timestamp now) {
  auto policy = PolicyInForce(tx, tenant_id, now);
  if (!policy.ok()) {
    if (policy.status().reason() == "no_policy_pack") return std::optional<Timestamp>();
    return policy.status();
  }
  return domain::DormancyCutoff(now, (*policy)->pack.triggers.dormancy_inactive_days);
}

void Count(DormancyScan::Report& report, const Status& failure) {
  if (report.failed++ == 0) report.first_failure = failure;
}

}  // namespace

json::object InvitationData(const domain::PolicyPack& pack) {
  json::object data{{"reason", "inactivity"}};
  if (std::optional<domain::Offer> o = domain::DormancyOffer(pack)) {
    data["offer"] = {{"code", o->code},
                     {"description", o->description},
                     {"discount_percent", o->discount_percent},
                     {"duration_months", o->duration_months}};
  }
  return data;
}

Result<domain::Request> MarkDormantInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                        Timestamp now, const std::string& account_id,
                                        const DormancyCause& cause) {
  SubmitInput in;
  in.type = domain::RequestType::kStatusSync;
  in.origin = domain::Origin::kAutomated;
  in.account_id = account_id;
  in.payload = {{"lifecycle", "dormant"}, {"trigger", cause.trigger}};
  if (cause.inactive_since) in.payload["inactive_since"] = FormatRfc3339(*cause.inactive_since);
  SB_ASSIGN_OR_RETURN(RequestOutcome out, SubmitInTx(tx, deps, ctx, now, in));
  // A request the pack holds back (an open fault) marks nothing yet: no invitation either.
  if (out.request.state != domain::RequestState::kCompleted) return std::move(out.request);
  json::object data{{"reason", "inactivity"}};
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (policy.ok()) {
    data = InvitationData((*policy)->pack);
  } else if (policy.status().reason() != "no_policy_pack") {
    return policy.status();
  }
  if (cause.inactive_since) data["inactive_since"] = FormatRfc3339(*cause.inactive_since);
  SB_RETURN_IF_ERROR(Emit(tx, ctx, now, kReactivationInvited, &out.request, account_id, data));
  return std::move(out.request);
}

Result<DormancyScan::Report> DormancyScan::Run() const {
  Report report;
  AccountScan scan;
  scan.cutoff = &CutoffFor;
  scan.list = [](domain::Tx& tx, const std::string& tenant_id, Timestamp cutoff, int limit) {
    return tx.ListInactiveAccounts(tenant_id, cutoff, limit);
  };
  scan.act = [&](const std::string& tenant_id, const std::string& account_id,
                 Timestamp cutoff) -> Result<bool> {
    SB_ASSIGN_OR_RETURN(bool marked, MarkIfStillInactive(tenant_id, account_id, cutoff));
    if (marked) ++report.marked;
    return marked;
  };
  scan.failed = [&](const Status& failure) { Count(report, failure); };
  SB_RETURN_IF_ERROR(RunAccountScan(deps_, scan));
  return report;
}

Result<bool> DormancyScan::MarkIfStillInactive(const std::string& tenant_id,
                                               const std::string& account_id,
                                               Timestamp cutoff) const {
  CallContext ctx = ScanContext(tenant_id);
  return RunChange<bool>(deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<bool> {
    // Locks the row: a process that marked it first has committed by the time this returns.
    auto acc = tx.GetAccount(tenant_id, account_id, /*for_update=*/true);
    if (!acc.ok()) {
      if (acc.status().code() == Code::kNotFound) return false;
      return acc.status();
    }
    if (acc->lifecycle != domain::AccountLifecycle::kActive || acc->updated_at >= cutoff) {
      return false;
    }
    DormancyCause cause{"dormancy_scan", acc->updated_at};
    SB_ASSIGN_OR_RETURN(domain::Request req,
                        MarkDormantInTx(tx, deps_, ctx, now, account_id, cause));
    return req.state == domain::RequestState::kCompleted;
  });
}

}  // namespace sb::app
