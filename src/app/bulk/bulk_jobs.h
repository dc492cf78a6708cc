#pragma once

// Bulk jobs (docs/ARCHITECTURE.md, "bulk jobs"): a supervisor uploads a file of rows, each
// row one request (an account, a type, a reason code, a payload, an optional idempotency
// key). The whole file is validated before anything is stored; a dry run stops there and
// says what each row would do. A valid file becomes a job whose rows are stored (payloads
// sealed under each account's data key) and then applied by the job runner in slices
// (job kind kBulkRunJob): each row is filed through the request engine (SubmitInTx) with
// origin `bulk`, the submitter as actor and the job id as correlation id, and its outcome is
// written in the same transaction while the row is still pending, so that a row is never
// applied twice, whatever crashes or how many processes run slices. A slice yields after a
// few rows' worth of time so that interactive writes keep the shared writer.
//
// Thread-safe (every method is its own transactions).

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "app/bulk/bulk_input.h"
#include "app/core/context.h"
#include "common/status.h"
#include "domain/bulk.h"
#include "domain/ports/store.h"

namespace sb::app {

struct BulkOptions {
  // Rows filed in one transaction; when one of them is refused the transaction is rolled back
  // and its rows filed one by one, so that one refusal sinks no other row.
  int rows_per_transaction = 16;
  // Transactions of one job filed side by side, each on the rows of its own accounts; 0: by
  // the store, 4 on PostgreSQL (as many pooled connections) and 1 on SQLite, whose one
  // writer would only commit them together, more rows per commit for no more rows per second
  // (docs/PERFORMANCE.md, "Bulk jobs").
  int parallel_transactions = 0;
  // Wall time a slice may run before it yields the writer and the runner (the next slice is
  // written due `yield_ms` later), and the rows it may run at most.
  int slice_ms = 200;
  int slice_rows = 2000;
  int yield_ms = 20;
  // Rows stored per transaction while loading a valid file.
  int load_rows_per_transaction = 500;
  // Rows whose accounts are looked up in one read while validating.
  int validate_batch = 500;
  // How many row errors and dry-run rows an answer lists (the counts are always whole).
  int max_listed = 1000;
  BulkReadLimits limits;
};

// What a dry run says of one valid row.
struct BulkPlanRow {
  std::int64_t row = 0;
  std::string account_id;
  domain::RequestType type = domain::RequestType::kStatusSync;
  // "file_request", or "skip" when its idempotency key was already applied.
  std::string action;
};

struct BulkSubmitOutcome {
  // Set when nothing was stored: `malformed` when the file could not be read (400; `errors`
  // holds where reading stopped), else some rows are invalid (422).
  bool rejected = false;
  bool malformed = false;
  std::vector<BulkRowError> errors;  // at most max_listed
  std::int64_t error_count = 0;
  std::int64_t rows = 0;               // data rows read
  std::vector<BulkPlanRow> plan;       // dry run: the first max_listed rows
  std::optional<domain::BulkJob> job;  // the job created (not for a dry run or a rejection)
};

// A job with its progress.
struct BulkProgress {
  domain::BulkJob job;
  std::int64_t remaining = 0;  // rows still to run: 0 once the job is completed or cancelled
  std::int64_t cancelled = 0;  // a cancelled job's rows that never ran (stored or not)
  double rows_per_second = 0;  // over its running time, pauses excluded
  std::optional<std::int64_t> eta_seconds;  // while running and the rate is known
};

class BulkJobs {
 public:
  // `deps` must outlive the object.
  explicit BulkJobs(Deps deps, BulkOptions options = {}) : deps_(deps), options_(options) {}

