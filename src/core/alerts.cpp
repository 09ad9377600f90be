#include "core/alerts.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vnt::core {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Metric::kCount)> kMetricNames = {
    "last_price",
    "change",
    "change_pct",
    "total_vol",
    "total_val",
    "trade_count",
    "vwap",
    "active_buy_vol",
    "active_sell_vol",
    "active_buy_ratio",
    "active_buy_ratio_5m",
    "active_buy_ratio_window",
    "volume_multiple",
    "foreign_buy_vol",
    "foreign_sell_vol",
    "foreign_net_vol",
    "foreign_net_val",
    "foreign_net_speed_vol",
    "foreign_net_speed_val",
    "foreign_net_accel_val",
    "room_used_pct",
    "basis",
    "basis_pct",
    "fair_basis",
    "basis_minus_fair",
    "index_value",
    "index_change_pct",
    "advances",
    "declines",
};

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

bool NormalizeRule(AlertRule& rule, std::string* error) {
  rule.symbol = Upper(rule.symbol);
  if (rule.symbol.empty() || rule.symbol.size() > Symbol::kMax) {
    if (error) *error = "symbol must be 1-15 characters or \"*\"";
    return false;
  }
  if (!ValidRuleThreshold(rule.threshold)) {
    if (error) *error = "threshold must be a finite number within +/-1e15";
    return false;
  }
  if (!IsValidUtf8(rule.name) || Utf8Length(rule.name) > kMaxRuleNameChars) {
    if (error) *error = "name must be UTF-8 text of at most 100 characters";
    return false;
  }
  if (rule.cooldown_sec < 0) {
    if (error) *error = "cooldown must be >= 0 seconds";
    return false;
  }
  if (rule.metric >= Metric::kCount) {
    if (error) *error = "unknown metric";
    return false;
  }
  if (rule.window_min < 1 || rule.window_min > kMaxRuleWindowMin) {
    if (error) *error = "window_min must be 1-60 minutes";
    return false;
  }
  if (!rule.webhook_url.empty() && !ValidWebhookUrl(rule.webhook_url)) {
    if (error) *error = "webhook_url must be an http:// or https:// URL of at most 2048 characters";
    return false;
  }
  return true;
}

}  // namespace

std::string_view ToString(AlertType t) {
  switch (t) {
    case AlertType::kVolumeSpike:
      return "volume_spike";
    case AlertType::kPriceBreakout:
      return "price_breakout";
    case AlertType::kForeignAcceleration:
      return "foreign_acceleration";
    case AlertType::kBasisDivergence:
      return "basis_divergence";
    case AlertType::kVelocityDivergence:
      return "velocity_divergence";
    case AlertType::kImbalanceExtreme:
      return "imbalance_extreme";
    case AlertType::kUserRule:
    case AlertType::kCount:
      break;
  }
  return "user_rule";
}

std::optional<AlertType> ParseAlertType(std::string_view s) {
  for (int i = 0; i < static_cast<int>(AlertType::kCount); ++i) {
    const auto t = static_cast<AlertType>(i);
    if (ToString(t) == s) return t;
  }
  return std::nullopt;
}

std::string_view ToString(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kCritical:
      return "critical";
    case Severity::kWarning:
      break;
  }
  return "warning";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  if (s == "info") return Severity::kInfo;
  if (s == "warning") return Severity::kWarning;
  if (s == "critical") return Severity::kCritical;
  return std::nullopt;
}

std::string_view ToString(Metric m) {
  const auto i = static_cast<std::size_t>(m);
  return i < kMetricNames.size() ? kMetricNames[i] : std::string_view{};
}

std::optional<Metric> ParseMetric(std::string_view name) {
  for (std::size_t i = 0; i < kMetricNames.size(); ++i) {
    if (IEquals(kMetricNames[i], name)) return static_cast<Metric>(i);
  }
  return std::nullopt;
}

std::vector<std::string_view> MetricNames() {
  return {kMetricNames.begin(), kMetricNames.end()};
}

