#include "app/core/job_queue.h"

namespace sb::app {

Result<std::vector<domain::Job>> JobQueue::Claim(Timestamp now, int limit,
                                                 Timestamp lease_ms) const {
  std::vector<domain::Job> claimed;
  SB_RETURN_IF_ERROR(store_.Write([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(claimed, tx.ClaimDueJobs(now, limit, lease_ms));
    return Status::Ok();
  }));
  return claimed;
}

Status JobQueue::Save(const domain::Job& job) const {
  return store_.Write([&](domain::Tx& tx) { return tx.UpdateJob(job); });
}

Result<std::int64_t> JobQueue::PurgeExpiredAnswers(Timestamp now) const {
  std::int64_t purged = 0;
  SB_RETURN_IF_ERROR(store_.Write([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(purged, tx.PurgeIdempotency(now));
    return Status::Ok();
  }));
  return purged;
}

}  // namespace sb::app
