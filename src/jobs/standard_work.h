#pragma once

// The work every `switchboard serve` process does in the background: the job kinds it
// knows and its periodic maintenance.

#include "app/accounts.h"
#include "app/audit_log.h"
#include "app/requests.h"
#include "common/time.h"
#include "domain/ports/store.h"
#include "jobs/job_runner.h"

namespace sb::jobs {

// Job kind whose subject is a hold id: lifts the hold as the system if it is still active.
inline constexpr char kHoldExpire[] = "hold.expire";

// Registers the handlers ("hold.expire", and the request engine's "request.sla" and
// "provisioning.timeout", see app/request_flow.h) and the periodic tasks: audit sequencing
// (every 200 ms and soon after a nudge) and the purge of expired idempotency records (every
// minute). REQUIRES: before runner.Start(); every reference outlives the runner.
void RegisterStandardWork(JobRunner& runner, const app::AccountUseCases& accounts,
                          const app::RequestEngine& requests, const app::AuditLog& audit,
                          domain::Store& store, const Clock& clock);

}  // namespace sb::jobs
