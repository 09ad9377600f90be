#include "core/candles.h"

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

const Symbol kSym = Symbol::Of("FPT");
ExchangeTime At(int h, int m, int s) {
  return ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay::Of(h, m, s)};
}

TEST(CandleSeriesTest, BuildsAndClosesOnLaterMinute) {
  CandleSeries cs;
  bool late = false;
  EXPECT_FALSE(cs.Add(kSym, At(10, 0, 5), Price::FromInt(100), Volume{10}, Aggressor::kBuy, Vnd{1000},
                      Volume{0}, Vnd{0}, true, &late));
  EXPECT_FALSE(cs.Add(kSym, At(10, 0, 30), Price::FromInt(102), Volume{20}, Aggressor::kSell, Vnd{2040},
                      Volume{0}, Vnd{0}, true, &late));
  EXPECT_FALSE(cs.Add(kSym, At(10, 0, 59), Price::FromInt(99), Volume{5}, Aggressor::kNeutral, Vnd{495},
                      Volume{7}, Vnd{693}, true, &late));
  auto closed = cs.Add(kSym, At(10, 1, 0), Price::FromInt(101), Volume{1}, Aggressor::kBuy, Vnd{101},
                       Volume{0}, Vnd{0}, true, &late);
  ASSERT_TRUE(closed);
  EXPECT_FALSE(late);
  EXPECT_EQ(closed->minute, 10 * 3600);
  EXPECT_EQ(closed->open, Price::FromInt(100));
  EXPECT_EQ(closed->high, Price::FromInt(102));
  EXPECT_EQ(closed->low, Price::FromInt(99));
  EXPECT_EQ(closed->close, Price::FromInt(99));
  EXPECT_EQ(closed->volume.raw(), 42);
  EXPECT_EQ(closed->buy_vol.raw(), 10);
  EXPECT_EQ(closed->sell_vol.raw(), 20);
  EXPECT_EQ(closed->neutral_vol.raw(), 12);
  EXPECT_EQ(closed->value.raw(), 1000 + 2040 + 495 + 693);
  EXPECT_EQ(closed->trade_count, 3);
  EXPECT_NEAR(*closed->ActiveBuyRatio(), 10.0 / 30.0, 1e-12);
  EXPECT_EQ(cs.closed().size(), 1u);
  ASSERT_TRUE(cs.open_candle());
  EXPECT_EQ(cs.open_candle()->minute, 10 * 3600 + 60);
}

TEST(CandleSeriesTest, LateTradesNeverReopenAClosedMinute) {
  CandleSeries cs;
  bool late = false;
  cs.Add(kSym, At(10, 0, 5), Price::FromInt(100), Volume{10}, Aggressor::kBuy, Vnd{1000}, Volume{0}, Vnd{0},
         true, &late);
  cs.Add(kSym, At(10, 2, 5), Price::FromInt(100), Volume{10}, Aggressor::kBuy, Vnd{1000}, Volume{0}, Vnd{0},
         true, &late);
  cs.Add(kSym, At(10, 1, 5), Price::FromInt(100), Volume{10}, Aggressor::kBuy, Vnd{1000}, Volume{0}, Vnd{0},
         true, &late);
  EXPECT_TRUE(late);  // folded into the open 10:02 candle
  EXPECT_EQ(cs.open_candle()->volume.raw(), 20);
  ASSERT_TRUE(cs.CloseBefore(ExchangeTime{}));
  cs.Add(kSym, At(10, 1, 30), Price::FromInt(100), Volume{10}, Aggressor::kBuy, Vnd{1000}, Volume{0}, Vnd{0},
         true, &late);
  EXPECT_TRUE(late);  // 10:02 closed, nothing open: dropped rather than reopened
  EXPECT_FALSE(cs.open_candle());
  EXPECT_EQ(cs.closed().size(), 2u);
}

TEST(CandleSeriesTest, CloseBeforeRespectsMinute) {
  CandleSeries cs;
  bool late = false;
  cs.Add(kSym, At(10, 0, 5), Price::FromInt(100), Volume{10}, Aggressor::kBuy, Vnd{1000}, Volume{0}, Vnd{0},
         true, &late);
  EXPECT_FALSE(cs.CloseBefore(At(10, 0, 59)));
  EXPECT_TRUE(cs.CloseBefore(At(10, 1, 0)));
  EXPECT_FALSE(cs.CloseBefore(At(10, 2, 0)));  // nothing open
}

TEST(CandleSeriesTest, HistoryIsBounded) {
  CandleSeries cs(5);
  bool late = false;
  for (int m = 0; m < 20; ++m) {
    cs.Add(kSym, At(10, m, 0), Price::FromInt(100), Volume{1}, Aggressor::kBuy, Vnd{100}, Volume{0}, Vnd{0},
           true, &late);
  }
  EXPECT_EQ(cs.closed().size(), 5u);
  EXPECT_EQ(cs.closed().back().minute, 10 * 3600 + 18 * 60);
}

}  // namespace
}  // namespace vnt::core
