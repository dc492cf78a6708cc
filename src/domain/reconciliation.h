#pragma once

// Reconciliation (app/reconciliation/): a client system's view of its accounts and services
// (a billing, CRM or provisioning system's) compared with Switchboard's. Every difference is a
// drift item: what each side says, when it was found, which side the tenant's pack takes as the
// source of truth for that kind of fact, and what was done about it. Pure: the records the store
// keeps, the pack's rules and the comparison of one row.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "domain/enums.h"
#include "domain/model.h"
#include "domain/reconciliation_policy.h"

namespace sb::domain {

// A source system's name: 1 to 32 of a-z, 0-9, '_' and '-' ("billing", "crm", "oss-north").
bool IsSourceSystemName(std::string_view name);

// What the source system says of one account, or of one of its services (one row of a
// reconciliation file, or a status.snapshot event). Unset: not said.
struct SourceView {
  std::optional<ServiceStatus> service_status;  // with a service only
  std::optional<AccountStatus> account_status;
  std::optional<std::int64_t> amount_due_minor;
};

// One difference found by Compare, before it is stored.
struct Drift {
  DriftKind kind = DriftKind::kServiceStatus;
  std::string service_id;  // kServiceStatus only
  std::string switchboard_value;
  std::string source_value;
};

// The differences between what `said` says and `account` (and, when `service` is given, that
// service of it). Values are status names, or amounts in minor units of the account's currency
// as decimal text.
std::vector<Drift> Compare(const Account& account, const Service* service, const SourceView& said);

// One run: a file or a snapshot compared. `rows_*` count the file's data rows; a rejected row
// (an unknown account, service or state, a repeated row) is listed and not compared.
struct ReconciliationRun {
  std::string tenant_id;
  std::string id;           // "rcn_..."
  std::string source;       // the source system's name
  std::string origin;       // "file" or "snapshot"
  std::string format;       // "csv", "ndjson" or "event"
  std::string file_sha256;  // hex SHA-256 of the file's bytes, or of the event's id
  Actor actor;
  std::int64_t rows_read = 0;
  std::int64_t rows_rejected = 0;
  std::int64_t rows_in_step = 0;  // compared and found the same
  std::int64_t service_status_drift = 0;
  std::int64_t account_status_drift = 0;
  std::int64_t amount_due_drift = 0;
  std::int64_t repairs_filed = 0;
  std::int64_t queued = 0;
  std::int64_t already_open = 0;  // drift an earlier run's open item already covers
  // The first rejected rows ({"row","column","code"} objects as a JSON array, at most 1000).
  std::string rejected_json = "[]";
  Timestamp created_at = 0;
  Timestamp finished_at = 0;

  std::int64_t drift() const {
    return service_status_drift + account_status_drift + amount_due_drift;
  }
};

// One difference a run found. `action`: "repair" (request `request_id` filed), "queue" (open
// until an agent resolves it) or "already_open" (`known_item_id`, an earlier run's open item
// for the same account, service and kind, stands for it). An item is closed when its repair
// completed at once (resolution "repaired") or an agent resolved it ("fixed" or "dismissed").
struct DriftItem {
  std::string tenant_id;
  std::string id;  // "drf_..."
  std::string run_id;
  std::string source;
  std::string account_id;
  std::string external_ref;
  std::string service_id;  // empty: the account
  DriftKind kind = DriftKind::kServiceStatus;
  std::string switchboard_value;
  std::string source_value;
  DriftTruth truth = DriftTruth::kSwitchboard;
  std::string action;
  std::string request_id;
  std::string known_item_id;
  bool open = true;
  std::string resolution;
  std::string note;
  Timestamp found_at = 0;
  std::optional<Timestamp> closed_at;
};

// Filters of a drift item list: one run's items, or the tenant's open queue.
struct DriftItemFilter {
  std::string run_id;        // empty: any run
  std::optional<bool> open;  // unset: both
  std::optional<DriftKind> kind;
  std::string starting_after;  // an item id: items after it, in id order
  int limit = 100;
};

}  // namespace sb::domain
