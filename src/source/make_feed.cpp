#include "source/make_feed.h"

#include <exception>

#include "source/cli_time.h"

namespace vnt::source {

namespace {

std::optional<MadeFeed> MakeSim(const FeedOptions& opts, SteadyTime start, const ResumePoint& resume,
                                std::string* error) {
  sim::SimConfig cfg;
  cfg.seed = opts.sim_seed;
  cfg.keep_truth = false;
  if (opts.sim_default_day == SimDefaultDay::kTodayInVietnam) {
    TimeOfDay begin;
    if (!ChooseSimDay(opts.sim_date, opts.sim_start, &cfg.date, &begin, error)) return std::nullopt;
    if (resume.date == cfg.date && resume.last_time && resume.last_time->valid() &&
        *resume.last_time >= begin) {
      // The same seed and day make the same market: continue right after what the journal holds.
      begin = TimeOfDay{resume.last_time->sec + 1};
    }
    cfg.start = begin;
  } else {
    if (!opts.sim_date.empty() && !ParseCliDate(opts.sim_date, &cfg.date)) {
      *error = "--sim-date must be YYYY-MM-DD";
      return std::nullopt;
    }
    if (!opts.sim_start.empty() && !ParseCliTime(opts.sim_start, &cfg.start)) {
      *error = "--sim-start must be HH:MM[:SS]";
      return std::nullopt;
    }
  }
  if (!opts.sim_end.empty() && !ParseCliTime(opts.sim_end, &cfg.end)) {
    *error = "--sim-end must be HH:MM[:SS]";
    return std::nullopt;
  }
  MadeFeed made;
  made.description = "simulator, trading date " + ToString(cfg.date) + " from " + ToString(cfg.start) +
                     ", speed " + (opts.speed > 0 ? std::to_string(opts.speed) + "x" : std::string("max"));
  made.source = std::make_unique<SimFeed>(std::move(cfg), opts.speed, start);
  return made;
}

}  // namespace

std::optional<MadeFeed> MakeFeed(const FeedOptions& opts, SteadyTime start, const ResumePoint& resume,
                                 std::string* error) {
  try {
    if (opts.feed == "sim") return MakeSim(opts, start, resume, error);
    if (opts.feed.rfind("replay:", 0) == 0) {
      const std::string path = opts.feed.substr(7);
      return MadeFeed{std::make_unique<ReplayFeed>(path, opts.speed, start), "replay of " + path};
    }
    if (opts.feed == "ssi") {
      return MadeFeed{std::make_unique<SsiFeed>(opts.ssi),
                      "SSI FastConnect Data v2 (" + MakeSsiClientConfig(opts.ssi).stream_url + ")"};
    }
    *error = "--feed must be sim, ssi or replay:FILE (got '" + opts.feed + "')";
  } catch (const std::exception& e) {
    *error = std::string("feed: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace vnt::source
