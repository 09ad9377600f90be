#include "source/make_feed.h"

#include <exception>

#include "source/cli_time.h"

namespace vnt::source {

namespace {

Error BadOption(std::string message, std::string_view flag) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::string(flag)};
}

Result<MadeFeed> MakeSim(const FeedOptions& opts, SteadyTime start, const ResumePoint& resume) {
  sim::SimConfig cfg;
  cfg.seed = opts.sim_seed;
  cfg.keep_truth = false;
  if (opts.sim_default_day == SimDefaultDay::kTodayInVietnam) {
    auto day = ChooseSimDay(opts.sim_date, opts.sim_start);
    if (!day) return day.error();
    cfg.date = day->date;
    TimeOfDay begin = day->start;
    if (resume.date == cfg.date && resume.last_time && resume.last_time->valid() &&
        *resume.last_time >= begin) {
      // The same seed and day make the same market: continue right after what the journal holds.
      begin = TimeOfDay{resume.last_time->sec + 1};
    }
    cfg.start = begin;
  } else {
    if (!opts.sim_date.empty() && !ParseCliDate(opts.sim_date, &cfg.date)) {
      return BadOption("--sim-date must be YYYY-MM-DD", "--sim-date");
    }
    if (!opts.sim_start.empty() && !ParseCliTime(opts.sim_start, &cfg.start)) {
      return BadOption("--sim-start must be HH:MM[:SS]", "--sim-start");
    }
  }
  if (!opts.sim_end.empty() && !ParseCliTime(opts.sim_end, &cfg.end)) {
    return BadOption("--sim-end must be HH:MM[:SS]", "--sim-end");
  }
  MadeFeed made;
  made.description = "simulator, trading date " + ToString(cfg.date) + " from " + ToString(cfg.start) +
                     ", speed " + (opts.speed > 0 ? std::to_string(opts.speed) + "x" : std::string("max"));
  made.source = std::make_unique<SimFeed>(std::move(cfg), opts.speed, start);
  return made;
}

}  // namespace

Result<MadeFeed> MakeFeed(const FeedOptions& opts, SteadyTime start, const ResumePoint& resume) {
  try {
    if (opts.feed == "sim") return MakeSim(opts, start, resume);
    if (opts.feed.rfind("replay:", 0) == 0) {
      const std::string path = opts.feed.substr(7);
      return MadeFeed{std::make_unique<ReplayFeed>(path, opts.speed, start), "replay of " + path};
    }
    if (opts.feed == "ssi") {
      auto feed = SsiFeed::Open(opts.ssi);
      if (!feed) {
        Error e = std::move(feed).error();
        e.message = "feed: " + e.message;
        return e;
      }
      return MadeFeed{std::move(feed).value(),
                      "SSI FastConnect Data v2 (" + MakeSsiClientConfig(opts.ssi).stream_url + ")"};
    }
    return BadOption("--feed must be sim, ssi or replay:FILE (got '" + opts.feed + "')", "--feed");
  } catch (const std::exception& e) {
    // A start-up failure of the source itself (a file that does not open, a bad SSI setting).
    return Error{ErrorCode::kIo, std::string("feed: ") + e.what(), "--feed"};
  }
}

}  // namespace vnt::source
