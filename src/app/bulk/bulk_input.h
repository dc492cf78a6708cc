#pragma once

// Reading a bulk upload (docs/ARCHITECTURE.md, "bulk jobs") into rows: a CSV file whose
// header names the columns, or JSON lines, one object per row, read as records by
// app/bulk/record_file.h, each row handed out as it completes. What can be judged from the file
// alone is judged here (columns, a row's shape, request type, tokens, card numbers, repeated
// idempotency keys are the caller's); what needs the tenant's data (accounts, reason codes)
// is app/bulk/bulk_jobs.h's.
//
// Columns of a CSV (keys of a JSON line): `external_ref` or `account_id` (one of them, per
// row exactly one set), `type`, `reason_code`, optional `service_id` and `idempotency_key`,
// and the payload: a CSV column `payload.<field>` holds text, `payload.<field>:json` a JSON
// value (a number, true, an object...); a JSON line has a `payload` object.

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>

#include "app/bulk/record_file.h"
#include "common/status.h"
#include "domain/enums.h"

namespace sb::app {

// One data row as read. `row` is its number in the file: CSV records count from the header
// (row 1), JSON lines from 1.
struct BulkRowInput {
  std::int64_t row = 0;
  std::string external_ref;
  std::string account_id;
  domain::RequestType type = domain::RequestType::kStatusSync;
  std::string reason_code;
  std::string service_id;
  std::string idempotency_key;
  boost::json::object payload;
};

// Called for each row that reads well; return false to stop.
using BulkRowFn = std::function<bool(BulkRowInput&&)>;
// Called for each row that does not: BulkErrorFn (app/bulk/record_file.h).

// Reads every row of `in`. Returns nullopt when the file was read to its end (rows may still
// have had errors, each given to `on_error`), or the error that stopped reading: the file
// itself cannot be read (a broken quote, invalid UTF-8, an unknown, repeated or missing
// column, a field or line over the limits, more rows than max_rows).
std::optional<BulkRowError> ReadBulkFile(std::istream& in, BulkFormat format,
                                         const BulkReadLimits& limits, const BulkRowFn& on_row,
                                         const BulkErrorFn& on_error);

}  // namespace sb::app
