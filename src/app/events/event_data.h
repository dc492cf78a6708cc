#pragma once

// The `data` of each inbound event type this server acts on, read strictly (docs/ARCHITECTURE.md,
// "HTTP API": unknown fields refused) before any transaction starts, so a malformed event
// writes nothing. Pure: no storage, no clock (the caller passes "now").

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"

namespace sb::app::events {

// The account an event is about: exactly one of the two is set.
struct AccountRef {
  std::string account_id;
  std::string external_ref;
};

// payment.received: a payment of `amount_minor` in `currency`.
struct PaymentReceived {
  AccountRef account;
  std::int64_t amount_minor = 0;
  std::string currency;
};

// payment.failed: a collection attempt that failed; amount, currency and the processor's
// reason are optional.
struct PaymentFailed {
  AccountRef account;
  std::optional<std::int64_t> amount_minor;
  std::optional<std::string> currency;
  std::string reason;
};

// kyc.completed: the account's KYC level (0 none .. 3 full) as the KYC provider now rates it.
struct KycCompleted {
  AccountRef account;
  int kyc_level = 0;
};

// fault.reported / fault.resolved: a fault on one service, or on the whole account when no
// service is named.
struct Fault {
  AccountRef account;
  std::optional<std::string> service_id;
  std::string fault_id;
  std::string description;  // fault.reported only
  bool resolved = false;
};

// provisioning.completed / provisioning.failed about a request waiting in `provisioning`.
struct ProvisioningResult {
  std::string request_id;
  std::string detail;
  bool succeeded = false;
};

// customer.inactive: the client system saw no activity since `inactive_since` (optional).
struct CustomerInactive {
  AccountRef account;
  std::optional<Timestamp> inactive_since;
};

// fraud.alert: the client's fraud system flags the account; `alert_id` and `reason` (optional)
// are the sender's, kept with the signal.
struct FraudAlert {
  AccountRef account;
  std::string alert_id;
  std::string reason;
};

// status.snapshot: a source system's view of one account (docs/RECONCILIATION.md): its status,
// its amount due and the statuses of some of its services, each optional but one at least.
// Statuses are kept as sent: one this server does not know is reported on the run, as an
// unknown state in a file's row is, and the rest compared.
struct StatusSnapshot {
  AccountRef account;
  std::string source;
  std::optional<std::string> account_status;
  std::optional<std::int64_t> amount_due_minor;
  std::vector<std::pair<std::string, std::string>> services;  // at most 100, distinct ids
};

// A type this server does not act on: the event is stored as `ignored`.
struct Ignored {};

using EventData = std::variant<Ignored, PaymentReceived, PaymentFailed, KycCompleted, Fault,
                               ProvisioningResult, CustomerInactive, FraudAlert, StatusSnapshot>;

// Reads `data` of an event of `type`. Errors are kInvalidArgument naming the field
// ("data.amount_minor", "data.kyc_level", ...; reason "unknown_field" for a field the type
// does not have). An account is named by exactly one of account_id and external_ref
// (param "data.account_id" otherwise). inactive_since is RFC 3339, not after `now`. Types
// other than the ones above read as Ignored, whatever their data.
Result<EventData> ParseEventData(const std::string& type, const boost::json::object& data,
                                 Timestamp now);

}  // namespace sb::app::events
