#include "jobs/standard_work.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <memory>
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
  // Training a large tenant reads up to ScoringOptions::max_examples examples and fits them:
  // seconds. It runs on a thread of its own so that the runner's other work (the audit
  // sequencer, the outbox, due jobs) keeps its pace; the task starts it when due and reports
  // it once it is done. Destroying the task waits for a training under way.
  using Training = std::future<Result<app::Scoring::Report>>;
  auto training = std::make_shared<Training>();
  auto task = [&scoring, &clock, every_ms, period = ClockPeriod(every_ms), training]() mutable {
    if (training->valid()) {
      if (training->wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        return Status::Ok();
      }
      auto report = training->get();
      if (!report.ok()) return report.status();
      spdlog::info("scoring retrained {} tenants, {} without enough history, {} trained recently",
                   report->trained, report->skipped, report->current);
      if (report->failed > 0) {
        spdlog::warn("scoring retraining: {} tenants failed, first: {}", report->failed,
                     report->first_failure.ToString());
      }
    }
    if (!period.Due(clock.Now())) return Status::Ok();
    // A model trained within the last half period is current: after a restart only the
    // tenants not trained lately are; the regular runs find every model a period old.
    *training = std::async(std::launch::async,
                           [&scoring, every_ms] { return scoring.RetrainAll(every_ms / 2); });
    return Status::Ok();
  };
  runner.AddPeriodic(app::kScoringRetrainTask, 1000, /*on_nudge=*/false, std::move(task));
}

}  // namespace sb::jobs
