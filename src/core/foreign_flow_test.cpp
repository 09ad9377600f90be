#include "core/foreign_flow.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vnt::core {
namespace {

ExchangeTime At(int sec_after_10) {
  return ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay{10 * 3600 + sec_after_10}};
}

core::ForeignRoomEvent R(std::int64_t buy, std::int64_t sell) {
  core::ForeignRoomEvent e;
  e.h.channel = core::Channel::kForeign;
  e.h.symbol = Symbol::Of("SSI");
  e.buy_vol = Volume{buy};
  e.sell_vol = Volume{sell};
  e.buy_val = Vnd{buy * 1000};
  e.sell_val = Vnd{sell * 1000};
  return e;
}

TEST(ForeignFlowTest, FirstFrameIsBaselineWithoutSpike) {
  ForeignFlow f;
  EXPECT_FALSE(f.Apply(R(5'000'000, 1'000'000), At(0)));
  const ForeignState& s = f.state();
  EXPECT_TRUE(s.has_data);
  EXPECT_EQ(s.net_vol().raw(), 4'000'000);  // the day's totals are shown as sent
  EXPECT_EQ(s.net_val().raw(), 4'000'000'000);
  EXPECT_EQ(s.buy_speed_vol, 0);
  EXPECT_EQ(s.net_speed_val, 0);
  EXPECT_EQ(s.net_accel_vol, 0);
}

TEST(ForeignFlowTest, SpeedIsNullUntilItsWindowCoversAMinuteThenDividesByMinutesCovered) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(0));
  f.Apply(R(600, 0), At(30));  // 30 s covered: not yet a rate (it once read 600/min, half the true pace)
  EXPECT_FALSE(f.state().speed_ready);
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 0.0);
  EXPECT_DOUBLE_EQ(f.state().window_min, 0.5);
  f.Apply(R(1200, 0), At(60));
  EXPECT_TRUE(f.state().speed_ready);
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 1200.0);
  f.Apply(R(2000, 500), At(120));  // 2 minutes covered, not 5
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 1000.0);
  EXPECT_DOUBLE_EQ(f.state().sell_speed_vol, 250.0);
  EXPECT_DOUBLE_EQ(f.state().net_speed_vol, 750.0);
  EXPECT_DOUBLE_EQ(f.state().net_speed_val, 750'000.0);
}

TEST(ForeignFlowTest, WindowSlidesOverFiveMinutes) {
  ForeignFlow f;
  for (int m = 0; m <= 10; ++m) f.Apply(R(m * 1000, 0), At(m * 60));
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 1000.0);
  EXPECT_DOUBLE_EQ(f.state().window_min, 5.0);
  f.Apply(R(10'000 + 6000, 0), At(11 * 60));  // last minute bought 6000: (6000 + 4 x 1000) / 5
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 2000.0);
}

TEST(ForeignFlowTest, AccelerationIsChangeOfNetSpeedPerMinuteBetweenTwoReadySpeeds) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(0));
  f.Apply(R(1000, 0), At(60));
  // The first ready speed has nothing ready to compare with: the baseline's "speed 0" is no speed at all
  // (it once gave an acceleration equal to the speed at every session open).
  EXPECT_TRUE(f.state().speed_ready);
  EXPECT_FALSE(f.state().accel_ready);
  EXPECT_DOUBLE_EQ(f.state().net_accel_vol, 0.0);
  f.Apply(R(2000, 0), At(120));
  EXPECT_DOUBLE_EQ(f.state().net_speed_vol, 1000.0);
  EXPECT_TRUE(f.state().accel_ready);
  EXPECT_DOUBLE_EQ(f.state().net_accel_vol, 0.0);
  f.Apply(R(5000, 0), At(180));
  EXPECT_NEAR(f.state().net_speed_vol, 5000.0 / 3.0, 1e-9);
  EXPECT_NEAR(f.state().net_accel_vol, 5000.0 / 3.0 - 1000.0, 1e-9);
  EXPECT_NEAR(f.state().net_accel_val, (5000.0 / 3.0 - 1000.0) * 1000.0, 1e-6);
}

