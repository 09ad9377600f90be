#pragma once
// Alerts: types, thresholds, user rules (metric / symbol / comparison / threshold / cooldown), cooldown
// bookkeeping in exchange time, and the basis premium/discount hysteresis.
//
// Built-in alerts (all thresholds in AlertConfig):
//   volume_spike        a closed 1-minute candle's volume > k x the average volume of the previous N closed
//                       candles of the symbol (needs N of them) and >= a minimum volume.            warning
//   price_breakout      the last price reaches the ceiling or the floor (fires on entering that state).
//   critical foreign_acceleration |foreign net value acceleration| (VND/min per min) >= threshold. warning
//   basis_divergence    basis flips premium <-> discount with hysteresis: the regime changes only once
//                       |basis| >= band on the other side, so oscillation inside the band never flaps;
//                       a flip is reported once the new regime has held basis_hold_sec (exchange time),
//                       always opposite to the last one reported (no cooldown can make an alert repeat the
//                       previous direction), and never before the VN30 index has moved in the continuous
//                       session (during the ATO the index is yesterday's frozen close). The first regime
//                       of the day is the starting point, not a flip. warning
//   velocity_divergence over the last W closed minutes (default 5): the price moved >= p% one way while the
//                       active-flow imbalance (buy - sell) / (buy + sell) was >= x the other way, with a
//                       minimum aggressed volume. Evaluated when a candle closes.                    warning
//   imbalance_extreme   active-buy ratio buy / (buy + sell) over the last W closed minutes >= 80% or <= 20%
//                       with a minimum aggressed volume. Evaluated when a candle closes.            info
// Built-ins share one cooldown per (type, symbol) (default 60 s of exchange time).
//
// User-rule metrics (names accepted by ParseMetric; ratios and *_pct are in percent):
//   symbol:  last_price, change, change_pct, total_vol, total_val, trade_count, vwap, active_buy_vol,
//            active_sell_vol, active_buy_ratio (day), active_buy_ratio_5m (last 5 closed minutes + open one),
//            active_buy_ratio_window (the rule's window_min), volume_multiple (the last closed minute's
//            continuous volume / the average of the volume_spike lookback before it)
//   foreign: foreign_buy_vol, foreign_sell_vol, foreign_net_vol, foreign_net_val, foreign_net_speed_vol,
//            foreign_net_speed_val, foreign_net_accel_val, room_used_pct
//   futures: basis, basis_pct, fair_basis, basis_minus_fair (symbol = KRX code, VN30FYYMM or alias VN30F1M)
//   index:   index_value, index_change_pct, advances, declines (symbol = index id, case-insensitive)

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/enum_names.h"
#include "common/result.h"
#include "core/ring_buffer.h"
#include "core/types.h"

