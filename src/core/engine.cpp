// MarketEngine, part 1: event entry, day rollover, symbol/index/futures lookup-or-create, the channel
// handlers, candle flushing and dispatch to sinks (parts 2-5: engine_trades, engine_futures,
// engine_alerts, engine_views).
#include "core/engine.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace vnt::core {

namespace {

const Symbol kVn30Index = Symbol::Of("VN30");
const Symbol kVnIndex = Symbol::Of("VNINDEX");

}  // namespace

MarketEngine::MarketEngine(EngineConfig cfg, const HolidayCalendar& cal)
    : cfg_(std::move(cfg)), cal_(cal), alerts_(cfg_.alerts.recent_capacity) {
  futures_cfg_.carry_rate = cfg_.carry_rate;
  futures_cfg_.dividend_yield = cfg_.dividend_yield;
  futures_cfg_.convergence_window_min = cfg_.convergence_window_min;
  futures_cfg_.projection_horizon_min = cfg_.projection_horizon_min;
  for (const Symbol& s : cfg_.vn30) vn30_set_.insert(s);
  by_symbol_.reserve(2048);
  by_index_.reserve(64);
  pending_.reserve(64);
  pending_trades_.reserve(8);
  pending_candles_.reserve(8);
  pending_alerts_.reserve(8);
}

void MarketEngine::AddSink(MarketSink* sink) {
  if (sink != nullptr && std::find(sinks_.begin(), sinks_.end(), sink) == sinks_.end())
    sinks_.push_back(sink);
}

void MarketEngine::RemoveSink(MarketSink* sink) {
  std::erase(sinks_, sink);
}

// ---------------------------------------------------------------------------------------------------------
// Event entry

void MarketEngine::Apply(const core::MarketEvent& e) {
  assert(!dispatching_ && "sinks must not call Apply re-entrantly");
  const core::Header& h = core::HeaderOf(e);
  ++counters_.events;
  const auto ch = static_cast<std::size_t>(h.channel);
  if (ch < counters_.events_by_channel.size()) ++counters_.events_by_channel[ch];

  if (h.symbol.empty()) {
    ++counters_.empty_symbol_events;  // nothing to attach it to (the decoder should not produce these)
    return;
  }
  const Date d = h.time.date;
  if (d.valid()) {
    if (!date_.valid() || d > date_) {
      BeginDay(d);
    } else if (d < date_) {
      ++counters_.stale_date_events;  // yesterday's frame after the rollover: applying it would corrupt today
      Dispatch();
      return;
    }
  }
  ExchangeTime t{date_, h.time.time};
  if (t.time.valid()) {
    if (!market_time_.time.valid() || market_time_.time < t.time) market_time_.time = t.time;
  } else {
    t.time = market_time_.time;  // undated-in-time frames happen "now" as far as the market has told us
  }

  if (const auto* x = std::get_if<core::TradeEvent>(&e)) {
    OnTradeEvent(*x, t);
  } else if (const auto* q = std::get_if<core::QuoteEvent>(&e)) {
    OnQuoteEvent(*q, t);
  } else if (const auto* s = std::get_if<core::SnapshotEvent>(&e)) {
    OnSnapshotEvent(*s, t);
  } else if (const auto* r = std::get_if<core::ForeignRoomEvent>(&e)) {
    OnForeignEvent(*r, t);
  } else if (const auto* i = std::get_if<core::IndexEvent>(&e)) {
    OnIndexEvent(*i, t);
  } else if (const auto* f = std::get_if<core::StatusEvent>(&e)) {
    OnStatusEvent(*f, t);
  } else if (const auto* ol = std::get_if<core::OddLotEvent>(&e)) {
    OnOddLotEvent(*ol, t);
  }
  // BarEvent (B): a per-tick bar derived from the same matches as X-TRADE; counting it would double the
  // volume, and candles are built from classified trades, so it is only counted by channel.
  Dispatch();
}

