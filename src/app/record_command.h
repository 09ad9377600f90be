#pragma once
// `vntracker record --out FILE`: raw frames from a feed, each with its receive time (the record format:
// Unix epoch milliseconds, a TAB, the frame as received), for `replay` and `serve --feed replay:FILE`.

#include <cstdint>
#include <string>

#include "source/make_feed.h"

namespace vnt::app {

struct RecordOptions {
  std::string out;  // file to write ("-" = stdout)
  // --feed, --speed, --sim-* (an empty --sim-date: the simulator's default day), --ssi-*
  source::FeedOptions feed = [] {
    source::FeedOptions f;
    f.sim_default_day = source::SimDefaultDay::kSimulatorDefault;
    return f;
  }();
};

// Records until the feed ends or SIGINT/SIGTERM; returns the exit status.
int RunRecord(const RecordOptions& opts);

}  // namespace vnt::app
