#pragma once
// Per-symbol day state: reference prices, trade aggregates split by aggressor and session bucket, the book,
// candles, volume profile and foreign flow; plus the trade-detection rules (dedupe by cumulative TotalVol).

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "core/candles.h"
#include "core/classifier.h"
#include "core/events.h"
#include "core/foreign_flow.h"
#include "core/types.h"

namespace vnt::core {

// The session bucket a trade's volume is aggregated in: ATO, continuous (LO and anything else), ATC.
// kPt: put-through (negotiated) deals and prints after the close: not part of any auction or of continuous
// trading, and never aggressed.
enum class SessionBucket : std::uint8_t { kAto, kContinuous, kAtc, kPt };
inline constexpr auto kSessionBucketNames = MakeEnumNames<SessionBucket>({
    {SessionBucket::kAto, "ato"},
    {SessionBucket::kContinuous, "continuous"},
    {SessionBucket::kAtc, "atc"},
    {SessionBucket::kPt, "pt"},
});
inline constexpr std::size_t kSessionBuckets = 4;
static_assert(kSessionBucketNames.Unique() && kSessionBucketNames.size() == kSessionBuckets);
// "ato", "continuous", "atc", "pt".
std::string_view ToString(SessionBucket b);
// ATO -> kAto, ATC -> kAtc, PT and closed -> kPt, everything else -> kContinuous.
SessionBucket BucketOf(Session s);

// What kind of instrument a symbol is, as far as the engine knows.
enum class SymbolKind : std::uint8_t { kVn30, kOther, kFutures };
inline constexpr auto kSymbolKindNames = MakeEnumNames<SymbolKind>(
    {{SymbolKind::kVn30, "vn30"}, {SymbolKind::kOther, "other"}, {SymbolKind::kFutures, "futures"}});
static_assert(kSymbolKindNames.Unique() && kSymbolKindNames.size() == 3);
// "vn30", "other", "futures".
std::string_view ToString(SymbolKind k);

// Volume and value split by aggressor. Integers only (design.md §3 units).
struct FlowStats {
  Volume buy_vol{}, sell_vol{}, neutral_vol{};
  Vnd buy_val{}, sell_val{}, neutral_val{};
  std::int64_t trade_count = 0;

  Volume volume() const { return buy_vol + sell_vol + neutral_vol; }
  Vnd value() const { return buy_val + sell_val + neutral_val; }
  // Adds volume/value on one side (does not count a trade).
  void Add(Aggressor side, Volume vol, Vnd val);
  // buy / (buy + sell) in [0, 1]; nullopt when nothing was aggressed.
  std::optional<double> ActiveBuyRatio() const {
    const Volume d = buy_vol + sell_vol;
    if (d <= Volume{}) return std::nullopt;
    return buy_vol.ToDouble() / d.ToDouble();
  }
};

// value / volume as a price (VND for stocks; points for futures when multiplier = 100,000); zero without
// volume.
Price Vwap(const FlowStats& s, std::int64_t multiplier);
// price x volume x multiplier in whole VND (rounded half away from zero).
Vnd TradeValue(Price price, Volume vol, std::int64_t multiplier);

// How a trade-bearing frame was interpreted by DetectTrade.
enum class TradeDetect : std::uint8_t {
  kNone,       // nothing traded (no volume information)
  kTrade,      // new volume: count it
  kDuplicate,  // X-TRADE whose TotalVol was already counted (repeat frame, or X came first)
  kQuoteOnly,  // X snapshot whose TotalVol did not rise
  kBaseline,   // first frame of the day: earlier volume becomes the baseline, not a trade
  kStale,      // TotalVol below what was already counted: an older frame (any order), nothing applied
};

// Result of DetectTrade.
struct TradeDetection {
  TradeDetect kind = TradeDetect::kNone;
  Volume volume{};        // volume to classify (the trade itself)
  Volume unattributed{};  // volume of trades whose frames were missed (TotalVol rose by more than LastVol)
  bool no_total = false;  // X-TRADE without TotalVol: counted from LastVol, cannot be deduplicated
};

// Per-symbol state for one trading day.
struct SymbolState {
  Symbol symbol;
  SymbolKind kind = SymbolKind::kOther;
  std::int64_t multiplier = 1;  // VND per price unit per volume unit: 1 for stocks, 100,000 for futures
  int futures_index = -1;       // index into the engine's futures list (futures only)

