#include "core/index_state.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vnt::core {
namespace {

ExchangeTime At(int h, int m, int s) {
  return ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay::Of(h, m, s)};
}

core::IndexEvent Mi(double value, double prior) {
  core::IndexEvent e;
  e.h.channel = core::Channel::kIndex;
  e.h.symbol = Symbol::Of("VNIndex");
  e.value = Price::FromRaw(std::llround(value * 10000));
  e.prior_value = Price::FromRaw(std::llround(prior * 10000));
  return e;
}

TEST(IndexStateTest, NormalizesIdCaseInsensitively) {
  EXPECT_EQ(NormalizeIndexId(Symbol::Of("VNIndex")), Symbol::Of("VNINDEX"));
  EXPECT_EQ(NormalizeIndexId(Symbol::Of("vn30")), Symbol::Of("VN30"));
  EXPECT_EQ(NormalizeIndexId(Symbol::Of("HNXUpcomIndex")), Symbol::Of("HNXUPCOMINDEX"));
}

TEST(IndexStateTest, ValueChangeBreadthAndVolumes) {
  IndexState s;
  core::IndexEvent e = Mi(1268.41, 1260.0);
  e.advances = 15;
  e.declines = 10;
  e.no_changes = 5;
  e.ceilings = 2;
  e.floors = 1;
  e.total_qtty = Volume{1000};
  e.total_qtty_pt = Volume{200};
  e.total_value = Vnd{50'000};
  e.total_value_pt = Vnd{9'000};
  ASSERT_TRUE(s.Apply(e, At(10, 0, 0)));
  EXPECT_EQ(s.change, Price::FromRaw(84100));
  EXPECT_NEAR(s.change_pct, 8.41 / 1260.0 * 100.0, 1e-9);
  EXPECT_EQ(s.advances, 15);
  EXPECT_EQ(s.declines, 10);
  EXPECT_EQ(s.no_changes, 5);
  EXPECT_EQ(s.ceilings, 2);
  EXPECT_EQ(s.floors, 1);
  EXPECT_EQ(s.all_qty.raw(), 1200);  // derived: matched + put-through
  EXPECT_EQ(s.all_value.raw(), 59'000);
  EXPECT_NEAR(*s.AdvanceRatio(), 0.6, 1e-12);
  core::IndexEvent f = Mi(1269, 1260);
  f.all_qty = Volume{5000};  // the feed's own AllQty wins
  s.Apply(f, At(10, 0, 1));
  EXPECT_EQ(s.all_qty.raw(), 5000);
  EXPECT_EQ(s.advances, 15);  // absent fields keep their values
}

TEST(IndexStateTest, SeriesOnePointPerMinuteBounded) {
  IndexState s;
  s.Apply(Mi(1000, 990), At(10, 0, 1));
  s.Apply(Mi(1001, 990), At(10, 0, 40));
  ASSERT_EQ(s.series.size(), 1u);
  EXPECT_EQ(s.series.back().value, Price::FromInt(1001));  // last of the minute wins
  s.Apply(Mi(998.5, 990), At(10, 0, 50));
  s.Apply(Mi(999, 990), At(10, 0, 59));
  // The minute's candle: open = first, high/low = extremes, value = close.
  EXPECT_EQ(s.series.back().open, Price::FromInt(1000));
  EXPECT_EQ(s.series.back().high, Price::FromInt(1001));
  EXPECT_EQ(s.series.back().low, Price::FromRaw(9985000));
  EXPECT_EQ(s.series.back().value, Price::FromInt(999));
  s.Apply(Mi(1002, 990), At(10, 1, 0));
  EXPECT_EQ(s.series.back().open, Price::FromInt(1002));
  EXPECT_EQ(s.series.size(), 2u);
  for (int i = 0; i < 600; ++i)
    s.Apply(Mi(1000 + i % 7, 990), ExchangeTime{At(0, 0, 0).date, TimeOfDay{36000 + 120 + i * 60}});
  EXPECT_EQ(s.series.size(), IndexState::kSeriesCapacity);
  for (std::size_t i = 1; i < s.series.size(); ++i) EXPECT_LT(s.series[i - 1].minute, s.series[i].minute);
}

TEST(IndexStateTest, OlderFrameIsIgnored) {
  IndexState s;
  core::IndexEvent a = Mi(1000, 990);
  a.total_qtty = Volume{5000};
  s.Apply(a, At(10, 0, 10));
  core::IndexEvent b = Mi(999, 990);
  b.total_qtty = Volume{4000};
  EXPECT_FALSE(s.Apply(b, At(10, 0, 5)));
  EXPECT_EQ(s.total_qtty.raw(), 5000);
  EXPECT_EQ(s.value, Price::FromInt(1000));
}

}  // namespace
}  // namespace vnt::core
