#include "core/foreign_flow.h"

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

ExchangeTime At(int sec_after_10) {
  return ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay{10 * 3600 + sec_after_10}};
}

feed::ForeignRoomEvent R(Volume buy, Volume sell) {
  feed::ForeignRoomEvent e;
  e.h.channel = feed::Channel::kForeign;
  e.h.symbol = Symbol::Of("SSI");
  e.buy_vol = buy;
  e.sell_vol = sell;
  e.buy_val = buy * 1000;
  e.sell_val = sell * 1000;
  return e;
}

TEST(ForeignFlowTest, FirstFrameIsBaselineWithoutSpike) {
  ForeignFlow f;
  EXPECT_FALSE(f.Apply(R(5'000'000, 1'000'000), At(0)));
  const ForeignState& s = f.state();
  EXPECT_TRUE(s.has_data);
  EXPECT_EQ(s.net_vol(), 4'000'000);  // the day's totals are shown as sent
  EXPECT_EQ(s.net_val(), 4'000'000'000);
  EXPECT_EQ(s.buy_speed_vol, 0);
  EXPECT_EQ(s.net_speed_val, 0);
  EXPECT_EQ(s.net_accel_vol, 0);
}

TEST(ForeignFlowTest, SpeedDividesByMinutesCoveredWithOneMinuteFloor) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(0));
  f.Apply(R(600, 0), At(30));  // 30 s covered: floor of 1 minute
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 600.0);
  EXPECT_DOUBLE_EQ(f.state().window_min, 0.5);
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

TEST(ForeignFlowTest, AccelerationIsChangeOfNetSpeedPerMinute) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(0));
  f.Apply(R(1000, 0), At(60));
  EXPECT_DOUBLE_EQ(f.state().net_accel_vol, 1000.0);  // from 0 to 1000/min in one minute
  f.Apply(R(2000, 0), At(120));
  EXPECT_DOUBLE_EQ(f.state().net_speed_vol, 1000.0);
  EXPECT_DOUBLE_EQ(f.state().net_accel_vol, 0.0);
  f.Apply(R(5000, 0), At(180));
  EXPECT_NEAR(f.state().net_speed_vol, 5000.0 / 3.0, 1e-9);
  EXPECT_NEAR(f.state().net_accel_vol, 5000.0 / 3.0 - 1000.0, 1e-9);
  EXPECT_NEAR(f.state().net_accel_val, (5000.0 / 3.0 - 1000.0) * 1000.0, 1e-6);
}

TEST(ForeignFlowTest, RoomUsedPercent) {
  ForeignFlow f;
  feed::ForeignRoomEvent e = R(0, 0);
  e.total_room = 1'501'130'137;
  e.current_room = 806'887'173;
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
  EXPECT_EQ(f.state().buy_vol, 500);
  EXPECT_EQ(f.state().buy_speed_vol, 0);  // no negative flow from the reset
  f.Apply(R(1500, 0), At(180));
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 1000.0);
}

TEST(ForeignFlowTest, OutOfOrderFrameKeepsClockMonotonic) {
  ForeignFlow f;
  f.Apply(R(0, 0), At(100));
  f.Apply(R(1000, 0), At(50));  // earlier time: treated as "now" for the window
  EXPECT_DOUBLE_EQ(f.state().buy_speed_vol, 1000.0);
  EXPECT_GE(f.state().window_min, 0.0);
}

}  // namespace
}  // namespace vnt::core
