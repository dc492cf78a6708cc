#include "domain/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace sb::domain {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

TEST(Money, SumsAndProductsThatDoNotFitAreRefusedNotWrapped) {
  EXPECT_EQ(AddMinor(1500, 4599), 6099);
  EXPECT_EQ(AddMinor(kMax, 1), std::nullopt);  // a fee of 0x7fff... on any balance
  EXPECT_EQ(AddMinor(kMax - 1500, 1500), kMax);
  EXPECT_EQ(AddMinor(kMin, -1), std::nullopt);
  EXPECT_EQ(SubMinor(0, kMin), std::nullopt);
  EXPECT_EQ(SubMinor(100, 250), -150);
  EXPECT_EQ(MulMinor(kMax / 31 + 1, 31), std::nullopt);  // a proration over 31 days
  EXPECT_EQ(MulMinor(-2999, 17), -50983);
}

}  // namespace
}  // namespace sb::domain
