#pragma once
// The HOSE stocks outside the VN30 basket, as an aggregate for VNINDEX frames: about 370 stocks each with a
// reference price on the HOSE grid, +/-7 % limits, a last price that follows the basket (a beta) plus its own
// drift and noise, volume and value, and the odd put-through deal. Without it VNINDEX would be the basket
// again (a breadth of 30 stocks, the basket's volume). Cheap: stepped only when VNINDEX is published. Its own
// random stream, so the basket's frames do not change with it.

#include <cstdint>
#include <vector>

#include "core/types.h"
#include "sim/rng.h"

namespace vnt::sim {

class RestOfMarket {
 public:
  // What VNINDEX adds from the rest of the market at one moment.
  struct Breadth {
    int advances = 0, declines = 0, unchanged = 0, ceilings = 0, floors = 0;
    Volume qty{};     // continuous and auction volume today
    Vnd value{};      // VND today
    Volume pt_qty{};  // put-through today
    Vnd pt_value{};
    double cap_return = 0;  // market-cap-weighted return from the reference prices (0.01 = +1 %)
  };

  static constexpr int kDefaultCount = 370;
  // The share of HOSE's market cap outside the VN30 (VN30 is about three quarters of it).
  static constexpr double kCapShare = 0.25;

  explicit RestOfMarket(std::uint64_t seed, int count = kDefaultCount);

  // Moves the market to exchange second t, the basket having returned `basket_return` since the reference;
  // `trading` = a session where orders match (ATO, continuous, ATC).
  void Step(int t, double basket_return, bool trading);
  Breadth Now() const;
  int size() const { return static_cast<int>(stocks_.size()); }

 private:
  struct Stock {
    Price ref, ceiling, floor, last;
    bool traded = false;
    double beta = 1, drift = 0, idio = 0, rate = 0.05, cap = 1, lot_scale = 1;
    Volume vol{};
    Vnd val{};
  };
  Rng rng_;
  std::vector<Stock> stocks_;
  int last_t_ = -1;
  Volume pt_qty_{};
  Vnd pt_val_{};
};

}  // namespace vnt::sim
