#pragma once
// Internal to the simulator, shared by its two halves (simulator.cpp: the market model; wire_frames.cpp:
// the SSI frames it emits): one instrument's live state. Not for use outside src/sim.

#include <array>
#include <string_view>

#include "sim/market_rules.h"
#include "sim/simulator.h"

namespace vnt::sim {

// Sessions in which orders match (the auctions and continuous trading).
inline bool Trading(Session s) {
  return s == Session::kAto || s == Session::kLo || s == Session::kAtc;
}

// Live state of one stock or futures contract.
struct Simulator::Instrument {
  bool futures = false;
  Market market = Market::kHose;
  std::size_t info = 0;  // index in stocks_ or futures_
  Symbol symbol;
  std::string_view exchange;
  std::string_view status;  // TradingStatus: "N" (stocks), "Normal" (futures)
  Price ref, ceiling, floor;
  int depth = 3;
  double rate = 0;  // base trades per second in continuous trading
  // Fair value (Fixed4 raw units as double): where informed order flow pushes the book.
  double beta = 1, idio = 0, fair = 0;
  double basis_noise = 0, basis_sigma = 0;
  int days_to_expiry = 0;
  // Book: contiguous price levels from the best price outward; a level beyond the limit is empty.
  Price bid1, ask1;
  std::array<Volume, 10> bid_vol{}, ask_vol{};
  // Day statistics.
  bool traded = false;
  Price last, open, high, low, est_matched;
  Volume last_vol{}, total_vol{};
  Vnd total_val{};  // VND (futures: points x contracts x multiplier)
  Side last_side = Side::kUnknown;
  // Foreign flow (stocks).
  double f_buy_p = 0, f_sell_p = 0;
  Volume f_buy{}, f_sell{}, room_open{}, total_room{};
  bool foreign_dirty = false;
  bool snapshot = false;  // emit X for this symbol

  Session SessionAt(int t) const {
    return futures ? FuturesSession(TimeOfDay{t}) : StockSession(TimeOfDay{t});
  }
  Price Tick(Price p) const { return TickAt(market, p); }
  double Mid() const { return (static_cast<double>(bid1.raw) + static_cast<double>(ask1.raw)) / 2; }
};

}  // namespace vnt::sim
