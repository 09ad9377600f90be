#include "api/rule_json.h"

#include <simdjson.h>

namespace vnt::api {

namespace {

// A member with a bad value: the member named, one sentence.
Error BadField(const char* field, std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), field};
}

}  // namespace

void WriteRule(JsonWriter& w, const core::AlertRule& r) {
  w.BeginObject();
  w.Field("id", r.id);
  w.Field("name", r.name);
  w.Field("metric", core::ToString(r.metric));
  w.Field("symbol", r.symbol);
  w.Field("comparison", core::ToString(r.comparison));
  w.Field("threshold", r.threshold);
  w.Field("cooldown_sec", r.cooldown_sec);
  w.Field("enabled", r.enabled);
  w.Field("severity", core::ToString(r.severity));
  w.Field("frequency", core::ToString(r.frequency));
  w.Field("window_min", r.window_min);
  w.Field("webhook_url", r.webhook_url);
  w.EndObject();
}

Result<core::AlertRule> ParseRuleJson(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) || !doc.is_object()) {
    return Error{ErrorCode::kParse, "body must be a JSON object", "body"};
  }
  core::AlertRule r;
  std::string_view s;
  if (doc["metric"].get(s)) {
    return BadField("metric", "metric is required (a string)");
  }
  const auto metric = core::ParseMetric(s);
  if (!metric) {
    return BadField("metric", "unknown metric '" + std::string(s) + "'");
  }
  r.metric = *metric;
  if (!doc["symbol"].get(s)) r.symbol = std::string(s);
  if (doc["comparison"].get(s)) {
    return BadField("comparison", "comparison is required (>, >=, <, <=, ==, crosses_above, crosses_below)");
  }
  const auto cmp = core::ParseComparison(s);
  if (!cmp) {
    return BadField("comparison", "comparison must be one of >, >=, <, <=, ==, crosses_above, crosses_below");
  }
  r.comparison = *cmp;
  double threshold = 0;
  if (doc["threshold"].get(threshold)) {
    std::int64_t ti = 0;
    if (doc["threshold"].get(ti)) {
      return BadField("threshold", "threshold is required (a number)");
    }
    threshold = static_cast<double>(ti);
  }
  if (!core::ValidRuleThreshold(threshold)) {
    return BadField(
        "threshold",
        "threshold must be a finite number within +/-1e15 (stock prices in VND, not thousands; futures and "
        "index prices in points; volumes in shares; values in VND)");
  }
  r.threshold = threshold;
  std::int64_t cooldown = 60;
  if (doc["cooldown_sec"].error() != simdjson::NO_SUCH_FIELD) {
    if (doc["cooldown_sec"].get(cooldown) || cooldown < 0 || cooldown > 86400) {
      return BadField("cooldown_sec", "cooldown_sec must be an integer in [0, 86400]");
    }
  }
  r.cooldown_sec = static_cast<int>(cooldown);
  bool enabled = true;
  if (doc["enabled"].error() != simdjson::NO_SUCH_FIELD && doc["enabled"].get(enabled)) {
    return BadField("enabled", "enabled must be true or false");
  }
  r.enabled = enabled;
  if (doc["name"].error() != simdjson::NO_SUCH_FIELD) {
    if (doc["name"].get(s) || Utf8Length(s) > core::kMaxRuleNameChars) {
      return BadField("name", "name must be a string of at most 100 characters");
    }
    r.name = std::string(s);
  }
  if (!doc["severity"].get(s)) {
    if (s == "info")
      r.severity = core::Severity::kInfo;
    else if (s == "warning")
      r.severity = core::Severity::kWarning;
    else if (s == "critical")
      r.severity = core::Severity::kCritical;
    else {
      return BadField("severity", "severity must be info, warning or critical");
    }
  }
  if (doc["frequency"].error() != simdjson::NO_SUCH_FIELD) {
    const auto f = doc["frequency"].get(s) ? std::nullopt : core::ParseFrequency(s);
    if (!f) {
      return BadField("frequency", "frequency must be every_time, once_per_bar or once");
    }
    r.frequency = *f;
  }
  if (doc["window_min"].error() != simdjson::NO_SUCH_FIELD) {
    std::int64_t wm = 0;
    if (doc["window_min"].get(wm) || wm < 1 || wm > core::kMaxRuleWindowMin) {
      return BadField("window_min", "window_min must be an integer in [1, 60]");
    }
    r.window_min = static_cast<int>(wm);
  }
  if (doc["webhook_url"].error() != simdjson::NO_SUCH_FIELD && !doc["webhook_url"].is_null()) {
    if (doc["webhook_url"].get(s) || (!s.empty() && !core::ValidWebhookUrl(s))) {
      return BadField("webhook_url",
                      "webhook_url must be an http:// or https:// URL of at most 2048 characters (or empty)");
    }
    r.webhook_url = std::string(s);
  }
  return r;
}

}  // namespace vnt::api
