#include "app/serve_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/feed_source.h"
#include "app/log.h"
#include "core/calendar.h"
#include "feed/decoder.h"
#include "server/http_server.h"
#include "server/market_service.h"
#include "server/metrics.h"
#include "server/publisher.h"
#include "server/router.h"

namespace vnt::app {

namespace net = boost::asio;

namespace {

// Vietnam local date and time of day now (UTC+7, no DST). Only the app layer reads the wall clock, to
// choose the simulator's day; the engine runs on exchange timestamps.
std::pair<Date, TimeOfDay> VietnamNow() {
  const std::time_t t = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {Date::Of(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
          TimeOfDay::Of(tm.tm_hour, tm.tm_min, tm.tm_sec)};
}

bool ParseDate(const std::string& s, Date* out) {
  int y, m, d;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
  *out = Date::Of(y, m, d);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}
bool ParseTime(const std::string& s, TimeOfDay* out) {
  int h, m, sec = 0;
  if (std::sscanf(s.c_str(), "%2d:%2d:%2d", &h, &m, &sec) < 2 || h > 23 || m > 59 || sec > 59) return false;
  *out = TimeOfDay::Of(h, m, sec);
  return true;
}

// Samples the process CPU time for a gauge.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// Counts alerts by type for /metrics.
class AlertCounter : public core::MarketSink {
 public:
  explicit AlertCounter(server::Registry& m) : m_(m) {
    m_.Declare("vnt_alerts_total", "counter", "Alerts raised, by type.");
  }
  void OnAlert(const core::Alert& a) override {
    m_.Add("vnt_alerts_total", {{"type", std::string(core::ToString(a.type))}});
  }

 private:
  server::Registry& m_;
};

}  // namespace

int RunServe(const ServeOptions& opts) {
  SetLogLevel(opts.log_level);
  if (opts.db.rfind("postgresql://", 0) == 0 || opts.db.rfind("postgres://", 0) == 0) {
    LogError(
        "the PostgreSQL store is not available in this version; use --db sqlite:PATH (the default) or none");
    return 2;
  }
  if (opts.db != "none" && opts.db.rfind("sqlite:", 0) != 0) {
    LogError("--db must be sqlite:PATH, none or postgresql://... (got '" + opts.db + "')");
    return 2;
  }
  if (opts.feed == "ssi") {
    LogError(
        "--feed ssi: the SSI FastConnect client is not part of this build yet; use --feed sim or "
        "replay:FILE");
    return 2;
  }

  net::io_context ioc(1);
  server::Registry metrics;
  core::MarketEngine engine(opts.engine);
  server::Publisher publisher(engine);
  AlertCounter alert_counter(metrics);
  engine.AddSink(&publisher);
  engine.AddSink(&alert_counter);

  // ---- feed ----
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<FeedSource> feed;
  try {
    if (opts.feed == "sim") {
      sim::SimConfig cfg;
      cfg.seed = opts.sim_seed;
      const auto [today, now] = VietnamNow();
      Date date = today;
      if (!opts.sim_date.empty() && !ParseDate(opts.sim_date, &date)) {
        LogError("--sim-date must be YYYY-MM-DD");
        return 2;
      }
      const core::HolidayCalendar& cal = core::HolidayCalendar::Vietnam();
      if (opts.sim_date.empty() && !cal.IsBusinessDay(date)) date = cal.PreviousBusinessDay(date);
      cfg.date = date;
      TimeOfDay begin = TimeOfDay::Of(9, 14, 30);
      if (!opts.sim_start.empty()) {
        if (!ParseTime(opts.sim_start, &begin)) {
          LogError("--sim-start must be HH:MM[:SS]");
          return 2;
        }
      } else if (opts.sim_date.empty() && date == today && now >= TimeOfDay::Of(8, 45, 0) &&
                 now < TimeOfDay::Of(15, 0, 0)) {
        begin = now;  // market hours in Vietnam: follow the clock
      }
      cfg.start = begin;
      feed = std::make_unique<SimFeed>(cfg, opts.speed, start);
      LogInfo("feed: simulator, trading date " + ToString(date) + " from " + ToString(begin) + ", speed " +
              (opts.speed > 0 ? std::to_string(opts.speed) + "x" : std::string("max")));
    } else if (opts.feed.rfind("replay:", 0) == 0) {
      feed = std::make_unique<ReplayFeed>(opts.feed.substr(7), opts.speed, start);
      LogInfo("feed: replay of " + opts.feed.substr(7));
    } else {
      LogError("--feed must be sim, ssi or replay:FILE (got '" + opts.feed + "')");
      return 2;
    }
  } catch (const std::exception& e) {
    LogError(std::string("feed: ") + e.what());
    return 2;
  }

  // ---- metrics of the pipeline ----
  feed::Decoder decoder;
  metrics.Declare("vnt_frames_received_total", "counter", "Feed frames received.");
  metrics.Declare("vnt_frames_decoded_total", "counter", "Market events decoded, by channel.");
  metrics.Declare("vnt_frames_rejected_total", "counter", "Decode errors, by kind.");
  metrics.Declare("vnt_engine_latency_seconds", "histogram", "Decode + engine time per frame.");
  metrics.Declare("vnt_feed_lag_seconds", "gauge", "How far the feed is behind its schedule.");
  metrics.Declare("vnt_process_cpu_seconds_total", "counter", "CPU time used by the process.");
  metrics.Declare("vnt_engine_trades_total", "counter", "Trades counted and classified by the engine.");
  metrics.Declare("vnt_engine_duplicates_total", "counter", "Trade frames skipped as already counted.");
  metrics.Callback("vnt_frames_received_total", {},
                   [&] { return static_cast<double>(decoder.stats().frames); });
  for (std::size_t c = 0; c < static_cast<std::size_t>(feed::Channel::kCount); ++c) {
    metrics.Callback("vnt_frames_decoded_total",
                     {{"channel", std::string(feed::ChannelName(static_cast<feed::Channel>(c)))}},
                     [&, c] { return static_cast<double>(decoder.stats().events[c]); });
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(feed::ErrorKind::kCount); ++k) {
    metrics.Callback("vnt_frames_rejected_total",
                     {{"kind", std::string(feed::ErrorKindName(static_cast<feed::ErrorKind>(k)))}},
                     [&, k] { return static_cast<double>(decoder.stats().errors[k]); });
  }
  metrics.Callback("vnt_feed_lag_seconds", {},
                   [&] { return feed->LagMs(std::chrono::steady_clock::now()) / 1000.0; });
  metrics.Callback("vnt_process_cpu_seconds_total", {}, [] { return CpuSeconds(); });
  metrics.Callback("vnt_engine_trades_total", {},
                   [&] { return static_cast<double>(engine.counters().trades_counted); });
  metrics.Callback("vnt_engine_duplicates_total", {},
                   [&] { return static_cast<double>(engine.counters().duplicates_skipped); });
  static const std::vector<double> kLatencyBuckets = {1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 1e-3, 1e-2};

  // ---- REST + WS ----
  server::HealthInfo health;
  health.feed_state = [&] { return feed->State(); };
  health.feed_lag_ms = [&] { return feed->LagMs(std::chrono::steady_clock::now()); };
  health.frames_received = [&] { return decoder.stats().frames; };
  health.store_state = [] { return std::string("none"); };
  server::HistoryProvider history;  // filled when a store is attached
  server::MarketService service(engine, health, history, metrics);
  service.SetVn30(opts.engine.vn30);
  server::Router router;
  service.Register(router);

  server::ServerOptions sopts;
  sopts.address = opts.host;
  sopts.port = opts.port;
  sopts.api_token = opts.api_token;
  sopts.cors_origins = opts.cors_origins;
  sopts.ws_interval = std::chrono::milliseconds(opts.ws_interval_ms);
  sopts.foreign_interval = std::chrono::milliseconds(opts.foreign_interval_ms);
  sopts.static_dir = opts.web_dir;
  if (sopts.static_dir.empty() && std::filesystem::exists("web/dist/index.html"))
    sopts.static_dir = "web/dist";
  server::HttpServer http(ioc, sopts, router, publisher, metrics);
  std::string error;
  if (!http.Start(&error)) {
    LogError(error);
    return 1;
  }
  LogInfo("listening on http://" + opts.host + ":" + std::to_string(http.port()) +
          (sopts.static_dir.empty() ? " (no web app built: REST and WebSocket only)"
                                    : " (web app from " + sopts.static_dir + ")"));
  // Machine-readable line for tests and scripts that start the server on port 0.
  std::cout << "vntracker: listening on port " << http.port() << std::endl;

  // ---- the feed pump: every few ms, decode and apply what is due ----
  net::steady_timer pump(ioc);
  feed::DecodeOutput decoded;
  std::vector<std::string> frames;
  bool feed_done = false, stopping = false;
  std::function<void()> schedule;
  auto run_pump = [&] {
    frames.clear();
    const bool more = feed->Poll(std::chrono::steady_clock::now(), &frames, 5000);
    for (const std::string& f : frames) {
      const auto t0 = std::chrono::steady_clock::now();
      decoded.clear();
      decoder.Decode(f, decoded);
      for (const feed::MarketEvent& ev : decoded.events) engine.Apply(ev);
      for (const feed::DecodeError& e : decoded.errors)
        LogDebug(std::string("decode: ") + std::string(feed::ErrorKindName(e.kind)) + ": " + e.detail);
      metrics.Observe("vnt_engine_latency_seconds", {},
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                      kLatencyBuckets);
    }
    if (!frames.empty()) http.PushAlerts();
    if (!more && !feed_done) {
      feed_done = true;
      engine.FlushCandles();
      LogInfo("feed: " + feed->State() + " after " + std::to_string(decoder.stats().frames) + " frames");
    }
    schedule();
  };
  schedule = [&] {
    if (stopping || feed_done) return;
    // Unpaced feeds yield to the server between batches; paced ones wake every 5 ms.
    pump.expires_after(frames.size() >= 5000 ? std::chrono::milliseconds(0) : std::chrono::milliseconds(5));
    pump.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) run_pump();
    });
  };
  schedule();

  // ---- graceful shutdown ----
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer grace(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    LogInfo("signal " + std::to_string(sig) + ": stopping (feed, WebSockets, store)");
    stopping = true;
    pump.cancel();
    http.Stop();
    // Let the close frames go out, then leave the loop.
    grace.expires_after(std::chrono::milliseconds(300));
    grace.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
  });
  ioc.run();
  LogInfo("stopped");
  return 0;
}

}  // namespace vnt::app
