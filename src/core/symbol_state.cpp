#include "core/symbol_state.h"

#include <algorithm>

namespace vnt::core {

namespace {
// 128-bit intermediates for price x volume x multiplier (GCC/Clang extension; -Wpedantic needs
// __extension__).
__extension__ typedef __int128 Int128;
}  // namespace

std::string_view ToString(SessionBucket b) {
  return kSessionBucketNames.Name(b, "continuous");
}

SessionBucket BucketOf(Session s) {
  if (s == Session::kAto) return SessionBucket::kAto;
  if (s == Session::kAtc) return SessionBucket::kAtc;
  if (s == Session::kPt || s == Session::kClosed) return SessionBucket::kPt;
  return SessionBucket::kContinuous;
}

std::string_view ToString(SymbolKind k) {
  return kSymbolKindNames.Name(k, "other");
}

void FlowStats::Add(Aggressor side, Volume vol, Vnd val) {
  switch (side) {
    case Aggressor::kBuy:
      buy_vol += vol;
      buy_val += val;
      break;
    case Aggressor::kSell:
      sell_vol += vol;
      sell_val += val;
      break;
    case Aggressor::kNeutral:
      neutral_vol += vol;
      neutral_val += val;
      break;
  }
}

Price Vwap(const FlowStats& s, std::int64_t multiplier) {
  const Volume vol = s.volume();
  if (vol <= Volume{} || multiplier <= 0) return Price{};
  // value * kScale overflows int64 beyond ~9.2e14 VND, so use 128-bit intermediates.
  const Int128 num = static_cast<Int128>(s.value().raw()) * Fixed4::kScale;
  const Int128 den = static_cast<Int128>(vol.raw()) * multiplier;
  return Price::FromRaw(static_cast<std::int64_t>((num + den / 2) / den));
}

Vnd TradeValue(Price price, Volume vol, std::int64_t multiplier) {
  const Int128 raw = static_cast<Int128>(price.raw) * vol.raw() * multiplier;
  const Int128 half = Fixed4::kScale / 2;
  return Vnd{static_cast<std::int64_t>(raw >= 0 ? (raw + half) / Fixed4::kScale
                                                : -((-raw + half) / Fixed4::kScale))};
}

void SymbolState::ResetDay() {
  guessed = {};
  guessed_next = 0;
  session = Session::kUnknown;
  trading_status.clear();
  last_time = ExchangeTime{};
  ref = ceiling = floor = Price{};
  open = high = low = last = Price{};
  last_vol = Volume{};
  feed_total_vol = Volume{};
  feed_total_val = Vnd{};
  has_cursor = false;
  cursor = Volume{};
  baseline_volume = Volume{};
  buckets = {};
  total = FlowStats{};
  book = core::Book{};
  tick = TickState{};
  candles.Clear();
  profile.clear();
  foreign.Clear();
  breakout = 0;
  odd_last = Price{};
  odd_total_vol = Volume{};
}

TradeDetection DetectTrade(SymbolState& s, const core::TradeFields& t, TradeFrame frame, Arrival arrival) {
  const bool snapshot = frame == TradeFrame::kSnapshot;
  TradeDetection d;
  const Volume last_vol = std::max(t.last_vol.value_or(Volume{}), Volume{});
  if (!t.total_vol) {
    // Without the cumulative total a snapshot cannot tell a trade from a re-sent quote: never count it.
    // An X-TRADE is a trade by definition, so count LastVol (it cannot be deduplicated: documented).
    if (snapshot || last_vol <= Volume{}) return d;
    s.has_cursor = true;
    s.cursor += last_vol;
    d.kind = TradeDetect::kTrade;
    d.volume = last_vol;
    d.no_total = true;
    return d;
  }
  const Volume total = *t.total_vol;
  if (total < Volume{}) return d;

  if (!s.has_cursor) {
    // First frame of the day for this symbol. Volume that traded before we joined is a baseline, not a trade
    // we saw. An X-TRADE's own LastVol is the trade it reports, so it counts. An X snapshot may be a re-sent
    // old trade, so only when its LastVol is the whole day's volume (the day's first print) is it counted.
    Volume base;
    if (snapshot) {
      base = (last_vol > Volume{} && total == last_vol) ? Volume{} : total;
    } else {
      base = std::max(total - last_vol, Volume{});
    }
    s.has_cursor = true;
    s.cursor = base;
    s.baseline_volume = base;
    if (total == base) {
      d.kind = base > Volume{} ? TradeDetect::kBaseline
                               : (snapshot ? TradeDetect::kQuoteOnly : TradeDetect::kNone);
      return d;
    }
  }

  if (total > s.cursor) {
    const Volume rise = total - s.cursor;
    s.cursor = total;
    d.kind = TradeDetect::kTrade;
    if (snapshot || last_vol <= Volume{}) {
      d.volume = rise;
    } else {
      // The part of the rise this frame's LastVol explains is the trade; anything beyond came from frames
      // we missed and has no known aggressor. If X already counted part of this trade, only the rest is new.
      d.volume = std::min(rise, last_vol);
      d.unattributed = rise - d.volume;
    }
    return d;
  }
  if (total == s.cursor) {
    d.kind = snapshot ? TradeDetect::kQuoteOnly : TradeDetect::kDuplicate;
    return d;
  }
  // A frame from before volume we already counted (late, or out of order within its second): nothing new.
  // Moving the cursor back would count the next frame's volume a second time.
  (void)arrival;
  d.kind = TradeDetect::kStale;
  return d;
}

}  // namespace vnt::core
