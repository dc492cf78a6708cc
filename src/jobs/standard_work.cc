#include "jobs/standard_work.h"

#include <spdlog/spdlog.h>

#include "app/request_flow.h"

namespace sb::jobs {

void RegisterStandardWork(JobRunner& runner, const app::AccountUseCases& accounts,
                          const app::RequestEngine& requests, const app::AuditLog& audit,
                          domain::Store& store, const Clock& clock) {
  runner.Register(kHoldExpire, [&accounts](const domain::Job& job) {
    return accounts.ExpireHold(job.tenant_id, job.subject_id);
  });
  runner.Register(app::kSlaJob, [&requests](const domain::Job& job) {
    return requests.OnSlaTimer(job.tenant_id, job.subject_id);
  });
  runner.Register(app::kProvisioningTimeoutJob, [&requests](const domain::Job& job) {
    return requests.OnProvisioningTimeout(job.tenant_id, job.subject_id);
  });
  runner.AddPeriodic("audit.sequence", 200, /*on_nudge=*/true, [&audit] {
    auto sequenced = audit.SequencePending();
    return sequenced.status();
  });
  runner.AddPeriodic("idempotency.purge", 60 * 1000, /*on_nudge=*/false, [&store, &clock] {
    std::int64_t purged = 0;
    Status s = store.Write([&](domain::Tx& tx) {
      SB_ASSIGN_OR_RETURN(purged, tx.PurgeIdempotency(clock.Now()));
      return Status::Ok();
    });
    if (s.ok() && purged > 0) spdlog::info("purged {} expired idempotency records", purged);
    return s;
  });
}

}  // namespace sb::jobs