  // Validates the file and, unless ctx.dry_run or a row is invalid, stores it as a job that
  // starts running at once. REQUIRES: `file` is seekable (it is read twice: validated whole,
  // then stored). kPermissionDenied "role_required" below the supervisor role.
  // With ctx.idempotency_key, `answer` is stored with the job as it starts running.
  // kConflict "bulk_job_cancelled" when the job was cancelled while its rows were being stored
  // (it then stores no more rows and never runs).
  // `file_sha256` (hex) is kept with the job, so that what was uploaded can be told later.
  Result<BulkSubmitOutcome> Submit(const CallContext& ctx, BulkFormat format, std::istream& file,
                                   const AnswerFn<BulkSubmitOutcome>& answer = nullptr,
                                   const std::string& file_sha256 = "") const;
  // kNotFound "bulk job" for a job not of ctx's tenant.
  Result<BulkProgress> Get(const CallContext& ctx, const std::string& id) const;
  // Pause stops a running job after the transaction in hand; Resume runs a paused one again;
  // Cancel ends a job for good (rows still pending are never applied), a loading one too (its
  // loader, in this process or another, stores no more rows), and announces its end as the
  // last slice of a completed job does (AnnounceEnd). Pausing a paused job or resuming
  // a running one changes nothing; anything else from a finished job is kConflict
  // "bulk_job_finished", and pausing or resuming a loading one kConflict "bulk_job_loading".
  // Supervisor role and up.
  Result<BulkProgress> Pause(const CallContext& ctx, const std::string& id,
                             const AnswerFn<BulkProgress>& answer = nullptr) const;
  Result<BulkProgress> Resume(const CallContext& ctx, const std::string& id,
                              const AnswerFn<BulkProgress>& answer = nullptr) const;
  Result<BulkProgress> Cancel(const CallContext& ctx, const std::string& id,
                              const AnswerFn<BulkProgress>& answer = nullptr) const;
  // The tenant's jobs, newest first, with the usual cursor.
  Result<domain::Page<BulkProgress>> List(const CallContext& ctx, const std::string& starting_after,
                                          int limit) const;
  // Up to `limit` rows of the job after row number `after_row`, in row order.
  Result<std::vector<domain::BulkRow>> Results(const CallContext& ctx, const std::string& id,
                                               std::int64_t after_row, int limit) const;

  // The job runner's entry (kBulkRunJob): runs one slice of the job's pending rows, then
  // writes the next slice's job, or completes the job (its bulk_job.completed event) when no
  // row is pending. OK when the job is not running. Infrastructure failures are returned for
  // the runner to retry; a row the engine refuses is recorded as failed.
  Status RunSlice(const std::string& tenant_id, const std::string& job_id) const;

  // How many transactions of a slice run side by side (BulkOptions::parallel_transactions).
  int ParallelTransactions() const;

 private:
  struct Validation;
  Status ValidateBatch(const CallContext& ctx, std::vector<BulkRowInput>& batch,
                       Validation& v) const;
  // Files `row` as its job would, in a transaction rolled back (bulk_jobs_run.cc): the
  // error that refuses its payload itself (kInvalidArgument naming a payload field or
  // service_id, the same whatever the account), or nullopt. Errors: the database's.
  Result<std::optional<BulkRowError>> TryPayload(const CallContext& ctx,
                                                 const BulkRowInput& row) const;
  // Stores the job and its rows, then starts it with `answer` stored; sets out.job.
  Status Load(const CallContext& ctx, BulkFormat format, std::istream& file,
              const std::string& file_sha256, BulkSubmitOutcome& out,
              const AnswerFn<BulkSubmitOutcome>& answer) const;
  Status StoreBatch(const CallContext& ctx, const domain::BulkJob& job,
                    std::vector<BulkRowInput>& batch) const;
  Result<BulkProgress> Control(const CallContext& ctx, const std::string& id,
                               domain::BulkJobState to, const AnswerFn<BulkProgress>& answer) const;
  // One transaction over `rows`; kAborted when the job stopped running.
  Status ApplyRows(const std::string& tenant_id, const std::string& job_id,
                   const std::vector<domain::BulkRow>& rows) const;
  // Files rows of one group of a slice, transaction after transaction; kAborted when the job
  // stopped running.
  Status ApplyGroup(const std::string& tenant_id, const std::string& job_id,
                    const std::vector<domain::BulkRow>& rows) const;
  Status FailRow(const domain::BulkRow& row, const Status& why) const;
  Status AfterSlice(const std::string& tenant_id, const std::string& job_id) const;

  Deps deps_;
  BulkOptions options_;
};

// The job that runs the next slice of bulk job `job_id` at `run_at` (kBulkRunJob).
domain::Job NextSliceJob(const std::string& tenant_id, const std::string& job_id, Timestamp now,
                         Timestamp run_at);

// Writes the `bulk_job.completed` event of `job`, which has just ended at `now` (completed, or
// cancelled: the event carries its state), in `tx`: its figures, for the client's systems.
Status AnnounceEnd(domain::Tx& tx, const domain::BulkJob& job, Timestamp now);

// The progress figures of `job` at `now`.
BulkProgress ProgressOf(const domain::BulkJob& job, Timestamp now);

}  // namespace sb::app
