// Running a bulk job's rows (bulk_jobs.h, RunSlice): a slice takes the pending rows in order,
// files each through the request engine and records its outcome in the same transaction,
// then yields. And a row tried the same way before its job exists (TryPayload).
#include <algorithm>
#include <chrono>
#include <functional>
#include <future>

#include "app/bulk/bulk_jobs.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using domain::BulkJob;
using domain::BulkJobState;
using domain::BulkRow;
using domain::BulkRowState;

namespace {

// How a row is filed, whether it runs or is tried before its job exists (TryPayload): as the
// job's submitter on its channel, for the row's reason, with origin `bulk`, the job (or the
// upload) as correlation id.
CallContext RowContext(const std::string& tenant_id, const domain::Actor& actor,
                       domain::Channel channel, const std::string& reason_code,
                       const std::string& correlation_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = actor;
  ctx.channel = channel;
  ctx.reason_code = reason_code;
  ctx.correlation_id = correlation_id;
  return ctx;
}
SubmitInput RowInput(domain::RequestType type, const std::string& account_id,
                     const std::string& service_id, json::object payload) {
  SubmitInput in;
  in.type = type;
  in.account_id = account_id;
  if (!service_id.empty()) in.service_id = service_id;
  in.origin = domain::Origin::kBulk;
  in.payload = std::move(payload);
  return in;
}

// Whether `s` is the engine refusing the row (recorded as the row's failure) rather than the
// database failing (the slice is retried).
bool IsRefusal(const Status& s) {
  switch (s.code()) {
    case Code::kInvalidArgument:
    case Code::kPermissionDenied:
    case Code::kNotFound:
    case Code::kConflict:
    case Code::kPreconditionFailed:
    case Code::kUnprocessable:
      return true;
    default:
      return false;
  }
}

// A chunk's outcomes, added to its job's counters at the chunk's end.
struct RowCounts {
  std::int64_t applied = 0;
  std::int64_t failed = 0;
  std::int64_t skipped = 0;

  void Add(BulkRowState state) {
    if (state == BulkRowState::kApplied) ++applied;
    if (state == BulkRowState::kFailed) ++failed;
    if (state == BulkRowState::kSkipped) ++skipped;
  }
  // Adds them to the job, still running: kAborted (the chunk rolled back) when it is not.
  Status Write(domain::Tx& tx, const BulkJob& job, Timestamp now) const {
    Status s = tx.CountBulkRows(job.tenant_id, job.id, applied, failed, skipped, now);
    if (s.code() == Code::kNotFound) return Status::Aborted();
    return s;
  }
};

// The rows of one slice in `groups` groups, a row's group chosen by its account, each group in
// row order: rows of one account are filed one after another, rows of different accounts side
// by side.
std::vector<std::vector<BulkRow>> GroupByAccount(std::vector<BulkRow> rows, int groups) {
  std::vector<std::vector<BulkRow>> out(static_cast<std::size_t>(std::max(1, groups)));
  for (BulkRow& r : rows) {
    out[std::hash<std::string>{}(r.account_id) % out.size()].push_back(std::move(r));
  }
  return out;
}

Result<json::object> OpenPayload(domain::Tx& tx, const Deps& deps, const BulkRow& row) {
  if (row.payload_sealed.empty()) return json::object();
  std::optional<std::string> sealed = crypto::FromBase64(row.payload_sealed);
  if (!sealed) return Status::Internal("bulk row payload is not base64");
  SB_ASSIGN_OR_RETURN(std::string text,
                      deps.keyring.OpenFor(tx, row.tenant_id, row.account_id, *sealed));
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Internal("bulk row payload is not an object");
  return std::move(v.as_object());
}

// Files `row` inside `tx` and records its outcome; the row as finished. The engine's refusal is
// returned as it is (the caller rolls back and records it with FailRow).
Result<BulkRow> ApplyRowInTx(domain::Tx& tx, const Deps& deps, const BulkJob& job, BulkRow row,
                             Timestamp now) {
  row.updated_at = now;
  if (!row.idempotency_key.empty()) {
    Status key = tx.InsertBulkRowKey(row.tenant_id, row.idempotency_key, job.id, row.row_no, now);
    if (key.code() == Code::kConflict) {
      row.state = BulkRowState::kSkipped;
      row.error_code = "already_applied";
      SB_RETURN_IF_ERROR(tx.FinishBulkRow(row));
      return row;
    }
    SB_RETURN_IF_ERROR(key);
  }
  SB_ASSIGN_OR_RETURN(json::object payload, OpenPayload(tx, deps, row));
  SubmitInput in = RowInput(row.type, row.account_id, row.service_id, std::move(payload));
  CallContext ctx = RowContext(job.tenant_id, job.actor, job.channel, row.reason_code, job.id);
  SB_ASSIGN_OR_RETURN(RequestOutcome out, SubmitInTx(tx, deps, ctx, now, in));
  row.request_id = out.request.id;
  row.request_state = std::string(domain::Name(out.request.state));
  bool ended_badly = out.request.state == domain::RequestState::kRejected ||
                     out.request.state == domain::RequestState::kFailed;
  row.state = ended_badly ? BulkRowState::kFailed : BulkRowState::kApplied;
  if (ended_badly) row.error_code = "request_" + row.request_state;
  SB_RETURN_IF_ERROR(tx.FinishBulkRow(row));
  return row;
}

}  // namespace

