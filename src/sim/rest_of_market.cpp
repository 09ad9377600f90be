#include "sim/rest_of_market.h"

#include <algorithm>
#include <cmath>

#include "sim/market_rules.h"

namespace vnt::sim {

RestOfMarket::RestOfMarket(std::uint64_t seed, int count) : rng_(seed ^ 0x5E57'0F'4A'5E00ull) {
  stocks_.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    Stock s;
    // Reference prices spread log-uniformly over 3,000-90,000 VND, on the HOSE grid.
    const double px = 3000.0 * std::exp(rng_.Uniform() * std::log(30.0));
    s.ref = RoundToGrid(Market::kHose, px * Fixed4::kScale);
    s.ceiling = RoundDownToGrid(Market::kHose, s.ref.raw * (100 + kLimitPercent) / 100);
    s.floor = RoundUpToGrid(Market::kHose, s.ref.raw * (100 - kLimitPercent) / 100);
    s.last = s.ref;
    s.beta = 0.6 + 0.9 * rng_.Uniform();
    // The day's own move: most names drift a little, a few (small caps in the news) run to a limit.
    s.drift = rng_.Normal() * (rng_.Chance(0.04) ? 0.06 : 0.012);
    s.rate = 0.01 + 0.2 * rng_.Uniform() *
                        rng_.Uniform();  // trades per second (~5 lots each: HOSE ~0.7 bn shares a day)
    s.cap = std::exp(rng_.Normal() * 1.2);
    s.lot_scale = std::exp(rng_.Normal() * 0.8);
    stocks_.push_back(s);
  }
}

void RestOfMarket::Step(int t, double basket_return, bool trading) {
  const int dt = last_t_ < 0 ? 0 : std::max(0, t - last_t_);
  last_t_ = t;
  if (!trading || dt == 0) return;
  // The drift unfolds over the 4.5 hours of trading; the noise is a random walk of ~1 % a day.
  const double day_fraction = static_cast<double>(dt) / (4.5 * 3600);
  for (Stock& s : stocks_) {
    s.idio += s.drift * day_fraction + rng_.Normal() * 0.012 * std::sqrt(day_fraction);
    const double p_trade = 1.0 - std::exp(-s.rate * dt);
    if (!rng_.Chance(p_trade)) continue;
    const double target = s.ref.ToDouble() * (1.0 + s.beta * basket_return + s.idio);
    const double clamped = std::clamp(target, s.floor.ToDouble(), s.ceiling.ToDouble());
    s.last = RoundToGrid(Market::kHose, clamped * Fixed4::kScale);
    s.last = std::clamp(s.last, s.floor, s.ceiling);
    s.traded = true;
    const Volume vol{100 * std::max<std::int64_t>(1, std::llround(s.lot_scale * std::exp(rng_.Normal()) * 3 *
                                                                  dt * s.rate / std::max(p_trade, 1e-9)))};
    s.vol += vol;
    s.val += Vnd{vol.raw() * s.last.raw / Fixed4::kScale};
  }
  // A put-through deal now and then (block trades of a few hundred thousand shares at the reference).
  if (rng_.Chance(std::min(1.0, dt / 600.0))) {
    const Stock& s =
        stocks_[static_cast<std::size_t>(rng_.Range(0, static_cast<std::int64_t>(stocks_.size()) - 1))];
    const Volume q{10'000 * rng_.Range(10, 200)};
    pt_qty_ += q;
    pt_val_ += Vnd{q.raw() * s.ref.raw / Fixed4::kScale};
  }
}

RestOfMarket::Breadth RestOfMarket::Now() const {
  Breadth b;
  double cap_ref = 0, cap_now = 0;
  for (const Stock& s : stocks_) {
    if (s.last > s.ref)
      ++b.advances;
    else if (s.last < s.ref)
      ++b.declines;
    else
      ++b.unchanged;
    if (s.traded && s.last == s.ceiling) ++b.ceilings;
    if (s.traded && s.last == s.floor) ++b.floors;
    b.qty += s.vol;
    b.value += s.val;
    cap_ref += s.cap;
    cap_now += s.cap * s.last.ToDouble() / s.ref.ToDouble();
  }
  b.pt_qty = pt_qty_;
  b.pt_value = pt_val_;
  b.cap_return = cap_ref > 0 ? cap_now / cap_ref - 1.0 : 0.0;
  return b;
}

}  // namespace vnt::sim