namespace vnt::core {

// Kind of alert.
enum class AlertType : std::uint8_t {
  kVolumeSpike,
  kPriceBreakout,
  kForeignAcceleration,
  kBasisDivergence,
  kVelocityDivergence,
  kImbalanceExtreme,
  kUserRule,
  kCount
};
inline constexpr auto kAlertTypeNames = MakeEnumNames<AlertType>({
    {AlertType::kVolumeSpike, "volume_spike"},
    {AlertType::kPriceBreakout, "price_breakout"},
    {AlertType::kForeignAcceleration, "foreign_acceleration"},
    {AlertType::kBasisDivergence, "basis_divergence"},
    {AlertType::kVelocityDivergence, "velocity_divergence"},
    {AlertType::kImbalanceExtreme, "imbalance_extreme"},
    {AlertType::kUserRule, "user_rule"},
});
static_assert(kAlertTypeNames.Unique() &&
              kAlertTypeNames.size() == static_cast<std::size_t>(AlertType::kCount));
// "volume_spike", ..., "user_rule".
std::string_view ToString(AlertType t);
// Inverse of ToString (exact); nullopt otherwise.
std::optional<AlertType> ParseAlertType(std::string_view s);

// How loud an alert is.
enum class Severity : std::uint8_t { kInfo, kWarning, kCritical };
inline constexpr auto kSeverityNames = MakeEnumNames<Severity>(
    {{Severity::kInfo, "info"}, {Severity::kWarning, "warning"}, {Severity::kCritical, "critical"}});
static_assert(kSeverityNames.Unique() && kSeverityNames.size() == 3);
// "info", "warning", "critical".
std::string_view ToString(Severity s);
// Inverse of ToString (case-sensitive); nullopt otherwise.
std::optional<Severity> ParseSeverity(std::string_view s);

// Unit of an alert's value and threshold. Prices of stocks are VND (the board shows thousands), of futures
// and indices points; speeds are per minute of exchange time.
enum class AlertUnit : std::uint8_t {
  kNone,
  kVnd,              // "vnd"
  kPoints,           // "points"
  kShares,           // "shares"
  kContracts,        // "contracts"
  kPercent,          // "percent"
  kVndPerMin,        // "vnd_per_min"
  kVndPerMinPerMin,  // "vnd_per_min2"
  kSharesPerMin,     // "shares_per_min"
  kMultiple,         // "multiple" (x times an average)
  kCount_,           // "count" (a number of trades, advancing stocks...)
};
inline constexpr auto kAlertUnitNames = MakeEnumNames<AlertUnit>({
    {AlertUnit::kVnd, "vnd"},
    {AlertUnit::kPoints, "points"},
    {AlertUnit::kShares, "shares"},
    {AlertUnit::kContracts, "contracts"},
    {AlertUnit::kPercent, "percent"},
    {AlertUnit::kVndPerMin, "vnd_per_min"},
    {AlertUnit::kVndPerMinPerMin, "vnd_per_min2"},
    {AlertUnit::kSharesPerMin, "shares_per_min"},
    {AlertUnit::kMultiple, "multiple"},
    {AlertUnit::kCount_, "count"},
});
static_assert(kAlertUnitNames.Unique() && kAlertUnitNames.size() == 10);
// The names above; "" for kNone.
std::string_view ToString(AlertUnit u);

// Which way the figure went: up (ceiling, premium, buying, above a level) or down.
enum class Direction : std::uint8_t { kNone, kUp, kDown };
inline constexpr auto kDirectionNames =
    MakeEnumNames<Direction>({{Direction::kUp, "up"}, {Direction::kDown, "down"}});
static_assert(kDirectionNames.Unique());
// "up", "down", "" for kNone.
std::string_view ToString(Direction d);

// A named supporting figure of an alert (key is a static string, e.g. "average", "multiple").
struct AlertDetail {
  std::string_view key;
  double value = 0;
  AlertUnit unit = AlertUnit::kNone;
};

// The static name of a detail key this build emits ("average", "multiple", ...); "" for an unknown key.
std::string_view InternDetailKey(std::string_view key);

// One alert as delivered to sinks and kept in the recent list: its facts as fields, so each reader (the UI in
// Vietnamese or English, a webhook, Telegram) builds its own sentence. `message` is the English sentence
// (core::AlertSentence), never raw 10-digit integers or scientific notation.
struct Alert {
  std::uint64_t id = 0;  // engine sequence, 1-based, never reused within a process
  AlertType type = AlertType::kUserRule;
  Severity severity = Severity::kWarning;
  Symbol symbol;             // ticker, index id, or a contract's KRX code
  Symbol contract;           // futures: the VN30FYYMM code ("" otherwise)
  std::string alias;         // futures: "VN30F1M".."VN30F2Q" on the alert's date ("" otherwise)
  std::int64_t rule_id = 0;  // user rule that fired (0 for built-ins)
  std::string rule_name;     // the rule's label ("" for built-ins and unnamed rules)
  std::string metric;        // what was measured: a Metric name, or "minute_volume", "price_move_pct"...
  AlertUnit unit = AlertUnit::kNone;  // of value and threshold
  Direction direction = Direction::kNone;
  std::string comparison;  // user rules: ">", ">=", "<", "<=", "==", "crosses_above", "crosses_below"
  int window_sec = 0;      // the window the figure is measured over (0 = an instant value)
  double value = 0;        // the measured figure
  double threshold = 0;    // what it was compared with
  std::array<AlertDetail, 3> details{};  // supporting figures, the first n_details used
  std::uint8_t n_details = 0;
  ExchangeTime time;  // exchange time of the triggering event
  std::string message;

  // A built-in alert's identity: what fired, how loud, on what, measuring which figure.
  static Alert Of(AlertType type, Severity severity, Symbol symbol, std::string metric) {
    Alert a;
    a.type = type;
    a.severity = severity;
    a.symbol = symbol;
    a.metric = std::move(metric);
    return a;
  }

