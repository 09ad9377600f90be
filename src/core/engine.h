#pragma once
// The market engine: turns decoded feed events into market state and market events. Pure (standard library
// only), single-threaded, no clock: time comes from the events' exchange timestamps (TradingDate + Time).
//
// Apply() first updates all state, then dispatches what changed to the sinks, in order. A sink that throws is
// counted (counters().sink_errors) and skipped, never fatal. Sinks must not call Apply() re-entrantly.
//
// Day boundaries come from TradingDate: an event with a later date resets every piece of day state (symbols,
// foreign baselines, candles, indices, futures, alert cooldowns) before it is applied; an event with an
// earlier date is counted and ignored. Events without a date belong to the current day. Counters, user rules,
// alert ids and the recent-alert list survive the rollover.
//
// Pointers and references returned by the accessors stay valid until the next Apply() or Flush call.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/alerts.h"
#include "core/calendar.h"
#include "core/candles.h"
#include "core/classifier.h"
#include "core/events.h"
#include "core/foreign_flow.h"
#include "core/futures.h"
#include "core/futures_state.h"
#include "core/index_state.h"
#include "core/symbol_state.h"
#include "core/types.h"

namespace vnt::core {

// Engine configuration (from the environment/CLI in the app).
struct EngineConfig {
  std::vector<Symbol> vn30;      // the VN30 basket: foreign totals and the "vn30" symbol kind
  double carry_rate = 0.045;     // r of the fair basis
  double dividend_yield = 0.02;  // q of the fair basis
  // FUTURES_OVERRIDE: KRX code, VN30FYYMM or alias pinning the front contract (comma list: first listed
  // today).
  std::string futures_override;
  int convergence_window_min = 30;    // minutes of basis history the convergence slope is fitted on
  int projection_horizon_min = 270;   // project the slope to expiry only within this many trading minutes
  std::size_t candle_capacity = 400;  // closed 1-minute candles kept per symbol
  bool foreign_top_vn30_only = true;  // top buyers/sellers among the VN30 (all symbols when vn30 is empty)
  ForeignFlowConfig foreign;          // speed window etc.
  AlertConfig alerts;                 // built-in alert thresholds
};

// One trade as classified by the engine.
struct ClassifiedTrade {
  Symbol symbol;
  ExchangeTime time;
  Price price;
  Volume volume{};        // the trade's volume, on `side`
  Vnd value{};            // price x volume (x 100,000 for futures), VND
  Volume unattributed{};  // extra volume from missed frames (TotalVol rose beyond LastVol): counted neutral
  Aggressor side = Aggressor::kNeutral;
  ClassifyMethod method = ClassifyMethod::kTick;
  Session session = Session::kUnknown;
  SessionBucket bucket = SessionBucket::kContinuous;
  Price bid, ask;                                // best bid/ask before the trade (zero = none)
  core::Channel source = core::Channel::kTrade;  // X-TRADE or X
  bool futures = false;
};

// Running counters (process lifetime; never reset by a day rollover).
struct EngineCounters {
  std::array<std::uint64_t, static_cast<std::size_t>(core::Channel::kCount)> events_by_channel{};
  std::uint64_t events = 0;
  std::uint64_t trades_counted = 0;        // classified trades
  std::uint64_t duplicates_skipped = 0;    // X-TRADE frames whose TotalVol was already counted
  std::uint64_t quote_only_snapshots = 0;  // X frames without a TotalVol rise
  std::uint64_t baselines = 0;             // first frames of a symbol with earlier volume (not classified)
  std::uint64_t stale_frames = 0;    // X/X-TRADE frames with a TotalVol below the counted one: not applied
  std::uint64_t foreign_resets = 0;  // R cumulative volume decreases (re-baselined)
  std::uint64_t no_total_vol_trades = 0;  // X-TRADE without TotalVol: counted from LastVol, not deduplicable
  std::uint64_t unattributed_volume = 0;  // volume from missed frames, counted neutral
  std::uint64_t stale_date_events = 0;    // TradingDate earlier than the engine's: ignored
  std::uint64_t out_of_order = 0;         // exchange time earlier than the symbol's/index's last
  std::uint64_t unknown_symbols = 0;      // distinct symbols per day that are not VN30, index or futures
  std::uint64_t unknown_symbol_events = 0;  // events of such symbols (still tracked)
  std::uint64_t late_candle_trades = 0;     // trades older than their symbol's open/closed candle
  std::uint64_t reattributed_trades = 0;    // guessed sides (X first) replaced by the X-TRADE's exchange side
  std::uint64_t empty_symbol_events = 0;    // events without a symbol / index id: ignored
  std::uint64_t sink_errors = 0;            // exceptions thrown by sinks
  std::uint64_t day_rollovers = 0;
  std::uint64_t alerts = 0;
  std::array<std::uint64_t, static_cast<std::size_t>(AlertType::kCount)>
      alerts_by_type{};  // the day's alerts per type
};

// VN30 foreign totals (sum over the configured basket).
struct ForeignTotals {
  Volume buy_vol{}, sell_vol{};
  Vnd buy_val{}, sell_val{};
  double net_speed_vol = 0, net_speed_val = 0;
  int symbols = 0;  // basket members with R data today
  Volume net_vol() const { return buy_vol - sell_vol; }
  Vnd net_val() const { return buy_val - sell_val; }
};

// VN30 foreign totals at the end of one exchange minute (the basket's cumulative figures as of the last R
// frame of that minute).
struct ForeignMinute {
  std::int32_t minute = 0;  // seconds since midnight of the minute's start
  Volume buy_vol{}, sell_vol{};
  Vnd buy_val{}, sell_val{};
};

// One row of the top foreign net buyers/sellers.
struct ForeignRank {
  Symbol symbol;
  Volume net_vol{};
  Vnd net_val{};
};

// Receives market events after each Apply(). Override what you need; all default to no-ops.
class MarketSink {
 public:
  virtual ~MarketSink() = default;
  // A trade was counted and classified.
  virtual void OnTrade(const ClassifiedTrade&) {}
  // The book of a symbol changed (X-QUOTE or X).
  virtual void OnQuote(Symbol) {}
  // Per-symbol stats (prices, aggregates, reference prices, status) changed.
  virtual void OnStatsChanged(Symbol) {}
  // A 1-minute candle closed.
  virtual void OnCandleClosed(const Candle&) {}
  // Foreign flow of a symbol changed.
  virtual void OnForeignChanged(Symbol) {}
  // An index changed (id upper-cased).
  virtual void OnIndexChanged(Symbol) {}
  // A futures contract's price, volume or basis changed.
  virtual void OnFuturesChanged(const FuturesState&) {}
  // A symbol's session changed; an empty symbol means the market-level session.
  virtual void OnSessionChanged(Symbol, Session) {}
  // An alert fired.
  virtual void OnAlert(const Alert&) {}
  // A new trading day started (all day state was reset).
  virtual void OnDayStarted(Date) {}
};

// The engine. Not thread-safe: one thread applies events and reads views.
class MarketEngine {
 public:
  // Builds an engine; the calendar must outlive it.
  explicit MarketEngine(EngineConfig cfg, const HolidayCalendar& cal = HolidayCalendar::Vietnam());
  MarketEngine(const MarketEngine&) = delete;
  MarketEngine& operator=(const MarketEngine&) = delete;

