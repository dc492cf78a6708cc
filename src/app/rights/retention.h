#pragma once

// Retention (the pack's `retention.erase_after_closure_days`): a closed account not changed
// for that many days is erased by a `data_erasure` request of origin `automated` filed by
// the system actor through the request engine, so it passes the same checks (the pack's
// automated override), writes the same audit entries and tells the same events as one an
// agent files.
//
// A periodic scan, not a job written when the account closes: the period is the pack's,
// and a pack changed after closure (or accounts closed before retention was configured)
// must apply to every closed account; a scan reads the pack in force each time, while a
// job would carry the deadline of the pack it was written under. What the scan acts on is
// stored state (closed, not erased), so a restart or a failed pass loses nothing: the next
// pass finds the account again.

#include "app/core/context.h"
#include "common/status.h"

namespace sb::app {

// The periodic scan. Thread-safe; several processes may run it on one PostgreSQL database
// at once: each account is handled in its own transaction, which locks it and reads it
// again, and an account with an erasure already open is skipped, so none is filed twice.
class RetentionScan {
 public:
  explicit RetentionScan(Deps deps) : deps_(deps) {}

  // What one run did. `filed`: erasures filed (completed or waiting, e.g. for money due);
  // `erased`: those that completed. A failure on one account or tenant does not stop the
  // run: it is counted, and the first kept for the log.
  struct Report {
    int filed = 0;
    int erased = 0;
    int failed = 0;
    Status first_failure;
  };

  // For every tenant whose pack in force has erase_after_closure_days > 0, files an erasure
  // for its closed accounts unchanged for that many days (at most 1000 per tenant and run).
  // Fails only when the tenants cannot be listed.
  Result<Report> Run() const;

 private:
  // Files the erasure if, read again under its lock, the account is still closed, unchanged
  // since before `cutoff` and without an open erasure. Returns the request's state name, or
  // an empty string when nothing was filed.
  Result<std::string> EraseIfStillDue(const std::string& tenant_id, const std::string& account_id,
                                      Timestamp cutoff) const;

  Deps deps_;
};

}  // namespace sb::app
