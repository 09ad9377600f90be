#pragma once
// Intraday series of today's market, one point per minute, each point's time an exchange instant
// "YYYY-MM-DDTHH:MM:SS+07:00" (api/market_json.h) on the engine's trading date:
//   /api/market/sparklines       {"symbols": {SYM: [[time, close], ...]}}
//   /api/market/foreign-series   {"trading_date", "points": [{"time", "buy_vol", "sell_vol", "net_vol",
//                                 "buy_val", "sell_val", "net_val"}, ...]}
//   /api/market/basis-trend      {"contract", "points": [{"time", "basis", "futures", "spot"}, ...]}
//   /ws/index "series"           [[time, value], ...]

#include <cstddef>
#include <cstdint>

#include "api/json_writer.h"
#include "core/engine.h"

namespace vnt::api {

// Every stock's (and index symbol's) minute closes today, closed minutes then the open one.
void WriteSparklines(JsonWriter& w, const core::MarketEngine& e);
// The VN30 basket's cumulative foreign flow per minute today.
void WriteForeignSeries(JsonWriter& w, const core::MarketEngine& e);
// Contract `f`'s basis points of its newest `minutes` minutes (f null: {"contract": null, "points": []}).
void WriteBasisTrend(JsonWriter& w, const core::FuturesState* f, Date date, int minutes);
// Index `i`'s minute values from point `from` on, as the array [[time, value], ...].
void WriteIndexSeries(JsonWriter& w, const core::IndexState& i, Date date, std::size_t from);

}  // namespace vnt::api
