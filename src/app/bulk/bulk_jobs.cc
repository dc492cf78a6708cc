// Bulk jobs: validating and storing an upload and the job's controls (bulk_jobs.h). Running
// the rows is bulk_jobs_run.cc; a job's figures and what it read are bulk_jobs_progress.cc.
#include "app/bulk/bulk_jobs.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "app/core/change.h"
#include "app/core/idempotency.h"
#include "app/core/job_kinds.h"
#include "app/policy/policy_cache.h"
#include "crypto/crypto.h"
#include "domain/checks.h"

namespace sb::app {

namespace json = boost::json;
using domain::BulkJob;
using domain::BulkJobState;

namespace {

Status RequireSupervisor(const CallContext& ctx) {
  if (domain::RoleSatisfies(ctx.actor.role, domain::Role::kSupervisor)) {
    return Status::Ok();
  }
  return {Code::kPermissionDenied, "role_required", "bulk jobs need the supervisor role"};
}

// What an audit entry of a bulk job records: its size and where it stands, never a row.
json::object AuditJob(const BulkJob& job) {
  return {{"state", domain::BulkJobStateName(job.state)},
          {"format", job.format},
          {"total_rows", job.total_rows},
          {"file_sha256", job.file_sha256}};
}

// The audit action of a move of a job to `to` by a caller.
const char* ControlAction(BulkJobState to) {
  switch (to) {
    case BulkJobState::kPaused:
      return "bulk_job.paused";
    case BulkJobState::kCancelled:
      return "bulk_job.cancelled";
    default:
      return "bulk_job.resumed";
  }
}

// kConflict "bulk_job_cancelled" once `job`, being stored, was cancelled (by a supervisor,
// perhaps through another process): its loader then stores no more rows and never runs it.
Status StillLoading(domain::Tx& tx, const BulkJob& job, bool for_update) {
  SB_ASSIGN_OR_RETURN(BulkJob now, tx.GetBulkJob(job.tenant_id, job.id, for_update));
  if (now.state == BulkJobState::kLoading) return Status::Ok();
  return Status::Conflict("bulk_job_cancelled",
                          "bulk job " + job.id + " was cancelled while its rows were being stored");
}

// Whether a caller may move `job` to `to`: a finished job moves no more; a loading one (its
// rows being stored, or left so by a killed loader) can only be cancelled.
Status MayMove(const BulkJob& job, BulkJobState to) {
  const std::string is = "bulk job " + job.id + " is " + std::string(BulkJobStateName(job.state));
  if (domain::IsFinished(job.state)) return Status::Conflict("bulk_job_finished", is);
  if (job.state == BulkJobState::kLoading && to != BulkJobState::kCancelled) {
    return Status::Conflict("bulk_job_loading", is + ": its rows are not all stored yet");
  }
  return Status::Ok();
}

// How a row names its account: "r:" + external_ref, or "i:" + account id.
std::string AccountKey(bool by_ref, std::string_view key) {
  return (by_ref ? "r:" : "i:") + std::string(key);
}

std::string AccountKey(const BulkRowInput& r) {
  const bool by_ref = !r.external_ref.empty();
  return AccountKey(by_ref, by_ref ? r.external_ref : r.account_id);
}

// The account ids of a batch's rows, by AccountKey: two reads for the whole batch instead of
// one per row. A row whose account the tenant does not have has no entry.
Result<std::unordered_map<std::string, std::string>> AccountsOf(
    domain::Tx& tx, const std::string& tenant_id, const std::vector<BulkRowInput>& batch) {
  std::vector<std::string> refs, ids;
  for (const BulkRowInput& r : batch) {
    if (!r.external_ref.empty()) {
      refs.push_back(r.external_ref);
    } else {
      ids.push_back(r.account_id);
    }
  }
  std::unordered_map<std::string, std::string> found;
  for (bool by_ref : {true, false}) {
    const std::vector<std::string>& keys = by_ref ? refs : ids;
    if (keys.empty()) continue;
    SB_ASSIGN_OR_RETURN(std::vector<domain::Account> accounts,
                        tx.GetAccounts(tenant_id, keys, by_ref));
    for (domain::Account& a : accounts) {
      found.emplace(AccountKey(by_ref, by_ref ? a.external_ref : a.id), a.id);
    }
  }
  return found;
}

}  // namespace

domain::Job NextSliceJob(const std::string& tenant_id, const std::string& job_id, Timestamp now,
                         Timestamp run_at) {
  domain::Job j;
  j.tenant_id = tenant_id;
  j.id = crypto::NewId("job", now);
  j.kind = kBulkRunJob;
  j.subject_id = job_id;
  j.payload_json = "{}";
  j.run_at = run_at;
  j.created_at = now;
  return j;
}

struct BulkJobs::Validation {
  BulkSubmitOutcome out;
  std::unordered_set<std::size_t> keys;  // hashes of the idempotency keys seen
  // By a hash of a row's type, payload and whether it names a service: what trying the
  // first such row found (TryPayload). At most kPayloadShapes shapes are tried.
  std::unordered_map<std::size_t, std::optional<BulkRowError>> payloads;
  std::shared_ptr<const CompiledPolicy> policy;

