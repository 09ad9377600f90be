#include "core/alerts.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vnt::core {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

Error BadRule(std::string_view field, const char* message) {
  return Error{ErrorCode::kInvalidArgument, message, std::string(field)};
}

Status NormalizeRule(AlertRule& rule) {
  rule.symbol = Upper(rule.symbol);
  if (rule.symbol.empty() || rule.symbol.size() > Symbol::kMax) {
    return BadRule("symbol", "symbol must be 1-15 characters or \"*\"");
  }
  if (!ValidRuleThreshold(rule.threshold)) {
    return BadRule("threshold", "threshold must be a finite number within +/-1e15");
  }
  if (!IsValidUtf8(rule.name) || Utf8Length(rule.name) > kMaxRuleNameChars) {
    return BadRule("name", "name must be UTF-8 text of at most 100 characters");
  }
  if (rule.cooldown_sec < 0) return BadRule("cooldown_sec", "cooldown must be >= 0 seconds");
  if (rule.metric >= Metric::kCount) return BadRule("metric", "unknown metric");
  if (rule.window_min < 1 || rule.window_min > kMaxRuleWindowMin) {
    return BadRule("window_min", "window_min must be 1-60 minutes");
  }
  if (!rule.webhook_url.empty() && !ValidWebhookUrl(rule.webhook_url)) {
    return BadRule("webhook_url",
                   "webhook_url must be an http:// or https:// URL of at most 2048 characters");
  }
  return {};
}

}  // namespace

std::string_view ToString(AlertType t) {
  return kAlertTypeNames.Name(t, "user_rule");
}

std::optional<AlertType> ParseAlertType(std::string_view s) {
  return kAlertTypeNames.Parse(s);
}

std::string_view ToString(Severity s) {
  return kSeverityNames.Name(s, "warning");
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  return kSeverityNames.Parse(s);
}

std::string_view ToString(Metric m) {
  return kMetricNames.Name(m);
}

std::optional<Metric> ParseMetric(std::string_view name) {
  return kMetricNames.Parse(name);
}

std::vector<std::string_view> MetricNames() {
  std::vector<std::string_view> names;
  names.reserve(kMetricNames.size());
  for (const auto& e : kMetricNames.entries()) names.push_back(e.name);
  return names;
}

std::string_view ToString(Comparison c) {
  return kComparisonNames.Name(c, "==");
}

std::string_view ToString(Frequency f) {
  return kFrequencyNames.Name(f, "every_time");
}

std::optional<Frequency> ParseFrequency(std::string_view s) {
  return kFrequencyNames.Parse(s);
}

std::string_view ToString(AlertUnit u) {
  return kAlertUnitNames.Name(u);
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
  return kDirectionNames.Name(d);
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
  return kComparisonNames.Parse(s);
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

Result<std::int64_t> AlertBook::AddRule(AlertRule rule) {
  if (Status st = NormalizeRule(rule); !st) return std::move(st).error();
  if (rule.id < 0) return BadRule("id", "rule id must be positive");
  if (rule.id == 0) rule.id = next_rule_id_;
  for (const AlertRule& r : rules_) {
    if (r.id == rule.id) return Error{ErrorCode::kAlreadyExists, "a rule with this id exists", "id"};
  }
  next_rule_id_ = std::max(next_rule_id_, rule.id + 1);
  rules_.push_back(std::move(rule));
  return rules_.back().id;
}

Status AlertBook::UpdateRule(AlertRule rule) {
  if (Status st = NormalizeRule(rule); !st) return st;
  for (AlertRule& r : rules_) {
    if (r.id == rule.id) {
      r = std::move(rule);
      // A changed rule starts fresh: an old cooldown must not mute the new condition.
      std::erase_if(cooldowns_, [&](const auto& kv) { return kv.first.key == r.id; });
      std::erase_if(rule_states_, [&](const auto& kv) { return kv.first.key == r.id; });
      return {};
    }
  }
  return Error{ErrorCode::kNotFound, "no rule with this id", "id"};
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
