// MarketEngine, part 2: trade detection, classification and recording (volume profile, candles,
// session buckets), and re-attribution when the exchange side arrives after the snapshot.
#include "core/engine.h"

#include <algorithm>
#include <cmath>

namespace vnt::core {

// ---------------------------------------------------------------------------------------------------------
// Trades

void MarketEngine::HandleTrade(SymbolState& s, const core::Header& h, ExchangeTime t,
                               const core::TradeFields& tf, TradeFrame frame, const core::Book* book_after,
                               Arrival arrival) {
  const bool in_order = arrival == Arrival::kInOrder;
  // TotalVol never goes back within a day: a lower one belongs to a frame older than what was counted (the
  // feed sends the frames of one second in any order). Nothing of it is applied, not its price, not its book.
  if (tf.total_vol && s.has_cursor && *tf.total_vol < s.cursor) {
    ++counters_.stale_frames;
    return;
  }
  // Reference, ceiling and floor are constants of the trading day: a frame of the same day carries them
  // right even when it is late (the SSI client's REST reference frames are timed 00:00:00).
  if (in_order || (t.date.valid() && t.date == s.last_time.date)) {
    if (tf.ref_price && tf.ref_price->raw > 0) s.ref = *tf.ref_price;
    if (tf.ceiling && tf.ceiling->raw > 0) s.ceiling = *tf.ceiling;
    if (tf.floor && tf.floor->raw > 0) s.floor = *tf.floor;
  }
  if (in_order) {
    if (tf.open && tf.open->raw > 0) s.open = *tf.open;
    // The feed's day high/low know about trades before we joined: widen ours with them.
    if (tf.high && tf.high->raw > 0 && (s.high.raw == 0 || *tf.high > s.high)) s.high = *tf.high;
    if (tf.low && tf.low->raw > 0 && (s.low.raw == 0 || *tf.low < s.low)) s.low = *tf.low;
    if (tf.total_vol) s.feed_total_vol = *tf.total_vol;
    if (tf.total_val) s.feed_total_val = *tf.total_val;
    if (!tf.trading_status.empty() && s.trading_status != tf.trading_status)
      s.trading_status = tf.trading_status;
    // EstMatchedPrice means something only while an auction collects orders; any other session clears it
    // (a frame without TradingSession, such as a REST reference frame, says nothing about it).
    const bool auction = h.session == Session::kAto || h.session == Session::kAtc;
    if (h.session == Session::kUnknown) {
      // keep the indicative price as it is
    } else if (!auction)
      s.indicative = Price{};
    else if (tf.est_matched_price && tf.est_matched_price->raw > 0)
      s.indicative = *tf.est_matched_price;
  }

  // The book that prevailed before this trade: for X, the frame's own book is applied only afterwards.
  const TopOfBook before = BestPrices(s.book);
  const TradeDetection d = DetectTrade(s, tf, frame, arrival);
  switch (d.kind) {
    case TradeDetect::kDuplicate:
      ++counters_.duplicates_skipped;
      if (frame == TradeFrame::kTrade) Reattribute(s, tf);
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
    traded = RecordTrade(s, h, t, price, d.volume, d.unattributed, tf.side, before, arrival);
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
                                                    Side exchange_side, TopOfBook before, Arrival arrival) {
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
  if (unattributed > Volume{}) {
    b.Add(Aggressor::kNeutral, unattributed, extra_value);
    s.total.Add(Aggressor::kNeutral, unattributed, extra_value);
    counters_.unattributed_volume += static_cast<std::uint64_t>(unattributed.raw());
  }
  ++b.trade_count;
  ++s.total.trade_count;
  ++counters_.trades_counted;
  s.last_vol = vol;

  if (price.raw > 0) {
    if (!put_through) {
      if (arrival == Arrival::kInOrder) s.last = price;
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
  if (auto closed = s.candles.Add(s.symbol, t, price, vol, c.side, value, unattributed, extra_value, true,
                                  &late, auction)) {
    CandleClosed(s, *closed, t);
  }
  if (late) ++counters_.late_candle_trades;
  if (h.channel == core::Channel::kSnapshot && unattributed == Volume{} && price.raw > 0 &&
      (c.method == ClassifyMethod::kQuote || c.method == ClassifyMethod::kTick) && !late) {
    // Counted from X with a guessed side: the X-TRADE may follow with the exchange's (Reattribute).
    SymbolState::GuessedTrade& g = s.guessed[s.guessed_next];
    s.guessed_next = static_cast<std::uint8_t>((s.guessed_next + 1) % s.guessed.size());
    g = SymbolState::GuessedTrade{
        s.cursor, vol, value, price, c.side, static_cast<std::uint8_t>(bucket), MinuteOf(t.time)};
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
    g.total_after = Volume{-1};  // once
    if (g.side == to) return;    // the guess was right
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

}  // namespace vnt::core
