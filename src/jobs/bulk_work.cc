#include "jobs/bulk_work.h"

#include "app/core/job_kinds.h"

namespace sb::jobs {

void RegisterBulkWork(JobRunner& runner, const app::BulkJobs& bulk) {
  runner.Register(app::kBulkRunJob, [&bulk](const domain::Job& job) {
    return bulk.RunSlice(job.tenant_id, job.subject_id);
  });
}

}  // namespace sb::jobs