void MarketEngine::BeginDay(Date d) {
  const bool rollover = date_.valid();
  if (rollover) {
    // Close yesterday's candles so sinks (the store) get them, then drop all day state.
    for (SymbolState& s : symbols_) {
      if (auto c = s.candles.CloseBefore(ExchangeTime{})) CandleClosed(s, *c, market_time_);
    }
    ++counters_.day_rollovers;
  }
  symbols_.clear();
  by_symbol_.clear();
  indices_.clear();
  by_index_.clear();
  futures_.clear();
  vn30_foreign_series_.clear();
  basis_regimes_.clear();
  front_ = -1;
  override_unresolved_ = false;
  vn30_value_ = Price{};
  vn30_moved_continuous_ = false;
  alerts_.ResetDay();
  market_session_ = Session::kUnknown;
  index_session_seen_ = false;
  session_counts_ = {};
  date_ = d;
  market_time_ = ExchangeTime{d, TimeOfDay{}};

  for (const ListedContract& lc : ListedContracts(d, cal_)) {
    const int fi = FindOrAddFutures(lc.contract.month);
    futures_[static_cast<std::size_t>(fi)].alias = lc.alias;
  }
  front_ = 0;  // 1M
  if (!cfg_.futures_override.empty()) {
    // The original's guide shows a comma list ("VN30F2603,VN30F2606"): the first entry listed today wins.
    override_unresolved_ = true;
    std::string_view rest = cfg_.futures_override;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (auto r = ResolveContract(item, d, cal_)) {
        front_ = FindOrAddFutures(r->contract.month);
        override_unresolved_ = false;
        break;
      }
    }
    // Not listed today (e.g. expired): fall back to 1M; futures_override_unresolved() makes it visible.
  }
  futures_[static_cast<std::size_t>(front_)].front = true;
  Push(NoticeKind::kDay, Symbol{});
}

int MarketEngine::FindOrAddFutures(const ContractMonth& m) {
  for (std::size_t i = 0; i < futures_.size(); ++i) {
    if (futures_[i].contract.month == m) return static_cast<int>(i);
  }
  FuturesState f;
  f.contract = MakeContract(m, cal_);
  // Past the end of the holiday data the expiry is the third Thursday with no holiday moved over it: say so.
  f.expiry_calendar_covered = f.contract.last_trading_day <= cal_.last_covered();
  f.history = RingBuffer<BasisPoint>(futures_cfg_.history_capacity);
  if (date_.valid()) {
    f.days_to_expiry = CalendarDaysToExpiry(f.contract, date_);
    f.business_days_after_today = f.contract.last_trading_day > date_
                                      ? cal_.BusinessDaysBetween(date_, f.contract.last_trading_day)
                                      : 0;
  }
  futures_.push_back(std::move(f));
  basis_regimes_.emplace_back();
  return static_cast<int>(futures_.size() - 1);
}

SymbolState& MarketEngine::GetSymbol(Symbol sym) {
  if (auto it = by_symbol_.find(sym); it != by_symbol_.end()) return *it->second;
  if (vn30_set_.count(sym) == 0) {
    if (auto m = ParseFuturesCode(sym.view())) {
      // One contract, one state, whatever the spelling (KRX 41I1G4000 or VN30F2604): two states would keep
      // two TotalVol cursors and count the contract's volume twice.
      const std::int32_t idx = FindOrAddFutures(*m);
      for (SymbolState& other : symbols_) {
        if (other.kind == SymbolKind::kFutures && other.futures_index == idx) {
          by_symbol_.emplace(sym, &other);
          return other;
        }
      }
    }
  }
  SymbolState& s = symbols_.emplace_back();
  s.symbol = sym;
  s.candles = CandleSeries(cfg_.candle_capacity);
  s.foreign = ForeignFlow(cfg_.foreign);
  if (vn30_set_.count(sym) != 0) {
    s.kind = SymbolKind::kVn30;
  } else if (auto m = ParseFuturesCode(sym.view())) {
    // KRX 41I1xxxxx or VN30FYYMM: the contract master decides, never a bare "VN30F" prefix.
    s.kind = SymbolKind::kFutures;
    s.multiplier = kFuturesMultiplier;
    s.futures_index = FindOrAddFutures(*m);
  } else {
    s.kind = SymbolKind::kOther;
    ++counters_.unknown_symbols;
  }
  by_symbol_.emplace(sym, &s);
  return s;
}