  void AddDetail(std::string_view key, double v, AlertUnit u) {
    if (n_details < details.size()) details[n_details++] = AlertDetail{key, v, u};
  }
};

// Metrics a user rule can watch (see the header comment for names and units).
enum class Metric : std::uint8_t {
  kLastPrice,
  kChange,
  kChangePct,
  kTotalVol,
  kTotalVal,
  kTradeCount,
  kVwap,
  kActiveBuyVol,
  kActiveSellVol,
  kActiveBuyRatio,
  kActiveBuyRatio5m,
  kActiveBuyRatioWindow,
  kVolumeMultiple,
  kForeignBuyVol,
  kForeignSellVol,
  kForeignNetVol,
  kForeignNetVal,
  kForeignNetSpeedVol,
  kForeignNetSpeedVal,
  kForeignNetAccelVal,
  kRoomUsedPct,
  kBasis,
  kBasisPct,
  kFairBasis,
  kBasisMinusFair,
  kIndexValue,
  kIndexChangePct,
  kAdvances,
  kDeclines,
  kCount
};
// Metric names (case-insensitive on input).
inline constexpr auto kMetricNames = MakeEnumNames<Metric>(
    {
        {Metric::kLastPrice, "last_price"},
        {Metric::kChange, "change"},
        {Metric::kChangePct, "change_pct"},
        {Metric::kTotalVol, "total_vol"},
        {Metric::kTotalVal, "total_val"},
        {Metric::kTradeCount, "trade_count"},
        {Metric::kVwap, "vwap"},
        {Metric::kActiveBuyVol, "active_buy_vol"},
        {Metric::kActiveSellVol, "active_sell_vol"},
        {Metric::kActiveBuyRatio, "active_buy_ratio"},
        {Metric::kActiveBuyRatio5m, "active_buy_ratio_5m"},
        {Metric::kActiveBuyRatioWindow, "active_buy_ratio_window"},
        {Metric::kVolumeMultiple, "volume_multiple"},
        {Metric::kForeignBuyVol, "foreign_buy_vol"},
        {Metric::kForeignSellVol, "foreign_sell_vol"},
        {Metric::kForeignNetVol, "foreign_net_vol"},
        {Metric::kForeignNetVal, "foreign_net_val"},
        {Metric::kForeignNetSpeedVol, "foreign_net_speed_vol"},
        {Metric::kForeignNetSpeedVal, "foreign_net_speed_val"},
        {Metric::kForeignNetAccelVal, "foreign_net_accel_val"},
        {Metric::kRoomUsedPct, "room_used_pct"},
        {Metric::kBasis, "basis"},
        {Metric::kBasisPct, "basis_pct"},
        {Metric::kFairBasis, "fair_basis"},
        {Metric::kBasisMinusFair, "basis_minus_fair"},
        {Metric::kIndexValue, "index_value"},
        {Metric::kIndexChangePct, "index_change_pct"},
        {Metric::kAdvances, "advances"},
        {Metric::kDeclines, "declines"},
    },
    NameCase::kInsensitive);
static_assert(kMetricNames.Unique() && kMetricNames.size() == static_cast<std::size_t>(Metric::kCount));
// Metric name as accepted by ParseMetric.
std::string_view ToString(Metric m);
// Parses a metric name (case-insensitive); nullopt for unknown names.
std::optional<Metric> ParseMetric(std::string_view name);
// Every metric name, in enum order (for --help, REST validation messages).
std::vector<std::string_view> MetricNames();

// Comparison of a user rule. The crossings fire once per crossing of the level (see CrossingState), the
// others whenever the condition holds (subject to the rule's frequency).
enum class Comparison : std::uint8_t { kGt, kGe, kLt, kLe, kEq, kCrossesAbove, kCrossesBelow };
inline constexpr auto kComparisonNames = MakeEnumNames<Comparison>(
    {
        {Comparison::kGt, ">"},
        {Comparison::kGe, ">="},
        {Comparison::kLt, "<"},
        {Comparison::kLe, "<="},
        {Comparison::kEq, "=="},
        {Comparison::kCrossesAbove, "crosses_above"},
        {Comparison::kCrossesBelow, "crosses_below"},
    },
    {
        {Comparison::kGt, "gt"},
        {Comparison::kGe, "ge"},
        {Comparison::kGe, "gte"},
        {Comparison::kLt, "lt"},
        {Comparison::kLe, "le"},
        {Comparison::kLe, "lte"},
        {Comparison::kEq, "="},
        {Comparison::kEq, "eq"},
        {Comparison::kCrossesAbove, "crosses_up"},
        {Comparison::kCrossesBelow, "crosses_down"},
    },
    NameCase::kInsensitive);
static_assert(kComparisonNames.Unique() && kComparisonNames.size() == 7);
// ">", ">=", "<", "<=", "==", "crosses_above", "crosses_below".
std::string_view ToString(Comparison c);
// Parses the names above (also "=", "gt", "ge", "lt", "le", "eq", "crosses_up", "crosses_down"); nullopt
// otherwise.
std::optional<Comparison> ParseComparison(std::string_view s);
// v (cmp) threshold; == uses a relative tolerance of 1e-9; a crossing compares like >= / <= (the edge is
// judged by CrossingState).
bool Compare(double v, Comparison cmp, double threshold);
inline bool IsCrossing(Comparison c) {
  return c == Comparison::kCrossesAbove || c == Comparison::kCrossesBelow;
}

// How often a rule may fire, per symbol (TradingView's choices):
//   every_time    whenever the condition holds, at most once per cooldown_sec of exchange time;
//   once_per_bar  at most once per 1-minute bar (exchange time);
//   once          once per trading day, re-armed when the rule is edited.
enum class Frequency : std::uint8_t { kEveryTime, kOncePerBar, kOnce };
inline constexpr auto kFrequencyNames = MakeEnumNames<Frequency>({{Frequency::kEveryTime, "every_time"},
                                                                  {Frequency::kOncePerBar, "once_per_bar"},
                                                                  {Frequency::kOnce, "once"}});
static_assert(kFrequencyNames.Unique() && kFrequencyNames.size() == 3);
// "every_time", "once_per_bar", "once" (exact).
std::string_view ToString(Frequency f);
std::optional<Frequency> ParseFrequency(std::string_view s);

// Hysteresis of a crossing rule: after firing, the value must go back beyond the level by this fraction of
// the level (or one absolute unit of kCrossingMinGap for levels near zero) before it can fire again.
inline constexpr double kCrossingHysteresis = 0.001;
inline constexpr double kCrossingMinGap = 1e-6;

// A user-defined alert rule.
struct AlertRule {
  std::int64_t id = 0;  // 0 on AddRule = assign the next id
  std::string name;     // optional label shown in the message
  Metric metric = Metric::kLastPrice;
  std::string symbol =
      "*";  // ticker, futures code/alias, index id, or "*" for every symbol (upper-cased on add)
  Comparison comparison = Comparison::kGt;
  double threshold = 0;
  int cooldown_sec = 60;  // every_time: minimum exchange-time seconds between two firings per (rule, symbol)
  bool enabled = true;
  Severity severity = Severity::kWarning;
  Frequency frequency = Frequency::kEveryTime;
  int window_min = 5;       // window of the windowed metrics (active_buy_ratio_window), 1..60 minutes
  std::string webhook_url;  // optional: this rule's alerts are also POSTed here ("" = none)
};
inline constexpr int kMaxRuleWindowMin = 60;
inline constexpr std::size_t kMaxWebhookUrlChars = 2048;
// http:// or https:// with a host, no spaces or control characters, at most kMaxWebhookUrlChars.
bool ValidWebhookUrl(std::string_view url);

// Bounds of a user rule: the largest figure a rule can watch is a day's traded value in VND (~1e13);
// a threshold beyond 1e15 is a typo, not a rule.
inline constexpr double kMaxRuleThreshold = 1e15;
inline bool ValidRuleThreshold(double t) {
  return std::isfinite(t) && std::fabs(t) <= kMaxRuleThreshold;
}
inline constexpr std::size_t kMaxRuleNameChars = 100;

// Thresholds of the built-in alerts.
struct AlertConfig {
  bool enabled = true;                 // master switch for built-ins (user rules have their own flag)
  int builtin_cooldown_sec = 60;       // per (type, symbol), exchange time
  std::size_t recent_capacity = 5000;  // alerts kept in memory for REST (today's, paged)

