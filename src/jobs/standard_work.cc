#include "jobs/standard_work.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "app/core/job_kinds.h"
#include "jobs/clock_period.h"

namespace sb::jobs {

void RegisterStandardWork(JobRunner& runner, const app::AccountUseCases& accounts,
                          const app::RequestEngine& requests, const app::AuditLog& audit,
                          const app::JobQueue& queue, const Clock& clock) {
  runner.Register(app::kHoldExpireJob, [&accounts](const domain::Job& job) {
    return accounts.ExpireHold(job.tenant_id, job.subject_id);
  });
  runner.Register(app::kSlaJob, [&requests](const domain::Job& job) {
    return requests.OnSlaTimer(job.tenant_id, job.subject_id);
  });
  runner.Register(app::kProvisioningTimeoutJob, [&requests](const domain::Job& job) {
    return requests.OnProvisioningTimeout(job.tenant_id, job.subject_id);
  });
  runner.AddPeriodic(app::kAuditSequenceTask, 200, /*on_nudge=*/true, [&audit] {
    auto sequenced = audit.SequencePending();
    return sequenced.status();
  });
  runner.AddPeriodic(app::kIdempotencyPurgeTask, 60 * 1000, /*on_nudge=*/false, [&queue, &clock] {
    Result<std::int64_t> purged = queue.PurgeExpiredAnswers(clock.Now());
    if (purged.ok() && *purged > 0) spdlog::info("purged {} expired idempotency records", *purged);
    return purged.status();
  });
}

// --- automated triggers -------------------------------------------------------------------

void RegisterTriggerWork(JobRunner& runner, const app::DormancyScan& scan, const Clock& clock,
                         Timestamp every_ms) {
  // The period's state lives in the task: only the runner thread calls it.
  auto task = [&scan, &clock, period = ClockPeriod(every_ms)]() mutable {
    if (!period.Due(clock.Now())) return Status::Ok();
    auto report = scan.Run();
    if (!report.ok()) return report.status();
    if (report->marked > 0) spdlog::info("dormancy scan marked {} accounts", report->marked);
    if (report->failed > 0) {
      spdlog::warn("dormancy scan: {} accounts failed, first: {}", report->failed,
                   report->first_failure.ToString());
    }
    return Status::Ok();
  };
  runner.AddPeriodic(app::kDormancyScanTask, 1000, /*on_nudge=*/false, std::move(task));
}

void RegisterRetentionWork(JobRunner& runner, const app::RetentionScan& scan, const Clock& clock,
                           Timestamp every_ms) {
  auto task = [&scan, &clock, period = ClockPeriod(every_ms)]() mutable {
    if (!period.Due(clock.Now())) return Status::Ok();
    auto report = scan.Run();
    if (!report.ok()) return report.status();
    if (report->filed > 0) {
      spdlog::info("retention scan filed {} erasures, {} completed", report->filed, report->erased);
    }
    if (report->failed > 0) {
      spdlog::warn("retention scan: {} accounts failed, first: {}", report->failed,
                   report->first_failure.ToString());
    }
    return Status::Ok();
  };
  runner.AddPeriodic(app::kRetentionScanTask, 1000, /*on_nudge=*/false, std::move(task));
}

void RegisterSessionPurge(JobRunner& runner, const app::Sessions& sessions, const Clock& clock) {
  auto task = [&sessions, &clock, period = ClockPeriod(60 * 60 * kMillisPerSecond)]() mutable {
    if (!period.Due(clock.Now())) return Status::Ok();
    Result<std::int64_t> purged = sessions.PurgeEnded();
    if (purged.ok() && *purged > 0)
      spdlog::info("purged {} ended sessions and throttle rows", *purged);
    return purged.status();
  };
  runner.AddPeriodic(app::kSessionPurgeTask, 1000, /*on_nudge=*/false, std::move(task));
}

void RegisterScoringWork(JobRunner& runner, const app::Scoring& scoring, const Clock& clock,
                         Timestamp every_ms) {
  runner.Register(app::kScoringRefreshJob,
                  [&scoring](const domain::Job& job) { return scoring.RefreshSlice(job); });
  if (every_ms <= 0) return;
  auto task = [&scoring, &clock, period = ClockPeriod(every_ms)]() mutable {
    if (!period.Due(clock.Now())) return Status::Ok();
    auto report = scoring.RetrainAll();
    if (!report.ok()) return report.status();
    spdlog::info("scoring retrained {} tenants, {} without enough history", report->trained,
                 report->skipped);
    if (report->failed > 0) {
      spdlog::warn("scoring retraining: {} tenants failed, first: {}", report->failed,
                   report->first_failure.ToString());
    }
    return Status::Ok();
  };
  runner.AddPeriodic(app::kScoringRetrainTask, 1000, /*on_nudge=*/false, std::move(task));
}

}  // namespace sb::jobs