  void Error(BulkRowError e, int max_listed) {
    ++out.error_count;
    if (static_cast<int>(out.errors.size()) < max_listed) out.errors.push_back(std::move(e));
  }
};

// The checks that need the tenant: the reason code the pack allows for the type, the account,
// a key already applied; and a key repeated in the file. Then the payloads: each shape of
// payload (a row's type, its payload, whether it names a service) is tried once, on its first
// row's account (TryPayload), and a payload the engine refuses as such fails every row that
// carries it, before anything runs. A file of more than kPayloadShapes shapes (a personal
// detail per row, say) has the rest checked as each row runs.
Status BulkJobs::ValidateBatch(const CallContext& ctx, std::vector<BulkRowInput>& batch,
                               Validation& v) const {
  constexpr std::size_t kPayloadShapes = 1000;
  std::vector<std::size_t> valid;  // the rows of `batch` every check so far let through
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    if (!v.policy) {
      SB_ASSIGN_OR_RETURN(v.policy, PolicyInForce(tx, ctx.tenant_id, now));
    }
    SB_ASSIGN_OR_RETURN(auto accounts, AccountsOf(tx, ctx.tenant_id, batch));
    std::vector<std::string> keys;
    for (const BulkRowInput& r : batch) {
      if (!r.idempotency_key.empty()) keys.push_back(r.idempotency_key);
    }
    SB_ASSIGN_OR_RETURN(std::vector<std::string> applied_list,
                        tx.AppliedBulkRowKeys(ctx.tenant_id, keys));
    const std::unordered_set<std::string> applied(applied_list.begin(), applied_list.end());
    for (BulkRowInput& r : batch) {
      auto fail = [&](const char* column, const char* code) {
        v.Error({r.row, column, code}, options_.max_listed);
      };
      const auto& codes = v.policy->For(r.type).reason_codes;
      if (std::find(codes.begin(), codes.end(), r.reason_code) == codes.end()) {
        fail("reason_code", "reason_not_allowed");
        continue;
      }
      auto account = accounts.find(AccountKey(r));
      if (account == accounts.end()) {
        fail(r.external_ref.empty() ? "account_id" : "external_ref", "unknown_account");
        continue;
      }
      r.account_id = account->second;
      std::string action = "file_request";
      if (!r.idempotency_key.empty()) {
        if (!v.keys.insert(std::hash<std::string>{}(r.idempotency_key)).second) {
          fail("idempotency_key", "duplicate_idempotency_key");
          continue;
        }
        if (applied.contains(r.idempotency_key)) action = "skip";
      }
      if (ctx.dry_run && static_cast<int>(v.out.plan.size()) < options_.max_listed) {
        v.out.plan.push_back({r.row, r.account_id, r.type, action});
      }
      valid.push_back(static_cast<std::size_t>(&r - batch.data()));
    }
    return Status::Ok();
  }));
  for (std::size_t i : valid) {
    const BulkRowInput& r = batch[i];
    const std::size_t shape = std::hash<std::string>{}(std::string(domain::Name(r.type)) +
                                                       (r.service_id.empty() ? "\n-\n" : "\n+\n") +
                                                       boost::json::serialize(r.payload));
    auto tried = v.payloads.find(shape);
    if (tried == v.payloads.end()) {
      if (v.payloads.size() >= kPayloadShapes) continue;
      SB_ASSIGN_OR_RETURN(std::optional<BulkRowError> refused, TryPayload(ctx, r));
      tried = v.payloads.emplace(shape, std::move(refused)).first;
    }
    if (tried->second)
      v.Error({r.row, tried->second->column, tried->second->code}, options_.max_listed);
  }
  return Status::Ok();
}