  // Applies one feed event: state first, then sink dispatch.
  void Apply(const core::MarketEvent& e);
  // Registers a sink (not owned; must outlive the engine or be removed).
  void AddSink(MarketSink* sink);
  // Unregisters a sink.
  void RemoveSink(MarketSink* sink);
  // Closes every open candle (end of session, end of replay) and dispatches them.
  void FlushCandles();
  // Closes open candles whose minute started before `t`'s minute (a timer in the app may drive this).
  void FlushCandlesBefore(ExchangeTime t);

  // --- read-only views -------------------------------------------------------------------------------
  // A tracked symbol (stock, futures code as sent by the feed); nullptr when unseen today.
  const SymbolState* FindSymbol(Symbol s) const;
  // Every tracked symbol, in order of first appearance today.
  const std::deque<SymbolState>& symbols() const { return symbols_; }
  // An index by id, case-insensitive; nullptr when unseen today.
  const IndexState* FindIndex(std::string_view id) const;
  // Every index seen today.
  const std::deque<IndexState>& indices() const { return indices_; }
  // Today's listed contracts (alias order 1M, 2M, 1Q, 2Q) followed by any other contract the feed sent.
  const std::vector<FuturesState>& futures() const { return futures_; }
  // The front contract (FUTURES_OVERRIDE when it resolves, else 1M); nullptr before the first dated event.
  const FuturesState* FrontContract() const;
  // A contract by KRX code, VN30FYYMM or alias (today's meaning); nullptr when not tracked.
  const FuturesState* FindContract(std::string_view code_or_alias) const;
  // VN30 foreign totals.
  ForeignTotals Vn30ForeignTotals() const;
  // VN30 foreign totals minute by minute today (cumulative; one point per minute with R data, in order).
  const std::vector<ForeignMinute>& Vn30ForeignSeries() const { return vn30_foreign_series_; }
  // Top n net buyers by net value (only symbols with net value > 0), largest first.
  std::vector<ForeignRank> TopForeignBuyers(std::size_t n) const;
  // Top n net sellers by net value (only symbols with net value < 0), most negative first.
  std::vector<ForeignRank> TopForeignSellers(std::size_t n) const;
  // Aggressor flow summed over the VN30 basket (all buckets).
  FlowStats Vn30Flow() const;
  // Active-buy ratio (0..1) over the last `minutes` minutes of a symbol's candles (open one included).
  std::optional<double> ActiveBuyRatioWindow(const SymbolState& s, int minutes) const;
  // The recent alerts, oldest first.
  const RingBuffer<Alert>& recent_alerts() const { return alerts_.recent(); }
  // Counters.
  const EngineCounters& counters() const { return counters_; }
  // Current trading date (invalid before the first dated event).
  Date trading_date() const { return date_; }
  // Newest exchange time seen today.
  ExchangeTime market_time() const { return market_time_; }
  // Market-level session: from VN30/VNINDEX index events, else the majority of stock sessions.
  Session market_session() const { return market_session_; }
  // The configuration in use.
  const EngineConfig& config() const { return cfg_; }
  // True when FUTURES_OVERRIDE is set but does not resolve to a contract listed today.
  bool futures_override_unresolved() const { return override_unresolved_; }

