#pragma once

// The job runner's share of bulk jobs: running each slice of a job's rows (app::kBulkRunJob).

#include "app/bulk/bulk_jobs.h"
#include "jobs/job_runner.h"

namespace sb::jobs {

// Registers the kBulkRunJob handler. `bulk` must outlive the runner; it should use the raw
// store, so that a slice's commits do not wake the runner it runs on.
void RegisterBulkWork(JobRunner& runner, const app::BulkJobs& bulk);

}  // namespace sb::jobs