Result<BulkSubmitOutcome> BulkJobs::Submit(const CallContext& ctx, BulkFormat format,
                                           std::istream& file,
                                           const AnswerFn<BulkSubmitOutcome>& answer,
                                           const std::string& file_sha256) const {
  SB_RETURN_IF_ERROR(RequireSupervisor(ctx));
  Validation v;
  std::vector<BulkRowInput> batch;
  Status failure;
  auto flush = [&] {
    if (failure.ok() && !batch.empty()) failure = ValidateBatch(ctx, batch, v);
    batch.clear();
    return failure.ok();
  };
  auto on_row = [&](BulkRowInput&& r) {
    ++v.out.rows;
    batch.push_back(std::move(r));
    return static_cast<int>(batch.size()) < options_.validate_batch || flush();
  };
  auto on_error = [&](BulkRowError&& e) {
    ++v.out.rows;
    v.Error(std::move(e), options_.max_listed);
  };
  std::optional<BulkRowError> fatal = ReadBulkFile(file, format, options_.limits, on_row, on_error);
  flush();
  SB_RETURN_IF_ERROR(failure);
  if (fatal) {
    v.out.rejected = v.out.malformed = true;
    v.out.errors = {*fatal};
    v.out.error_count = 1;
    v.out.plan.clear();
    return std::move(v.out);
  }
  if (v.out.error_count > 0) {
    v.out.rejected = true;
    v.out.plan.clear();
    return std::move(v.out);
  }
  if (ctx.dry_run) return std::move(v.out);
  file.clear();
  file.seekg(0);
  SB_RETURN_IF_ERROR(Load(ctx, format, file, file_sha256, v.out, answer));
  return std::move(v.out);
}

// Stores the job (loading), its rows in batches, then lets it run: only while it is still
// loading, since a supervisor may cancel it meanwhile.
Status BulkJobs::Load(const CallContext& ctx, BulkFormat format, std::istream& file,
                      const std::string& file_sha256, BulkSubmitOutcome& out,
                      const AnswerFn<BulkSubmitOutcome>& answer) const {
  BulkJob job;
  job.tenant_id = ctx.tenant_id;
  job.format = format == BulkFormat::kCsv ? "csv" : "ndjson";
  job.actor = ctx.actor;
  job.channel = ctx.channel;
  job.total_rows = out.rows;
  job.file_sha256 = file_sha256;
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    job.id = crypto::NewId("blk", now);
    job.created_at = job.updated_at = now;
    return tx.InsertBulkJob(job);
  }));
  std::vector<BulkRowInput> batch;
  Status failure;
  auto on_row = [&](BulkRowInput&& r) {
    batch.push_back(std::move(r));
    if (static_cast<int>(batch.size()) < options_.load_rows_per_transaction) return true;
    failure = StoreBatch(ctx, job, batch);
    batch.clear();
    return failure.ok();
  };
  std::optional<BulkRowError> fatal =
      ReadBulkFile(file, format, options_.limits, on_row, [](BulkRowError&&) {});
  if (failure.ok() && !batch.empty()) failure = StoreBatch(ctx, job, batch);
  SB_RETURN_IF_ERROR(failure);
  if (fatal) return Status::Internal("the upload changed while it was stored");
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    // Locked, so that a cancel from another process either came first or waits for this.
    SB_RETURN_IF_ERROR(StillLoading(tx, job, /*for_update=*/true));
    job.state = BulkJobState::kRunning;
    job.updated_at = now;
    job.started_at = now;
    job.running_since = now;
    SB_RETURN_IF_ERROR(tx.UpdateBulkJob(job));
    SB_RETURN_IF_ERROR(tx.InsertJob(NextSliceJob(job.tenant_id, job.id, now, now)));
    ChangeRecorder rec(tx, ctx, now);
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccountStatus, "bulk_job.submitted",
                                 "bulk_job", job.id, "", "", {}, AuditJob(job)));
    out.job = job;
    return StoreAnswerIfKeyed(tx, deps_.keyring, ctx, now, answer, out);
  }));
  return Status::Ok();
}

