#include "domain/reports.h"

#include <gtest/gtest.h>

#include <string>

namespace sb::domain {
namespace {

TEST(RegionCode, AcceptsShortCodesOfLettersDigitsAndPunctuation) {
  EXPECT_TRUE(IsRegionCode("eu-west"));
  EXPECT_TRUE(IsRegionCode("FR.IDF_2"));
  EXPECT_TRUE(IsRegionCode(std::string(kMaxRegionCode, 'a')));
}

TEST(RegionCode, RefusesEmptyLongSpacedOrFormulaLikeCodes) {
  EXPECT_FALSE(IsRegionCode(""));
  EXPECT_FALSE(IsRegionCode(std::string(kMaxRegionCode + 1, 'a')));
  EXPECT_FALSE(IsRegionCode("eu west"));
  EXPECT_FALSE(IsRegionCode("=cmd"));
  EXPECT_FALSE(IsRegionCode("r\xC3\xA9gion"));
}

TEST(KpiGroupBy, NamesRoundTripAndUnknownIsRefused) {
  for (KpiGroupBy g : {KpiGroupBy::kAgent, KpiGroupBy::kTeam, KpiGroupBy::kOrigin,
                       KpiGroupBy::kChannel, KpiGroupBy::kRegion}) {
    EXPECT_EQ(ParseKpiGroupBy(Name(g)), g);
  }
  EXPECT_EQ(ParseKpiGroupBy("teams"), std::nullopt);
  EXPECT_EQ(ParseKpiGroupBy(""), std::nullopt);
}

}  // namespace
}  // namespace sb::domain