// The rows' changes, like any change, may run again (domain::Store::Rerun): the callback reads
// the job afresh and acts only through its transaction. So a deadlock with an agent's change on
// PostgreSQL runs the rows again instead of failing them as refused.
Status BulkJobs::ApplyRows(const std::string& tenant_id, const std::string& job_id,
                           const std::vector<BulkRow>& rows) const {
  auto apply = [&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(BulkJob job, tx.GetBulkJob(tenant_id, job_id));
    if (job.state != BulkJobState::kRunning) return Status::Aborted();  // nothing written yet
    RowCounts counts;
    for (const BulkRow& r : rows) {
      SB_ASSIGN_OR_RETURN(BulkRow done, ApplyRowInTx(tx, deps_, job, r, now));
      counts.Add(done.state);
    }
    return counts.Write(tx, job, now);
  };
  return deps_.store.Write(apply, domain::Store::Rerun::kAllowed);
}

// Records the engine's refusal of `row`, unless it is no longer pending.
Status BulkJobs::FailRow(const BulkRow& row, const Status& why) const {
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(BulkJob job, tx.GetBulkJob(row.tenant_id, row.job_id));
    if (job.state != BulkJobState::kRunning) return Status::Aborted();
    BulkRow failed = row;
    failed.state = BulkRowState::kFailed;
    failed.error_code = why.reason().empty() ? std::string(CodeName(why.code())) : why.reason();
    failed.error_param = why.param();
    failed.updated_at = now;
    SB_RETURN_IF_ERROR(tx.FinishBulkRow(failed));
    RowCounts counts;
    counts.Add(failed.state);
    return counts.Write(tx, job, now);
  });
  if (s.code() == Code::kNotFound || s.code() == Code::kAborted) return Status::Ok();
  return s;
}

// Files `rows` (of one job, in row order) a transaction of rows_per_transaction at a time:
// kAborted once the job stops running.
Status BulkJobs::ApplyGroup(const std::string& tenant_id, const std::string& job_id,
                            const std::vector<BulkRow>& rows) const {
  const std::size_t per_tx = static_cast<std::size_t>(std::max(1, options_.rows_per_transaction));
  for (std::size_t first = 0; first < rows.size(); first += per_tx) {
    const std::vector<BulkRow> chunk(rows.begin() + first,
                                     rows.begin() + std::min(rows.size(), first + per_tx));
    Status together = ApplyRows(tenant_id, job_id, chunk);
    if (together.code() == Code::kAborted) return together;  // paused or cancelled
    if (together.ok()) continue;
    // One row was refused (or raced): each on its own, so that the others still run.
    for (const BulkRow& r : chunk) {
      Status alone = ApplyRows(tenant_id, job_id, {r});
      if (alone.code() == Code::kAborted) return alone;
      if (alone.ok()) continue;
      if (!IsRefusal(alone)) return alone;
      if (alone.code() == Code::kNotFound && alone.param().empty() &&
          alone.message().find("pending bulk row") != std::string::npos) {
        continue;  // another run finished it first
      }
      SB_RETURN_IF_ERROR(FailRow(r, alone));
    }
  }
  return Status::Ok();
}

int BulkJobs::ParallelTransactions() const {
  if (options_.parallel_transactions > 0) return options_.parallel_transactions;
  return deps_.store.Backend() == "postgres" ? 4 : 1;
}