Arrival MarketEngine::Touch(SymbolState& s, ExchangeTime t) {
  if (s.kind == SymbolKind::kOther) ++counters_.unknown_symbol_events;
  if (!t.time.valid()) return Arrival::kInOrder;
  if (s.last_time.time.valid() && t < s.last_time) {
    ++counters_.out_of_order;
    return Arrival::kLate;
  }
  s.last_time = t;
  return Arrival::kInOrder;
}

void MarketEngine::SetSymbolSession(SymbolState& s, Session session) {
  if (session == Session::kUnknown || session == s.session) return;
  if (s.kind != SymbolKind::kFutures) {
    // Stocks vote for the market session (derivatives keep their own timetable).
    if (s.session != Session::kUnknown) --session_counts_[static_cast<std::size_t>(s.session)];
    ++session_counts_[static_cast<std::size_t>(session)];
  }
  s.session = session;
  Push(NoticeKind::kSession, s.symbol, 0, session);
  if (!index_session_seen_ && s.kind != SymbolKind::kFutures) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < session_counts_.size(); ++i) {
      if (session_counts_[i] > session_counts_[best]) best = i;
    }
    if (best != 0 && session_counts_[best] > 0) SetMarketSession(static_cast<Session>(best));
  }
}

void MarketEngine::SetMarketSession(Session session) {
  if (session == Session::kUnknown || session == market_session_) return;
  market_session_ = session;
  Push(NoticeKind::kSession, Symbol{}, 0, session);
}

Session MarketEngine::TradeSession(const SymbolState& s, Session frame_session) const {
  if (frame_session != Session::kUnknown) return frame_session;
  if (s.session != Session::kUnknown) return s.session;
  return market_session_;
}

// ---------------------------------------------------------------------------------------------------------
// Channels

void MarketEngine::OnTradeEvent(const core::TradeEvent& e, ExchangeTime t) {
  SymbolState& s = GetSymbol(e.h.symbol);
  const Arrival arrival = Touch(s, t);
  SetSymbolSession(s, e.h.session);
  HandleTrade(s, e.h, t, e.t, TradeFrame::kTrade, nullptr, arrival);
}

void MarketEngine::OnQuoteEvent(const core::QuoteEvent& e, ExchangeTime t) {
  SymbolState& s = GetSymbol(e.h.symbol);
  const Arrival arrival = Touch(s, t);
  SetSymbolSession(s, e.h.session);
  if (arrival == Arrival::kLate) return;  // an older book must not replace a newer one
  s.book = e.book;
  Push(NoticeKind::kQuote, s.symbol);
  if (s.kind == SymbolKind::kFutures && s.futures_index >= 0) {
    const auto fi = static_cast<std::size_t>(s.futures_index);
    futures_[fi].book = s.book;  // the futures list carries each contract's book
    Push(NoticeKind::kFutures, futures_[fi].contract.krx_code, static_cast<std::uint32_t>(fi));
  }
}

void MarketEngine::OnSnapshotEvent(const core::SnapshotEvent& e, ExchangeTime t) {
  SymbolState& s = GetSymbol(e.h.symbol);
  const Arrival arrival = Touch(s, t);
  SetSymbolSession(s, e.h.session);
  HandleTrade(s, e.h, t, e.t, TradeFrame::kSnapshot, arrival == Arrival::kInOrder ? &e.book : nullptr,
              arrival);
}

void MarketEngine::OnStatusEvent(const core::StatusEvent& e, ExchangeTime /*t*/) {
  SymbolState& s = GetSymbol(e.h.symbol);
  if (s.kind == SymbolKind::kOther) ++counters_.unknown_symbol_events;
  if (!e.trading_status.empty() && s.trading_status != e.trading_status) s.trading_status = e.trading_status;
  SetSymbolSession(s, e.h.session);
  Push(NoticeKind::kStats, s.symbol);
}

