#include "common/time.h"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(Rfc3339, RoundTripsAndHonoursOffsets) {
  auto t = ParseRfc3339("2026-11-23T16:03:40.123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-23T16:03:40.123Z");
  auto shifted = ParseRfc3339("2026-11-23T17:03:40.123+01:00");
  ASSERT_TRUE(shifted.has_value());
  EXPECT_EQ(*shifted, *t);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
}

TEST(Rfc3339, FormatsEveryFieldWithItsZeros) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("0001-02-03T04:05:06.007Z")), "0001-02-03T04:05:06.007Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
  // Every millisecond count of a stride through two centuries reads back as itself.
  for (Timestamp t = -2'208'988'800'000; t < 4'102'444'800'000; t += 86'399'997'001) {
    auto back = ParseRfc3339(FormatRfc3339(t));
    ASSERT_TRUE(back.has_value()) << FormatRfc3339(t);
    EXPECT_EQ(*back, t) << FormatRfc3339(t);
  }
}

TEST(Rfc3339, RejectsMalformedText) {
  for (const char* bad :
       {"", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23", "2026-11-23T25:00:00Z",
        "2026-11-23T10:00:00", "2026-11-23T10:00:00Zx", "2026-11-23T10:00:00.Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(AdjustableClock, MovesWhenToldAndKeepsFlowing) {
  AdjustableClock clock;
  clock.Set(1'000'000);
  Timestamp a = clock.Now();
  EXPECT_GE(a, 1'000'000);
  EXPECT_LT(a, 1'000'000 + 5000);
  clock.Advance(kMillisPerDay);
  EXPECT_GE(clock.Now(), a + kMillisPerDay);
}

}  // namespace
}  // namespace sb
