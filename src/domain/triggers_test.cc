#include "domain/triggers.h"

#include <gtest/gtest.h>

#include <string>

namespace sb::domain {
namespace {

TEST(Triggers, PaymentFailuresSuspendAtTheThresholdWithoutStacking) {
  struct Case {
    const char* name;
    int failures;
    int threshold;
    bool hold_active;
    bool suspends;
  } cases[] = {
      {"below the threshold", 2, 3, false, false},
      {"at the threshold", 3, 3, false, true},
      {"past it after a hold was lifted by hand", 5, 3, false, true},
      {"a non-payment hold already active", 3, 3, true, false},
      {"threshold off", 10, 0, false, false},
      {"threshold of one", 1, 1, false, true},
      {"no failure yet", 0, 1, false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PaymentFailuresSuspend(c.failures, c.threshold, c.hold_active), c.suspends) << c.name;
  }
}

TEST(Triggers, DormancyCutoffIsThatManyDaysBeforeNowOrOff) {
  constexpr Timestamp kNow = 1'800'000'000'000;
  EXPECT_EQ(DormancyCutoff(kNow, 180), kNow - 180 * kMillisPerDay);
  EXPECT_EQ(DormancyCutoff(kNow, 1), kNow - kMillisPerDay);
  EXPECT_EQ(DormancyCutoff(kNow, 0), std::nullopt);
  EXPECT_EQ(DormancyCutoff(kNow, -3), std::nullopt);
}

PolicyPack PackWithOffers(const std::string& dormancy_offer) {
  PolicyPack pack;
  pack.triggers.dormancy_offer = dormancy_offer;
  RequestPolicy reactivation;
  reactivation.offers.push_back({"welcome_back", "Half price for two months", 50, 2});
  reactivation.offers.push_back({"free_month", "One month free", 100, 1});
  pack.requests[RequestType::kReactivation] = reactivation;
  return pack;
}

TEST(Triggers, DormancyOfferIsTheNamedReactivationOffer) {
  std::optional<Offer> offer = DormancyOffer(PackWithOffers("free_month"));
  ASSERT_TRUE(offer.has_value());
  EXPECT_EQ(offer->code, "free_month");
  EXPECT_EQ(offer->description, "One month free");
  EXPECT_EQ(offer->discount_percent, 100);
  EXPECT_EQ(offer->duration_months, 1);
  EXPECT_FALSE(DormancyOffer(PackWithOffers("")).has_value());
  EXPECT_FALSE(DormancyOffer(PackWithOffers("not_listed")).has_value());
  PolicyPack no_reactivation;
  no_reactivation.triggers.dormancy_offer = "welcome_back";
  EXPECT_FALSE(DormancyOffer(no_reactivation).has_value());
}

}  // namespace
}  // namespace sb::domain