void MarketEngine::OnOddLotEvent(const core::OddLotEvent& e, ExchangeTime /*t*/) {
  // The odd-lot board has its own TotalVol: mixing it into the main board's dedupe cursor would fake resets.
  SymbolState& s = GetSymbol(e.h.symbol);
  if (s.kind == SymbolKind::kOther) ++counters_.unknown_symbol_events;
  if (e.t.last_price && e.t.last_price->raw > 0) s.odd_last = *e.t.last_price;
  if (e.t.total_vol && *e.t.total_vol >= s.odd_total_vol) s.odd_total_vol = *e.t.total_vol;
  Push(NoticeKind::kStats, s.symbol);
}

void MarketEngine::OnForeignEvent(const core::ForeignRoomEvent& e, ExchangeTime t) {
  SymbolState& s = GetSymbol(e.h.symbol);
  if (s.kind == SymbolKind::kOther) ++counters_.unknown_symbol_events;
  // R has its own clock (SSI computes it separately from the matching feed); compare with R frames only.
  const ForeignState& before = s.foreign.state();
  if (before.has_data && t.time.valid() && t < before.updated) ++counters_.out_of_order;
  const std::uint64_t stale_before = s.foreign.stale();
  const bool auction = market_session_ == Session::kAto || market_session_ == Session::kAtc;
  if (s.foreign.Apply(e, t, s.last, auction)) ++counters_.foreign_resets;
  counters_.stale_frames += s.foreign.stale() - stale_before;
  Push(NoticeKind::kForeign, s.symbol);
  if (const std::int32_t minute = MinuteOf(t.time); s.kind == SymbolKind::kVn30 && minute >= 0) {
    // The basket's cumulative flow, one point per minute (the latest R frame of the minute wins); a late R
    // frame (an earlier minute than the last point) updates the last point, never an older one.
    const ForeignTotals tot = Vn30ForeignTotals();
    ForeignMinute p{minute, tot.buy_vol, tot.sell_vol, tot.buy_val, tot.sell_val};
    if (!vn30_foreign_series_.empty() && vn30_foreign_series_.back().minute >= minute) {
      p.minute = vn30_foreign_series_.back().minute;
      vn30_foreign_series_.back() = p;
    } else if (vn30_foreign_series_.size() < 24 * 60) {
      vn30_foreign_series_.push_back(p);
    }
  }

  const ForeignState& f = s.foreign.state();
  const double thr = cfg_.alerts.foreign_accel_threshold_val;
  if (cfg_.alerts.enabled && thr > 0 && f.accel_ready && std::fabs(f.net_accel_val) >= thr &&
      alerts_.TryFire(BuiltinCooldownKey(AlertType::kForeignAcceleration), s.symbol, t.LocalEpochSeconds(),
                      cfg_.alerts.builtin_cooldown_sec)) {
    Alert a =
        Alert::Of(AlertType::kForeignAcceleration, Severity::kWarning, s.symbol, "foreign_net_accel_val");
    a.unit = AlertUnit::kVndPerMinPerMin;
    a.direction = f.net_accel_val > 0 ? Direction::kUp : Direction::kDown;
    a.value = f.net_accel_val;
    a.threshold = f.net_accel_val > 0 ? thr : -thr;
    a.AddDetail("net_speed_val", f.net_speed_val, AlertUnit::kVndPerMin);
    a.time = t;
    Emit(std::move(a));
  }
  EvaluateRules(RuleContext{&s, nullptr, nullptr}, t);
}