TEST(ForeignFlowTest, AuctionVolumeIsNotFlowAndTheLunchGapDoesNotStretchTheWindow) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(0), Price{}, /*auction=*/true);
  f.Apply(R(0, 0), At(20), Price{}, true);
  f.Apply(R(90'000, 0), At(35));  // the first frame after the ATO carries its matched volume
  f.Apply(R(90'600, 0), At(95));  // then 600 a minute of continuous trading
  EXPECT_TRUE(f.state().speed_ready);
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 600.0);
  // Lunch: nothing from 11:30 to 13:00. At 13:01 the window is 5 minutes, not 90.
  ForeignFlow g;
  for (int m = 0; m <= 5; ++m) g.Apply(R(m * 100, 0), At(m * 60));
  g.Apply(R(600, 0), At(5 * 60 + 90 * 60));
  EXPECT_DOUBLE_EQ(g.state().window_min, 5.0);
  EXPECT_DOUBLE_EQ(g.state().buy_speed_vol, 100.0 / 5.0);
}

TEST(ForeignFlowTest, RoomUsedPercent) {
  ForeignFlow f;
  core::ForeignRoomEvent e = R(0, 0);
  e.total_room = Volume{1'501'130'137};
  e.current_room = Volume{806'887'173};
  f.Apply(e, At(0));
  ASSERT_TRUE(f.state().room_used_pct());
  EXPECT_NEAR(*f.state().room_used_pct(), (1'501'130'137.0 - 806'887'173.0) / 1'501'130'137.0 * 100.0, 1e-9);
  f.Apply(R(10, 0), At(5));  // a frame without room fields keeps them
  EXPECT_TRUE(f.state().room_used_pct());
  ForeignFlow empty;
  EXPECT_FALSE(empty.state().room_used_pct());
}

TEST(ForeignFlowTest, DecreaseIsResetAndRebaselines) {
  ForeignFlow f;
  f.Apply(R(10'000, 0), At(0));
  f.Apply(R(12'000, 0), At(60));
  EXPECT_TRUE(f.Apply(R(500, 0), At(120)));
  EXPECT_EQ(f.state().buy_vol.raw(), 500);
  EXPECT_EQ(f.state().buy_speed_vol, 0);  // no negative flow from the reset
  f.Apply(R(1500, 0), At(180));
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 1000.0);
}

TEST(ForeignFlowTest, OutOfOrderFrameKeepsClockMonotonic) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(100));
  f.Apply(R(1000, 0), At(50));  // earlier time: treated as "now" for the window
  EXPECT_FALSE(f.state().speed_ready);
  EXPECT_GE(f.state().window_min, 0.0);
  f.Apply(R(2000, 0), At(160));
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 2000.0);
}

// HOSE: SSI's cumulative values are cumulative volume x the last price, so they move with every tick.
core::ForeignRoomEvent Hose(std::int64_t buy, std::int64_t sell, std::int64_t price) {
  core::ForeignRoomEvent e = R(buy, sell);
  e.buy_val = Vnd{buy * price};
  e.sell_val = Vnd{sell * price};
  return e;
}

TEST(ForeignFlowTest, RevaluationWithoutForeignTradesIsNoFlowAndNoReset) {
  ForeignFlow f;
  f.Apply(Hose(1'000'000, 400'000, 30'000), At(0));
  // The price walks (down-ticks and up-ticks); foreign volumes do not change.
  const std::int64_t prices[] = {29'950, 29'900, 30'050, 30'100, 29'800, 30'200};
  int t = 1;
  for (std::int64_t p : prices) {
    EXPECT_FALSE(f.Apply(Hose(1'000'000, 400'000, p), At(t++)));  // a falling value is not a reset
    EXPECT_EQ(f.state().net_speed_val, 0) << p;
    EXPECT_EQ(f.state().net_accel_val, 0) << p;
    EXPECT_EQ(f.state().net_val().raw(), 600'000 * p);  // the feed's own day figure is still shown
  }
  EXPECT_GE(f.state().window_min, 5.0 / 60.0);  // the window was never wiped
}

TEST(ForeignFlowTest, NewVolumeIsValuedAtThePriceItTradedAt) {
  ForeignFlow f;
  f.Apply(Hose(1'000'000, 0, 30'000), At(0));
  f.Apply(Hose(1'060'000, 0, 29'000), At(60));  // 60,000 bought at 29,000 while the price fell
  // Old style (value differences) gave 1,060,000 x 29,000 - 30e9 = -1.26e9: selling. It is buying.
  EXPECT_DOUBLE_EQ(f.state().buy_speed_val, 60'000.0 * 29'000.0);
  EXPECT_DOUBLE_EQ(f.state().net_speed_val, 60'000.0 * 29'000.0);
  // Without values in the frame, the last trade price values the rise.
  core::ForeignRoomEvent e = R(1'070'000, 0);
  e.buy_val.reset();
  e.sell_val.reset();
  f.Apply(e, At(120), Price::FromInt(29500));
  EXPECT_DOUBLE_EQ(f.state().buy_speed_val, (60'000.0 * 29'000.0 + 10'000.0 * 29'500.0) / 2.0);
}

TEST(ForeignFlowTest, ALateFrameWithLowerVolumeIsStaleNotAReset) {
  ForeignFlow f;
  f.Apply(Hose(1000, 0, 30'000), At(0));
  f.Apply(Hose(3000, 0, 30'000), At(60));
  EXPECT_FALSE(f.Apply(Hose(2000, 0, 30'000), At(30)));
  EXPECT_EQ(f.stale(), 1u);
  EXPECT_EQ(f.state().buy_vol.raw(), 3000);
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 2000.0);
}

// Property: random price walks with unchanged foreign volumes give zero value speed, whatever the walk.
TEST(ForeignFlowTest, RandomPriceWalksWithUnchangedVolumesGiveZeroSpeed) {
  std::uint64_t x = 88172645463325252ull;
  for (int run = 0; run < 50; ++run) {
    ForeignFlow f;
    std::int64_t p = 20'000 + static_cast<std::int64_t>(run) * 100;
    for (int t = 0; t < 900; ++t) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      p = std::max<std::int64_t>(1000, p + (static_cast<std::int64_t>(x % 5) - 2) * 50);
      f.Apply(Hose(500'000 + run, 200'000, p), At(t));
      ASSERT_EQ(f.state().net_speed_val, 0) << "run " << run << " t " << t;
      ASSERT_EQ(f.state().net_accel_val, 0);
    }
  }
}

}  // namespace
}  // namespace vnt::core
