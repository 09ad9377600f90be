#pragma once
// One decoded event as one line of JSON: the `vntracker decode` output schema (README "decode").

#include <string>

#include "feed/events.h"

namespace vnt::feed {

// Appends the event as a single-line JSON object (no trailing newline) to *out.
void AppendEventJson(const MarketEvent& e, std::string* out);

using vnt::AppendJsonString;  // core/types.h

}  // namespace vnt::feed
