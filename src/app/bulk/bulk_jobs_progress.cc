// Bulk jobs: a job's figures, the tenant's jobs and a job's rows as they stand (bulk_jobs.h).
#include <algorithm>

#include "app/bulk/bulk_jobs.h"

namespace sb::app {

using domain::BulkJob;
using domain::BulkJobState;

BulkProgress ProgressOf(const BulkJob& job, Timestamp now) {
  BulkProgress p;
  p.job = job;
  const std::int64_t not_run = std::max<std::int64_t>(0, job.total_rows - job.done_rows());
  if (job.state == BulkJobState::kCancelled) {
    p.cancelled = not_run;
  } else if (job.state != BulkJobState::kCompleted) {
    p.remaining = not_run;
  }
  Timestamp active = job.active_ms;
  if (job.running_since) active += std::max<Timestamp>(0, now - *job.running_since);
  if (active > 0) p.rows_per_second = static_cast<double>(job.done_rows()) * 1000.0 / active;
  if (job.state == BulkJobState::kRunning && p.rows_per_second > 0) {
    p.eta_seconds = static_cast<std::int64_t>(p.remaining / p.rows_per_second + 0.5);
  }
  return p;
}

Result<BulkProgress> BulkJobs::Get(const CallContext& ctx, const std::string& id) const {
  std::optional<BulkJob> job;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(job, tx.GetBulkJob(ctx.tenant_id, id));
    return Status::Ok();
  }));
  return ProgressOf(*job, deps_.clock.Now());
}

Result<domain::Page<BulkProgress>> BulkJobs::List(const CallContext& ctx,
                                                  const std::string& starting_after,
                                                  int limit) const {
  domain::Page<BulkJob> jobs;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(jobs, tx.ListBulkJobs(ctx.tenant_id, starting_after, limit));
    return Status::Ok();
  }));
  Timestamp now = deps_.clock.Now();
  domain::Page<BulkProgress> page;
  page.has_more = jobs.has_more;
  page.next_cursor = jobs.next_cursor;
  for (const BulkJob& j : jobs.items) page.items.push_back(ProgressOf(j, now));
  return page;
}

Result<std::vector<domain::BulkRow>> BulkJobs::Results(const CallContext& ctx,
                                                       const std::string& id,
                                                       std::int64_t after_row, int limit) const {
  std::vector<domain::BulkRow> rows;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.GetBulkJob(ctx.tenant_id, id).status());
    SB_ASSIGN_OR_RETURN(rows, tx.ListBulkRows(ctx.tenant_id, id, after_row, limit, false));
    return Status::Ok();
  }));
  return rows;
}

}  // namespace sb::app