  // --- user alert rules --------------------------------------------------------------------------------
  // Adds a rule (id 0 = assign); returns its id, or the error (see AlertBook::AddRule).
  Result<std::int64_t> AddRule(AlertRule rule) { return alerts_.AddRule(std::move(rule)); }
  // Replaces the rule with the same id; the error when absent or invalid (see AlertBook::UpdateRule).
  Status UpdateRule(AlertRule rule) { return alerts_.UpdateRule(std::move(rule)); }
  // Deletes a rule; false when absent.
  bool RemoveRule(std::int64_t id) { return alerts_.RemoveRule(id); }
  // Every rule.
  const std::vector<AlertRule>& Rules() const { return alerts_.rules(); }

 private:
  enum class NoticeKind : std::uint8_t {
    kTrade,
    kQuote,
    kStats,
    kCandle,
    kForeign,
    kIndex,
    kFutures,
    kSession,
    kAlert,
    kDay
  };
  struct Notice {
    NoticeKind kind;
    std::uint32_t idx = 0;  // into pending_trades_/pending_candles_/pending_alerts_/futures_
    Symbol symbol;
    Session session = Session::kUnknown;
  };
  // What a user rule is evaluated against.
  struct RuleContext {
    const SymbolState* sym = nullptr;
    const FuturesState* fut = nullptr;
    const IndexState* idx = nullptr;
  };

  void BeginDay(Date d);
  SymbolState& GetSymbol(Symbol s);
  int FindOrAddFutures(const ContractMonth& m);
  // Counts unknown-symbol events; kLate (counted) when t is older than the symbol's newest time.
  Arrival Touch(SymbolState& s, ExchangeTime t);
  void SetSymbolSession(SymbolState& s, Session session);
  void SetMarketSession(Session session);
  Session TradeSession(const SymbolState& s, Session frame_session) const;

