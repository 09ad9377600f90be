#pragma once
// `vntracker record --out FILE`: raw frames from a feed, each with its receive time (the record format:
// Unix epoch milliseconds, a TAB, the frame as received), for `replay` and `serve --feed replay:FILE`.

#include <cstdint>
#include <string>

#include "app/ssi_feed.h"

namespace vnt::app {

struct RecordOptions {
  std::string out;           // file to write ("-" = stdout)
  std::string feed = "sim";  // sim | ssi | replay:FILE
  double speed = 1.0;        // pacing; 0 = as fast as possible
  std::uint64_t sim_seed = 1;
  std::string sim_date;  // YYYY-MM-DD (default: the simulator's default day)
  std::string sim_start, sim_end;
  SsiFeedOptions ssi;  // --feed ssi
};

// Records until the feed ends or SIGINT/SIGTERM; returns the exit status.
int RunRecord(const RecordOptions& opts);

}  // namespace vnt::app
