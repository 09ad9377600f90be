#pragma once
// JSON shapes of the engine's state, shared by `vntracker replay --summary` and (later) REST/WebSocket.
// Units as in design.md §3: prices in VND (stocks) or points (futures, indices), volumes in shares or
// contracts, values in whole VND.

#include "api/json_writer.h"
#include "core/engine.h"

namespace vnt::api {

// {"active_buy_vol", "active_sell_vol", "neutral_vol", "total_vol", "active_buy_val", ..., "trade_count",
//  "vwap", "active_buy_ratio"}
void WriteFlow(JsonWriter& w, const core::FlowStats& f, std::int64_t multiplier);
// One stock or futures symbol: prices, aggressor flow (total and per session), foreign flow when known.
// `bucket_mask` selects the session buckets written under "sessions" (bit i = SessionBucket i; all by
// default): WebSocket deltas send only the buckets that changed.
inline constexpr unsigned kAllBuckets = (1u << core::kSessionBuckets) - 1;
void WriteSymbol(JsonWriter& w, const core::SymbolState& s, unsigned bucket_mask = kAllBuckets);
// One symbol's foreign flow: totals, net, room, speed and acceleration.
void WriteForeignState(JsonWriter& w, const core::ForeignState& f);
// One index: value, change, breadth, volumes incl. put-through (series length only).
void WriteIndex(JsonWriter& w, const core::IndexState& i);
// One futures contract: codes, expiry, prices, basis, fair basis, convergence.
void WriteFutures(JsonWriter& w, const core::FuturesState& f);
// One alert.
void WriteAlert(JsonWriter& w, const core::Alert& a);
// One classified trade.
// `seq` > 0: the trade tape's sequence number, written first as "seq".
void WriteTrade(JsonWriter& w, const core::ClassifiedTrade& t, std::uint64_t seq = 0);
// The engine counters.
void WriteEngineCounters(JsonWriter& w, const core::EngineCounters& c);
// {"vn30": totals, "top_buyers": [...], "top_sellers": [...], "symbols": {SYM: foreign}}
void WriteForeignSummary(JsonWriter& w, const core::MarketEngine& e, std::size_t top_n = 10);

}  // namespace vnt::api
