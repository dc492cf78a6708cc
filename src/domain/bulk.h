#pragma once

// Bulk jobs (app/bulk/): one uploaded file of rows, each row one request filed through the
// request engine with origin `bulk` and the job as its correlation id. The records here are
// what the store keeps of a job and of each row; the rules of running them are the app's.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"
#include "domain/model.h"

namespace sb::domain {

// loading: rows being stored after the whole file validated (a job left loading by a crash
// never runs: it can only be cancelled); running: chunks being applied; paused; cancelled (rows
// still pending, or never stored, are never applied); completed: every row applied, failed or
// skipped.
enum class BulkJobState { kLoading, kRunning, kPaused, kCancelled, kCompleted };

// pending: not applied yet; applied: its request was filed (completed or waiting); failed:
// the engine refused it or its request ended rejected or failed; skipped: its idempotency key
// was applied before (by this job or an earlier one).
enum class BulkRowState { kPending, kApplied, kFailed, kSkipped };

std::string_view BulkJobStateName(BulkJobState s);
std::optional<BulkJobState> ParseBulkJobState(std::string_view s);
std::string_view BulkRowStateName(BulkRowState s);
std::optional<BulkRowState> ParseBulkRowState(std::string_view s);
// Whether the job will apply no more rows.
inline bool IsFinished(BulkJobState s) {
  return s == BulkJobState::kCancelled || s == BulkJobState::kCompleted;
}

struct BulkJob {
  std::string tenant_id;
  std::string id;  // "blk_..."
  BulkJobState state = BulkJobState::kLoading;
  std::string format;  // "csv" or "ndjson"
  Actor actor;         // who submitted it: every row's request is filed as them
  Channel channel = Channel::kApi;
  std::string file_sha256;  // hex SHA-256 of the uploaded bytes
  std::int64_t total_rows = 0;
  std::int64_t applied_rows = 0;
  std::int64_t failed_rows = 0;
  std::int64_t skipped_rows = 0;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> started_at;   // first time it ran
  std::optional<Timestamp> finished_at;  // completed or cancelled
  // Milliseconds spent running before the current run began (pauses excluded), and when the
  // current run began: the rate is rows done over running time.
  Timestamp active_ms = 0;
  std::optional<Timestamp> running_since;

  std::int64_t done_rows() const { return applied_rows + failed_rows + skipped_rows; }
};

struct BulkRow {
  std::string tenant_id;
  std::string job_id;
  std::int64_t row_no = 0;  // the row's number in the file (the header is row 1 of a CSV)
  BulkRowState state = BulkRowState::kPending;
  std::string account_id;
  RequestType type = RequestType::kStatusSync;
  std::string reason_code;
  std::string service_id;       // empty: none
  std::string idempotency_key;  // empty: none
  // The row's payload object as JSON sealed under the account's data key (base64): payload
  // columns can hold personal data (a new email, an address).
  std::string payload_sealed;
  std::string request_id;     // set once applied
  std::string request_state;  // the request's state after the row ran
  std::string error_code;     // failed / skipped: a stable code
  std::string error_param;    // failed: the field the refusal named, if any
  Timestamp updated_at = 0;
};

}  // namespace sb::domain
