#include "http/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

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

// Keys nobody controls the number of (tenant ids in a path, source addresses) must not grow
// memory: the table never holds more than its capacity.
TEST(RateLimiter, HoldsAtMostItsCapacity) {
  http::RateLimiter limiter(1, 5, 100);
  for (int i = 0; i < 100000; ++i) limiter.Take("tenant_" + std::to_string(i), 0);
  EXPECT_EQ(limiter.size(), 100u);
}

TEST(RateLimiter, DropsBucketsThatHaveRefilled) {
  http::RateLimiter limiter(1, 2, 100);
  for (int i = 0; i < 50; ++i) limiter.Take("k" + std::to_string(i), 0);
  EXPECT_EQ(limiter.size(), 50u);
  // Two seconds later every bucket is full again, the same as no bucket at all.
  EXPECT_EQ(limiter.Take("new", 2000), 0);
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiter, EvictsTheLeastRecentlyUsedWhenFull) {
  http::RateLimiter limiter(0.001, 1, 2);
  EXPECT_EQ(limiter.Take("a", 0), 0);
  EXPECT_EQ(limiter.Take("b", 0), 0);
  EXPECT_GE(limiter.Take("a", 0), 1);  // a is now the most recently used, and empty
  EXPECT_EQ(limiter.Take("c", 0), 0);  // evicts b
  EXPECT_GE(limiter.Take("a", 0), 1);
  EXPECT_EQ(limiter.Take("b", 0), 0);  // b starts afresh
}

TEST(RateLimiter, WaitNeitherTakesNorCreates) {
  http::RateLimiter limiter(1, 1, 10);
  EXPECT_EQ(limiter.Wait("k", 0), 0);
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_EQ(limiter.Take("k", 0), 0);
  EXPECT_GE(limiter.Wait("k", 0), 1);
  EXPECT_GE(limiter.Wait("k", 0), 1);
  EXPECT_EQ(limiter.Wait("k", 1000), 0);
}

}  // namespace
}  // namespace sb::testing
