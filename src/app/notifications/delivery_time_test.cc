#include "app/notifications/delivery_time.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

class QuietHours : public ::testing::Test {
 protected:
  TimeZone paris_ = *TimeZone::Load("Europe/Paris");
};

TEST_F(QuietHours, LateEveningWaitsForTomorrowMorning) {
  // 22:30 in Paris (winter, UTC+1) -> 08:00 the next day.
  EXPECT_EQ(AfterQuietHours(At("2026-02-10T21:30:00Z"), paris_, 21 * 60, 8 * 60),
            At("2026-02-11T07:00:00Z"));
}

TEST_F(QuietHours, EarlyMorningWaitsForTheSameMorning) {
  EXPECT_EQ(AfterQuietHours(At("2026-02-11T02:00:00Z"), paris_, 21 * 60, 8 * 60),
            At("2026-02-11T07:00:00Z"));
}

TEST_F(QuietHours, DaytimeGoesNow) {
  EXPECT_EQ(AfterQuietHours(At("2026-02-11T11:00:00Z"), paris_, 21 * 60, 8 * 60),
            At("2026-02-11T11:00:00Z"));
  EXPECT_EQ(AfterQuietHours(At("2026-02-11T02:00:00Z"), paris_, 0, 0), At("2026-02-11T02:00:00Z"));
}

TEST_F(QuietHours, TheMorningIsLocalAcrossTheSpringChange) {
  // Saturday 28 March 2026 22:00 CET; clocks go forward that night: 08:00 CEST is 06:00Z.
  EXPECT_EQ(AfterQuietHours(At("2026-03-28T21:00:00Z"), paris_, 21 * 60, 8 * 60),
            At("2026-03-29T06:00:00Z"));
  // And back in October: 08:00 CET on Sunday 25 October is 07:00Z.
  EXPECT_EQ(AfterQuietHours(At("2026-10-24T20:00:00Z"), paris_, 21 * 60, 8 * 60),
            At("2026-10-25T07:00:00Z"));
}

TEST(RateLimit, TheSixthMessageInAnHourWaitsForTheWindow) {
  Timestamp t0 = At("2026-02-11T10:00:00Z");
  std::vector<Timestamp> sent;
  for (int i = 0; i < 5; ++i) sent.push_back(t0 + i * 60'000);
  Timestamp sixth = t0 + 10 * 60'000;
  // The oldest of the five leaves the window at t0 + 1 h.
  EXPECT_EQ(WithinRateLimit(sixth, sent, 5, kMillisPerHour), t0 + kMillisPerHour);
  // Four in the window: it goes when asked.
  sent.pop_back();
  EXPECT_EQ(WithinRateLimit(sixth, sent, 5, kMillisPerHour), sixth);
}

TEST(RateLimit, MessagesAlreadyDeferredCountInTheirOwnWindow) {
  Timestamp t0 = At("2026-02-11T10:00:00Z");
  std::vector<Timestamp> scheduled(5, t0);
  scheduled.push_back(t0 + kMillisPerHour);  // the sixth, deferred
  for (int i = 0; i < 4; ++i) scheduled.push_back(t0 + kMillisPerHour);
  // Five due at t0 + 1 h fill that window too: the eleventh waits for t0 + 2 h.
  EXPECT_EQ(WithinRateLimit(t0 + 60'000, scheduled, 5, kMillisPerHour), t0 + 2 * kMillisPerHour);
}

}  // namespace
}  // namespace sb::app
