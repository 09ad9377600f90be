#include "sim/market_rules.h"

#include <cmath>

namespace vnt::sim {

namespace {

constexpr std::int64_t kVnd = Fixed4::kScale;               // 1 VND in raw units
constexpr std::int64_t kFuturesTick = Fixed4::kScale / 10;  // 0.1 point

// HOSE tick of the band that contains raw price x.
std::int64_t HoseTickRaw(std::int64_t x) {
  if (x < 10'000 * kVnd) return 10 * kVnd;
  if (x < 50'000 * kVnd) return 50 * kVnd;
  return 100 * kVnd;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

Price TickAt(Market m, Price price) {
  return Price::FromRaw(m == Market::kDerivatives ? kFuturesTick : HoseTickRaw(price.raw));
}

Price TickUp(Market m, Price price) {
  return price + TickAt(m, price);
}

Price TickDown(Market m, Price price) {
  // The tick below a band edge is the lower band's tick: look at the price just under it.
  if (m == Market::kDerivatives) return Price::FromRaw(price.raw - kFuturesTick);
  return Price::FromRaw(price.raw - HoseTickRaw(price.raw - 1));
}

bool OnGrid(Market m, Price price) {
  return price.raw > 0 && price.raw % TickAt(m, price).raw == 0;
}

Price RoundDownToGrid(Market m, std::int64_t x) {
  // Within one band the grid is regular; the band of the result is the band of x (band edges are
  // themselves grid points of the upper band).
  const std::int64_t tick = m == Market::kDerivatives ? kFuturesTick : HoseTickRaw(x);
  return Price::FromRaw(FloorDiv(x, tick) * tick);
}

Price RoundUpToGrid(Market m, std::int64_t x) {
  const Price down = RoundDownToGrid(m, x);
  return down.raw == x ? down : TickUp(m, down);
}

Price RoundToGrid(Market m, double x) {
  const std::int64_t xi = static_cast<std::int64_t>(std::llround(x));
  const Price down = RoundDownToGrid(m, xi);
  const Price up = down.raw == xi ? down : TickUp(m, down);
  return (xi - down.raw) * 2 < (up.raw - down.raw) ? down : up;
}

PriceLimits DailyLimits(Market m, Price ref) {
  // Exact rational arithmetic: ref x 107 / 100, floored for the ceiling and ceiled for the floor.
  const std::int64_t hi = FloorDiv(ref.raw * (100 + kLimitPercent), 100);
  const std::int64_t lo_num = ref.raw * (100 - kLimitPercent);
  const std::int64_t lo = -FloorDiv(-lo_num, 100);
  PriceLimits l{RoundDownToGrid(m, hi), RoundUpToGrid(m, lo)};
  if (l.ceiling <= ref) l.ceiling = TickUp(m, ref);
  if (l.floor >= ref) l.floor = TickDown(m, ref);
  return l;
}

}  // namespace vnt::sim
