#pragma once
// JSON shapes of the engine's state, shared by `vntracker replay --summary`, REST and WebSocket (and, as
// their text, by the edges). Units as in design.md §3: prices in VND (stocks) or points (futures, indices),
// volumes in shares or contracts, values in whole VND.
// One representation per concept on the wire:
//   - an exchange instant (a trade, a quote, a candle's start, an alert, a series point): ISO 8601 with the
//     exchange's offset, "YYYY-MM-DDTHH:MM:SS+07:00" (Vietnam has no DST: the text sorts like the time, and
//     its first 10 characters are the trading date), null when unknown (WriteTime);
//   - the market clock of an answer or a message: "trading_date" "YYYY-MM-DD" + "exchange_time" "HH:MM:SS"
//     + "session" (WriteMarketClock);
//   - a wall-clock instant (an alert delivery's end): UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" (UtcMillis);
//   - order book levels: "bid"/"ask" arrays of [price, volume], best first (WriteBook);
//   - a price the engine does not know: null, never 0.

#include <string>
#include <vector>

#include "api/json_writer.h"
#include "core/engine.h"
#include "core/market_overview.h"

namespace vnt::api {

// An exchange instant as "YYYY-MM-DDTHH:MM:SS+07:00"; "" when its date or time is unknown.
std::string ExchangeTimeText(const ExchangeTime& t);
// The minute (or second) `sec_of_day` of trading date `d` as ExchangeTimeText.
std::string ExchangeTimeText(Date d, std::int32_t sec_of_day);
// key: ExchangeTimeText(t), or null when unknown.
void WriteTime(JsonWriter& w, std::string_view key, const ExchangeTime& t);
// A price the engine keeps as zero when unknown: null instead of a made-up 0.
void WritePriceOrNull(JsonWriter& w, std::string_view key, Price p);
// "bid": [[price, volume], ...], "ask": [...]: every level the feed sent, best first.
void WriteBook(JsonWriter& w, const core::Book& book);
// "trading_date": "YYYY-MM-DD"|null, "exchange_time": "HH:MM:SS"|null, "session": "LO"|...|null: the market
// clock at the top of REST answers (snapshot, session, health) and of every WebSocket message.
void WriteMarketClock(JsonWriter& w, const core::MarketEngine& e);

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
// /api/market/orderbook/{symbol}: {"symbol", "time", "bid": [[price, volume], ...], "ask": [...]}, the
// symbol's WriteSymbol "symbol", "time", "bid" and "ask" (an edge copies them from there).
void WriteOrderBook(JsonWriter& w, const core::SymbolState& s);
// /api/market/volume-profile/{symbol}: {"symbol", "levels": [{"price", "active_buy_vol", "active_sell_vol",
// "neutral_vol"}, ...]} in price order.
void WriteVolumeProfile(JsonWriter& w, const core::SymbolState& s);
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
