#pragma once

// The durable job runner: one thread that claims due jobs through app::JobQueue (any tenant;
// on PostgreSQL several processes share the work), dispatches each by `kind` to a registered
// handler, and marks it done or reschedules it with exponential backoff. The same thread
// runs periodic maintenance tasks (audit sequencing, idempotency purge).
//
// Delivery is at least once: a job whose process dies mid-run is claimed again when its
// lease runs out, so handlers must be idempotent.
//
// A job of a kind this process has no handler for is never dropped: it is logged as an
// error and kept pending (attempts untouched) for `unhandled_retry_ms`. It may have been
// written by a newer version of the server; another process, or this one once upgraded,
// runs it.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/core/job_queue.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"

namespace sb::jobs {

// Runs one job. OK: the job is done. kUnavailable/kInternal/kConflict and other transient
// failures: retried later. kInvalidArgument/kNotFound/kUnprocessable/kPermissionDenied:
// the job can never succeed and is failed at once. Exceptions count as kInternal.
using Handler = std::function<Status(const domain::Job& job)>;

struct RunnerOptions {
  int poll_ms = 150;                           // how often to look for due jobs
  int batch = 32;                              // jobs claimed per poll
  Timestamp lease_ms = 30 * kMillisPerSecond;  // a claimed job is ours this long
  int max_attempts = 8;                        // then the job is failed for good
  Timestamp backoff_base_ms = 2 * kMillisPerSecond;
  Timestamp backoff_max_ms = kMillisPerHour;
  Timestamp unhandled_retry_ms = 5 * kMillisPerMinute;  // a job of an unknown kind waits
};

// Delay before retry number `attempts` (1-based): base * 2^(attempts-1), capped at max.
Timestamp BackoffDelay(const RunnerOptions& options, int attempts);

class JobRunner {
 public:
  // `queue` and `clock` must outlive the runner.
  JobRunner(const app::JobQueue& queue, const Clock& clock, RunnerOptions options = {});
  ~JobRunner();  // stops the thread if running
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // REQUIRES: called before Start. Replaces any handler of the same kind.
  void Register(std::string kind, Handler handler);
  // Runs `task` on the runner thread every `every_ms` (and, if `on_nudge`, soon after each
  // Nudge). A failing task is logged and tried again next time. REQUIRES: before Start.
  void AddPeriodic(std::string name, int every_ms, bool on_nudge, std::function<Status()> task);

  // Claims due jobs (one batch) and runs them; returns how many ran. Used by the thread and
  // by tests; not to be called concurrently with a started runner.
  Result<int> RunDueJobs();

  // Starts the background thread. Idempotent.
  void Start();
  // Asks the thread to run nudge-driven tasks soon (e.g. after a write). Thread-safe, cheap.
  void Nudge();
  // Finishes the job in hand, then stops the thread. Idempotent; thread-safe.
  void Stop();

 private:
  struct Periodic {
    std::string name;
    int every_ms;
    bool on_nudge;
    std::function<Status()> task;
    int elapsed_ms = 0;
  };

  void Loop();
  void RunPeriodic(bool nudged, int elapsed_ms);
  Status Finish(domain::Job job, const Status& outcome);
  Status KeepUnhandled(domain::Job job);

  const app::JobQueue& queue_;
  const Clock& clock_;
  RunnerOptions options_;
  std::map<std::string, Handler> handlers_;
  std::vector<Periodic> periodic_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

}  // namespace sb::jobs
