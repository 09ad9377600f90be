#pragma once
// Time & sales: today's trades per symbol, kept in memory for /api/market/trades/{symbol} and /ws/trades.
// Each trade gets a tape sequence number (1-based, process-wide, increasing in arrival order) so clients
// page back (`before_seq`) and notice gaps. Bounded: the newest `per_symbol` trades of each symbol
// (about 100 bytes each). Pure: fed by the publisher's MarketSink on the engine thread.

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "core/engine.h"

namespace vnt::server {

struct TapeTrade {
  std::uint64_t seq = 0;
  core::ClassifiedTrade trade;
};

class TradeTape {
 public:
  static constexpr std::size_t kDefaultPerSymbol = 5000;
  explicit TradeTape(std::size_t per_symbol = kDefaultPerSymbol) : per_symbol_(per_symbol) {}

  // Records a trade; returns the stored copy.
  const TapeTrade& Add(const core::ClassifiedTrade& t);
  // A new trading day: forgets every trade (sequence numbers keep increasing).
  void Clear() { by_symbol_.clear(); }
  // The symbol's newest trades first: at most `limit`, with seq < before_seq (0 = no bound) and
  // volume >= min_volume.
  std::vector<const TapeTrade*> Latest(Symbol s, std::size_t limit, std::uint64_t before_seq = 0,
                                       Volume min_volume = Volume{}) const;
  std::uint64_t last_seq() const { return next_seq_ - 1; }
  // Symbols with trades today.
  std::vector<Symbol> symbols() const;

 private:
  std::size_t per_symbol_;
  std::uint64_t next_seq_ = 1;
  std::unordered_map<Symbol, std::deque<TapeTrade>, SymbolHash> by_symbol_;
};

}  // namespace vnt::server
