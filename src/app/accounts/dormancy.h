#pragma once

// Dormancy: an active account nobody touched for the policy's `triggers.dormancy.
// inactive_days` (or one a client system reports inactive) is marked dormant by an automated
// `status_sync` request (reason `inactivity`), and in the same transaction an invitation to
// come back is queued in the outbox with the reactivation offer the policy names.

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "app/core/context.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "domain/ports/store.h"

namespace sb::app {

// The webhook event of the invitation; the pack's notify rules decide whom it tells
// (app/notifications/composer.h).
inline constexpr char kReactivationInvited[] = "account.reactivation_invited";

// What made the account dormant, recorded on the request and the invitation.
struct DormancyCause {
  std::string trigger;                      // "dormancy_scan" or "customer.inactive"
  std::optional<Timestamp> inactive_since;  // last activity, when known
};

// The invitation's data: {"reason": "inactivity", "offer": {code, description,
// discount_percent, duration_months}} with the pack's dormancy offer (no "offer" when the
// pack names none).
boost::json::object InvitationData(const domain::PolicyPack& pack);

// Files a status_sync request (origin automated) marking the active account dormant inside
// `tx` under ctx (actor, channel, reason code) and, once it completed, writes the invitation;
// returns the request (still verifying when an open technical fault holds it back). kConflict
// "illegal_transition" when the account is not active; kNotFound for an unknown account.
Result<domain::Request> MarkDormantInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                        Timestamp now, const std::string& account_id,
                                        const DormancyCause& cause);

// The periodic scan. Thread-safe; several processes may run it on one PostgreSQL database at
// once: each account is marked and invited in its own transaction, which locks the account
// and re-reads it, so an account another process just marked is skipped, never invited twice.
class DormancyScan {
 public:
  explicit DormancyScan(Deps deps) : deps_(deps) {}

  // What one run did. A failure on one account or tenant does not stop the run: it is
  // counted, and the first one kept for the log.
  struct Report {
    int marked = 0;
    int failed = 0;
    Status first_failure;
  };

  // For every tenant whose pack in force has inactive_days > 0, marks its active accounts
  // not changed for that many days (at most 1000 per tenant and run; the next run goes on).
  // Fails only when the tenants cannot be listed.
  Result<Report> Run() const;

 private:
  // Marks the account if, read again under its lock, it is still active and unchanged since
  // before `cutoff`. Returns whether it did.
  Result<bool> MarkIfStillInactive(const std::string& tenant_id, const std::string& account_id,
                                   Timestamp cutoff) const;

  Deps deps_;
};

}  // namespace sb::app
