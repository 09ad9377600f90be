#include "app/serve_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <ctime>
#include <sys/resource.h>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli_time.h"
#include "app/feed_source.h"
#include "app/log.h"
#include "app/ssi_feed.h"
#include "app/store_glue.h"
#include "core/calendar.h"
#include "feed/decoder.h"
#include "server/http_server.h"
#include "server/market_service.h"
#include "server/metrics.h"
#include "server/publisher.h"
#include "server/router.h"
#include "store/reader.h"
#include "store/store_sink.h"
#include "store/writer.h"

namespace vnt::app {

namespace net = boost::asio;

namespace {

// Samples the process CPU time for a gauge.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// Raises the soft limit on open files to the hard one: each client is a descriptor, and the default
// soft limit (1024) is reached long before the machine's.
void RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) return;
  const rlim_t before = lim.rlim_cur;
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) == 0)
    LogDebug("open files limit raised from " + std::to_string(before) + " to " + std::to_string(lim.rlim_max));
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
  RaiseFileLimit();
  {
    // Listed futures expire up to ~9 months ahead: an expiry past the holiday data is unverified.
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const Date today = DateFromDayNumber((now_s + 7 * 3600) / 86400);  // Asia/Ho_Chi_Minh, no DST
    const Date last = core::HolidayCalendar::Vietnam().last_covered();
    if (DayNumber(last) - DayNumber(today) < 366)
      LogWarning("holiday calendar ends " + ToString(last) +
                 ": futures expiring later are dated without holidays (expiry_calendar_covered=false); "
                 "extend src/core/data/vn_holidays.txt");
  }
  if (opts.db.rfind("postgresql://", 0) == 0 || opts.db.rfind("postgres://", 0) == 0) {
    LogError(
        "the PostgreSQL store is not available in this version; use --db sqlite:PATH (the default) or none");
    return 2;
  }
  if (opts.db != "none" && opts.db.rfind("sqlite:", 0) != 0) {
    LogError("--db must be sqlite:PATH, none or postgresql://... (got '" + opts.db + "')");
    return 2;
  }
  net::io_context ioc(1);
  server::Registry metrics;
  core::MarketEngine engine(opts.engine);
  feed::Decoder decoder;

  // ---- history store: open (migrations), restore today's state from the frame journal ----
  std::unique_ptr<store::Writer> writer;
  std::unique_ptr<store::Reader> reader;
  Date restored_date;
  if (opts.db != "none") {
    const std::string path = opts.db.substr(7);
    try {
      const std::filesystem::path dir = std::filesystem::path(path).parent_path();
      if (!dir.empty()) std::filesystem::create_directories(dir);
      store::WriterConfig wc;
      wc.path = path;
      wc.on_health_change = [](bool healthy, const std::string& reason) {
        if (healthy)
          LogInfo("store: recovered: " + reason);
        else
          LogError("store: degraded, rows are kept in memory and retried: " + reason);
      };
      writer = std::make_unique<store::Writer>(wc);
      reader = std::make_unique<store::Reader>(path);
    } catch (const std::exception& e) {
      LogError("store: " + std::string(e.what()));
      return 2;
    }
    std::string err;
    const int rules = LoadRules(*reader, engine, &err);
    if (rules < 0) LogWarning("store: rules not loaded: " + err);
    const auto t0 = std::chrono::steady_clock::now();
    const std::int64_t frames = RestoreLatestDay(*reader, decoder, engine, &restored_date, &err);
    if (frames < 0) {
      LogError("store: restore failed: " + err);
      return 2;
    }
    if (frames > 0) {
      LogInfo("store: restored " + ToString(restored_date) + " from " + std::to_string(frames) +
              " journaled frames in " +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                      .count()) +
              " ms (" + std::to_string(rules) + " rules)");
    }
    if (restored_date.valid()) {
      // The journal only serves the restart of the current day: older days' raw frames are dropped.
      auto pruned = reader->PruneFramesBefore(restored_date);
      if (pruned.ok() && pruned.value > 0)
        LogInfo("store: pruned " + std::to_string(pruned.value) + " journaled frames of earlier days");
    }
    LogInfo("store: sqlite " + path);
  }

  // Sinks attach after the restore, so the replayed day is neither re-stored nor re-published.
  server::Publisher publisher(engine);
  AlertCounter alert_counter(metrics);
  engine.AddSink(&publisher);
  engine.AddSink(&alert_counter);
  std::unique_ptr<store::StoreSink> store_sink;
  if (writer) {
    store_sink = std::make_unique<store::StoreSink>(*writer, engine);
    engine.AddSink(store_sink.get());
  }

  // ---- feed ----
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<FeedSource> feed;
  try {
    if (opts.feed == "sim") {
      sim::SimConfig cfg;
      cfg.seed = opts.sim_seed;
      Date date;
      TimeOfDay begin;
      std::string error;
      if (!ChooseSimDay(opts.sim_date, opts.sim_start, &date, &begin, &error)) {
        LogError(error);
        return 2;
      }
      cfg.date = date;
      if (restored_date == date && engine.market_time().time.valid() && engine.market_time().time >= begin) {
        // The same seed and day make the same market: continue right after what the journal holds.
        begin = TimeOfDay{engine.market_time().time.sec + 1};
      }
      cfg.start = begin;
      if (!opts.sim_end.empty() && !ParseCliTime(opts.sim_end, &cfg.end)) {
        LogError("--sim-end must be HH:MM[:SS]");
        return 2;
      }
      cfg.keep_truth = false;
      feed = std::make_unique<SimFeed>(cfg, opts.speed, start);
      LogInfo("feed: simulator, trading date " + ToString(date) + " from " + ToString(begin) + ", speed " +
              (opts.speed > 0 ? std::to_string(opts.speed) + "x" : std::string("max")));
    } else if (opts.feed.rfind("replay:", 0) == 0) {
      feed = std::make_unique<ReplayFeed>(opts.feed.substr(7), opts.speed, start);
      LogInfo("feed: replay of " + opts.feed.substr(7));
    } else if (opts.feed == "ssi") {
      SsiFeedOptions so = opts.ssi;
      for (const Symbol& sym : opts.engine.vn30) so.fallback_stocks.push_back(sym.str());
      feed = std::make_unique<SsiFeed>(so);
      LogInfo("feed: SSI FastConnect Data v2 (" + MakeSsiClientConfig(so).stream_url + ")");
    } else {
      LogError("--feed must be sim, ssi or replay:FILE (got '" + opts.feed + "')");
      return 2;
    }
  } catch (const std::exception& e) {
    LogError(std::string("feed: ") + e.what());
    return 2;
  }

  // ---- metrics of the pipeline ----
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
  if (const auto* ssi_feed = dynamic_cast<const SsiFeed*>(feed.get())) {
    // The SSI client's connection counters: reconnects, watchdog timeouts, auth failures, ...
    metrics.Declare("vnt_ssi_events_total", "counter", "SSI client connection events, by kind.");
    const ssi::ClientStats& st = ssi_feed->stats();
    const std::pair<const char*, const std::atomic<std::uint64_t>*> kinds[] = {
        {"connect", &st.connects},           {"reconnect", &st.reconnects},
        {"connection_lost", &st.connection_losses}, {"watchdog_timeout", &st.watchdog_timeouts},
        {"token_fetch", &st.token_fetches},  {"auth_failure", &st.auth_failures},
        {"connect_failure", &st.connect_failures}, {"hub_error", &st.hub_errors},
        {"keep_alive", &st.keep_alives},     {"malformed_frame", &st.malformed_frames},
        {"queue_overflow", &st.queue_overflows}};
    for (const auto& [kind, counter] : kinds) {
      metrics.Callback("vnt_ssi_events_total", {{"kind", kind}},
                       [counter] { return static_cast<double>(counter->load()); });
    }
  }
  health.feed_state = [&] { return feed->State(); };
  health.feed_lag_ms = [&] { return feed->LagMs(std::chrono::steady_clock::now()); };
  health.frames_received = [&] { return decoder.stats().frames; };
  health.store_state = [&]() -> std::string {
    if (!writer) return "none";
    const store::WriterStats st = writer->Stats();
    if (!st.healthy) return "degraded: " + st.last_error;
    if (st.dropped > 0) return "degraded: " + std::to_string(st.dropped) + " rows dropped (queue full)";
    return "ok";
  };
  server::HistoryProvider history;
  if (reader) history = MakeHistoryProvider(*reader);
  server::MarketService service(engine, health, history, metrics);
  service.SetVn30(opts.engine.vn30);
  service.SetMaxRules(static_cast<std::size_t>(opts.max_rules));
  if (reader) service.SetRuleStore(MakeRuleStore(*reader));
  if (writer) {
    metrics.Declare("vnt_store_rows_written_total", "counter", "Rows committed to the store, by table.");
    metrics.Declare("vnt_store_rows_dropped_total", "counter",
                    "Rows refused by a full store queue (never silent).");
    metrics.Declare("vnt_store_queue_depth", "gauge", "Rows accepted and not yet committed.");
    metrics.Declare("vnt_store_errors_total", "counter", "Failed store commits (retried) and rejected rows.");
    metrics.Declare("vnt_store_healthy", "gauge", "1 when the last store commit succeeded.");
    metrics.Declare("vnt_store_commit_seconds", "histogram", "Store commit latency.");
    for (std::size_t t = 0; t < store::kTableCount; ++t) {
      metrics.Callback("vnt_store_rows_written_total",
                       {{"table", std::string(store::TableName(static_cast<store::Table>(t)))}},
                       [&, t] { return static_cast<double>(writer->Stats().rows_written[t]); });
    }
    metrics.Callback("vnt_store_rows_dropped_total", {},
                     [&] { return static_cast<double>(writer->Stats().dropped); });
    metrics.Callback("vnt_store_queue_depth", {},
                     [&] { return static_cast<double>(writer->Stats().queue_depth); });
    metrics.Callback("vnt_store_errors_total", {},
                     [&] { return static_cast<double>(writer->Stats().errors); });
    metrics.Callback("vnt_store_healthy", {}, [&] { return writer->healthy() ? 1.0 : 0.0; });
    metrics.HistogramCallback("vnt_store_commit_seconds", [&] {
      const store::WriterStats st = writer->Stats();
      std::vector<double> bounds;
      for (double ms : store::kCommitLatencyBoundsMs) bounds.push_back(ms / 1000.0);
      return server::Histogram::FromBuckets(
          bounds, std::vector<std::uint64_t>(st.latency_buckets.begin(), st.latency_buckets.end()),
          st.latency_sum_ms / 1000.0);
    });
  }
  server::Router router;
  service.Register(router);

  server::ServerOptions sopts;
  sopts.address = opts.host;
  sopts.port = opts.port;
  sopts.api_token = opts.api_token;
  sopts.cors_origins = opts.cors_origins;
  sopts.ws_interval = std::chrono::milliseconds(opts.ws_interval_ms);
  sopts.ws_per_ip_limit = opts.ws_per_ip;
  sopts.conn_per_ip_limit = opts.conn_per_ip;
  sopts.write_timeout = std::chrono::seconds(opts.write_timeout_s);
  sopts.log = [](int level, const std::string& msg) { LogAt(level, "http: " + msg); };
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
  std::int64_t journal_seq = 0;
  std::function<void()> schedule;
  auto run_pump = [&] {
    frames.clear();
    const bool more = feed->Poll(std::chrono::steady_clock::now(), &frames, 5000);
    const std::int64_t recv_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
    for (std::string& f : frames) {
      const auto t0 = std::chrono::steady_clock::now();
      decoded.clear();
      decoder.Decode(f, decoded);
      for (const feed::MarketEvent& ev : decoded.events) engine.Apply(ev);
      if (writer && !decoded.events.empty() && engine.trading_date().valid()) {
        // The journal keeps the raw frames of the day: a restart replays them for exact numbers.
        writer->Enqueue(store::FrameRow{engine.trading_date(), ++journal_seq, recv_ms, std::move(f)});
      }
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
  if (writer) {
    store_sink->FlushPending();
    writer->Stop();
    const store::WriterStats st = writer->Stats();
    std::uint64_t rows = 0;
    for (auto n : st.rows_written) rows += n;
    LogInfo("store: flushed; " + std::to_string(rows) + " rows written, " + std::to_string(st.dropped) +
            " dropped");
  }
  LogInfo("stopped");
  return 0;
}

}  // namespace vnt::app
