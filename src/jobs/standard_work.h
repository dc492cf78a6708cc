#pragma once

// The work every `switchboard serve` process does in the background: the job kinds it
// knows and its periodic maintenance.

#include "app/accounts/accounts.h"
#include "app/accounts/dormancy.h"
#include "app/audit/audit_log.h"
#include "app/requests/requests.h"
#include "common/time.h"
#include "domain/ports/store.h"
#include "jobs/job_runner.h"

namespace sb::jobs {

// Job kind whose subject is a hold id: lifts the hold as the system if it is still active.
inline constexpr char kHoldExpire[] = "hold.expire";

// Registers the handlers ("hold.expire", and the request engine's "request.sla" and
// "provisioning.timeout", see app/requests/request_flow.h) and the periodic tasks: audit sequencing
// (every 200 ms and soon after a nudge) and the purge of expired idempotency records (every
// minute). REQUIRES: before runner.Start(); every reference outlives the runner.
void RegisterStandardWork(JobRunner& runner, const app::AccountUseCases& accounts,
                          const app::RequestEngine& requests, const app::AuditLog& audit,
                          domain::Store& store, const Clock& clock);

// --- automated triggers -------------------------------------------------------------------

// Registers the dormancy scan ("dormancy.scan"): checked every second of real time, run when
// `clock` has moved `every_ms` since its last run, so a test clock moved days ahead runs it
// at the next check. REQUIRES: before runner.Start(); every reference outlives the runner.
void RegisterTriggerWork(JobRunner& runner, const app::DormancyScan& scan, const Clock& clock,
                         Timestamp every_ms);

}  // namespace sb::jobs
