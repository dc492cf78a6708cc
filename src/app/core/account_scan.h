#pragma once

// The shape the periodic account scans share (dormancy, retention): every tenant, the
// tenant's cutoff from its pack in force, then batches of the accounts due before it, each
// acted on in a change of its own, so one failure never stops the rest.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

struct AccountScan {
  // The accounts changed before the result are due; nullopt when the scan is off for the
  // tenant (its pack turns it off, or it has none).
  std::function<Result<std::optional<Timestamp>>(domain::Tx&, const std::string& tenant_id,
                                                 Timestamp now)>
      cutoff;
  // Up to `limit` accounts due before `cutoff`.
  std::function<Result<std::vector<domain::Account>>(domain::Tx&, const std::string& tenant_id,
                                                     Timestamp cutoff, int limit)>
      list;
  // Acts on one listed account; true when it made progress. A batch where nothing did would
  // list the same accounts again, so it ends the tenant's scan.
  std::function<Result<bool>(const std::string& tenant_id, const std::string& account_id,
                             Timestamp cutoff)>
      act;
  // Called with each failure (an account's or a tenant's).
  std::function<void(const Status&)> failed;
};

// At most kAccountScanBatches batches of kAccountScanBatch accounts per tenant and run; the
// next run goes on.
constexpr int kAccountScanBatch = 100;
constexpr int kAccountScanBatches = 10;

// Runs `scan` over every tenant. Fails only when the tenants cannot be listed.
Status RunAccountScan(const Deps& deps, const AccountScan& scan);

}  // namespace sb::app
