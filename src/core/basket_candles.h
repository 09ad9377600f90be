#pragma once
// The VN30 index's 1-minute candles for today (GET /api/market/candles/VN30): the index has prices but no
// trades of its own, so its prices come from its minute series and its flow from the basket's stocks.

#include <vector>

#include "core/candles.h"
#include "core/engine.h"

namespace vnt::core {

// One candle per minute that the VN30 index's series or any VN30 stock's candle (closed or open) covers,
// oldest first, with symbol "VN30": open/high/low/close from the index's minute point (absent when the index
// has none for that minute), volume, buy/sell/neutral volume, value and trade count summed over the basket's
// candles of the minute. The date is the trading date (a stock candle's own date once it has one).
std::vector<Candle> Vn30BasketCandles(const MarketEngine& engine);

}  // namespace vnt::core
