#include "api/market_json.h"

#include <gtest/gtest.h>

#include "api/json_text.h"
#include "core/engine_test_util.h"

namespace vnt::api {
namespace {

using namespace core::engine_test;  // NOLINT: the engine tests' event builders (2026-03-10, FPT, VNM, ...)

TEST(ExchangeTimeText, IsoWithTheExchangeOffsetOrEmpty) {
  EXPECT_EQ(ExchangeTimeText(At(9, 15, 3)), "2026-03-10T09:15:03+07:00");
  EXPECT_EQ(ExchangeTimeText(kDay, 14 * 3600 + 45 * 60), "2026-03-10T14:45:00+07:00");
  EXPECT_EQ(ExchangeTimeText(ExchangeTime{}), "");
  EXPECT_EQ(ExchangeTimeText(ExchangeTime{kDay, TimeOfDay{}}), "");  // a date alone is no instant
  EXPECT_EQ(Json([](JsonWriter& w) {
              w.BeginObject();
              WriteTime(w, "time", ExchangeTime{});
              w.EndObject();
            }),
            R"({"time":null})");
}

TEST(WriteBook, LevelsArePriceVolumePairsBestFirst) {
  core::Book b;
  b.bids[b.bid_count++] = core::Level{Px(22950), Volume{1200}};
  b.bids[b.bid_count++] = core::Level{Px(22900), Volume{300}};
  b.asks[b.ask_count++] = core::Level{Px(23000), Volume{50}};
  EXPECT_EQ(Json([&](JsonWriter& w) {
              w.BeginObject();
              WriteBook(w, b);
              w.EndObject();
            }),
            R"({"bid":[[22950,1200],[22900,300]],"ask":[[23000,50]]})");
}

// /api/market/orderbook/{symbol} is the symbol's own "symbol", "time", "bid" and "ask" (what an edge copies).
TEST(WriteOrderBook, TheSymbolsBookAndTimeAsTheSymbolCarriesThem) {
  core::MarketEngine eng(Config());
  eng.Apply(XQuote(kFpt, At(10, 0, 0), 22900, 22950));
  const core::SymbolState* s = eng.FindSymbol(kFpt);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteOrderBook(w, *s); }),
      R"({"symbol":"FPT","time":"2026-03-10T10:00:00+07:00","bid":[[22900,1000]],"ask":[[22950,1000]]})");
  const std::string symbol = Json([&](JsonWriter& w) { WriteSymbol(w, *s); });
  EXPECT_NE(symbol.find(R"("time":"2026-03-10T10:00:00+07:00")"), std::string::npos) << symbol;
  EXPECT_NE(symbol.find(R"("bid":[[22900,1000]],"ask":[[22950,1000]])"), std::string::npos) << symbol;
}

TEST(WriteMarketClock, DateTimeOfDayAndSession) {
  core::MarketEngine eng(Config());
  const auto clock = [&] {
    return Json([&](JsonWriter& w) {
      w.BeginObject();
      WriteMarketClock(w, eng);
      w.EndObject();
    });
  };
  EXPECT_EQ(clock(), R"({"trading_date":null,"exchange_time":null,"session":null})");
  eng.Apply(XQuote(kFpt, At(10, 0, 0), 22900, 22950));
  EXPECT_EQ(clock().rfind(R"({"trading_date":"2026-03-10","exchange_time":"10:00:00")", 0), 0u);
}

TEST(WriteTrade, TheExchangeTimeAndNullForAMissingQuote) {
  core::ClassifiedTrade t;
  t.symbol = kFpt;
  t.time = At(10, 0, 1);
  t.price = Px(22950);
  t.volume = Volume{100};
  t.value = Vnd{2295000};
  t.side = core::Aggressor::kBuy;
  t.method = core::ClassifyMethod::kQuote;
  t.session = Session::kLo;
  t.bid = Px(22900);
  EXPECT_EQ(Json([&](JsonWriter& w) { WriteTrade(w, t, 7); }),
            R"({"seq":7,"symbol":"FPT","time":"2026-03-10T10:00:01+07:00","price":22950,"volume":100,)"
            R"("value":2295000,"side":"buy","method":"quote","session":"LO","bid":22900,"ask":null})");
}

TEST(WriteVolumeProfile, LevelsInPriceOrder) {
  core::MarketEngine eng(Config());
  eng.Apply(XQuote(kFpt, At(10, 0, 0), 22900, 22950));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 22950, 100, 100, Side::kBuy));
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 22900, 200, 300, Side::kSell));
  const core::SymbolState* s = eng.FindSymbol(kFpt);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteVolumeProfile(w, *s); }),
      R"({"symbol":"FPT","levels":[{"price":22900,"active_buy_vol":0,"active_sell_vol":200,"neutral_vol":0},)"
      R"({"price":22950,"active_buy_vol":100,"active_sell_vol":0,"neutral_vol":0}]})");
}

}  // namespace
}  // namespace vnt::api
