#include "app/core/account_scan.h"

namespace sb::app {
namespace {

void ScanTenant(const Deps& deps, const AccountScan& scan, const std::string& tenant_id) {
  const Timestamp now = deps.clock.Now();
  std::optional<Timestamp> cutoff;
  std::vector<domain::Account> batch;
  for (int round = 0; round < kAccountScanBatches; ++round) {
    Status listed = deps.store.Read([&](domain::Tx& tx) -> Status {
      if (round == 0) {
        SB_ASSIGN_OR_RETURN(cutoff, scan.cutoff(tx, tenant_id, now));
      }
      if (!cutoff) return Status::Ok();
      SB_ASSIGN_OR_RETURN(batch, scan.list(tx, tenant_id, *cutoff, kAccountScanBatch));
      return Status::Ok();
    });
    if (!listed.ok()) return scan.failed(listed);
    if (!cutoff) return;
    int progressed = 0;
    for (const domain::Account& a : batch) {
      Result<bool> done = scan.act(tenant_id, a.id, *cutoff);
      if (!done.ok()) {
        scan.failed(done.status());
      } else if (*done) {
        ++progressed;
      }
    }
    // A short batch was the last; one where nothing progressed would only repeat.
    if (static_cast<int>(batch.size()) < kAccountScanBatch || progressed == 0) return;
  }
}

}  // namespace

Status RunAccountScan(const Deps& deps, const AccountScan& scan) {
  std::vector<domain::Tenant> tenants;
  SB_RETURN_IF_ERROR(deps.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(tenants, tx.ListTenants());
    return Status::Ok();
  }));
  for (const domain::Tenant& t : tenants) ScanTenant(deps, scan, t.id);
  return Status::Ok();
}

}  // namespace sb::app
