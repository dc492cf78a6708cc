#pragma once

// Periodic work measured in the server's clock rather than in real time, so that a test
// clock moved ahead (`--test-clock`) brings it forward.

#include <optional>

#include "common/time.h"

namespace sb::jobs {

// Whether the work is due: on the first call, then once `every_ms` of clock time has passed
// since the last due call, and at once when the clock went backwards (a test clock set
// earlier). Not thread-safe: one per task, called from the runner thread.
class ClockPeriod {
 public:
  explicit ClockPeriod(Timestamp every_ms) : every_ms_(every_ms) {}
  // True, and the period restarts at `now`, when the work should run now.
  bool Due(Timestamp now);

 private:
  Timestamp every_ms_;
  std::optional<Timestamp> last_;
};

}  // namespace sb::jobs
