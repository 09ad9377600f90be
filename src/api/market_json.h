#pragma once
// JSON shapes of the engine's state, shared by `vntracker replay --summary` and (later) REST/WebSocket.
// Units as in design.md §3: prices in VND (stocks) or points (futures, indices), volumes in shares or
// contracts, values in whole VND.

#include <string>
#include <vector>

#include "api/json_writer.h"
#include "core/engine.h"
#include "core/market_overview.h"

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
// The outcome of one delivery of an alert (webhook, a rule's webhook, Telegram).
struct AlertDeliveryJson {
  std::string channel;       // "webhook", "rule_webhook", "telegram"
  std::string result;        // "delivered", "given_up", "dropped"
  int attempts = 0;          // attempts made (0: never sent)
  int status = 0;            // the last HTTP status (0 = none: written as null)
  std::string error;         // the last problem ("" = none: written as null)
  std::int64_t time_ms = 0;  // when it ended, Unix ms: written as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ"
  friend bool operator==(const AlertDeliveryJson&, const AlertDeliveryJson&) = default;
};
// One alert with its "deliveries": [{"channel","result","attempts","status","error","time"}] (REST).
void WriteAlert(JsonWriter& w, const core::Alert& a, const std::vector<AlertDeliveryJson>& deliveries);
// Unix ms as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string UtcMillis(std::int64_t unix_ms);
// One classified trade.
// `seq` > 0: the trade tape's sequence number, written first as "seq".
void WriteTrade(JsonWriter& w, const core::ClassifiedTrade& t, std::uint64_t seq = 0);
// The engine counters.
void WriteEngineCounters(JsonWriter& w, const core::EngineCounters& c);
// {"vn30": totals, "top_buyers": [...], "top_sellers": [...], "symbols": {SYM: foreign}}
void WriteForeignSummary(JsonWriter& w, const core::MarketEngine& e, std::size_t top_n = 10);

// The market overview (/api/market/overview; README "Market overview"): {"vn30": index|null, "vnindex":
// index|null, "breadth": {"vnindex": {...}|null, "vn30": {...}|null}, "contributions": {"ready",
// "index_change", "sum_points", "residual", "unknown", "tolerance", "weights"}, "tiles": [{"symbol", "ref",
// "last", "traded", "change_pct", "volume", "value", "foreign_net_vol", "foreign_net_val", "contribution",
// "weight"}, ...], "put_through": {"symbols": [...], "total_vol", "total_val", "deals": [trade, ...] (newest
// first), "index": {"vn30": {"qty", "value"}|null, "vnindex": ...}}}.
void WriteMarketOverview(JsonWriter& w, const core::MarketOverview& o,
                         const std::vector<const core::ClassifiedTrade*>& pt_deals);

}  // namespace vnt::api
