#pragma once
// A user alert rule on the wire, both ways: what GET/POST/PUT /api/alerts/rules answer, and the POST/PUT body
// (also `vntracker replay --rule`).

#include <optional>
#include <string>
#include <string_view>

#include "api/json_writer.h"
#include "core/alerts.h"

namespace vnt::api {

// {"id", "name", "metric", "symbol", "comparison", "threshold", "cooldown_sec", "enabled", "severity",
//  "frequency", "window_min", "webhook_url"}
void WriteRule(JsonWriter& w, const core::AlertRule& r);

// Parses a user rule from a JSON object (POST/PUT body); nullopt with *field (the member to blame, "body" for
// a body that is no object) and *error (one sentence) on bad input. Absent members keep AlertRule's defaults.
std::optional<core::AlertRule> ParseRuleJson(std::string_view body, std::string* field, std::string* error);

}  // namespace vnt::api