  void OnTradeEvent(const core::TradeEvent& e, ExchangeTime t);
  void OnQuoteEvent(const core::QuoteEvent& e, ExchangeTime t);
  void OnSnapshotEvent(const core::SnapshotEvent& e, ExchangeTime t);
  void OnForeignEvent(const core::ForeignRoomEvent& e, ExchangeTime t);
  void OnIndexEvent(const core::IndexEvent& e, ExchangeTime t);
  void OnStatusEvent(const core::StatusEvent& e, ExchangeTime t);
  void OnOddLotEvent(const core::OddLotEvent& e, ExchangeTime t);

  // Volume and value one frame added (trade + unattributed).
  struct TradeTotals {
    bool traded = false;
    Volume volume{};
    Vnd value{};
  };
  // Shared X-TRADE / X path: reference prices, trade detection, classification, then (X) the new book.
  void HandleTrade(SymbolState& s, const core::Header& h, ExchangeTime t, const core::TradeFields& tf,
                   TradeFrame frame, const core::Book* book_after, Arrival arrival);
  TradeTotals RecordTrade(SymbolState& s, const core::Header& h, ExchangeTime t, Price price, Volume vol,
                          Volume unattributed, Side exchange_side, TopOfBook before, Arrival arrival);
  // The X-TRADE of a trade already counted from an X snapshot carries the exchange's side: replace the
  // guessed side (counters, session bucket, volume profile, the open candle).
  void Reattribute(SymbolState& s, const core::TradeFields& tf);
  void UpdateFutures(SymbolState& s, ExchangeTime t, const TradeTotals& traded);
  void RecomputeBasisOf(std::size_t fi, ExchangeTime t);
  // Records a closed candle for the sinks and runs the per-minute alerts (spike, imbalance, velocity).
  void CandleClosed(const SymbolState& s, const Candle& c, ExchangeTime t);

  // Alerts.
  void Emit(Alert a);
  void CheckBreakout(SymbolState& s, ExchangeTime t);
  void EvaluateRules(const RuleContext& ctx, ExchangeTime t);
  std::optional<double> MetricValue(const AlertRule& r, const RuleContext& ctx) const;
  static AlertUnit MetricUnit(Metric m, const RuleContext& ctx);
  std::optional<double> VolumeMultiple(const SymbolState& s) const;
  bool RuleMatches(const AlertRule& r, const RuleContext& ctx) const;

  void Push(NoticeKind kind, Symbol symbol, std::uint32_t idx = 0, Session session = Session::kUnknown);
  void Dispatch();

  EngineConfig cfg_;
  const HolidayCalendar& cal_;
  FuturesConfig futures_cfg_;
  std::unordered_set<Symbol, SymbolHash> vn30_set_;

  Date date_;
  ExchangeTime market_time_;
  Session market_session_ = Session::kUnknown;
  bool index_session_seen_ = false;
  std::array<int, 8> session_counts_{};

  std::deque<SymbolState> symbols_;
  std::unordered_map<Symbol, SymbolState*, SymbolHash> by_symbol_;
  std::deque<IndexState> indices_;
  std::unordered_map<Symbol, IndexState*, SymbolHash> by_index_;
  std::vector<FuturesState> futures_;
  std::vector<ForeignMinute> vn30_foreign_series_;  // bounded: one point per exchange minute
  std::vector<BasisRegime> basis_regimes_;          // parallel to futures_
  bool vn30_moved_continuous_ = false;  // the VN30 value changed during the continuous session today
  int front_ = -1;
  bool override_unresolved_ = false;
  Price vn30_value_;

  AlertBook alerts_;
  EngineCounters counters_;

  std::vector<MarketSink*> sinks_;
  std::vector<Notice> pending_;
  std::vector<ClassifiedTrade> pending_trades_;
  std::vector<Candle> pending_candles_;
  std::vector<Alert> pending_alerts_;
  bool dispatching_ = false;
};

}  // namespace vnt::core
