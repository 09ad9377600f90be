#pragma once
// One decoded event as one line of JSON: the `vntracker decode` output schema (README "decode").

#include <string>

#include "core/events.h"

namespace vnt::api {

// Appends the event as a single-line JSON object (no trailing newline) to *out.
void AppendEventJson(const core::MarketEvent& e, std::string* out);

}  // namespace vnt::api
