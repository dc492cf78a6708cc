#pragma once

// What a tenant's pack says of reconciliation (domain/reconciliation.h): for each kind of fact
// that can differ between Switchboard and a client system, which side is probably right and
// what is done about a difference. Apart from domain/reconciliation.h so that the pack
// (domain/policy.h) needs nothing of the records.

#include <optional>
#include <string_view>

namespace sb::domain {

// What differs: one service's status, the account's status, or the amount due.
enum class DriftKind { kServiceStatus, kAccountStatus, kAmountDue };
inline constexpr DriftKind kDriftKinds[] = {DriftKind::kServiceStatus, DriftKind::kAccountStatus,
                                            DriftKind::kAmountDue};
std::string_view Name(DriftKind k);
std::optional<DriftKind> ParseDriftKind(std::string_view text);

// Which side is probably right: Switchboard (the source system missed a change: it is told
// again) or the source system (Switchboard missed one).
enum class DriftTruth { kSwitchboard, kSource };
std::string_view Name(DriftTruth t);
std::optional<DriftTruth> ParseDriftTruth(std::string_view text);

// What is done with a drift: `repair` files a status_sync request at once, through the request
// engine; `queue` leaves the item open for an agent.
enum class DriftRepair { kRepair, kQueue };
std::string_view Name(DriftRepair r);
std::optional<DriftRepair> ParseDriftRepair(std::string_view text);

struct DriftRule {
  DriftTruth truth = DriftTruth::kSwitchboard;
  DriftRepair repair = DriftRepair::kQueue;
};

// The pack's `reconciliation:` section. By default Switchboard is the source of truth for
// statuses (they derive from its holds) and the source system for amounts due (billing's);
// a service status that differs is announced again at once, anything else waits for an agent.
// A status can only be repaired at once when Switchboard is right: Switchboard never sets a
// status, it derives it from holds, and placing or lifting a hold is a request with its own
// checks that an agent files.
struct ReconciliationPolicy {
  DriftRule service_status{DriftTruth::kSwitchboard, DriftRepair::kRepair};
  DriftRule account_status{DriftTruth::kSwitchboard, DriftRepair::kQueue};
  DriftRule amount_due{DriftTruth::kSource, DriftRepair::kQueue};

  const DriftRule& For(DriftKind k) const;
  DriftRule& For(DriftKind k);
};

}  // namespace sb::domain
