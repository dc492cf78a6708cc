#pragma once

// An account's aggregate inside a change: the account with its services and active holds,
// the steps that place and release holds and move the lifecycle, and Reconcile, which
// re-derives every status from the holds after any of them (docs/ARCHITECTURE.md, "Domain": status
// is derived from holds, never set blindly).

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/core/change.h"
#include "app/core/context.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Loads the account (for update) with its services and its active holds (statuses derive
// from those alone; lifted ones only grow with the account's history).
struct AccountState {
  domain::Account account;
  std::vector<domain::Service> services;
  std::vector<domain::Hold> holds;  // active ones
  // Services this change brought back from `terminated` (a reactivation's RestoreServices),
  // by id, with the status they had: the next Reconcile announces them and clears this.
  std::vector<std::pair<std::string, domain::ServiceStatus>> restored;
};
Result<AccountState> LoadAccountState(domain::Tx& tx, const std::string& tenant_id,
                                      const std::string& account_id);

// kConflict "account_closed" on a closed account, "changes_blocked" while an active hold
// blocks changes to it (other than a hold of type `cleared`, which the change will lift).
Status CheckChangesAllowed(const AccountState& state,
                           std::optional<domain::HoldType> cleared = std::nullopt);

// Lifts every active hold of `st` that a completed request of `request.type` clears (see
// domain::HoldClearedBy), each with its "hold.lifted" audit entry for the request, reason
// "data_updated". Does not Reconcile. Returns the holds lifted.
Result<std::vector<domain::Hold>> LiftClearedHolds(domain::Tx& tx, ChangeRecorder& rec,
                                                   AccountState& st,
                                                   const domain::Request& request);

// Re-derives every service's and the account's status from `state.holds` and the lifecycle,
// writes what changed (with audit entries attributed to `request`, null when no request caused
// it), bumps the account version and stores it (checked against the version loaded). `state`
// is updated in place. Every change it writes is announced in the same transaction, whoever
// caused it: one outbox webhook event each, "service.suspended" / "service.reconnected" /
// "service.terminated" with the service, "account.status_changed" with the account (no
// personal data), each with `previous` the status before and `request` the request's id and
// idempotency key (`request` need not be stored yet). A service of `state.restored` is announced
// as the status it came back to, and `state.restored` is cleared.
Status Reconcile(domain::Tx& tx, ChangeRecorder& rec, AccountState& state,
                 const domain::Request* request);

// Tells the client's systems again what Switchboard holds of the account, whatever changed: one
// "account.reconciled" outbox event with the account (statuses, lifecycle, amount due, no
// personal data) and every service, for `request`. The repair of a source system found behind
// by reconciliation (a status_sync with "announce", app/reconciliation/).
Status AnnounceState(domain::Tx& tx, const ChangeRecorder& rec, const AccountState& st,
                     const domain::Request* request);

// The audit/API view of a hold, and of the statuses of an account and its services
// ({"account_status", "services": {id: status}}).
boost::json::object HoldJson(const domain::Hold& h);
boost::json::object StatusSummary(const AccountState& st);

// `st` with every service's and the account's status derived again from its holds and
// lifecycle, without writing anything (a request's result shows statuses after the change).
AccountState PreviewStatuses(AccountState st);

// The hold `in` asks for, placed now under ctx (flags default from the type). Not validated
// (see domain::ValidateNewHold) and not stored.
domain::Hold NewHold(const CallContext& ctx, Timestamp now, const PlaceHoldInput& in);

// Stores `hold` (its placed_by_request_id set) as one of `st`'s active holds, audits
// "hold.placed" for `request_id` and schedules its "hold.expire" job when it expires.
// Does not Reconcile.
Status AddHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st, const domain::Hold& hold,
                   const std::string& request_id);

// Ends the active hold `hold_id` of `st` (lifted or expired) for `request_id`: release time,
// `reason_code`, audit "hold.lifted"/"hold.expired"; removes it from st.holds and returns it
// as stored. kConflict "hold_not_active" when it is not among st's active holds. Does not
// Reconcile.
Result<domain::Hold> ReleaseHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const std::string& hold_id, domain::HoldState final_state,
                                     const std::string& reason_code, const std::string& request_id);

// Moves the account's lifecycle to `to` in `st` with its audit entry
// ("account.lifecycle_<to>") for `request_id`. Reconcile stores the account.
Status SetLifecycle(ChangeRecorder& rec, AccountState& st, domain::AccountLifecycle to,
                    const std::string& request_id);
}  // namespace sb::app
