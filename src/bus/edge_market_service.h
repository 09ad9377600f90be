#pragma once
// The /api/market/* reads an edge answers from the channel state it follows (bus/edge_state.h), with the
// engine node's bytes, parameters and errors (server/market_service.cpp):
//   snapshot (?symbols=, ?format=csv), symbol/{symbol}, futures, foreign-detail (?format=csv), alerts (every
//   filter, ?format=csv), trades/{symbol} (?limit, before_seq, min_volume, ?format=csv), orderbook/{symbol},
//   session.
// What the channels do not carry is answered 503 {"error":{"code":"engine_only",..}}: candles, sparklines,
// volume-profile, volume-stats, basis-trend, foreign-series, overview (nginx routes them to the engine), and
// futures contracts by symbol/{symbol} and orderbook/{symbol}. A read the edge cannot make exact right now
// (the channel is resynchronising; trades older than its tape holds) is 503 "unavailable": nginx retries it
// on the engine (deploy/nginx/nginx.conf).
// Alerts carry "deliveries": [] (delivery outcomes live in the engine node's process only).

#include <memory>
#include <string>
#include <vector>

#include "bus/edge_source.h"
#include "bus/edge_state.h"
#include "server/router.h"

namespace vnt::bus {

class EdgeMarketService {
 public:
  // `vn30`: the basket the engine node was started with (a basket symbol not traded yet is known).
  EdgeMarketService(EdgeSource& source, std::vector<Symbol> vn30, EdgeState::Limits limits = {});
  void Register(server::Router& router);
  // Call on the loop after the source took a message of channel c: keeps the trades tape joined to every
  // delta (a tape rebuilt from a later snapshot would be shallower, and deep reads would go to the engine).
  void OnMessage(server::WsChannel c) {
    if (c == server::WsChannel::kTrades) state_.Follow(source_, c);
  }
  const EdgeState& state() const { return state_; }

  // The paths (after /api/market/) that only the engine node answers.
  static const std::vector<std::string>& EngineOnly();

 private:
  server::Response Snapshot(const server::Request& req);
  server::Response Symbol1(const std::string& sym);
  server::Response Futures();
  server::Response ForeignDetail();
  server::Response Alerts(const server::Request& req);
  server::Response Trades(const server::Request& req, const std::string& sym);
  server::Response OrderBook(const std::string& sym);
  server::Response Session();
  // Follows the source and checks the channels a read needs: a 503 when one has no state.
  std::optional<server::Response> Need(std::initializer_list<server::WsChannel> channels);
  void AppendForeignSummary(std::string* out) const;
  Date TradingDate() const;

  EdgeSource& source_;
  std::vector<Symbol> vn30_;
  EdgeState state_;
  std::uint64_t snapshot_version_ = ~0ull;
  std::string snapshot_cache_;
};

}  // namespace vnt::bus