Status BulkJobs::StoreBatch(const CallContext& ctx, const BulkJob& job,
                            std::vector<BulkRowInput>& batch) const {
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_RETURN_IF_ERROR(StillLoading(tx, job, /*for_update=*/false));
    SB_ASSIGN_OR_RETURN(auto accounts, AccountsOf(tx, ctx.tenant_id, batch));
    std::vector<domain::BulkRow> rows;
    rows.reserve(batch.size());
    for (BulkRowInput& in : batch) {
      domain::BulkRow r;
      r.tenant_id = ctx.tenant_id;
      r.job_id = job.id;
      r.row_no = in.row;
      auto account = accounts.find(AccountKey(in));
      if (account == accounts.end()) return Status::NotFound("account");
      r.account_id = account->second;
      r.type = in.type;
      r.reason_code = in.reason_code;
      r.service_id = in.service_id;
      r.idempotency_key = in.idempotency_key;
      if (!in.payload.empty()) {
        SB_ASSIGN_OR_RETURN(
            std::string sealed,
            deps_.keyring.SealFor(tx, ctx.tenant_id, r.account_id, json::serialize(in.payload)));
        r.payload_sealed = crypto::Base64(sealed);
      }
      r.updated_at = now;
      rows.push_back(std::move(r));
    }
    return tx.InsertBulkRows(rows);
  });
}

Result<BulkProgress> BulkJobs::Pause(const CallContext& ctx, const std::string& id,
                                     const AnswerFn<BulkProgress>& answer) const {
  return Control(ctx, id, BulkJobState::kPaused, answer);
}
Result<BulkProgress> BulkJobs::Resume(const CallContext& ctx, const std::string& id,
                                      const AnswerFn<BulkProgress>& answer) const {
  return Control(ctx, id, BulkJobState::kRunning, answer);
}
Result<BulkProgress> BulkJobs::Cancel(const CallContext& ctx, const std::string& id,
                                      const AnswerFn<BulkProgress>& answer) const {
  return Control(ctx, id, BulkJobState::kCancelled, answer);
}

Result<BulkProgress> BulkJobs::Control(const CallContext& ctx, const std::string& id,
                                       BulkJobState to,
                                       const AnswerFn<BulkProgress>& answer) const {
  SB_RETURN_IF_ERROR(RequireSupervisor(ctx));
  std::optional<BulkJob> job;
  Timestamp at = 0;
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    at = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(job, tx.GetBulkJob(ctx.tenant_id, id, /*for_update=*/true));
    auto keep = [&] {
      return StoreAnswerIfKeyed(tx, deps_.keyring, ctx, at, answer, ProgressOf(*job, at));
    };
    if (job->state == to) return keep();
    SB_RETURN_IF_ERROR(MayMove(*job, to));
    const json::object before = AuditJob(*job);
    if (job->running_since) job->active_ms += std::max<Timestamp>(0, at - *job->running_since);
    job->running_since.reset();
    job->state = to;
    job->updated_at = at;
    if (to == BulkJobState::kCancelled) job->finished_at = at;
    if (to == BulkJobState::kRunning) {
      job->running_since = at;
      SB_RETURN_IF_ERROR(tx.InsertJob(NextSliceJob(job->tenant_id, job->id, at, at)));
    }
    SB_RETURN_IF_ERROR(tx.UpdateBulkJob(*job));
    if (to == BulkJobState::kCancelled) SB_RETURN_IF_ERROR(AnnounceEnd(tx, *job, at));
    ChangeRecorder rec(tx, ctx, at);
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccountStatus, ControlAction(to),
                                 "bulk_job", job->id, "", "", before, AuditJob(*job)));
    return keep();
  }));
  return ProgressOf(*job, at);
}

}  // namespace sb::app
