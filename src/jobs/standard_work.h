#pragma once

// The work every `switchboard serve` process does in the background: the job kinds it
// knows and its periodic maintenance.

#include "app/accounts/accounts.h"
#include "app/accounts/dormancy.h"
#include "app/audit/audit_log.h"
#include "app/core/job_queue.h"
#include "app/people/sessions.h"
#include "app/requests/requests.h"
#include "app/rights/retention.h"
#include "app/scoring/scoring.h"
#include "common/time.h"
#include "jobs/job_runner.h"

namespace sb::jobs {

// Registers the handlers of every job kind (app/core/job_kinds.h: hold expiry, the request
// engine's SLA timer and provisioning timeout) and the periodic tasks: audit sequencing
// (every 200 ms and soon after a nudge) and the purge of expired idempotency records (every
// minute, through `queue`). REQUIRES: before runner.Start(); every reference outlives the
// runner.
void RegisterStandardWork(JobRunner& runner, const app::AccountUseCases& accounts,
                          const app::RequestEngine& requests, const app::AuditLog& audit,
                          const app::JobQueue& queue, const Clock& clock);

// --- automated triggers -------------------------------------------------------------------

// Registers the dormancy scan (app::kDormancyScanTask): checked every second of real time, run when
// `clock` has moved `every_ms` since its last run, so a test clock moved days ahead runs it
// at the next check. REQUIRES: before runner.Start(); every reference outlives the runner.
void RegisterTriggerWork(JobRunner& runner, const app::DormancyScan& scan, const Clock& clock,
                         Timestamp every_ms);

// Registers the retention scan (app::kRetentionScanTask) the same way: checked every second
// of real time, run when `clock` has moved `every_ms` since its last run.
// REQUIRES: before runner.Start(); every reference outlives the runner.
void RegisterRetentionWork(JobRunner& runner, const app::RetentionScan& scan, const Clock& clock,
                           Timestamp every_ms);

// Registers the purge of ended sign-in sessions and stale sign-in throttle rows
// (app::kSessionPurgeTask, app/people/sessions.h PurgeEnded): checked every second of real
// time, run once an hour of `clock`. REQUIRES: before runner.Start(); every reference
// outlives the runner.
void RegisterSessionPurge(JobRunner& runner, const app::Sessions& sessions, const Clock& clock);

// Registers the refresh runs that store the outreach list's scores (app::kScoringRefreshJob),
// and the retraining of every tenant's scoring model (app::kScoringRetrainTask): checked every
// second of real time, started when `clock` has moved `every_ms` since its last start (never
// when `every_ms` is 0) on a thread of its own, beside the runner's. REQUIRES: before
// runner.Start(); every reference outlives the runner.
void RegisterScoringWork(JobRunner& runner, const app::Scoring& scoring, const Clock& clock,
                         Timestamp every_ms);

}  // namespace sb::jobs
