#include "api/candle_json.h"

#include <gtest/gtest.h>

namespace vnt::api {
namespace {

core::Candle Acb0915() {
  core::Candle c;
  c.symbol = Symbol::Of("ACB");
  c.date = Date::Of(2026, 3, 18);
  c.minute = 9 * 3600 + 15 * 60;
  c.open = Price::FromRaw(244000000);
  c.high = Price::FromRaw(244500000);
  c.low = Price::FromRaw(243000000);
  c.close = Price::FromRaw(244000000);
  c.volume = Volume{494100};
  c.buy_vol = Volume{47800};
  c.sell_vol = Volume{130000};
  c.neutral_vol = Volume{316300};
  c.value = Vnd{12043265000};
  c.trade_count = 58;
  return c;
}

std::string Json(const core::Candle& c, bool closed) {
  std::string s;
  JsonWriter w(&s);
  WriteCandle(w, c, closed);
  return s;
}

TEST(CandleJson, OneShapeWithExchangeTimeAndClosed) {
  EXPECT_EQ(Json(Acb0915(), true),
            R"({"symbol":"ACB","time":"2026-03-18T09:15:00+07:00","open":24400,"high":24450,"low":24300,)"
            R"("close":24400,"volume":494100,"active_buy_vol":47800,"active_sell_vol":130000,)"
            R"("neutral_vol":316300,"value":12043265000,"trade_count":58,"closed":true})");
}

// A minute with volume but no priced trade (or a basket minute without an index point): null, never 0.
TEST(CandleJson, MissingPricesAreNullAndTheOpenCandleIsNotClosed) {
  core::Candle c = Acb0915();
  c.open = c.high = c.low = c.close = Price{};
  EXPECT_EQ(Json(c, false),
            R"({"symbol":"ACB","time":"2026-03-18T09:15:00+07:00","open":null,"high":null,"low":null,)"
            R"("close":null,"volume":494100,"active_buy_vol":47800,"active_sell_vol":130000,)"
            R"("neutral_vol":316300,"value":12043265000,"trade_count":58,"closed":false})");
}

TEST(CandleJson, ADailyBarStartsAtMidnightOfItsDate) {
  core::Candle c = Acb0915();
  c.minute = 0;
  EXPECT_NE(Json(c, true).find(R"("time":"2026-03-18T00:00:00+07:00")"), std::string::npos) << Json(c, true);
}

TEST(CandleJson, EndedOnceTheIntervalHasPassedOnTheMarketClock) {
  const core::Candle c = Acb0915();  // 09:15
  const Date d = Date::Of(2026, 3, 18);
  EXPECT_FALSE(CandleEnded(c, 300, ExchangeTime{d, TimeOfDay::Of(9, 19, 59)}));
  EXPECT_TRUE(CandleEnded(c, 300, ExchangeTime{d, TimeOfDay::Of(9, 20, 0)}));
  // A daily bar ends at the next midnight, not at the close.
  core::Candle day = c;
  day.minute = 0;
  EXPECT_FALSE(CandleEnded(day, 86400, ExchangeTime{d, TimeOfDay::Of(15, 0, 0)}));
  EXPECT_TRUE(CandleEnded(day, 86400, ExchangeTime{Date::Of(2026, 3, 19), TimeOfDay::Of(9, 0, 0)}));
  EXPECT_FALSE(CandleEnded(c, 300, ExchangeTime{}));  // an unknown clock closes nothing
}

}  // namespace
}  // namespace vnt::api
