#pragma once

// SLA bookkeeping of a request (internal to the request engine): when it is due, pausing
// while it waits for the customer, the jobs that fire at at_risk_at and due_at, and the
// escalation when they do.

#include "app/core/context.h"
#include "app/policy/policy_cache.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Sets due_at and at_risk_at of a request filed at `now` from the policy's target for its
// priority (none when the policy has no target for it), and records that target's clock,
// length and calendar in r.sla_terms: every later pause is measured under those terms.
// REQUIRES: `policy` is the pack of r.policy_version.
void StartSla(const CompiledPolicy& policy, domain::Request& r, Timestamp now);

// Inserts the jobs that fire at r.at_risk_at and r.due_at. Only for requests still open and
// not paused after filing: one that completed in the same call needs none, and a paused one
// gets them when it resumes.
Status ScheduleSlaJobs(domain::Tx& tx, const domain::Request& r, Timestamp now);

// Pauses the clock (idempotent: the first instant counts) and records the SLA time left then
// (r.sla_left_ms), or resumes it: resuming moves due_at and at_risk_at later by the working
// time spent paused and schedules fresh SLA jobs at the new times. Both count in the
// request's own sla_terms and the calendar of its own policy_version, whatever the priority
// or `in_force` (the pack in force now) have become; a request stored before its terms were
// kept counts under its pack's target for its priority. Errors only from the store.
Status PauseSla(domain::Tx& tx, const CompiledPolicy& in_force, domain::Request& r, Timestamp now);
Status ResumeSla(domain::Tx& tx, const CompiledPolicy& in_force, domain::Request& r, Timestamp now);

// What an SLA timer found: nothing to do, or the status it moved the request to.
// Applies `escalation` of the policy (priority, assignee) to `r`; for its notify_role, emails
// the tenant's active staff of that role (NotifyStaffOfEscalation) and writes the
// `request.escalated` webhook event. The caller stores `r`.
Status Escalate(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                const domain::EscalationAction& action, domain::Request& r);

}  // namespace sb::app