std::string_view ToString(Comparison c) {
  switch (c) {
    case Comparison::kGt:
      return ">";
    case Comparison::kGe:
      return ">=";
    case Comparison::kLt:
      return "<";
    case Comparison::kLe:
      return "<=";
    case Comparison::kCrossesAbove:
      return "crosses_above";
    case Comparison::kCrossesBelow:
      return "crosses_below";
    case Comparison::kEq:
      break;
  }
  return "==";
}

std::string_view ToString(Frequency f) {
  switch (f) {
    case Frequency::kOncePerBar:
      return "once_per_bar";
    case Frequency::kOnce:
      return "once";
    case Frequency::kEveryTime:
      break;
  }
  return "every_time";
}

std::optional<Frequency> ParseFrequency(std::string_view s) {
  if (s == "every_time") return Frequency::kEveryTime;
  if (s == "once_per_bar") return Frequency::kOncePerBar;
  if (s == "once") return Frequency::kOnce;
  return std::nullopt;
}

std::string_view ToString(AlertUnit u) {
  switch (u) {
    case AlertUnit::kVnd:
      return "vnd";
    case AlertUnit::kPoints:
      return "points";
    case AlertUnit::kShares:
      return "shares";
    case AlertUnit::kContracts:
      return "contracts";
    case AlertUnit::kPercent:
      return "percent";
    case AlertUnit::kVndPerMin:
      return "vnd_per_min";
    case AlertUnit::kVndPerMinPerMin:
      return "vnd_per_min2";
    case AlertUnit::kSharesPerMin:
      return "shares_per_min";
    case AlertUnit::kMultiple:
      return "multiple";
    case AlertUnit::kCount_:
      return "count";
    case AlertUnit::kNone:
      break;
  }
  return "";
}

std::string_view InternDetailKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {"average",       "multiple",      "lookback_min",
                                               "net_speed_val", "basis_pct",     "spot",
                                               "price",         "imbalance_pct", "aggressed_vol"};
  for (std::string_view k : kKeys) {
    if (k == key) return k;
  }
  return {};
}

std::string_view ToString(Direction d) {
  switch (d) {
    case Direction::kUp:
      return "up";
    case Direction::kDown:
      return "down";
    case Direction::kNone:
      break;
  }
  return "";
}

bool ValidWebhookUrl(std::string_view url) {
  if (url.size() > kMaxWebhookUrlChars) return false;
  std::string_view rest;
  if (url.starts_with("http://"))
    rest = url.substr(7);
  else if (url.starts_with("https://"))
    rest = url.substr(8);
  else
    return false;
  if (rest.empty() || rest.front() == '/' || rest.front() == ':') return false;  // a host is required
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;  // no spaces or control bytes
  }
  return true;
}

std::optional<Comparison> ParseComparison(std::string_view s) {
  if (s == ">" || IEquals(s, "gt")) return Comparison::kGt;
  if (s == ">=" || IEquals(s, "ge") || IEquals(s, "gte")) return Comparison::kGe;
  if (s == "<" || IEquals(s, "lt")) return Comparison::kLt;
  if (s == "<=" || IEquals(s, "le") || IEquals(s, "lte")) return Comparison::kLe;
  if (s == "==" || s == "=" || IEquals(s, "eq")) return Comparison::kEq;
  if (IEquals(s, "crosses_above") || IEquals(s, "crosses_up")) return Comparison::kCrossesAbove;
  if (IEquals(s, "crosses_below") || IEquals(s, "crosses_down")) return Comparison::kCrossesBelow;
  return std::nullopt;
}

bool Compare(double v, Comparison cmp, double threshold) {
  switch (cmp) {
    case Comparison::kGt:
      return v > threshold;
    case Comparison::kGe:
    case Comparison::kCrossesAbove:
      return v >= threshold;
    case Comparison::kLt:
      return v < threshold;
    case Comparison::kLe:
    case Comparison::kCrossesBelow:
      return v <= threshold;
    case Comparison::kEq:
      break;
  }
  // Metrics are computed in floating point (ratios, speeds): exact equality would almost never hold.
  return std::fabs(v - threshold) <= 1e-9 * std::max(1.0, std::fabs(threshold));
}

