#include "core/basket_candles.h"

#include <gtest/gtest.h>

#include "core/engine_test_util.h"

namespace vnt::core {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the shared fixtures of the engine tests

const Candle* MinuteIn(const std::vector<Candle>& candles, int h, int m) {
  for (const Candle& c : candles) {
    if (c.minute == (h * 60 + m) * 60) return &c;
  }
  return nullptr;
}

// A stock's traded value in a minute, from its closed and open candles.
Vnd ValueIn(const SymbolState& s, std::int32_t minute) {
  Vnd v{};
  for (std::size_t i = 0; i < s.candles.closed().size(); ++i) {
    if (s.candles.closed()[i].minute == minute) v += s.candles.closed()[i].value;
  }
  if (s.candles.open_candle() && s.candles.open_candle()->minute == minute)
    v += s.candles.open_candle()->value;
  return v;
}

TEST(Vn30BasketCandles, IndexPricesAndTheBasketsFlowSummedPerMinute) {
  MarketEngine eng(Config());
  eng.Apply(Mi("VN30", At(9, 15, 0), 1300, 1290));
  eng.Apply(Mi("VN30", At(9, 15, 20), 1305));
  eng.Apply(Mi("VN30", At(9, 15, 40), 1298));
  eng.Apply(Mi("VN30", At(9, 15, 50), 1302));
  eng.Apply(Mi("VN30", At(9, 16, 10), 1301));
  eng.Apply(XTrade(kFpt, At(9, 15, 5), 100, 10, 10, Side::kBuy));
  eng.Apply(XTrade(kVnm, At(9, 15, 6), 60, 20, 20, Side::kSell));
  eng.Apply(XTrade(kFpt, At(9, 17, 1), 101, 5, 15, Side::kBuy));  // a minute without an index point
  eng.Apply(XTrade(Symbol::Of("ABC"), At(9, 15, 7), 10, 1000, 1000, Side::kBuy));  // not in the basket

  const std::vector<Candle> candles = Vn30BasketCandles(eng);
  ASSERT_EQ(candles.size(), 3u);
  for (std::size_t i = 0; i < candles.size(); ++i) {
    EXPECT_EQ(candles[i].symbol, Symbol::Of("VN30"));
    EXPECT_EQ(candles[i].date, kDay);
    if (i > 0) {
      EXPECT_LT(candles[i - 1].minute, candles[i].minute);  // oldest first
    }
  }

  // 09:15: the index's minute point, and FPT's and VNM's flow (ABC is no VN30 stock).
  const Candle* m15 = MinuteIn(candles, 9, 15);
  ASSERT_NE(m15, nullptr);
  EXPECT_EQ(m15->open, Px(1300));
  EXPECT_EQ(m15->high, Px(1305));
  EXPECT_EQ(m15->low, Px(1298));
  EXPECT_EQ(m15->close, Px(1302));
  EXPECT_EQ(m15->volume.raw(), 30);
  EXPECT_EQ(m15->buy_vol.raw(), 10);
  EXPECT_EQ(m15->sell_vol.raw(), 20);
  EXPECT_EQ(m15->neutral_vol.raw(), 0);
  EXPECT_EQ(m15->trade_count, 2);
  const SymbolState* fpt = eng.FindSymbol(kFpt);
  const SymbolState* vnm = eng.FindSymbol(kVnm);
  ASSERT_NE(fpt, nullptr);
  ASSERT_NE(vnm, nullptr);
  EXPECT_EQ(m15->value, ValueIn(*fpt, m15->minute) + ValueIn(*vnm, m15->minute));
  EXPECT_GT(m15->value.raw(), 0);

  // 09:16: the index alone (no trade), so prices and no flow.
  const Candle* m16 = MinuteIn(candles, 9, 16);
  ASSERT_NE(m16, nullptr);
  EXPECT_EQ(m16->close, Px(1301));
  EXPECT_EQ(m16->volume.raw(), 0);
  EXPECT_EQ(m16->trade_count, 0);

  // 09:17: FPT's open candle alone, so flow and no prices.
  const Candle* m17 = MinuteIn(candles, 9, 17);
  ASSERT_NE(m17, nullptr);
  EXPECT_EQ(m17->close, Price{});
  EXPECT_EQ(m17->volume.raw(), 5);
  EXPECT_EQ(m17->buy_vol.raw(), 5);
  EXPECT_EQ(m17->trade_count, 1);
}

TEST(Vn30BasketCandles, NothingBeforeTheFirstIndexPointOrTrade) {
  const MarketEngine eng(Config());
  EXPECT_TRUE(Vn30BasketCandles(eng).empty());
}

}  // namespace
}  // namespace vnt::core
