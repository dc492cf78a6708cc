#pragma once

// Reading a reconciliation file (docs/RECONCILIATION.md) into rows: a CSV file whose header
// names the columns, or JSON lines, read as records by app/bulk/record_file.h. Each row is what
// a source system says of one account, or of one service of it:
//
//   external_ref or account_id   the account (exactly one of them per row)
//   service_id                   a service of that account (with service_status)
//   service_status               pending, active, suspended, terminated
//   account_status               pending_activation, active, suspended, dormant, closed
//   amount_due_minor             what the source says is due, in minor units (an integer >= 0)
//
// A row names at least one of the last three. What can be judged from the row alone is judged
// here; whether the account and service exist is app/reconciliation/reconciliation.h's.

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>

#include "app/bulk/record_file.h"
#include "domain/reconciliation.h"

namespace sb::app {

struct ReconciliationRowInput {
  std::int64_t row = 0;
  std::string external_ref;
  std::string account_id;
  std::string service_id;
  domain::SourceView said;
};

// Called for each row that reads well; return false to stop.
using ReconciliationRowFn = std::function<bool(ReconciliationRowInput&&)>;

// Reads every row of `in`; rows that do not read go to `on_error` (code "account_required",
// "account_ambiguous", "invalid_value", "unknown_state", "service_required" (a service status
// without a service), "service_status_required", "invalid_amount", "nothing_to_compare",
// "card_number_refused", "unknown_field", or the record reader's). Returns the error that
// stopped reading, as ReadRecordFile does (an unknown CSV column among them).
std::optional<BulkRowError> ReadReconciliationFile(std::istream& in, BulkFormat format,
                                                   const BulkReadLimits& limits,
                                                   const ReconciliationRowFn& on_row,
                                                   const BulkErrorFn& on_error);

}  // namespace sb::app
