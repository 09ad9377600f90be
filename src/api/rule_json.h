#pragma once
// A user alert rule on the wire, both ways: what GET/POST/PUT /api/alerts/rules answer, and the POST/PUT body
// (also `vntracker replay --rule`).

#include <string>
#include <string_view>

#include "api/json_writer.h"
#include "common/result.h"
#include "core/alerts.h"

namespace vnt::api {

// {"id", "name", "metric", "symbol", "comparison", "threshold", "cooldown_sec", "enabled", "severity",
//  "frequency", "window_min", "webhook_url"}
void WriteRule(JsonWriter& w, const core::AlertRule& r);

// Parses a user rule from a JSON object (POST/PUT body). On bad input an Error whose field is the member to
// blame (kInvalidArgument) or "body" for a body that is no JSON object (kParse), and whose message is one
// sentence. Absent members keep AlertRule's defaults.
Result<core::AlertRule> ParseRuleJson(std::string_view body);

}  // namespace vnt::api
