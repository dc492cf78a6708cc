#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace sb::testing {
namespace {

TEST(RateLimiter, AllowsBurstThenAsksToWait) {
  http::RateLimiter limiter(1, 3);
  EXPECT_EQ(limiter.Take("k", 0), 0);
  EXPECT_EQ(limiter.Take("k", 0), 0);
  EXPECT_EQ(limiter.Take("k", 0), 0);
  EXPECT_GE(limiter.Take("k", 0), 1);
  EXPECT_EQ(limiter.Take("other", 0), 0);
  EXPECT_EQ(limiter.Take("k", 1500), 0);
}

TEST(RateLimiter, DisabledWhenRateIsZero) {
  http::RateLimiter limiter(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Take("k", 0), 0);
}

}  // namespace
}  // namespace sb::testing