Status BulkJobs::RunSlice(const std::string& tenant_id, const std::string& job_id) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.slice_ms);
  const int parallel = ParallelTransactions();
  int ran = 0;
  std::int64_t after = 0;
  while (ran < options_.slice_rows && std::chrono::steady_clock::now() < deadline) {
    std::vector<BulkRow> rows;
    bool running = false;
    SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(BulkJob job, tx.GetBulkJob(tenant_id, job_id));
      running = job.state == BulkJobState::kRunning;
      if (!running) return Status::Ok();
      SB_ASSIGN_OR_RETURN(rows, tx.ListBulkRows(tenant_id, job_id, after,
                                                options_.rows_per_transaction * parallel, true));
      return Status::Ok();
    }));
    if (!running) return Status::Ok();
    if (rows.empty()) break;
    after = rows.back().row_no;
    ran += static_cast<int>(rows.size());
    // The groups' transactions run side by side: on PostgreSQL on as many connections, on
    // SQLite merged by the writer into fewer commits.
    std::vector<std::vector<BulkRow>> groups = GroupByAccount(std::move(rows), parallel);
    std::vector<std::future<Status>> others;
    for (std::size_t g = 1; g < groups.size(); ++g) {
      if (groups[g].empty()) continue;
      others.push_back(std::async(std::launch::async,
                                  [&, g] { return ApplyGroup(tenant_id, job_id, groups[g]); }));
    }
    Status first = ApplyGroup(tenant_id, job_id, groups[0]);
    bool stopped = first.code() == Code::kAborted;
    Status failure = stopped ? Status::Ok() : first;
    for (auto& other : others) {
      Status s = other.get();
      if (s.code() == Code::kAborted) {
        stopped = true;
      } else if (failure.ok()) {
        failure = s;
      }
    }
    SB_RETURN_IF_ERROR(failure);
    if (stopped) return Status::Ok();  // paused or cancelled
  }
  return AfterSlice(tenant_id, job_id);
}

// Writes the next slice while rows remain, else completes the job with its summary event.
Status BulkJobs::AfterSlice(const std::string& tenant_id, const std::string& job_id) const {
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(BulkJob job, tx.GetBulkJob(tenant_id, job_id, /*for_update=*/true));
    if (job.state != BulkJobState::kRunning) return Status::Ok();
    SB_ASSIGN_OR_RETURN(auto pending, tx.ListBulkRows(tenant_id, job_id, 0, 1, true));
    if (!pending.empty()) {
      return tx.InsertJob(NextSliceJob(tenant_id, job_id, now, now + options_.yield_ms));
    }
    job.state = BulkJobState::kCompleted;
    if (job.running_since) job.active_ms += std::max<Timestamp>(0, now - *job.running_since);
    job.running_since.reset();
    job.finished_at = now;
    job.updated_at = now;
    SB_RETURN_IF_ERROR(tx.UpdateBulkJob(job));
    return AnnounceEnd(tx, job, now);
  });
}

Status AnnounceEnd(domain::Tx& tx, const BulkJob& job, Timestamp now) {
  CallContext ctx;
  ctx.tenant_id = job.tenant_id;
  ctx.actor = job.actor;
  ctx.channel = job.channel;
  ctx.correlation_id = job.id;
  const BulkProgress p = ProgressOf(job, now);
  json::object data{{"id", job.id},
                    {"object", "bulk_job"},
                    {"state", domain::BulkJobStateName(job.state)},
                    {"total_rows", job.total_rows},
                    {"applied_rows", job.applied_rows},
                    {"failed_rows", job.failed_rows},
                    {"skipped_rows", job.skipped_rows},
                    {"cancelled_rows", p.cancelled},
                    {"created_at", FormatRfc3339(job.created_at)},
                    {"finished_at", FormatRfc3339(job.finished_at.value_or(now))}};
  return Emit(tx, ctx, now, "bulk_job.completed", nullptr, "", data);
}

// A row tried before its job exists: filed exactly as the job would file it, in a transaction
// then rolled back, so that the type's own payload reader judges its payload.
Result<std::optional<BulkRowError>> BulkJobs::TryPayload(const CallContext& ctx,
                                                         const BulkRowInput& row) const {
  Status refusal;
  Status tried = deps_.store.Write(
      [&](domain::Tx& tx) -> Status {
        refusal = SubmitInTx(tx, deps_,
                             RowContext(ctx.tenant_id, ctx.actor, ctx.channel, row.reason_code,
                                        ctx.correlation_id),
                             deps_.clock.Now(),
                             RowInput(row.type, row.account_id, row.service_id, row.payload))
                      .status();
        return Status::Aborted();  // nothing of the trial is kept
      },
      domain::Store::Rerun::kNo);
  if (!tried.ok() && tried.code() != Code::kAborted) return tried;
  const std::string& param = refusal.param();
  if (refusal.code() == Code::kInvalidArgument &&
      (param == "service_id" || param.rfind("payload.", 0) == 0)) {
    return std::optional<BulkRowError>(BulkRowError{row.row, param, refusal.reason()});
  }
  return std::optional<BulkRowError>();
}

}  // namespace sb::app
