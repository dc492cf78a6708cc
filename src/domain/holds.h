#pragma once

// The pure rules of holds and statuses (docs/ARCHITECTURE.md, "Domain"): holds stack, a service is
// suspended while any active hold that blocks it exists, and status is always derived.

#include <optional>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace sb::domain {

struct HoldFlags {
  bool blocks_service = true;
  bool blocks_billing = false;
  bool blocks_changes = false;
};

// What a hold of this type blocks unless the caller says otherwise.
HoldFlags DefaultFlags(HoldType type);

// The origin a request placing or lifting this kind of hold has (non-payment is
// involuntary, a pause voluntary, a fault technical, inactivity automated...).
Origin OriginFor(HoldType type);

// True when `hold` is active and blocks `service` (account-wide holds block every service).
bool BlocksService(const Hold& hold, const Service& service);

// Status of a service given the account's holds (any state; inactive ones are ignored)
// and whether the account itself is in a lifecycle that stops service (closed, pending).
ServiceStatus DeriveServiceStatus(const Service& service, const std::vector<Hold>& holds,
                                  AccountLifecycle lifecycle);

// Account status: the lifecycle, except an active account with an active account-wide hold
// that blocks service is suspended.
AccountStatus DeriveAccountStatus(AccountLifecycle lifecycle, const std::vector<Hold>& holds);

// The first active hold that blocks changes, if any.
std::optional<Hold> ChangeBlocker(const std::vector<Hold>& holds);

// Refuses changes while an active hold blocks them (kConflict "changes_blocked", naming the
// hold's type), except holds of type `cleared`: the change that clears a hold is never
// blocked by it (see HoldClearedBy).
Status CheckChangesAllowed(const std::vector<Hold>& holds,
                           std::optional<HoldType> cleared = std::nullopt);

// The hold type a completed request of `type` lifts, if any: a personal_info_update makes the
// customer's data current again, so it lifts the account's data_outdated holds.
std::optional<HoldType> HoldClearedBy(RequestType type);

// Refuses changes to a closed account (kConflict "account_closed").
Status CheckAccountOpen(const Account& account);

// Lifecycle moves agents can ask for.
enum class LifecycleMove { kActivate, kClose, kMarkDormant, kReactivate };

// The lifecycle after `move`, or kConflict "illegal_transition" naming both states.
Result<AccountLifecycle> ApplyLifecycleMove(AccountLifecycle from, LifecycleMove move);

// Validates a new hold against the account and its services: the service must belong to the
// account and not be terminated; the account must not be closed; expiry must be in the
// future. `param` names for errors follow the API fields.
Status ValidateNewHold(const Hold& hold, const Account& account,
                       const std::optional<Service>& service, Timestamp now);

}  // namespace sb::domain