  Session session = Session::kUnknown;
  std::string trading_status;
  ExchangeTime last_time;  // newest exchange time seen for the symbol

  Price ref, ceiling, floor;  // from the feed (zero = unknown)
  // The auction's indicative matching price (the feed's EstMatchedPrice) while an opening or closing auction
  // collects orders; zero outside ATO/ATC or when the feed sends none.
  Price indicative;
  Price open, high, low, last;  // day OHLC: ours, widened by the feed's High/Low when it knows more
  Volume last_vol{};            // volume of the last counted trade
  Volume feed_total_vol{};      // TotalVol as last sent by the feed
  Vnd feed_total_val{};         // TotalVal as last sent by the feed

  // Trade detection cursor: the cumulative TotalVol already accounted for (counted or baselined).
  bool has_cursor = false;
  Volume cursor{};
  Volume baseline_volume{};  // volume traded before the engine first saw the symbol today (not classified)

  std::array<FlowStats, kSessionBuckets> buckets{};
  FlowStats total;  // sum of the buckets; total.volume() == counted volume

  // Trades counted from X snapshots with a guessed side (quote or tick rule), newest last: when the X-TRADE
  // of the same trade (same cumulative TotalVol and volume) arrives with the exchange's side, the guess is
  // replaced (MarketEngine::Reattribute).
  struct GuessedTrade {
    Volume total_after{-1};  // the cumulative TotalVol once the trade was counted
    Volume volume{};
    Vnd value{};
    Price price;
    Aggressor side = Aggressor::kNeutral;
    std::uint8_t bucket = 0;
    std::int32_t minute = -1;
  };
  std::array<GuessedTrade, 8> guessed{};
  std::uint8_t guessed_next = 0;

  core::Book book;
  TickState tick;
  CandleSeries candles;
  VolumeProfile profile;
  ForeignFlow foreign;

  // Price-breakout edge state: 1 at ceiling, -1 at floor, 0 otherwise.
  std::int8_t breakout = 0;

  // Odd-lot board (OL): a separate market with its own TotalVol; informational only, never classified.
  Price odd_last;
  Volume odd_total_vol{};

  // last - ref (zero until both are known).
  Price change() const { return last.raw > 0 && ref.raw > 0 ? last - ref : Price{}; }
  // change / ref * 100 (0 when unknown).
  double change_pct() const {
    return last.raw > 0 && ref.raw > 0
               ? static_cast<double>((last - ref).raw) * 100.0 / static_cast<double>(ref.raw)
               : 0.0;
  }
  // Counted volume (buy + sell + neutral, all buckets).
  Volume volume() const { return total.volume(); }
  // Day VWAP of the counted trades.
  Price vwap() const { return Vwap(total, multiplier); }
  // Clears all day state but keeps identity (symbol, kind, multiplier, futures index).
  void ResetDay();
};

// The kind of frame that carries trade fields: an X-TRADE (a trade by definition) or an X snapshot (a trade
// only when its TotalVol rises).
enum class TradeFrame : std::uint8_t { kTrade, kSnapshot };
// Whether a frame is at or after the newest time seen for its symbol (kInOrder) or older (kLate).
enum class Arrival : std::uint8_t { kInOrder, kLate };

// Decides whether a trade-bearing frame holds new volume, updating the cursor. An X snapshot is a trade only
// when TotalVol rises (volume = the rise); an X-TRADE's volume is LastVol (a rise beyond LastVol is
// unattributed volume from missed frames). TotalVol is cumulative for the day and never goes back: a frame
// with a lower one is older than what was counted (frames of one second arrive in any order), so it is stale,
// whatever its timestamp; only a new trading date starts the count again. `arrival` is kept for callers
// that know the frame is late (it makes no difference to the count).
TradeDetection DetectTrade(SymbolState& s, const core::TradeFields& t, TradeFrame frame,
                           Arrival arrival = Arrival::kInOrder);

}  // namespace vnt::core
