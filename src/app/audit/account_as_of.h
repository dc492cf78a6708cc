#pragma once

// An account as it stood at a past instant, rebuilt from the audit log alone: the state fields of
// every entry about the account, its services and its holds, folded in log order up to the
// instant, with the inclusion proof of each entry that set a value the answer shows, against the
// tenant's latest signed checkpoint. So an auditor can check what the account was at that
// instant without trusting the tables (which hold only the present) or the server.
//
// Personal data is not rebuilt: the log holds it only sealed or hashed. A value no entry
// recorded (the amount due of an account created before its creation entry recorded it) is
// unset rather than guessed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/audit/audit_log.h"
#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

struct ServiceAsOf {
  std::string id;
  std::string plan;
  std::string status;
  Timestamp created_at = 0;
  std::optional<Timestamp> terminated_at;
};

struct HoldAsOf {
  std::string id;
  std::string hold_type;
  std::string state;
  bool blocks_service = false;
  bool blocks_billing = false;
  bool blocks_changes = false;
  std::optional<std::string> service_id;
  std::string reason_code;
  std::string placed_by_request_id;
  Timestamp placed_at = 0;
  std::optional<Timestamp> expires_at;
};

struct AccountAsOf {
  Timestamp as_of = 0;
  std::string account_id;
  std::string external_ref;
  std::string currency;
  Timestamp created_at = 0;
  std::optional<std::string> status;
  std::optional<std::string> lifecycle;
  std::optional<std::int64_t> amount_due_minor;
  std::optional<std::int64_t> kyc_level;
  std::optional<std::int64_t> failed_payments;
  std::optional<std::string> last_payment_at;
  std::vector<ServiceAsOf> services;   // every service added by then, oldest first
  std::vector<HoldAsOf> active_holds;  // the holds active at the instant, newest first
  // The entries that set a value shown above, in log order, each with its proof against
  // `checkpoint` (unset for an entry the latest checkpoint does not cover yet).
  struct Used {
    domain::AuditEntry entry;
    std::optional<InclusionProof> proof;
  };
  std::vector<Used> entries;
  std::optional<domain::Checkpoint> checkpoint;  // unset before the tenant's first checkpoint
  std::string public_key;                        // the checkpoint's Ed25519 key, raw
};

// Thread-safe: one read transaction per call.
class AccountHistory {
 public:
  AccountHistory(Deps deps, const AuditLog& audit) : deps_(deps), audit_(audit) {}

  // The account `account_id` of `ctx.tenant_id` at `as_of`, for the roles that read the audit
  // log (admin, auditor; kPermissionDenied for the others). kInvalidArgument naming "as_of"
  // for an instant after now; kNotFound "account" when the log has no entry of the account
  // by then (it did not exist yet, or never did).
  Result<AccountAsOf> AsOf(const CallContext& ctx, const std::string& account_id,
                           Timestamp as_of) const;

 private:
  Deps deps_;
  const AuditLog& audit_;
};

}  // namespace sb::app