std::optional<std::int8_t> BasisRegime::Update(double basis, double band) {
  std::int8_t next = regime;
  if (basis >= band) next = 1;
  if (basis <= -band) next = -1;
  // band 0 would make basis == 0 both; treat exact zero as "no information".
  if (band <= 0 && basis == 0) next = regime;
  if (next == regime) return std::nullopt;
  const std::int8_t prev = regime;
  regime = next;
  if (prev == 0) return std::nullopt;  // first establishment is not a crossing
  return next;
}

std::optional<std::int64_t> AlertBook::AddRule(AlertRule rule, std::string* error) {
  if (!NormalizeRule(rule, error)) return std::nullopt;
  if (rule.id < 0) {
    if (error) *error = "rule id must be positive";
    return std::nullopt;
  }
  if (rule.id == 0) rule.id = next_rule_id_;
  for (const AlertRule& r : rules_) {
    if (r.id == rule.id) {
      if (error) *error = "a rule with this id exists";
      return std::nullopt;
    }
  }
  next_rule_id_ = std::max(next_rule_id_, rule.id + 1);
  rules_.push_back(std::move(rule));
  return rules_.back().id;
}

bool AlertBook::UpdateRule(AlertRule rule, std::string* error) {
  if (!NormalizeRule(rule, error)) return false;
  for (AlertRule& r : rules_) {
    if (r.id == rule.id) {
      r = std::move(rule);
      // A changed rule starts fresh: an old cooldown must not mute the new condition.
      std::erase_if(cooldowns_, [&](const auto& kv) { return kv.first.key == r.id; });
      std::erase_if(rule_states_, [&](const auto& kv) { return kv.first.key == r.id; });
      return true;
    }
  }
  if (error) *error = "no rule with this id";
  return false;
}

bool AlertBook::RemoveRule(std::int64_t id) {
  const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const AlertRule& r) { return r.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  std::erase_if(cooldowns_, [&](const auto& kv) { return kv.first.key == id; });
  std::erase_if(rule_states_, [&](const auto& kv) { return kv.first.key == id; });
  return true;
}

bool AlertBook::RuleFires(const AlertRule& r, Symbol symbol, double v, std::int64_t now_sec) {
  RuleState& st = rule_states_[Key{r.id, symbol}];
  bool edge = false;
  if (IsCrossing(r.comparison)) {
    const double gap = std::max(std::fabs(r.threshold) * kCrossingHysteresis, kCrossingMinGap);
    const bool up = r.comparison == Comparison::kCrossesAbove;
    // Sides seen from the rule's direction: +1 = on the target side of the level, -1 = armed (far enough
    // on the other side). Between the level and the gap the side does not change (hysteresis).
    const bool reached = up ? v >= r.threshold : v <= r.threshold;
    const bool armed = up ? v <= r.threshold - gap : v >= r.threshold + gap;
    if (reached) {
      edge = st.side == -1;
      st.side = 1;
    } else if (armed) {
      st.side = -1;
    }
    if (!edge) return false;
  } else if (!Compare(v, r.comparison, r.threshold)) {
    return false;
  }
  switch (r.frequency) {
    case Frequency::kOnce:
      if (st.fired) return false;
      break;
    case Frequency::kOncePerBar:
      if (st.fired && now_sec / 60 == st.last_fired / 60) return false;
      break;
    case Frequency::kEveryTime:
      // Out-of-order events can carry an earlier time than the last firing: still within the cooldown.
      if (st.fired && now_sec - st.last_fired < r.cooldown_sec) return false;
      break;
  }
  st.fired = true;
  st.last_fired = now_sec;
  return true;
}

bool AlertBook::TryFire(std::int64_t key, Symbol symbol, std::int64_t now_sec, int cooldown_sec) {
  auto [it, inserted] = cooldowns_.try_emplace(Key{key, symbol}, now_sec);
  if (inserted) return true;
  // Out-of-order events can carry an earlier time than the last firing; that is still "within" the cooldown.
  if (now_sec - it->second < cooldown_sec) return false;
  it->second = now_sec;
  return true;
}

const Alert& AlertBook::Record(Alert a) {
  a.id = next_alert_id_++;
  recent_.push_back(std::move(a));
  return recent_.back();
}

}  // namespace vnt::core
