#pragma once
// One place that turns the `--feed` options into a FeedSource (serve and record share it).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "core/types.h"
#include "source/feed_source.h"
#include "source/ssi_feed.h"

namespace vnt::source {

// Which simulated day an empty --sim-date means.
enum class SimDefaultDay : std::uint8_t {
  kTodayInVietnam,    // serve: today (last business day on a weekend/holiday), following the clock in hours
  kSimulatorDefault,  // record: the simulator's fixed default day and start, reproducible
};

struct FeedOptions {
  std::string feed = "sim";  // sim | ssi | replay:FILE
  double speed = 1.0;        // pacing, x real time; 0 = as fast as possible
  std::uint64_t sim_seed = 1;
  std::string sim_date;  // YYYY-MM-DD
  std::string sim_start;
  std::string sim_end;  // HH:MM[:SS]
  SimDefaultDay sim_default_day = SimDefaultDay::kTodayInVietnam;
  SsiFeedOptions ssi;
};

// What the engine already holds (restored from the store): the simulator of the same day continues after it.
struct ResumePoint {
  Date date;
  std::optional<TimeOfDay> last_time;
};

struct MadeFeed {
  std::unique_ptr<FeedSource> source;
  std::string description;  // for the start-up log line ("simulator, trading date ...")
};

// Builds the source; an error (one line naming the bad option or the failure; field "--feed" or the
// --sim-* option) when it cannot.
Result<MadeFeed> MakeFeed(const FeedOptions& opts, SteadyTime start, const ResumePoint& resume);

}  // namespace vnt::source
