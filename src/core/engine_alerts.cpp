// MarketEngine, part 4: the built-in alert detectors (volume_spike, imbalance_extreme and
// velocity_divergence on a closed candle; price_breakout), user-rule evaluation, and Emit.
#include "core/engine.h"

#include <algorithm>
#include <cmath>

#include "core/alert_text.h"

namespace vnt::core {

void MarketEngine::CandleClosed(const SymbolState& s, const Candle& c, ExchangeTime t) {
  pending_candles_.push_back(c);
  Push(NoticeKind::kCandle, s.symbol, static_cast<std::uint32_t>(pending_candles_.size() - 1));
  if (!cfg_.alerts.enabled) return;
  const AlertConfig& ac = cfg_.alerts;
  const bool fut = s.kind == SymbolKind::kFutures;
  const RingBuffer<Candle>& closed = s.candles.closed();
  const std::size_t n = closed.size();
  if (n == 0 || closed.back().minute != c.minute) return;  // c is always the newest closed candle

  // volume_spike: this minute's continuous volume against the average continuous volume of the N closed
  // minutes before it. Like with like: an auction print (the ATC's whole closing volume in one minute) is
  // not a spike of continuous trading, and does not inflate the average either.
  const auto lookback = static_cast<std::size_t>(std::max(ac.volume_spike_lookback, 1));
  if (n - 1 >= lookback) {
    Volume sum{};
    for (std::size_t i = n - 1 - lookback; i < n - 1; ++i) sum += closed[i].continuous_vol();
    const double avg = sum.ToDouble() / static_cast<double>(lookback);
    const Volume min_vol = fut ? ac.volume_spike_min_volume_futures : ac.volume_spike_min_volume;
    const double limit = ac.volume_spike_k * avg;
    const Volume vol = c.continuous_vol();
    if (vol >= min_vol && vol.ToDouble() > limit &&
        alerts_.TryFire(BuiltinCooldownKey(AlertType::kVolumeSpike), s.symbol, t.LocalEpochSeconds(),
                        ac.builtin_cooldown_sec)) {
      Alert a = Alert::Of(AlertType::kVolumeSpike, Severity::kWarning, s.symbol, "minute_volume");
      a.unit = fut ? AlertUnit::kContracts : AlertUnit::kShares;
      a.direction = Direction::kUp;
      a.window_sec = 60;
      a.value = vol.ToDouble();
      a.threshold = limit;
      a.AddDetail("average", avg, a.unit);
      a.AddDetail("multiple", avg > 0 ? vol.ToDouble() / avg : 0.0, AlertUnit::kMultiple);
      a.AddDetail("lookback_min", static_cast<double>(lookback), AlertUnit::kCount_);
      a.time = t;
      Emit(std::move(a));
    }
  }

  // Flow window: the closed minutes within the last W minutes (this one included). It must be covered by the
  // day's candles (the first closed candle at or before its start), so two minutes of data never pass for
  // five.
  const int window_min = std::max(ac.flow_window_min, 1);
  const std::int32_t from = c.minute - (window_min - 1) * 60;
  if (closed.front().date != c.date || closed.front().minute > from) return;
  // One alert per window at most: a persisting condition is not news every minute.
  const int flow_cooldown = std::max(ac.builtin_cooldown_sec, window_min * 60);
  Volume buy{}, sell{};
  Price first_open;
  for (std::size_t i = n; i-- > 0;) {
    const Candle& k = closed[i];
    if (k.date != c.date || k.minute < from) break;
    buy += k.buy_vol;
    sell += k.sell_vol;
    if (k.open.raw > 0) first_open = k.open;
  }
  const Volume directed = buy + sell;
  const Volume min_flow = fut ? ac.flow_min_volume_futures : ac.flow_min_volume;
  if (directed <= Volume{} || directed < min_flow) return;
  const double ratio = buy.ToDouble() / directed.ToDouble();
  if ((ratio >= ac.imbalance_high || ratio <= ac.imbalance_low) &&
      alerts_.TryFire(BuiltinCooldownKey(AlertType::kImbalanceExtreme), s.symbol, t.LocalEpochSeconds(),
                      flow_cooldown)) {
    Alert a = Alert::Of(AlertType::kImbalanceExtreme, Severity::kInfo, s.symbol, "active_buy_ratio");
    a.unit = AlertUnit::kPercent;
    a.direction = ratio >= ac.imbalance_high ? Direction::kUp : Direction::kDown;
    a.window_sec = window_min * 60;
    a.value = ratio * 100.0;
    a.threshold = (ratio >= ac.imbalance_high ? ac.imbalance_high : ac.imbalance_low) * 100.0;
    a.AddDetail("aggressed_vol", directed.ToDouble(), fut ? AlertUnit::kContracts : AlertUnit::kShares);
    a.time = t;
    Emit(std::move(a));
  }
  if (first_open.raw > 0 && c.close.raw > 0) {
    const double move_pct =
        static_cast<double>((c.close - first_open).raw) * 100.0 / static_cast<double>(first_open.raw);
    const double imbalance = (buy - sell).ToDouble() / directed.ToDouble();
    const double p = ac.velocity_price_move_pct;
    const double x = ac.velocity_imbalance;
    const bool up_on_selling = move_pct >= p && imbalance <= -x;
    const bool down_on_buying = move_pct <= -p && imbalance >= x;
    if ((up_on_selling || down_on_buying) &&
        alerts_.TryFire(BuiltinCooldownKey(AlertType::kVelocityDivergence), s.symbol, t.LocalEpochSeconds(),
                        flow_cooldown)) {
      Alert a = Alert::Of(AlertType::kVelocityDivergence, Severity::kWarning, s.symbol, "price_move_pct");
      a.unit = AlertUnit::kPercent;
      a.direction = up_on_selling ? Direction::kUp : Direction::kDown;  // the price's way
      a.window_sec = window_min * 60;
      a.value = move_pct;
      a.threshold = up_on_selling ? p : -p;
      a.AddDetail("imbalance_pct", imbalance * 100.0, AlertUnit::kPercent);
      a.time = t;
      Emit(std::move(a));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Alerts

void MarketEngine::Emit(Alert a) {
  // A contract is named by its code and its alias on the alert's date, whichever code the feed used.
  if (const FuturesState* f = FindContract(a.symbol.view()); f != nullptr) {
    a.contract = f->contract.legacy_code;
    a.alias = f->alias ? std::string(ToString(*f->alias)) : std::string();
  }
  a.message = AlertSentence(a, Lang::kEn);
  ++counters_.alerts;
  ++counters_.alerts_by_type[static_cast<std::size_t>(a.type)];
  const Alert& stored = alerts_.Record(std::move(a));
  pending_alerts_.push_back(stored);
  Push(NoticeKind::kAlert, stored.symbol, static_cast<std::uint32_t>(pending_alerts_.size() - 1));
}

void MarketEngine::CheckBreakout(SymbolState& s, ExchangeTime t) {
  std::int8_t state = 0;
  if (s.last.raw > 0 && s.ceiling.raw > 0 && s.last >= s.ceiling) state = 1;
  if (s.last.raw > 0 && s.floor.raw > 0 && s.last <= s.floor) state = -1;
  if (state == s.breakout) return;
  s.breakout = state;  // edge-triggered: one alert on reaching the limit, not one per trade there
  if (state == 0 || !cfg_.alerts.enabled) return;
  if (!alerts_.TryFire(BuiltinCooldownKey(AlertType::kPriceBreakout), s.symbol, t.LocalEpochSeconds(),
                       cfg_.alerts.builtin_cooldown_sec)) {
    return;
  }
  Alert a = Alert::Of(AlertType::kPriceBreakout, Severity::kCritical, s.symbol, "last_price");
  a.unit = s.kind == SymbolKind::kFutures ? AlertUnit::kPoints : AlertUnit::kVnd;
  a.direction = state > 0 ? Direction::kUp : Direction::kDown;
  a.value = s.last.ToDouble();
  a.threshold = state > 0 ? s.ceiling.ToDouble() : s.floor.ToDouble();
  a.time = t;
  Emit(std::move(a));
}

bool MarketEngine::RuleMatches(const AlertRule& r, const RuleContext& ctx) const {
  if (r.symbol == "*") return true;
  if (ctx.sym != nullptr && IEquals(r.symbol, ctx.sym->symbol.view())) return true;
  if (ctx.fut != nullptr) {
    if (IEquals(r.symbol, ctx.fut->contract.krx_code.view()) ||
        IEquals(r.symbol, ctx.fut->contract.legacy_code.view())) {
      return true;
    }
    if (ctx.fut->alias && IEquals(r.symbol, ToString(*ctx.fut->alias))) return true;
  }
  if (ctx.idx != nullptr && IEquals(r.symbol, ctx.idx->id.view())) return true;
  return false;
}

AlertUnit MarketEngine::MetricUnit(Metric m, const RuleContext& ctx) {
  // Prices of stocks are VND; of futures and indices, points.
  const bool points = ctx.sym == nullptr || ctx.sym->kind == SymbolKind::kFutures;
  const bool contracts = ctx.fut != nullptr || (ctx.sym != nullptr && ctx.sym->kind == SymbolKind::kFutures);
  switch (m) {
    case Metric::kLastPrice:
    case Metric::kChange:
    case Metric::kVwap:
      return points ? AlertUnit::kPoints : AlertUnit::kVnd;
    case Metric::kChangePct:
    case Metric::kActiveBuyRatio:
    case Metric::kActiveBuyRatio5m:
    case Metric::kActiveBuyRatioWindow:
    case Metric::kRoomUsedPct:
    case Metric::kBasisPct:
    case Metric::kIndexChangePct:
      return AlertUnit::kPercent;
    case Metric::kTotalVol:
    case Metric::kActiveBuyVol:
    case Metric::kActiveSellVol:
      return contracts ? AlertUnit::kContracts : AlertUnit::kShares;
    case Metric::kForeignBuyVol:
    case Metric::kForeignSellVol:
    case Metric::kForeignNetVol:
      return AlertUnit::kShares;
    case Metric::kTotalVal:
    case Metric::kForeignNetVal:
      return AlertUnit::kVnd;
    case Metric::kForeignNetSpeedVol:
      return AlertUnit::kSharesPerMin;
    case Metric::kForeignNetSpeedVal:
      return AlertUnit::kVndPerMin;
    case Metric::kForeignNetAccelVal:
      return AlertUnit::kVndPerMinPerMin;
    case Metric::kVolumeMultiple:
      return AlertUnit::kMultiple;
    case Metric::kBasis:
    case Metric::kFairBasis:
    case Metric::kBasisMinusFair:
    case Metric::kIndexValue:
      return AlertUnit::kPoints;
    case Metric::kTradeCount:
    case Metric::kAdvances:
    case Metric::kDeclines:
      return AlertUnit::kCount_;
    case Metric::kCount:
      break;
  }
  return AlertUnit::kNone;
}

std::optional<double> MarketEngine::VolumeMultiple(const SymbolState& s) const {
  // The last closed minute's continuous volume against the average of the volume_spike lookback before it,
  // like the built-in volume_spike (auction prints taken out on both sides).
  const RingBuffer<Candle>& closed = s.candles.closed();
  const auto lookback = static_cast<std::size_t>(std::max(cfg_.alerts.volume_spike_lookback, 1));
  const std::size_t n = closed.size();
  if (n < lookback + 1) return std::nullopt;
  Volume sum{};
  for (std::size_t i = n - 1 - lookback; i < n - 1; ++i) sum += closed[i].continuous_vol();
  if (sum <= Volume{}) return std::nullopt;
  return closed.back().continuous_vol().ToDouble() * static_cast<double>(lookback) / sum.ToDouble();
}

std::optional<double> MarketEngine::MetricValue(const AlertRule& r, const RuleContext& ctx) const {
  const Metric m = r.metric;
  const SymbolState* s = ctx.sym;
  const FuturesState* f = ctx.fut;
  const auto ratio_pct = [](std::optional<double> r) -> std::optional<double> {
    if (!r) return std::nullopt;
    return *r * 100.0;
  };
  switch (m) {
    case Metric::kLastPrice:
      if (s && s->last.raw > 0) return s->last.ToDouble();
      if (f && f->last.raw > 0) return f->last.ToDouble();
      return std::nullopt;
    case Metric::kChange:
      if (s && s->last.raw > 0 && s->ref.raw > 0) return s->change().ToDouble();
      if (!s && f && f->ref.raw > 0) return f->change.ToDouble();
      return std::nullopt;
    case Metric::kChangePct:
      if (s && s->last.raw > 0 && s->ref.raw > 0) return s->change_pct();
      if (!s && f && f->ref.raw > 0) return f->change_pct;
      return std::nullopt;
    case Metric::kTotalVol:
      if (s) return s->volume().ToDouble();
      if (f) return f->volume.ToDouble();
      return std::nullopt;
    case Metric::kTotalVal:
      if (s) return s->total.value().ToDouble();
      if (f) return f->value.ToDouble();
      return std::nullopt;
    case Metric::kTradeCount:
      if (s) return static_cast<double>(s->total.trade_count);
      if (f) return static_cast<double>(f->trade_count);
      return std::nullopt;
    case Metric::kVwap:
      if (s && s->volume() > Volume{}) return s->vwap().ToDouble();
      return std::nullopt;
    case Metric::kActiveBuyVol:
      if (s) return s->total.buy_vol.ToDouble();
      return std::nullopt;
    case Metric::kActiveSellVol:
      if (s) return s->total.sell_vol.ToDouble();
      return std::nullopt;
    case Metric::kActiveBuyRatio:
      if (s) return ratio_pct(s->total.ActiveBuyRatio());
      return std::nullopt;
    case Metric::kActiveBuyRatio5m:
      if (s) return ratio_pct(ActiveBuyRatioWindow(*s, 5));
      return std::nullopt;
    case Metric::kActiveBuyRatioWindow:
      if (s) return ratio_pct(ActiveBuyRatioWindow(*s, r.window_min));
      return std::nullopt;
    case Metric::kVolumeMultiple:
      if (s) return VolumeMultiple(*s);
      return std::nullopt;
    case Metric::kForeignBuyVol:
    case Metric::kForeignSellVol:
    case Metric::kForeignNetVol:
    case Metric::kForeignNetVal:
    case Metric::kForeignNetSpeedVol:
    case Metric::kForeignNetSpeedVal:
    case Metric::kForeignNetAccelVal:
    case Metric::kRoomUsedPct: {
      if (!s || !s->foreign.state().has_data) return std::nullopt;
      const ForeignState& fs = s->foreign.state();
      switch (m) {
        case Metric::kForeignBuyVol:
          return fs.buy_vol.ToDouble();
        case Metric::kForeignSellVol:
          return fs.sell_vol.ToDouble();
        case Metric::kForeignNetVol:
          return fs.net_vol().ToDouble();
        case Metric::kForeignNetVal:
          return fs.net_val().ToDouble();
        case Metric::kForeignNetSpeedVol:
          if (!fs.speed_ready) return std::nullopt;  // not yet a rate: no rule fires on it
          return fs.net_speed_vol;
        case Metric::kForeignNetSpeedVal:
          if (!fs.speed_ready) return std::nullopt;
          return fs.net_speed_val;
        case Metric::kForeignNetAccelVal:
          if (!fs.accel_ready) return std::nullopt;
          return fs.net_accel_val;
        default:
          return fs.room_used_pct();
      }
    }
    case Metric::kBasis:
      if (f && f->has_basis) return f->basis.ToDouble();
      return std::nullopt;
    case Metric::kBasisPct:
      if (f && f->has_basis) return f->basis_pct;
      return std::nullopt;
    case Metric::kFairBasis:
      if (f && f->has_basis) return f->fair_basis;
      return std::nullopt;
    case Metric::kBasisMinusFair:
      if (f && f->has_basis) return f->basis_minus_fair;
      return std::nullopt;
    case Metric::kIndexValue:
      if (ctx.idx && ctx.idx->value.raw > 0) return ctx.idx->value.ToDouble();
      return std::nullopt;
    case Metric::kIndexChangePct:
      if (ctx.idx) return ctx.idx->change_pct;
      return std::nullopt;
    case Metric::kAdvances:
      if (ctx.idx) return static_cast<double>(ctx.idx->advances);
      return std::nullopt;
    case Metric::kDeclines:
      if (ctx.idx) return static_cast<double>(ctx.idx->declines);
      return std::nullopt;
    case Metric::kCount:
      break;
  }
  return std::nullopt;
}

void MarketEngine::EvaluateRules(const RuleContext& ctx, ExchangeTime t) {
  const std::vector<AlertRule>& rules = alerts_.rules();
  if (rules.empty()) return;
  // One cooldown key per instrument: a contract is keyed by its KRX code whichever code the feed used.
  const Symbol key = ctx.fut ? ctx.fut->contract.krx_code : ctx.sym ? ctx.sym->symbol : ctx.idx->id;
  const std::int64_t now = t.LocalEpochSeconds();
  for (const AlertRule& r : rules) {
    if (!r.enabled || !RuleMatches(r, ctx)) continue;
    const std::optional<double> v = MetricValue(r, ctx);
    if (!v || !alerts_.RuleFires(r, key, *v, now)) continue;
    Alert a;
    a.type = AlertType::kUserRule;
    a.severity = r.severity;
    a.symbol = key;
    a.rule_id = r.id;
    a.rule_name = r.name;
    a.metric = std::string(ToString(r.metric));
    a.unit = MetricUnit(r.metric, ctx);
    a.comparison = std::string(ToString(r.comparison));
    a.direction = r.comparison == Comparison::kGt || r.comparison == Comparison::kGe ||
                          r.comparison == Comparison::kCrossesAbove
                      ? Direction::kUp
                  : r.comparison == Comparison::kEq ? Direction::kNone
                                                    : Direction::kDown;
    if (r.metric == Metric::kActiveBuyRatioWindow) a.window_sec = r.window_min * 60;
    if (r.metric == Metric::kActiveBuyRatio5m) a.window_sec = 5 * 60;
    a.value = *v;
    a.threshold = r.threshold;
    a.time = t;
    Emit(std::move(a));
  }
}

}  // namespace vnt::core