  // volume_spike compares a minute's continuous volume (auction prints taken out) with the average
  // continuous volume of the previous N minutes: the ATO and ATC prints are not compared with minutes of
  // continuous trading.
  double volume_spike_k = 3.0;                  // candle volume > k x average
  int volume_spike_lookback = 10;               // N previous closed candles
  Volume volume_spike_min_volume{10'000};       // shares (stocks)
  Volume volume_spike_min_volume_futures{500};  // contracts

  double foreign_accel_threshold_val = 1e9;  // VND per minute per minute (net value acceleration)

  double basis_band = 0.5;  // points: |basis| needed on the other side of zero to flip regime
  int basis_hold_sec = 30;  // a new regime must hold this long before its flip is reported
  bool basis_front_only =
      true;  // back months trade rarely: their basis moves with the index on a stale price

  int flow_window_min = 5;                // window of velocity_divergence and imbalance_extreme
  double imbalance_high = 0.80;           // active-buy ratio >= this -> buying extreme
  double imbalance_low = 0.20;            // active-buy ratio <= this -> selling extreme
  Volume flow_min_volume{50'000};         // aggressed (buy + sell) shares in the window (stocks)
  Volume flow_min_volume_futures{1'000};  // contracts
  double velocity_price_move_pct = 0.3;  // |price change| over the window, percent of the window's first open
  double velocity_imbalance = 0.2;       // |(buy - sell) / (buy + sell)| against the price move
};

// Premium/discount regime of a contract's basis with hysteresis.
struct BasisRegime {
  std::int8_t regime = 0;  // 1 premium, -1 discount, 0 not established yet
  // What the alerts said (0 = nothing yet) and a flip waiting out basis_hold_sec.
  std::int8_t reported = 0, pending = 0;
  std::int64_t pending_since = 0;  // local epoch seconds
  // Feeds a basis; returns the new regime when it flips between premium and discount (the first regime
  // established is not a flip). Only |basis| >= band can change the regime.
  std::optional<std::int8_t> Update(double basis, double band);
};

// The cooldown key of a built-in alert type: negative, so it never meets a user rule's id.
constexpr std::int64_t BuiltinCooldownKey(AlertType t) {
  return -(static_cast<std::int64_t>(t) + 1);
}

// Alert sequence, cooldowns, recent alerts and user rules.
class AlertBook {
 public:
  explicit AlertBook(std::size_t recent_capacity = 500) : recent_(recent_capacity) {}

  // Adds a rule (id 0 = assign). Returns the id, or an error whose field names the rule field at fault:
  // kInvalidArgument (a bad symbol, threshold, name, cooldown_sec, metric, window_min, webhook_url, id),
  // kAlreadyExists (a rule has this id).
  Result<std::int64_t> AddRule(AlertRule rule);
  // Replaces the rule with the same id: the same errors, or kNotFound when there is none.
  Status UpdateRule(AlertRule rule);
  // Deletes a rule; false when there is none.
  bool RemoveRule(std::int64_t id);
  // All rules, in insertion order.
  const std::vector<AlertRule>& rules() const { return rules_; }

  // True (and the cooldown restarts at now_sec) when (key, symbol) has not fired within cooldown_sec.
  // Built-ins use BuiltinCooldownKey(type) (negative, so never a rule id).
  bool TryFire(std::int64_t key, Symbol symbol, std::int64_t now_sec, int cooldown_sec);
  // Whether user rule r fires for `symbol` now, given the metric's current value v: the condition (for a
  // crossing, the edge: v reached the level from the other side, beyond the hysteresis gap, since the last
  // firing; the first value seen only arms it), then the rule's frequency (every_time with its cooldown,
  // once_per_bar by exchange minute, once per trading day). Call it for every value of the metric, also
  // when the condition does not hold: a crossing re-arms on those.
  bool RuleFires(const AlertRule& r, Symbol symbol, double v, std::int64_t now_sec);
  // Numbers the alert, stores it in the recent list and returns the stored copy.
  const Alert& Record(Alert a);
  // The most recent alerts, oldest first.
  const RingBuffer<Alert>& recent() const { return recent_; }
  // Forgets cooldowns (day rollover). Rules, ids and recent alerts are kept.
  void ResetDay() {
    cooldowns_.clear();
    rule_states_.clear();
  }

 private:
  struct Key {
    std::int64_t key;
    Symbol symbol;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return SymbolHash{}(k.symbol) ^ (std::hash<std::int64_t>{}(k.key) * 0x9E3779B97F4A7C15ull);
    }
  };

  std::vector<AlertRule> rules_;
  std::int64_t next_rule_id_ = 1;
  std::uint64_t next_alert_id_ = 1;
  // Per (rule, symbol): what the frequency and a crossing need to remember.
  struct RuleState {
    std::int64_t last_fired = 0;  // exchange epoch seconds of the last firing
    bool fired = false;           // fired at least once today
    std::int8_t side = 0;         // crossings: -1 below the level, +1 above it, 0 no value seen yet
  };
  std::unordered_map<Key, std::int64_t, KeyHash> cooldowns_;
  std::unordered_map<Key, RuleState, KeyHash> rule_states_;
  RingBuffer<Alert> recent_;
};

}  // namespace vnt::core