void MarketEngine::OnIndexEvent(const core::IndexEvent& e, ExchangeTime t) {
  const Symbol key = NormalizeIndexId(e.h.symbol);
  IndexState* idx;
  if (auto it = by_index_.find(key); it != by_index_.end()) {
    idx = it->second;
  } else {
    idx = &indices_.emplace_back();
    idx->id = key;
    idx->feed_id = e.h.symbol;
    by_index_.emplace(key, idx);
  }
  if (!idx->Apply(e, t)) {
    ++counters_.out_of_order;  // an older snapshot of the index: its cumulative figures would go backwards
    return;
  }
  Push(NoticeKind::kIndex, key);
  if ((key == kVn30Index || key == kVnIndex) && e.h.session != Session::kUnknown) {
    index_session_seen_ = true;
    SetMarketSession(e.h.session);
  }
  if (key == kVn30Index && idx->value.raw > 0) {
    // The index has moved in the continuous session once its value differs from the one it had before
    // (during the ATO it is yesterday's frozen close); joined mid-session, the first value counts.
    // A feed that announces no session at all is taken as continuous.
    const bool continuous = market_session_ == Session::kLo || market_session_ == Session::kUnknown;
    if (!vn30_moved_continuous_ && continuous && (vn30_value_.raw <= 0 || idx->value != vn30_value_))
      vn30_moved_continuous_ = true;
    vn30_value_ = idx->value;
    // Basis moves with the index too, not only on futures trades.
    for (std::size_t fi = 0; fi < futures_.size(); ++fi) {
      if (futures_[fi].last.raw <= 0) continue;
      RecomputeBasisOf(fi, t);
      Push(NoticeKind::kFutures, futures_[fi].contract.krx_code, static_cast<std::uint32_t>(fi));
      EvaluateRules(RuleContext{nullptr, &futures_[fi], nullptr}, t);
    }
  }
  EvaluateRules(RuleContext{nullptr, nullptr, idx}, t);
}

// ---------------------------------------------------------------------------------------------------------
// Candle flushing

void MarketEngine::FlushCandles() {
  for (SymbolState& s : symbols_) {
    if (auto c = s.candles.CloseBefore(ExchangeTime{})) CandleClosed(s, *c, market_time_);
  }
  Dispatch();
}

void MarketEngine::FlushCandlesBefore(ExchangeTime t) {
  for (SymbolState& s : symbols_) {
    if (auto c = s.candles.CloseBefore(t)) CandleClosed(s, *c, t);
  }
  Dispatch();
}

// ---------------------------------------------------------------------------------------------------------
// Dispatch

void MarketEngine::Push(NoticeKind kind, Symbol symbol, std::uint32_t idx, Session session) {
  pending_.push_back(Notice{kind, idx, symbol, session});
}

void MarketEngine::Dispatch() {
  if (!sinks_.empty()) {
    dispatching_ = true;
    for (const Notice& n : pending_) {
      for (MarketSink* sink : sinks_) {
        try {
          switch (n.kind) {
            case NoticeKind::kTrade:
              sink->OnTrade(pending_trades_[n.idx]);
              break;
            case NoticeKind::kQuote:
              sink->OnQuote(n.symbol);
              break;
            case NoticeKind::kStats:
              sink->OnStatsChanged(n.symbol);
              break;
            case NoticeKind::kCandle:
              sink->OnCandleClosed(pending_candles_[n.idx]);
              break;
            case NoticeKind::kForeign:
              sink->OnForeignChanged(n.symbol);
              break;
            case NoticeKind::kIndex:
              sink->OnIndexChanged(n.symbol);
              break;
            case NoticeKind::kFutures:
              sink->OnFuturesChanged(futures_[n.idx]);
              break;
            case NoticeKind::kSession:
              sink->OnSessionChanged(n.symbol, n.session);
              break;
            case NoticeKind::kAlert:
              sink->OnAlert(pending_alerts_[n.idx]);
              break;
            case NoticeKind::kDay:
              sink->OnDayStarted(date_);
              break;
          }
        } catch (...) {
          ++counters_.sink_errors;  // a broken consumer must not stop the market state
        }
      }
    }
    dispatching_ = false;
  }
  pending_.clear();
  pending_trades_.clear();
  pending_candles_.clear();
  pending_alerts_.clear();
}

}  // namespace vnt::core
