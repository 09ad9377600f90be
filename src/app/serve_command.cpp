#include "app/serve_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "api/json_writer.h"
#include "api/market_json.h"
#include "app/file_limit.h"
#include "app/pipeline_metrics.h"
#include "app/store_glue.h"
#include "app/store_setup.h"
#include "bus/redis_publisher.h"
#include "client/http_message.h"
#include "common/log.h"
#include "core/calendar.h"
#include "notify/alert_delivery.h"
#include "notify/notifier.h"
#include "notify/outcome_log.h"
#include "pipeline/pipeline.h"
#include "server/engine_source.h"
#include "server/http_server.h"
#include "server/market_service.h"
#include "server/metrics.h"
#include "server/publisher.h"
#include "server/router.h"
#include "source/make_feed.h"
#include "store/location.h"
#include "store/maintenance.h"
#include "store/reader.h"
#include "store/store_sink.h"
#include "store/writer.h"

namespace vnt::app {

namespace net = boost::asio;

namespace {

// Listed futures expire up to ~9 months ahead: an expiry past the holiday data is unverified.
void WarnIfHolidayDataEndsSoon() {
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const Date today = VietnamTimeOf(now_s).date;
  const Date last = core::HolidayCalendar::Vietnam().last_covered();
  if (DayNumber(last) - DayNumber(today) < 366)
    LogWarning("holiday calendar ends " + ToString(last) +
               ": futures expiring later are dated without holidays (expiry_calendar_covered=false); "
               "load the exchange's schedule with --holidays FILE (format of src/core/data/vn_holidays.txt)");
}

// vnt_alert_deliveries_total{channel,result} and vnt_alert_deliveries_pending{channel}, every series
// declared at start (0 until something happens), read from the notifier's atomics at render time.
void RegisterDeliveryMetrics(server::Registry& metrics, const notify::Notifier& notifier) {
  metrics.Declare(
      "vnt_alert_deliveries_total", "counter",
      "Alert deliveries by channel and outcome: delivered, retried (each retry), failed (refused, "
      "or out of retry time), dropped (queue full, or shutdown).");
  metrics.Declare("vnt_alert_deliveries_pending", "gauge",
                  "Alert deliveries waiting or in flight, by channel.");
  for (const auto ch : {notify::Channel::kWebhook, notify::Channel::kTelegram}) {
    const std::string channel(notify::ToString(ch));
    for (std::size_t r = 0; r < static_cast<std::size_t>(notify::Result::kCount); ++r) {
      const auto result = static_cast<notify::Result>(r);
      metrics.Callback("vnt_alert_deliveries_total",
                       {{"channel", channel}, {"result", std::string(notify::ToString(result))}},
                       [&notifier, ch, result] { return static_cast<double>(notifier.Count(ch, result)); });
    }
    metrics.Callback("vnt_alert_deliveries_pending", {{"channel", channel}},
                     [&notifier, ch] { return static_cast<double>(notifier.Pending(ch)); });
  }
}

api::AlertDeliveryJson ToJson(const notify::DeliveryOutcome& o) {
  return {o.kind, std::string(notify::ToString(o.result)), o.attempts, o.status, o.error, o.time_ms};
}

// A delivery's outcome as a store row; an alert without an exchange date is filed under the outcome's
// Vietnam date (retention prunes by it).
store::DeliveryRow ToDeliveryRow(const notify::DeliveryOutcome& o, std::int64_t epoch) {
  store::DeliveryRow r;
  r.epoch = epoch;
  r.engine_id = o.tag.alert_id;
  r.alert_time = o.tag.alert_time;
  if (!r.alert_time.date.valid()) r.alert_time = VietnamTimeOf(o.time_ms / 1000);
  if (!r.alert_time.time.valid()) r.alert_time.time = TimeOfDay{0};
  r.channel = o.kind;
  r.result = std::string(notify::ToString(o.result));
  r.attempts = o.attempts;
  r.status = o.status;
  r.error = o.error;
  r.done_ms = o.time_ms;
  return r;
}

// vnt_bus_*: what the engine node published to Redis for the edges.
void RegisterBusMetrics(server::Registry& metrics, const bus::RedisPublisher& bus) {
  metrics.Declare("vnt_bus_connected", "gauge", "1 while the engine node is connected to the Redis bus.");
  metrics.Declare("vnt_bus_published_total", "counter", "Messages (deltas and snapshots) Redis accepted.");
  metrics.Declare(
      "vnt_bus_dropped_total", "counter",
      "Messages not published: the queue to Redis was full, or they were lost with a connection.");
  metrics.Declare("vnt_bus_errors_total", "counter", "Writes Redis refused.");
  metrics.Declare("vnt_bus_queued", "gauge", "Messages waiting for Redis.");
  metrics.Callback("vnt_bus_connected", {}, [&bus] { return bus.connected() ? 1.0 : 0.0; });
  metrics.Callback("vnt_bus_published_total", {}, [&bus] { return static_cast<double>(bus.published()); });
  metrics.Callback("vnt_bus_dropped_total", {}, [&bus] { return static_cast<double>(bus.dropped()); });
  metrics.Callback("vnt_bus_errors_total", {}, [&bus] { return static_cast<double>(bus.errors()); });
  metrics.Callback("vnt_bus_queued", {}, [&bus] { return static_cast<double>(bus.queued()); });
}

}  // namespace

int RunServe(const ServeOptions& opts) {
  SetLogLevel(ParseLogLevel(opts.log_level).value_or(LogLevel::kInfo));
  RaiseFileLimit();
  WarnIfHolidayDataEndsSoon();
  if (opts.db != "none" && opts.db.rfind("sqlite:", 0) != 0 && !store::IsPostgresUrl(opts.db)) {
    LogError("--db must be sqlite:PATH, postgresql://USER:PASSWORD@HOST:PORT/DB or none (got '" +
             store::RedactLocation(opts.db) + "')");
    return 2;
  }
  net::io_context ioc(1);
  server::Registry metrics;
  core::MarketEngine engine(opts.engine);
  pipeline::Pipeline pipe(engine);

  // ---- alert delivery: checked before anything starts; its worker thread does all the I/O ----
  // This process's epoch (its start, Unix microseconds): stored with its alerts and their delivery outcomes,
  // because the engine's alert ids start again at 1 in every process.
  const std::int64_t alert_epoch = std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
  notify::OutcomeLog outcomes;                              // the live alerts API's view of the outcomes
  std::atomic<store::Writer*> outcome_store{nullptr};       // set once the store is open
  const notify::DeliveryOptions& alert_opts = opts.alerts;  // --alert-webhook-secret / ALERT_WEBHOOK_SECRET
  notify::NotifierConfig notifier_cfg = notify::MakeNotifierConfig(alert_opts);
  notifier_cfg.log = [](LogLevel level, const std::string& line) { Log(level, line); };
  // Outcomes arrive on the delivery thread (or the engine's, for a full queue): both hand-overs only queue.
  notifier_cfg.on_outcome = [&outcomes, &outcome_store, alert_epoch](const notify::DeliveryOutcome& o) {
    outcomes.Add(o);
    if (store::Writer* w = outcome_store.load()) w->Enqueue(ToDeliveryRow(o, alert_epoch));
  };
  notify::Notifier notifier(notifier_cfg);
  // Rules are read on the engine thread, where the sink runs.
  auto delivery_made =
      notify::AlertDelivery::Make(alert_opts, notifier, [&engine](std::int64_t id) -> const core::AlertRule* {
        for (const core::AlertRule& r : engine.Rules())
          if (r.id == id) return &r;
        return nullptr;
      });
  if (!delivery_made) {
    LogError(delivery_made.error().message);
    return 2;
  }
  const std::unique_ptr<notify::AlertDelivery> delivery = std::move(delivery_made).value();
  if (Status started = notifier.Start(); !started) {
    LogError(started.error().message);
    return 2;
  }
  RegisterDeliveryMetrics(metrics, notifier);

  // ---- history store: open (migrations), rebuild today's state from the frame journal ----
  std::optional<OpenedStore> store;
  if (opts.db != "none") {
    store = OpenStore(opts.db, opts.store_buffer_rows, engine, pipe);
    if (!store) return 2;
  }
  store::Writer* writer = store ? store->writer.get() : nullptr;
  outcome_store = writer;
  // On any return the notifier stops before the store closes, so its last outcomes still reach the writer.
  struct StopDeliveriesFirst {
    notify::Notifier& notifier;
    std::atomic<store::Writer*>& store;
    ~StopDeliveriesFirst() {
      notifier.Stop();
      store = nullptr;
    }
  } stop_deliveries_first{notifier, outcome_store};
  std::unique_ptr<store::Maintenance> maintenance;  // journal pruning and retention, off the event loop
  if (store) {
    store::MaintenanceConfig mc;
    mc.location = store->location;
    mc.retention_days = opts.retention_days;
    mc.log = [](bool error, const std::string& line) { error ? LogWarning(line) : LogInfo(line); };
    maintenance = std::make_unique<store::Maintenance>(mc);
  }
  store::Reader* reader = store ? store->reader.get() : nullptr;

  // Sinks attach after the restore, so the replayed day is neither re-stored nor re-published.
  server::Publisher publisher(engine);
  // The stream epoch: new at every start, so clients and edges know the seqs started again.
  publisher.SetEpoch(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    std::chrono::system_clock::now().time_since_epoch())
                                                    .count()));
  AlertCounter alert_counter(metrics);
  engine.AddSink(&publisher);
  engine.AddSink(&alert_counter);
  engine.AddSink(delivery.get());
  LogInfo("alert delivery: " + delivery->Describe());
  std::unique_ptr<store::StoreSink> store_sink;
  std::int64_t pump_recv_ms = 0;  // receive time (epoch ms) of the batch being pushed, for the journal
  if (writer) {
    store_sink = std::make_unique<store::StoreSink>(*writer, engine);
    store_sink->set_epoch(alert_epoch);
    engine.AddSink(store_sink.get());
    // The journal keeps the raw frames of the day: a restart replays them for exact numbers.
    pipe.set_journal(
        [writer, seq = std::int64_t{0}, &recv_ms = pump_recv_ms](Date d, std::string&& f) mutable {
          writer->Enqueue(store::FrameRow{d, ++seq, recv_ms, std::move(f)});
        });
  }
  pipe.set_on_error([](const feed::DecodeError& e) {
    LogDebug(std::string("decode: ") + std::string(feed::ErrorKindName(e.kind)) + ": " + e.detail);
  });

  // ---- feed ----
  source::FeedOptions feed_opts = opts.feed;
  for (const Symbol& sym : opts.engine.vn30) feed_opts.ssi.fallback_stocks.push_back(sym.str());
  auto made = source::MakeFeed(feed_opts, std::chrono::steady_clock::now(),
                               {store ? store->restored_date : Date{}, engine.market_time().time});
  if (!made) {
    LogError(made.error().message);
    return 2;
  }
  std::unique_ptr<source::FeedSource> feed = std::move(made->source);
  LogInfo("feed: " + made->description);
  RegisterPipelineMetrics(metrics, pipe, *feed, engine);

  // ---- REST + WS ----
  server::HealthInfo health;
  health.feed_state = [&] { return feed->State(); };
  health.feed_lag_ms = [&] { return feed->LagMs(std::chrono::steady_clock::now()); };
  health.frames_received = [&] { return pipe.decoder_stats().frames; };
  health.store_state = [writer] { return StoreState(writer); };
  server::HistoryProvider history;
  if (reader) history = MakeHistoryProvider(*reader);
  server::MarketService service(engine, health, history, metrics);
  service.SetVn30(opts.engine.vn30);
  service.SetTradeTape(&publisher.tape());
  // A rule's webhook is checked at POST/PUT with the parser its deliveries use.
  service.SetWebhookCheck([](std::string_view url) -> Status {
    auto parsed = client::ParseHttpUrl(url);
    if (!parsed) return std::move(parsed).error();
    return {};
  });
  service.SetMaxRules(static_cast<std::size_t>(opts.max_rules));
  service.SetAlertDeliveries([&outcomes](std::uint64_t alert_id) {
    std::vector<api::AlertDeliveryJson> out;
    for (const notify::DeliveryOutcome& o : outcomes.Of(alert_id)) out.push_back(ToJson(o));
    return out;
  });
  if (reader) service.SetRuleStore(MakeRuleStore(*reader));
  if (writer) RegisterStoreMetrics(metrics, *writer);
  server::Router router;
  service.Register(router);

  server::ServerOptions sopts;
  sopts.address = opts.host;
  sopts.port = opts.port;
  sopts.api_token = opts.api_token;
  sopts.cors_origins = opts.cors_origins;
  sopts.ws_interval = std::chrono::milliseconds(opts.ws_interval_ms);
  opts.conn.ApplyTo(&sopts);
  sopts.log = [](LogLevel level, const std::string& msg) { Log(level, "http: " + msg); };
  sopts.static_dir = opts.web_dir;
  if (sopts.static_dir.empty() && std::filesystem::exists("web/dist/index.html"))
    sopts.static_dir = "web/dist";
  server::EngineSourceOptions eso;
  eso.foreign_interval = std::chrono::milliseconds(opts.foreign_interval_ms);
  eso.resume_messages = static_cast<std::size_t>(opts.resume_messages);
  server::EngineSource source(publisher, eso);
  // ---- the bus to the edges (optional) ----
  std::unique_ptr<bus::RedisPublisher> bus;
  if (!opts.bus.empty()) {
    const auto url = bus::ParseRedisUrl(opts.bus);
    if (!url) {
      LogError(url.error().message);
      return 2;
    }
    bus::PublisherOptions bo;
    bo.url = *url;
    bo.log = [](LogLevel level, const std::string& line) { Log(level, line); };
    bus = std::make_unique<bus::RedisPublisher>(bo);
    bus->Start();
    source.SetBus(bus.get());
    RegisterBusMetrics(metrics, *bus);
    LogInfo("bus: publishing to " + url->Redacted() + " (epoch " + std::to_string(publisher.epoch()) + ")");
  }
  server::HttpServer http(ioc, sopts, router, source, metrics);
  source.SetBroadcast(
      [&http](server::WsChannel c, const std::vector<server::SharedMessage>& m) { http.Broadcast(c, m); });
  if (Status started = http.Start(); !started) {
    LogError(started.error().message);
    return 1;
  }
  LogInfo("listening on http://" + opts.host + ":" + std::to_string(http.port()) +
          (sopts.static_dir.empty() ? " (no web app built: REST and WebSocket only)"
                                    : " (web app from " + sopts.static_dir + ")"));
  // Machine-readable line for tests and scripts that start the server on port 0.
  std::cout << "vntracker: listening on port " << http.port() << std::endl;

  // ---- the feed pump: every few ms, push what is due through the pipeline ----
  net::steady_timer pump(ioc);
  std::vector<std::string> frames;
  bool feed_done = false, stopping = false;
  std::function<void()> schedule;
  auto run_pump = [&] {
    frames.clear();
    const bool more = feed->Poll(std::chrono::steady_clock::now(), &frames, 5000);
    pump_recv_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    const Date day_before = engine.trading_date();
    for (std::string& f : frames) pipe.Push(std::move(f));
    // A new trading date: yesterday's journal is no longer needed for a restart.
    if (maintenance && engine.trading_date() != day_before) maintenance->Poke();
    if (!frames.empty()) source.PushAlerts();
    if (!more && !feed_done) {
      feed_done = true;
      engine.FlushCandles();
      LogInfo("feed: " + feed->State() + " after " + std::to_string(pipe.decoder_stats().frames) + " frames");
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
  if (bus) bus->Stop();  // what is queued goes out (bounded by its timeout)
  // Deliveries first (in flight get a short grace; the rest is counted as dropped), so that their outcomes
  // are in the store's last batch.
  notifier.Stop();
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
