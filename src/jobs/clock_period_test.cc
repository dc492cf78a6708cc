#include "jobs/clock_period.h"

#include <gtest/gtest.h>

namespace sb::jobs {
namespace {

TEST(ClockPeriod, DueFirstThenOncePerPeriodOfClockTime) {
  ClockPeriod p(kMillisPerMinute);
  constexpr Timestamp kT0 = 1'800'000'000'000;
  EXPECT_TRUE(p.Due(kT0));
  EXPECT_FALSE(p.Due(kT0));
  EXPECT_FALSE(p.Due(kT0 + kMillisPerMinute - 1));
  EXPECT_TRUE(p.Due(kT0 + kMillisPerMinute));
  EXPECT_FALSE(p.Due(kT0 + kMillisPerMinute + 1));
  // A clock moved days ahead: due at once, then a period from there.
  Timestamp later = kT0 + 181 * kMillisPerDay;
  EXPECT_TRUE(p.Due(later));
  EXPECT_FALSE(p.Due(later + 10));
  // A clock set back: due at once rather than a period after the old time.
  EXPECT_TRUE(p.Due(kT0));
  EXPECT_FALSE(p.Due(kT0 + 1));
}

}  // namespace
}  // namespace sb::jobs
