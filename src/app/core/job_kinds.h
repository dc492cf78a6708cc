#pragma once

// Every kind of durable job and every periodic task name, in one place: the code that writes
// a job (app use cases) and the code that runs it (jobs/standard_work.cc) name it from here,
// so a kind written by one can never miss the other's handler by a typo. A kind is part of
// the stored data: renaming one strands the jobs already written under the old name.

namespace sb::app {

// --- durable jobs (rows of `jobs`, written in the transaction that wants them) ------------

// Subject: a hold id. Lifts the hold as the system if it is still active at its expiry.
inline constexpr char kHoldExpireJob[] = "hold.expire";
// Subject: a request id. Re-reads the request's SLA times and fires at-risk or breach.
inline constexpr char kSlaJob[] = "request.sla";
// Subject: a request id. Fails or escalates a request still waiting in `provisioning`.
inline constexpr char kProvisioningTimeoutJob[] = "provisioning.timeout";
// Subject: a bulk job id. Runs the job's next slice of rows (app/bulk/bulk_jobs.h) and
// writes the slice after it while rows remain.
inline constexpr char kBulkRunJob[] = "bulk.run";
// Subject: a scoring model version. Scores the next accounts of a refresh run and writes the
// slice after it, or the next run (app/scoring/scoring.h, RefreshSlice).
inline constexpr char kScoringRefreshJob[] = "scoring.refresh";

// --- periodic tasks of the job runner (not stored; names for logs) ------------------------

inline constexpr char kAuditSequenceTask[] = "audit.sequence";
inline constexpr char kIdempotencyPurgeTask[] = "idempotency.purge";
inline constexpr char kDormancyScanTask[] = "dormancy.scan";
inline constexpr char kOutboxDispatchTask[] = "outbox.dispatch";
// Composes the notifications a burst of changes left waiting (app/notifications/
// notification_queue.h).
inline constexpr char kNotificationComposeTask[] = "notifications.compose";
// Erases closed accounts past the pack's retention.erase_after_closure_days
// (app/rights/retention.h).
inline constexpr char kRetentionScanTask[] = "retention.scan";
inline constexpr char kSessionPurgeTask[] = "sessions.purge";
// Retrains every tenant's reconnection and churn scoring model (app/scoring/scoring.h).
inline constexpr char kScoringRetrainTask[] = "scoring.retrain";

}  // namespace sb::app
