// MarketEngine, part 3: futures contracts (volume, value, price) and their basis against the VN30,
// with the premium/discount regime and its basis_divergence alert.
#include "core/engine.h"

#include <cmath>

namespace vnt::core {

void MarketEngine::UpdateFutures(SymbolState& s, ExchangeTime t, const TradeTotals& traded) {
  const auto fi = static_cast<std::size_t>(s.futures_index);
  FuturesState& f = futures_[fi];
  if (traded.traded) {
    f.volume += traded.volume;
    f.value += traded.value;
    ++f.trade_count;
    f.active_buy_vol = s.total.buy_vol;
    f.active_sell_vol = s.total.sell_vol;
    f.neutral_vol = s.total.neutral_vol;
  }
  f.baseline_vol = s.baseline_volume;
  f.feed_total_vol = s.feed_total_vol;
  f.book = s.book;
  if (s.last.raw > 0) f.last = s.last;
  if (s.ref.raw > 0) f.ref = s.ref;
  if (f.last.raw > 0 && f.ref.raw > 0) {
    f.change = f.last - f.ref;
    f.change_pct = static_cast<double>(f.change.raw) * 100.0 / static_cast<double>(f.ref.raw);
  }
  if (t.date.valid() && (!f.updated.date.valid() || f.updated < t)) f.updated = t;
  RecomputeBasisOf(fi, t);
  Push(NoticeKind::kFutures, f.contract.krx_code, static_cast<std::uint32_t>(fi));
}

void MarketEngine::RecomputeBasisOf(std::size_t fi, ExchangeTime t) {
  FuturesState& f = futures_[fi];
  if (!RecomputeBasis(f, vn30_value_, t, futures_cfg_)) return;
  const double band = cfg_.alerts.basis_band;
  BasisRegime& br = basis_regimes_[fi];
  br.Update(f.basis.ToDouble(), band);
  // The regime is tracked for every contract (so enabling alerts later starts from the truth), but flips
  // are judged only against an index that has moved in the continuous session (see alerts.h).
  if (br.regime == 0 || !vn30_moved_continuous_) return;
  if (br.reported == 0) {
    br.reported = br.regime;  // the day's starting point, not a flip
    return;
  }
  if (br.regime == br.reported) {
    br.pending = 0;  // back before it held: nothing happened
    return;
  }
  const std::int64_t now = t.LocalEpochSeconds();
  const double basis = f.basis.ToDouble();
  if (basis * br.regime <= 0) {
    br.pending = 0;  // back across zero: the new regime has not held, its clock restarts
    return;
  }
  if (br.pending != br.regime) {
    br.pending = br.regime;
    br.pending_since = now;
  }
  // Reported once it held, and while the basis is beyond the band on the new side (the text then states
  // what is true: "flipped to discount: -0.8 points", never "+0.03").
  if (now - br.pending_since < cfg_.alerts.basis_hold_sec || std::fabs(basis) < band) return;
  br.reported = br.regime;
  br.pending = 0;
  if (!cfg_.alerts.enabled) return;
  // Only the front contract alerts by default (back months trade rarely: their basis moves with the index
  // on a stale price).
  if (cfg_.alerts.basis_front_only && static_cast<int>(fi) != front_) return;
  Alert a = Alert::Of(AlertType::kBasisDivergence, Severity::kWarning, f.contract.krx_code, "basis");
  a.unit = AlertUnit::kPoints;
  a.direction = br.regime > 0 ? Direction::kUp : Direction::kDown;
  a.value = f.basis.ToDouble();
  a.threshold = br.regime > 0 ? band : -band;
  a.AddDetail("basis_pct", f.basis_pct, AlertUnit::kPercent);
  a.AddDetail("spot", f.spot.ToDouble(), AlertUnit::kPoints);
  a.AddDetail("price", f.last.ToDouble(), AlertUnit::kPoints);
  a.time = t;
  Emit(std::move(a));
}

}  // namespace vnt::core
