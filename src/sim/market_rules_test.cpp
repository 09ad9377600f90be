#include "sim/market_rules.h"

#include <gtest/gtest.h>

namespace vnt::sim {
namespace {

Price Vnd(std::int64_t v) {
  return Price::FromInt(v);
}
Price Pts(double v) {
  return Price::FromRaw(static_cast<std::int64_t>(v * 10 + (v >= 0 ? 0.5 : -0.5)) * 1000);
}

TEST(MarketRules, HoseTickBands) {
  EXPECT_EQ(TickAt(Market::kHose, Vnd(9990)), Vnd(10));
  EXPECT_EQ(TickAt(Market::kHose, Vnd(10000)), Vnd(50));
  EXPECT_EQ(TickAt(Market::kHose, Vnd(49950)), Vnd(50));
  EXPECT_EQ(TickAt(Market::kHose, Vnd(50000)), Vnd(100));
  EXPECT_EQ(TickAt(Market::kDerivatives, Pts(1880.0)), Pts(0.1));
}

TEST(MarketRules, TickUpAndDownCrossBandEdges) {
  EXPECT_EQ(TickUp(Market::kHose, Vnd(9990)), Vnd(10000));
  EXPECT_EQ(TickDown(Market::kHose, Vnd(10000)), Vnd(9990));
  EXPECT_EQ(TickUp(Market::kHose, Vnd(49950)), Vnd(50000));
  EXPECT_EQ(TickDown(Market::kHose, Vnd(50000)), Vnd(49950));
  EXPECT_EQ(TickUp(Market::kHose, Vnd(22900)), Vnd(22950));
  EXPECT_EQ(TickDown(Market::kDerivatives, Pts(1880.0)), Pts(1879.9));
}

TEST(MarketRules, OnGrid) {
  EXPECT_TRUE(OnGrid(Market::kHose, Vnd(22950)));
  EXPECT_FALSE(OnGrid(Market::kHose, Vnd(22960)));
  EXPECT_TRUE(OnGrid(Market::kHose, Vnd(9990)));
  EXPECT_FALSE(OnGrid(Market::kHose, Vnd(50050)));
  EXPECT_FALSE(OnGrid(Market::kHose, Vnd(0)));
  EXPECT_TRUE(OnGrid(Market::kDerivatives, Pts(1283.9)));
  EXPECT_FALSE(OnGrid(Market::kDerivatives, Price::FromRaw(12'839'500)));
}

TEST(MarketRules, RoundingToGrid) {
  EXPECT_EQ(RoundDownToGrid(Market::kHose, Vnd(24503).raw), Vnd(24500));
  EXPECT_EQ(RoundUpToGrid(Market::kHose, Vnd(21297).raw), Vnd(21300));
  EXPECT_EQ(RoundUpToGrid(Market::kHose, Vnd(49990).raw), Vnd(50000));
  EXPECT_EQ(RoundToGrid(Market::kHose, static_cast<double>(Vnd(22924).raw)), Vnd(22900));
  EXPECT_EQ(RoundToGrid(Market::kHose, static_cast<double>(Vnd(22926).raw)), Vnd(22950));
  EXPECT_EQ(RoundToGrid(Market::kDerivatives, 12'839'400.0), Pts(1283.9));
}

// fastconnect-v2.md §6.1: every example there, verified against SSI samples.
TEST(MarketRules, DailyLimitsKnownExamples) {
  struct Case {
    Market m;
    Price ref, ceiling, floor;
  };
  const Case cases[] = {
      {Market::kHose, Vnd(22900), Vnd(24500), Vnd(21300)},
      {Market::kHose, Vnd(13000), Vnd(13900), Vnd(12100)},
      {Market::kHose, Vnd(22650), Vnd(24200), Vnd(21100)},
      {Market::kDerivatives, Pts(1290.0), Pts(1380.3), Pts(1199.7)},
      {Market::kDerivatives, Pts(1880.0), Pts(2011.6), Pts(1748.4)},
      // Band crossing: 48,000 x 1.07 = 51,360 -> 51,300 (tick 100); x 0.93 = 44,640 -> 44,650 (tick 50).
      {Market::kHose, Vnd(48000), Vnd(51300), Vnd(44650)},
      // 9,500 x 1.07 = 10,165 -> 10,150; x 0.93 = 8,835 -> 8,840.
      {Market::kHose, Vnd(9500), Vnd(10150), Vnd(8840)},
      // Limits that collapse onto the reference move one tick away: 100 x 1.07 = 107 -> 100.
      {Market::kHose, Vnd(100), Vnd(110), Vnd(90)},
  };
  for (const Case& c : cases) {
    const PriceLimits l = DailyLimits(c.m, c.ref);
    EXPECT_EQ(l.ceiling, c.ceiling) << ToString(c.ref);
    EXPECT_EQ(l.floor, c.floor) << ToString(c.ref);
  }
}

}  // namespace
}  // namespace vnt::sim
