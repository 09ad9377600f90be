#pragma once
// `vntracker replay FILE [--summary]`: frames through decoder and engine as fast as possible.

#include <iosfwd>
#include <vector>

#include "core/engine.h"

namespace vnt::app {

struct ReplayOptions {
  bool summary = false;                // print one JSON summary at the end instead of per-event lines
  std::vector<core::AlertRule> rules;  // user alert rules active during the replay
  core::EngineConfig engine;
};

// Replays every frame of `in`. Without summary, writes one JSON line per classified trade, closed 1-minute
// candle and alert to
// `out`; with summary, one JSON object at the end. Decode errors go to `err` (the first 20 in full) and
// into the counters. Returns 0.
int RunReplay(std::istream& in, std::ostream& out, std::ostream& err, const ReplayOptions& opts);

}  // namespace vnt::app
