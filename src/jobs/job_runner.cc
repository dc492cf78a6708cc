#include "jobs/job_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>

namespace sb::jobs {
namespace {

// Coalesces bursts of nudges: after a nudged pass the thread rests at least this long.
constexpr int kNudgeGapMs = 25;

bool IsPermanent(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kUnprocessable:
    case Code::kPermissionDenied:
      return true;
    default:
      return false;
  }
}

Status RunGuarded(const std::function<Status()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("exception: ") + e.what());
  } catch (...) {
    return Status::Internal("unknown exception");
  }
}

}  // namespace

Timestamp BackoffDelay(const RunnerOptions& options, int attempts) {
  Timestamp delay = options.backoff_base_ms;
  for (int i = 1; i < attempts && delay < options.backoff_max_ms; ++i) delay *= 2;
  return std::min(delay, options.backoff_max_ms);
}

JobRunner::JobRunner(const app::JobQueue& queue, const Clock& clock, RunnerOptions options)
    : queue_(queue), clock_(clock), options_(options) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Register(std::string kind, Handler handler) {
  handlers_[std::move(kind)] = std::move(handler);
}

void JobRunner::AddPeriodic(std::string name, int every_ms, bool on_nudge,
                            std::function<Status()> task) {
  periodic_.push_back({std::move(name), every_ms, on_nudge, std::move(task)});
}

Result<int> JobRunner::RunDueJobs() {
  SB_ASSIGN_OR_RETURN(std::vector<domain::Job> claimed,
                      queue_.Claim(clock_.Now(), options_.batch, options_.lease_ms));
  for (domain::Job& job : claimed) {
    auto it = handlers_.find(job.kind);
    Status finished;
    if (it == handlers_.end()) {
      finished = KeepUnhandled(std::move(job));
    } else {
      // The handler runs before the job is handed over: the order in which a call's
      // arguments are evaluated is the compiler's choice.
      Status outcome = RunGuarded([&] { return it->second(job); });
      finished = Finish(std::move(job), outcome);
    }
    if (!finished.ok()) {
      // The lease runs out and the job is claimed again; nothing is lost.
      spdlog::error("job update failed: {}", finished.ToString());
    }
  }
  return static_cast<int>(claimed.size());
}

Status JobRunner::Finish(domain::Job job, const Status& outcome) {
  Timestamp now = clock_.Now();
  job.attempts += 1;
  job.locked_until.reset();
  if (outcome.ok()) {
    job.state = domain::JobState::kDone;
    job.last_error.clear();
  } else if (IsPermanent(outcome.code()) || job.attempts >= options_.max_attempts) {
    job.state = domain::JobState::kFailed;
    job.last_error = outcome.ToString();
    spdlog::warn("job failed for good: id={} kind={} tenant={} attempts={} error={}", job.id,
                 job.kind, job.tenant_id, job.attempts, job.last_error);
  } else {
    job.state = domain::JobState::kPending;
    job.last_error = outcome.ToString();
    job.run_at = now + BackoffDelay(options_, job.attempts);
    spdlog::info("job will retry: id={} kind={} tenant={} attempts={} error={}", job.id, job.kind,
                 job.tenant_id, job.attempts, job.last_error);
  }
  return queue_.Save(job);
}

Status JobRunner::KeepUnhandled(domain::Job job) {
  job.state = domain::JobState::kPending;
  job.locked_until.reset();
  job.run_at = clock_.Now() + options_.unhandled_retry_ms;
  job.last_error = "no handler for job kind " + job.kind;
  spdlog::error("job kind has no handler, job kept: id={} kind={} tenant={} retry_in_ms={}", job.id,
                job.kind, job.tenant_id, options_.unhandled_retry_ms);
  return queue_.Save(job);
}

void JobRunner::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void JobRunner::Nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  cv_.notify_one();
}

void JobRunner::Stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    t = std::move(thread_);
  }
  cv_.notify_all();
  if (t.joinable()) t.join();
}

void JobRunner::Loop() {
  using Steady = std::chrono::steady_clock;
  auto last = Steady::now();
  int since_claim_ms = options_.poll_ms;  // claim on the first pass
  while (true) {
    bool nudged = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                   [&] { return stopping_ || nudged_; });
      if (stopping_) return;
      nudged = std::exchange(nudged_, false);
    }
    auto now = Steady::now();
    int elapsed =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count());
    last = now;
    since_claim_ms += elapsed;
    if (since_claim_ms >= options_.poll_ms) {
      since_claim_ms = 0;
      auto ran = RunGuarded([&] { return RunDueJobs().status(); });
      if (!ran.ok()) spdlog::error("job claim failed: {}", ran.ToString());
    }
    RunPeriodic(nudged, elapsed);
    if (nudged) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(kNudgeGapMs), [&] { return stopping_; });
    }
  }
}

void JobRunner::RunPeriodic(bool nudged, int elapsed_ms) {
  for (Periodic& p : periodic_) {
    p.elapsed_ms += elapsed_ms;
    if (p.elapsed_ms < p.every_ms && !(nudged && p.on_nudge)) continue;
    p.elapsed_ms = 0;
    Status s = RunGuarded(p.task);
    if (!s.ok()) spdlog::error("periodic task {} failed: {}", p.name, s.ToString());
  }
}

}  // namespace sb::jobs
