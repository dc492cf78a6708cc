#include "jobs/clock_period.h"

namespace sb::jobs {

bool ClockPeriod::Due(Timestamp now) {
  if (last_ && now >= *last_ && now - *last_ < every_ms_) return false;
  last_ = now;
  return true;
}

}  // namespace sb::jobs
