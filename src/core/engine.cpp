#include "core/engine.h"

#include "core/alert_text.h"

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

bool MarketEngine::Touch(SymbolState& s, ExchangeTime t) {
  if (s.kind == SymbolKind::kOther) ++counters_.unknown_symbol_events;
  if (!t.time.valid()) return true;
  if (s.last_time.time.valid() && t < s.last_time) {
    ++counters_.out_of_order;
    return false;
  }
  s.last_time = t;
  return true;
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
  const bool in_order = Touch(s, t);
  SetSymbolSession(s, e.h.session);
  HandleTrade(s, e.h, t, e.t, /*snapshot=*/false, nullptr, in_order);
}

void MarketEngine::OnQuoteEvent(const core::QuoteEvent& e, ExchangeTime t) {
  SymbolState& s = GetSymbol(e.h.symbol);
  const bool in_order = Touch(s, t);
  SetSymbolSession(s, e.h.session);
  if (!in_order) return;  // an older book must not replace a newer one
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
  const bool in_order = Touch(s, t);
  SetSymbolSession(s, e.h.session);
  HandleTrade(s, e.h, t, e.t, /*snapshot=*/true, in_order ? &e.book : nullptr, in_order);
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
      alerts_.TryFire(-(static_cast<std::int64_t>(AlertType::kForeignAcceleration) + 1), s.symbol,
                      t.LocalEpochSeconds(), cfg_.alerts.builtin_cooldown_sec)) {
    Alert a;
    a.type = AlertType::kForeignAcceleration;
    a.severity = Severity::kWarning;
    a.symbol = s.symbol;
    a.metric = "foreign_net_accel_val";
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
// Trades

void MarketEngine::HandleTrade(SymbolState& s, const core::Header& h, ExchangeTime t,
                               const core::TradeFields& tf, bool snapshot, const core::Book* book_after,
                               bool in_order) {
  // TotalVol never goes back within a day: a lower one belongs to a frame older than what was counted (the
  // feed sends the frames of one second in any order). Nothing of it is applied, not its price, not its book.
  if (tf.total_vol && s.has_cursor && *tf.total_vol < s.cursor) {
    ++counters_.stale_frames;
    return;
  }
  if (in_order) {
    if (tf.ref_price && tf.ref_price->raw > 0) s.ref = *tf.ref_price;
    if (tf.ceiling && tf.ceiling->raw > 0) s.ceiling = *tf.ceiling;
    if (tf.floor && tf.floor->raw > 0) s.floor = *tf.floor;
    if (tf.open && tf.open->raw > 0) s.open = *tf.open;
    // The feed's day high/low know about trades before we joined: widen ours with them.
    if (tf.high && tf.high->raw > 0 && (s.high.raw == 0 || *tf.high > s.high)) s.high = *tf.high;
    if (tf.low && tf.low->raw > 0 && (s.low.raw == 0 || *tf.low < s.low)) s.low = *tf.low;
    if (tf.total_vol) s.feed_total_vol = *tf.total_vol;
    if (tf.total_val) s.feed_total_val = *tf.total_val;
    if (!tf.trading_status.empty() && s.trading_status != tf.trading_status)
      s.trading_status = tf.trading_status;
    // EstMatchedPrice means something only while an auction collects orders; any other session clears it.
    const bool auction = h.session == Session::kAto || h.session == Session::kAtc;
    if (!auction)
      s.indicative = Price{};
    else if (tf.est_matched_price && tf.est_matched_price->raw > 0)
      s.indicative = *tf.est_matched_price;
  }

  // The book that prevailed before this trade: for X, the frame's own book is applied only afterwards.
  const TopOfBook before = BestPrices(s.book);
  const TradeDetection d = DetectTrade(s, tf, snapshot, in_order);
  switch (d.kind) {
    case TradeDetect::kDuplicate:
      ++counters_.duplicates_skipped;
      if (!snapshot) Reattribute(s, tf);
      break;
    case TradeDetect::kQuoteOnly:
      ++counters_.quote_only_snapshots;
      break;
    case TradeDetect::kBaseline:
      ++counters_.baselines;
      break;
    case TradeDetect::kStale:
      break;  // counted and returned before anything was applied
    case TradeDetect::kTrade:
      if (d.no_total) ++counters_.no_total_vol_trades;
      break;
    case TradeDetect::kNone:
      break;
  }

  TradeTotals traded;
  if (d.kind == TradeDetect::kTrade) {
    const Price price = tf.last_price && tf.last_price->raw > 0 ? *tf.last_price : s.last;
    traded = RecordTrade(s, h, t, price, d.volume, d.unattributed, tf.side, before, in_order);
  } else if (in_order && tf.last_price && tf.last_price->raw > 0) {
    s.last = *tf.last_price;  // e.g. the baseline frame when joining mid-day: show the feed's last price
  }
  if (book_after != nullptr) {
    s.book = *book_after;
    Push(NoticeKind::kQuote, s.symbol);
  }
  Push(NoticeKind::kStats, s.symbol);
  CheckBreakout(s, t);

  const FuturesState* fut = nullptr;
  if (s.kind == SymbolKind::kFutures && s.futures_index >= 0) {
    UpdateFutures(s, t, traded);
    fut = &futures_[static_cast<std::size_t>(s.futures_index)];
  }
  EvaluateRules(RuleContext{&s, fut, nullptr}, t);
}

MarketEngine::TradeTotals MarketEngine::RecordTrade(SymbolState& s, const core::Header& h, ExchangeTime t,
                                                    Price price, Volume vol, Volume unattributed,
                                                    Side exchange_side, TopOfBook before, bool in_order) {
  const Session session = TradeSession(s, h.session);
  const Classification c = Classify(price, session, exchange_side, before, s.tick);
  const SessionBucket bucket = BucketOf(session);
  // A put-through price is negotiated: it moves neither the tick rule's last price nor the board's
  // last/open/high/low (the deal shows in the pt bucket).
  const bool put_through = bucket == SessionBucket::kPt;
  if (!put_through) UpdateTick(s.tick, price);
  const Vnd value = TradeValue(price, vol, s.multiplier);
  const Vnd extra_value = TradeValue(price, unattributed, s.multiplier);

  FlowStats& b = s.buckets[static_cast<std::size_t>(bucket)];
  b.Add(c.side, vol, value);
  s.total.Add(c.side, vol, value);
  if (unattributed > 0) {
    b.Add(Aggressor::kNeutral, unattributed, extra_value);
    s.total.Add(Aggressor::kNeutral, unattributed, extra_value);
    counters_.unattributed_volume += static_cast<std::uint64_t>(unattributed);
  }
  ++b.trade_count;
  ++s.total.trade_count;
  ++counters_.trades_counted;
  s.last_vol = vol;

  if (price.raw > 0) {
    if (!put_through) {
      if (in_order) s.last = price;
      if (s.open.raw == 0) s.open = price;
      if (s.high.raw == 0 || price > s.high) s.high = price;
      if (s.low.raw == 0 || price < s.low) s.low = price;
    }
    VolumeAtPrice& lvl = s.profile[price.raw];
    switch (c.side) {
      case Aggressor::kBuy:
        lvl.buy_vol += vol;
        break;
      case Aggressor::kSell:
        lvl.sell_vol += vol;
        break;
      case Aggressor::kNeutral:
        lvl.neutral_vol += vol;
        break;
    }
    lvl.neutral_vol += unattributed;
  }

  bool late = false;
  const bool auction = session == Session::kAto || session == Session::kAtc || put_through;  // not continuous
  if (auto closed = s.candles.Add(s.symbol, t, price, vol, c.side, value, unattributed, extra_value, true, &late,
                                  auction)) {
    CandleClosed(s, *closed, t);
  }
  if (late) ++counters_.late_candle_trades;
  if (h.channel == core::Channel::kSnapshot && unattributed == 0 && price.raw > 0 &&
      (c.method == ClassifyMethod::kQuote || c.method == ClassifyMethod::kTick) && !late) {
    // Counted from X with a guessed side: the X-TRADE may follow with the exchange's (Reattribute).
    SymbolState::GuessedTrade& g = s.guessed[s.guessed_next];
    s.guessed_next = static_cast<std::uint8_t>((s.guessed_next + 1) % s.guessed.size());
    g = SymbolState::GuessedTrade{s.cursor, vol, value, price, c.side, static_cast<std::uint8_t>(bucket),
                                  MinuteOf(t.time)};
  }

  ClassifiedTrade ct;
  ct.symbol = s.symbol;
  ct.time = t;
  ct.price = price;
  ct.volume = vol;
  ct.value = value;
  ct.unattributed = unattributed;
  ct.side = c.side;
  ct.method = c.method;
  ct.session = session;
  ct.bucket = bucket;
  ct.bid = before.bid;
  ct.ask = before.ask;
  ct.source = h.channel;
  ct.futures = s.kind == SymbolKind::kFutures;
  pending_trades_.push_back(ct);
  Push(NoticeKind::kTrade, s.symbol, static_cast<std::uint32_t>(pending_trades_.size() - 1));
  return TradeTotals{true, vol + unattributed, value + extra_value};
}

void MarketEngine::Reattribute(SymbolState& s, const core::TradeFields& tf) {
  if (!tf.total_vol || !tf.last_vol || (tf.side != Side::kBuy && tf.side != Side::kSell)) return;
  const Aggressor to = tf.side == Side::kBuy ? Aggressor::kBuy : Aggressor::kSell;
  for (SymbolState::GuessedTrade& g : s.guessed) {
    if (g.total_after != *tf.total_vol || g.volume != *tf.last_vol) continue;
    g.total_after = -1;  // once
    if (g.side == to) return;  // the guess was right
    for (FlowStats* f : {&s.total, &s.buckets[g.bucket]}) {
      f->Add(g.side, -g.volume, -g.value);
      f->Add(to, g.volume, g.value);
    }
    VolumeAtPrice& lvl = s.profile[g.price.raw];
    const auto at = [&](Aggressor a) -> Volume& {
      return a == Aggressor::kBuy ? lvl.buy_vol : a == Aggressor::kSell ? lvl.sell_vol : lvl.neutral_vol;
    };
    at(g.side) -= g.volume;
    at(to) += g.volume;
    s.candles.MoveSide(g.minute, g.side, to, g.volume);
    if (s.kind == SymbolKind::kFutures && s.futures_index >= 0) {
      FuturesState& f = futures_[static_cast<std::size_t>(s.futures_index)];
      f.active_buy_vol = s.total.buy_vol;
      f.active_sell_vol = s.total.sell_vol;
      f.neutral_vol = s.total.neutral_vol;
    }
    ++counters_.reattributed_trades;
    Push(NoticeKind::kStats, s.symbol);
    return;
  }
}

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
  Alert a;
  a.type = AlertType::kBasisDivergence;
  a.severity = Severity::kWarning;
  a.symbol = f.contract.krx_code;
  a.metric = "basis";
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
    Volume sum = 0;
    for (std::size_t i = n - 1 - lookback; i < n - 1; ++i) sum += closed[i].continuous_vol();
    const double avg = static_cast<double>(sum) / static_cast<double>(lookback);
    const Volume min_vol = fut ? ac.volume_spike_min_volume_futures : ac.volume_spike_min_volume;
    const double limit = ac.volume_spike_k * avg;
    const Volume vol = c.continuous_vol();
    if (vol >= min_vol && static_cast<double>(vol) > limit &&
        alerts_.TryFire(-(static_cast<std::int64_t>(AlertType::kVolumeSpike) + 1), s.symbol,
                        t.LocalEpochSeconds(), ac.builtin_cooldown_sec)) {
      Alert a;
      a.type = AlertType::kVolumeSpike;
      a.severity = Severity::kWarning;
      a.symbol = s.symbol;
      a.metric = "minute_volume";
      a.unit = fut ? AlertUnit::kContracts : AlertUnit::kShares;
      a.direction = Direction::kUp;
      a.window_sec = 60;
      a.value = static_cast<double>(vol);
      a.threshold = limit;
      a.AddDetail("average", avg, a.unit);
      a.AddDetail("multiple", avg > 0 ? static_cast<double>(vol) / avg : 0.0, AlertUnit::kMultiple);
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
  Volume buy = 0, sell = 0;
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
  if (directed <= 0 || directed < min_flow) return;
  const double ratio = static_cast<double>(buy) / static_cast<double>(directed);
  if ((ratio >= ac.imbalance_high || ratio <= ac.imbalance_low) &&
      alerts_.TryFire(-(static_cast<std::int64_t>(AlertType::kImbalanceExtreme) + 1), s.symbol,
                      t.LocalEpochSeconds(), flow_cooldown)) {
    Alert a;
    a.type = AlertType::kImbalanceExtreme;
    a.severity = Severity::kInfo;
    a.symbol = s.symbol;
    a.metric = "active_buy_ratio";
    a.unit = AlertUnit::kPercent;
    a.direction = ratio >= ac.imbalance_high ? Direction::kUp : Direction::kDown;
    a.window_sec = window_min * 60;
    a.value = ratio * 100.0;
    a.threshold = (ratio >= ac.imbalance_high ? ac.imbalance_high : ac.imbalance_low) * 100.0;
    a.AddDetail("aggressed_vol", static_cast<double>(directed), fut ? AlertUnit::kContracts : AlertUnit::kShares);
    a.time = t;
    Emit(std::move(a));
  }
  if (first_open.raw > 0 && c.close.raw > 0) {
    const double move_pct =
        static_cast<double>((c.close - first_open).raw) * 100.0 / static_cast<double>(first_open.raw);
    const double imbalance = static_cast<double>(buy - sell) / static_cast<double>(directed);
    const double p = ac.velocity_price_move_pct;
    const double x = ac.velocity_imbalance;
    const bool up_on_selling = move_pct >= p && imbalance <= -x;
    const bool down_on_buying = move_pct <= -p && imbalance >= x;
    if ((up_on_selling || down_on_buying) &&
        alerts_.TryFire(-(static_cast<std::int64_t>(AlertType::kVelocityDivergence) + 1), s.symbol,
                        t.LocalEpochSeconds(), flow_cooldown)) {
      Alert a;
      a.type = AlertType::kVelocityDivergence;
      a.severity = Severity::kWarning;
      a.symbol = s.symbol;
      a.metric = "price_move_pct";
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
  } else {
    for (const FuturesState& fs : futures_) {
      if (fs.contract.krx_code == a.symbol) {
        a.contract = fs.contract.legacy_code;
        a.alias = fs.alias ? std::string(ToString(*fs.alias)) : std::string();
        break;
      }
    }
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
  if (!alerts_.TryFire(-(static_cast<std::int64_t>(AlertType::kPriceBreakout) + 1), s.symbol,
                       t.LocalEpochSeconds(), cfg_.alerts.builtin_cooldown_sec)) {
    return;
  }
  Alert a;
  a.type = AlertType::kPriceBreakout;
  a.severity = Severity::kCritical;
  a.symbol = s.symbol;
  a.metric = "last_price";
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
  Volume sum = 0;
  for (std::size_t i = n - 1 - lookback; i < n - 1; ++i) sum += closed[i].continuous_vol();
  if (sum <= 0) return std::nullopt;
  return static_cast<double>(closed.back().continuous_vol()) * static_cast<double>(lookback) /
         static_cast<double>(sum);
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
      if (s) return static_cast<double>(s->volume());
      if (f) return static_cast<double>(f->volume);
      return std::nullopt;
    case Metric::kTotalVal:
      if (s) return static_cast<double>(s->total.value());
      if (f) return static_cast<double>(f->value);
      return std::nullopt;
    case Metric::kTradeCount:
      if (s) return static_cast<double>(s->total.trade_count);
      if (f) return static_cast<double>(f->trade_count);
      return std::nullopt;
    case Metric::kVwap:
      if (s && s->volume() > 0) return s->vwap().ToDouble();
      return std::nullopt;
    case Metric::kActiveBuyVol:
      if (s) return static_cast<double>(s->total.buy_vol);
      return std::nullopt;
    case Metric::kActiveSellVol:
      if (s) return static_cast<double>(s->total.sell_vol);
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
          return static_cast<double>(fs.buy_vol);
        case Metric::kForeignSellVol:
          return static_cast<double>(fs.sell_vol);
        case Metric::kForeignNetVol:
          return static_cast<double>(fs.net_vol());
        case Metric::kForeignNetVal:
          return static_cast<double>(fs.net_val());
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
// Views

const SymbolState* MarketEngine::FindSymbol(Symbol s) const {
  const auto it = by_symbol_.find(s);
  return it == by_symbol_.end() ? nullptr : it->second;
}

const IndexState* MarketEngine::FindIndex(std::string_view id) const {
  Symbol sym;
  if (!Symbol::Make(id, &sym)) return nullptr;
  const auto it = by_index_.find(NormalizeIndexId(sym));
  return it == by_index_.end() ? nullptr : it->second;
}

const FuturesState* MarketEngine::FrontContract() const {
  return front_ >= 0 && static_cast<std::size_t>(front_) < futures_.size()
             ? &futures_[static_cast<std::size_t>(front_)]
             : nullptr;
}

const FuturesState* MarketEngine::FindContract(std::string_view code_or_alias) const {
  if (auto m = ParseFuturesCode(code_or_alias)) {
    for (const FuturesState& f : futures_) {
      if (f.contract.month == *m) return &f;
    }
    return nullptr;
  }
  if (auto a = ParseAlias(code_or_alias)) {
    for (const FuturesState& f : futures_) {
      if (f.alias == a) return &f;
    }
  }
  return nullptr;
}

ForeignTotals MarketEngine::Vn30ForeignTotals() const {
  ForeignTotals t;
  for (const Symbol& sym : cfg_.vn30) {
    const SymbolState* s = FindSymbol(sym);
    if (s == nullptr || !s->foreign.state().has_data) continue;
    const ForeignState& f = s->foreign.state();
    t.buy_vol += f.buy_vol;
    t.sell_vol += f.sell_vol;
    t.buy_val += f.buy_val;
    t.sell_val += f.sell_val;
    t.net_speed_vol += f.net_speed_vol;
    t.net_speed_val += f.net_speed_val;
    ++t.symbols;
  }
  return t;
}

namespace {

template <class Pred>
std::vector<ForeignRank> RankForeign(const std::deque<SymbolState>& symbols, bool vn30_only, Pred keep) {
  std::vector<ForeignRank> out;
  for (const SymbolState& s : symbols) {
    const ForeignState& f = s.foreign.state();
    if (!f.has_data || (vn30_only && s.kind != SymbolKind::kVn30)) continue;
    if (!keep(f.net_val())) continue;
    out.push_back(ForeignRank{s.symbol, f.net_vol(), f.net_val()});
  }
  return out;
}

}  // namespace

std::vector<ForeignRank> MarketEngine::TopForeignBuyers(std::size_t n) const {
  const bool vn30_only = cfg_.foreign_top_vn30_only && !cfg_.vn30.empty();
  // Only net buyers (net value > 0): a net seller never shows up as a "top buyer" when few symbols trade.
  std::vector<ForeignRank> v = RankForeign(symbols_, vn30_only, [](Vnd net) { return net > 0; });
  std::sort(v.begin(), v.end(), [](const ForeignRank& a, const ForeignRank& b) {
    return a.net_val != b.net_val ? a.net_val > b.net_val : a.symbol < b.symbol;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

std::vector<ForeignRank> MarketEngine::TopForeignSellers(std::size_t n) const {
  const bool vn30_only = cfg_.foreign_top_vn30_only && !cfg_.vn30.empty();
  std::vector<ForeignRank> v = RankForeign(symbols_, vn30_only, [](Vnd net) { return net < 0; });
  std::sort(v.begin(), v.end(), [](const ForeignRank& a, const ForeignRank& b) {
    return a.net_val != b.net_val ? a.net_val < b.net_val : a.symbol < b.symbol;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

FlowStats MarketEngine::Vn30Flow() const {
  FlowStats t;
  for (const Symbol& sym : cfg_.vn30) {
    const SymbolState* s = FindSymbol(sym);
    if (s == nullptr) continue;
    t.buy_vol += s->total.buy_vol;
    t.sell_vol += s->total.sell_vol;
    t.neutral_vol += s->total.neutral_vol;
    t.buy_val += s->total.buy_val;
    t.sell_val += s->total.sell_val;
    t.neutral_val += s->total.neutral_val;
    t.trade_count += s->total.trade_count;
  }
  return t;
}

std::optional<double> MarketEngine::ActiveBuyRatioWindow(const SymbolState& s, int minutes) const {
  // The window ends at the symbol's newest candle (open or closed) and covers `minutes` minutes.
  const auto& open = s.candles.open_candle();
  const RingBuffer<Candle>& closed = s.candles.closed();
  std::int32_t newest;
  if (open) {
    newest = open->minute;
  } else if (!closed.empty()) {
    newest = closed.back().minute;
  } else {
    return std::nullopt;
  }
  const std::int32_t from = newest - (std::max(minutes, 1) - 1) * 60;
  Volume buy = 0, sell = 0;
  if (open) {
    buy += open->buy_vol;
    sell += open->sell_vol;
  }
  for (std::size_t i = closed.size(); i-- > 0;) {
    if (closed[i].minute < from) break;
    buy += closed[i].buy_vol;
    sell += closed[i].sell_vol;
  }
  if (buy + sell <= 0) return std::nullopt;
  return static_cast<double>(buy) / static_cast<double>(buy + sell);
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
