#pragma once

// The job runner's use cases (jobs/ never touches a Tx): claiming due jobs, recording how
// each ended, and the housekeeping that keeps the idempotency table bounded. Each call is
// one transaction of its own.

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Thread-safe as far as the Store is (every call is one Store::Write). The store must
// outlive the queue.
class JobQueue {
 public:
  explicit JobQueue(domain::Store& store) : store_(store) {}

  // Leases up to `limit` due jobs of any tenant (run_at <= now) for `lease_ms`; on PostgreSQL
  // several processes never get the same job. A job whose lease runs out is due again.
  Result<std::vector<domain::Job>> Claim(Timestamp now, int limit, Timestamp lease_ms) const;
  // Writes back a claimed job: its state, attempts, next run and last error.
  Status Save(const domain::Job& job) const;
  // Deletes the Idempotency-Key answers whose keep time ended before `now`; returns how many.
  Result<std::int64_t> PurgeExpiredAnswers(Timestamp now) const;

 private:
  domain::Store& store_;
};

}  // namespace sb::app
