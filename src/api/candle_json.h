#pragma once
// The one candle shape of the API, for every endpoint that sends candles: today's from the engine
// (/api/market/candles/{symbol}), stored and aggregated ones (/api/history/{symbol}/candles, its CSV) and the
// lines of `vntracker replay`:
//   {"symbol", "time", "open", "high", "low", "close", "volume", "active_buy_vol", "active_sell_vol",
//    "neutral_vol", "value", "trade_count", "closed"}
// "time" is the exchange instant the bar starts at, "YYYY-MM-DDTHH:MM:SS+07:00" (a daily bar: its date at
// 00:00); a price the bar does not have (a minute with volume but no priced trade, a basket minute without an
// index point) is null, never 0; "closed" is true once the bar's interval has ended and it will not change.

#include <cstdint>

#include "api/json_writer.h"
#include "core/candles.h"

namespace vnt::api {

// Writes candle `c` (its symbol, date and minute name it) as one object.
void WriteCandle(JsonWriter& w, const core::Candle& c, bool closed);

// True when a bar of `interval_sec` starting at c's date and minute has ended by `now` (Vietnam time; false
// while `now` is unknown).
bool CandleEnded(const core::Candle& c, std::int32_t interval_sec, const ExchangeTime& now);

}  // namespace vnt::api
