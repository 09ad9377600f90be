#include "core/futures_state.h"

#include <cmath>

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

ExchangeTime At(int h, int m, int s) {
  return ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay::Of(h, m, s)};
}

TEST(FuturesStateTest, TradingMinutesSkipLunch) {
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(8, 30, 0)), 0);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(8, 45, 0)), 0);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(9, 0, 0)), 15);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(11, 30, 0)), 165);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(12, 15, 0)), 165);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(13, 30, 0)), 195);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(14, 45, 0)), 270);
  EXPECT_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(15, 0, 0)), 270);
  EXPECT_DOUBLE_EQ(FuturesTradingMinuteOfDay(TimeOfDay::Of(9, 0, 30)), 15.5);
}

TEST(FuturesStateTest, FairBasisCostOfCarry) {
  EXPECT_NEAR(FairBasis(1300.0, 0.045, 0.02, 9), 1300.0 * (std::exp(0.025 * 9 / 365.0) - 1.0), 1e-12);
  EXPECT_NEAR(FairBasis(1300.0, 0.045, 0.02, 9), 0.8018, 1e-3);  // ~0.80 points 9 days out
  EXPECT_EQ(FairBasis(1300.0, 0.045, 0.02, 0), 0.0);
  EXPECT_LT(FairBasis(1300.0, 0.02, 0.045, 30), 0.0);  // dividend yield above the rate: discount
}

TEST(FuturesStateTest, SlopeIsLeastSquaresPerTradingMinute) {
  RingBuffer<BasisPoint> h(400);
  // basis = 5 - 0.1 * x exactly, one point per minute from 10:00.
  for (int m = 0; m < 10; ++m) {
    const TimeOfDay t = TimeOfDay::Of(10, m, 0);
    const double x = FuturesTradingMinuteOfDay(t);
    h.push_back(BasisPoint{
        t.sec, x, Price::FromRaw(static_cast<std::int64_t>(std::llround((5 - 0.1 * m) * 10000))), {}, {}});
  }
  ASSERT_TRUE(BasisSlope(h, 30));
  EXPECT_NEAR(*BasisSlope(h, 30), -0.1, 1e-9);
  // Window of 3 minutes only uses the last 3 points (still the same line).
  EXPECT_NEAR(*BasisSlope(h, 3), -0.1, 1e-9);
  RingBuffer<BasisPoint> one(4);
  one.push_back(BasisPoint{36000, 75, Price::FromInt(1), {}, {}});
  EXPECT_FALSE(BasisSlope(one, 30));
}

TEST(FuturesStateTest, SlopeIgnoresLunchGap) {
  RingBuffer<BasisPoint> h(400);
  // 11:29 and 13:01 are two trading minutes apart: a 2-point drop there is -1 point per trading minute.
  h.push_back(BasisPoint{TimeOfDay::Of(11, 29, 0).sec,
                         FuturesTradingMinuteOfDay(TimeOfDay::Of(11, 29, 0)),
                         Price::FromInt(4),
                         {},
                         {}});
  h.push_back(BasisPoint{TimeOfDay::Of(13, 1, 0).sec,
                         FuturesTradingMinuteOfDay(TimeOfDay::Of(13, 1, 0)),
                         Price::FromInt(2),
                         {},
                         {}});
  ASSERT_TRUE(BasisSlope(h, 120));
  EXPECT_NEAR(*BasisSlope(h, 120), -1.0, 1e-9);
  EXPECT_TRUE(BasisSlope(h, 5));  // 5 trading minutes reach across the 90-minute lunch break
}

TEST(FuturesStateTest, SlopeWindowDropsOlderPoints) {
  RingBuffer<BasisPoint> h(400);
  // A steep old segment, then flat: a short window sees only the flat part.
  for (int m = 0; m < 20; ++m) {
    const TimeOfDay t = TimeOfDay::Of(10, m, 0);
    const double basis = m < 10 ? 10.0 - m : 1.0;
    h.push_back(
        BasisPoint{t.sec, FuturesTradingMinuteOfDay(t), Price::FromRaw(std::llround(basis * 10000)), {}, {}});
  }
  EXPECT_NEAR(*BasisSlope(h, 5), 0.0, 1e-9);
  EXPECT_LT(*BasisSlope(h, 30), -0.1);
}

