#pragma once
// Exchange price rules used by the simulator (fastconnect-v2.md §6.1, §6.3): HOSE tick bands, the ±7%
// daily limits with the ceiling rounded down and the floor rounded up to the tick, VN30 futures ticks.
// All prices are Fixed4 (raw = value x 10,000): VND for stocks, index points for futures.

#include <cstdint>

#include "core/types.h"

namespace vnt::sim {

// Kind of price grid.
enum class Market : std::uint8_t {
  kHose,         // stocks: tick 10 / 50 / 100 VND by price band
  kDerivatives,  // VN30 index futures: tick 0.1 point
};

// HOSE lot size in shares.
inline constexpr Volume kHoseLot{100};
// VN30 futures contract multiplier, VND per index point.
inline constexpr std::int64_t kFuturesMultiplier = 100'000;
// Daily price limit of both markets, in percent of the reference price.
inline constexpr int kLimitPercent = 7;

// Tick size of the band containing `price` (HOSE: < 10,000: 10; 10,000-49,950: 50; >= 50,000: 100).
Price TickAt(Market m, Price price);
// The next valid price above `price` (which must be on the grid).
Price TickUp(Market m, Price price);
// The next valid price below `price` (which must be on the grid); crosses band edges correctly
// (50,000 -> 49,950; 10,000 -> 9,990).
Price TickDown(Market m, Price price);
// True when `price` is positive and a multiple of the tick of its band.
bool OnGrid(Market m, Price price);
// Largest valid price <= raw value `x` (Fixed4 raw units).
Price RoundDownToGrid(Market m, std::int64_t x);
// Smallest valid price >= raw value `x` (Fixed4 raw units).
Price RoundUpToGrid(Market m, std::int64_t x);
// Nearest valid price to `x` (a value in Fixed4 raw units given as double).
Price RoundToGrid(Market m, double x);

// Ceiling and floor of a trading day.
struct PriceLimits {
  Price ceiling;
  Price floor;
};
// ref x (1 ± 7%): ceiling rounded down, floor rounded up to the tick; if a limit collapses onto the
// reference price it is moved one tick away (22900 -> 24500/21300; 1880.0 -> 2011.6/1748.4).
PriceLimits DailyLimits(Market m, Price ref);

}  // namespace vnt::sim
