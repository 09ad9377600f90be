#include "api/candle_json.h"

#include "api/market_json.h"

namespace vnt::api {

void WriteCandle(JsonWriter& w, const core::Candle& c, bool closed) {
  w.BeginObject().Field("symbol", c.symbol.view());
  WriteTime(w, "time", ExchangeTime{c.date, TimeOfDay{c.minute}});
  WritePriceOrNull(w, "open", c.open);
  WritePriceOrNull(w, "high", c.high);
  WritePriceOrNull(w, "low", c.low);
  WritePriceOrNull(w, "close", c.close);
  w.Field("volume", c.volume).Field("active_buy_vol", c.buy_vol).Field("active_sell_vol", c.sell_vol);
  w.Field("neutral_vol", c.neutral_vol).Field("value", c.value).Field("trade_count", c.trade_count);
  w.Field("closed", closed).EndObject();
}

bool CandleEnded(const core::Candle& c, std::int32_t interval_sec, const ExchangeTime& now) {
  if (!now.date.valid() || !now.time.valid() || !c.date.valid()) return false;
  const ExchangeTime start{c.date, TimeOfDay{c.minute}};
  return start.LocalEpochSeconds() + interval_sec <= now.LocalEpochSeconds();
}

}  // namespace vnt::api
