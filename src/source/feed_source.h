#pragma once
// Feed sources for `serve` and `record`: where frames come from and when they are due. Pacing is by wall
// time given by the caller (no clock inside), so sources are testable without waiting.

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/simulator.h"

namespace vnt::source {

using SteadyTime = std::chrono::steady_clock::time_point;

class FeedSource {
 public:
  virtual ~FeedSource() = default;
  // Appends the frames due at wall time `now` (at most `max`); false once the source is exhausted.
  virtual bool Poll(SteadyTime now, std::vector<std::string>* out, std::size_t max) = 0;
  // "streaming", "finished", ... for /health.
  virtual std::string State() const = 0;
  // How far behind its schedule the source is, in ms (0 when on time or unpaced).
  virtual double LagMs(SteadyTime now) const = 0;
};

// The built-in simulator, paced at `speed` x real time (speed <= 0: as fast as possible).
class SimFeed : public FeedSource {
 public:
  SimFeed(sim::SimConfig cfg, double speed, SteadyTime start);
  bool Poll(SteadyTime now, std::vector<std::string>* out, std::size_t max) override;
  std::string State() const override { return finished_ ? "session-ended" : "streaming"; }
  double LagMs(SteadyTime now) const override;
  const sim::Simulator& simulator() const { return sim_; }

 private:
  double DueSeconds(SteadyTime now) const;
  sim::Simulator sim_;
  double speed_;
  SteadyTime start_;
  std::int64_t sim_start_ = 0;  // local epoch seconds of the first frame
  std::optional<sim::SimFrame> pending_;
  bool finished_ = false;
};

// A recorded file (record format or plain frames), paced by the recorded receive times at `speed`
// (speed <= 0, or lines without times: as fast as possible).
class ReplayFeed : public FeedSource {
 public:
  // Throws std::runtime_error when the file cannot be opened.
  ReplayFeed(const std::string& path, double speed, SteadyTime start);
  bool Poll(SteadyTime now, std::vector<std::string>* out, std::size_t max) override;
  std::string State() const override { return finished_ ? "replay-finished" : "replaying"; }
  double LagMs(SteadyTime) const override { return 0; }

 private:
  std::ifstream in_;
  double speed_;
  SteadyTime start_;
  std::optional<std::int64_t> first_ms_;
  std::string pending_;
  std::optional<std::int64_t> pending_ms_;
  bool has_pending_ = false, finished_ = false;
};

}  // namespace vnt::source