TEST(FuturesStateTest, RecomputeBasisAndProjection) {
  FuturesState f;
  f.days_to_expiry = 9;
  f.business_days_after_today = 7;
  FuturesConfig cfg;
  f.last = Price::FromRaw(12900000);                            // 1290.0
  EXPECT_FALSE(RecomputeBasis(f, Price{}, At(10, 0, 0), cfg));  // no VN30 yet
  EXPECT_FALSE(f.has_basis);
  ASSERT_TRUE(RecomputeBasis(f, Price::FromRaw(12850000), At(10, 0, 0), cfg));
  EXPECT_EQ(f.basis, Price::FromInt(5));
  EXPECT_NEAR(f.basis_pct, 5.0 / 1285.0 * 100.0, 1e-12);
  EXPECT_NEAR(f.fair_basis, FairBasis(1285.0, 0.045, 0.02, 9), 1e-12);
  EXPECT_FALSE(f.slope_per_min);
  f.last = Price::FromRaw(12890000);  // basis 4 one minute later
  ASSERT_TRUE(RecomputeBasis(f, Price::FromRaw(12850000), At(10, 1, 0), cfg));
  ASSERT_TRUE(f.slope_per_min);
  EXPECT_NEAR(*f.slope_per_min, -1.0, 1e-9);
  // Minutes left: 270 - 76 today + 7 x 270.
  EXPECT_DOUBLE_EQ(f.trading_minutes_left, 270 - 76 + 7 * 270);
  // Expiry is 7 trading days away: far beyond the projection horizon, so no projection; the slope that
  // would bring the basis to zero at expiry is given instead.
  EXPECT_FALSE(f.projected_basis_at_expiry);
  ASSERT_TRUE(f.required_slope_per_min);
  EXPECT_NEAR(*f.required_slope_per_min, -4.0 / (270 - 76 + 7 * 270), 1e-12);
  // Same minute again: point overwritten, history does not grow.
  RecomputeBasis(f, Price::FromRaw(12850000), At(10, 1, 30), cfg);
  EXPECT_EQ(f.history.size(), 2u);
}

TEST(FuturesStateTest, ProjectsToExpiryOnlyWithinTheHorizon) {
  FuturesState f;
  f.days_to_expiry = 0;  // the last trading day
  f.business_days_after_today = 0;
  FuturesConfig cfg;
  f.last = Price::FromRaw(12900000);
  ASSERT_TRUE(RecomputeBasis(f, Price::FromRaw(12850000), At(14, 0, 0), cfg));  // basis 5
  f.last = Price::FromRaw(12895000);
  ASSERT_TRUE(RecomputeBasis(f, Price::FromRaw(12850000), At(14, 1, 0), cfg));  // basis 4.5
  ASSERT_TRUE(f.slope_per_min);
  EXPECT_NEAR(*f.slope_per_min, -0.5, 1e-9);
  ASSERT_LE(f.trading_minutes_left, cfg.projection_horizon_min);
  ASSERT_TRUE(f.projected_basis_at_expiry);
  EXPECT_NEAR(*f.projected_basis_at_expiry, 4.5 - 0.5 * f.trading_minutes_left, 1e-9);
  EXPECT_NEAR(*f.required_slope_per_min, -4.5 / f.trading_minutes_left, 1e-12);
  // A one-day horizon set to zero: never projected.
  cfg.projection_horizon_min = 0;
  ASSERT_TRUE(RecomputeBasis(f, Price::FromRaw(12850000), At(14, 2, 0), cfg));
  EXPECT_FALSE(f.projected_basis_at_expiry);
}

}  // namespace
}  // namespace vnt::core
