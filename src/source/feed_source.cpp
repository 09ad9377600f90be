#include "source/feed_source.h"

#include <stdexcept>

#include "source/frame_lines.h"

namespace vnt::source {

SimFeed::SimFeed(sim::SimConfig cfg, double speed, SteadyTime start)
    : sim_(std::move(cfg)), speed_(speed), start_(start) {}

double SimFeed::DueSeconds(SteadyTime now) const {
  const double wall = std::chrono::duration<double>(now - start_).count();
  return wall * speed_;
}

bool SimFeed::Poll(SteadyTime now, std::vector<std::string>* out, std::size_t max) {
  std::size_t n = 0;
  while (n < max) {
    if (!pending_) {
      sim::SimFrame f;
      if (!sim_.Next(&f)) {
        finished_ = true;
        return false;
      }
      if (sim_start_ == 0) sim_start_ = f.time.LocalEpochSeconds();
      pending_ = std::move(f);
    }
    if (speed_ > 0 && static_cast<double>(pending_->time.LocalEpochSeconds() - sim_start_) > DueSeconds(now))
      break;
    out->push_back(std::move(pending_->text));
    pending_.reset();
    ++n;
  }
  return true;
}

double SimFeed::LagMs(SteadyTime now) const {
  if (speed_ <= 0 || !pending_ || finished_) return 0;
  const double behind =
      DueSeconds(now) - static_cast<double>(pending_->time.LocalEpochSeconds() - sim_start_);
  return behind > 1.0 ? (behind - 1.0) * 1000.0 / speed_ : 0;  // frames are due at whole seconds
}

ReplayFeed::ReplayFeed(const std::string& path, double speed, SteadyTime start)
    : in_(path, std::ios::binary), speed_(speed), start_(start) {
  if (!in_) throw std::runtime_error("cannot open replay file '" + path + "'");
}

bool ReplayFeed::Poll(SteadyTime now, std::vector<std::string>* out, std::size_t max) {
  std::size_t n = 0;
  std::string line;
  while (n < max) {
    if (!has_pending_) {
      if (!std::getline(in_, line)) {
        finished_ = true;
        return false;
      }
      const FrameLine fl = ParseFrameLine(line);
      if (IsBlank(fl.frame)) continue;
      pending_.assign(fl.frame);
      pending_ms_ = fl.received_ms;
      has_pending_ = true;
      if (pending_ms_ && !first_ms_) first_ms_ = pending_ms_;
    }
    if (speed_ > 0 && pending_ms_ && first_ms_) {
      const double due_ms = std::chrono::duration<double, std::milli>(now - start_).count() * speed_;
      if (static_cast<double>(*pending_ms_ - *first_ms_) > due_ms) break;
    }
    out->push_back(std::move(pending_));
    has_pending_ = false;
    ++n;
  }
  return true;
}

}  // namespace vnt::source
