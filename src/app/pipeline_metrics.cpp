#include "app/pipeline_metrics.h"

#include <ctime>
#include <memory>

#include "core/calendar.h"
#include "source/ssi_feed.h"

namespace vnt::app {

namespace {

// The process CPU time for a counter.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void RegisterSsiMetrics(server::Registry& metrics, const source::SsiFeed& ssi_feed) {
  // The SSI client's connection counters: reconnects, watchdog timeouts, auth failures, ...
  metrics.Declare("vnt_ssi_events_total", "counter", "SSI client connection events, by kind.");
  const ssi::ClientStats& st = ssi_feed.stats();
  const std::pair<const char*, const std::atomic<std::uint64_t>*> kinds[] = {
      {"connect", &st.connects},
      {"reconnect", &st.reconnects},
      {"connection_lost", &st.connection_losses},
      {"watchdog_timeout", &st.watchdog_timeouts},
      {"token_fetch", &st.token_fetches},
      {"auth_failure", &st.auth_failures},
      {"connect_failure", &st.connect_failures},
      {"hub_error", &st.hub_errors},
      {"keep_alive", &st.keep_alives},
      {"malformed_frame", &st.malformed_frames},
      {"queue_overflow", &st.queue_overflows},
      {"reference_frame", &st.reference_frames},
      {"reference_failure", &st.reference_failures}};
  for (const auto& [kind, counter] : kinds) {
    metrics.Callback("vnt_ssi_events_total", {{"kind", kind}},
                     [counter = counter] { return static_cast<double>(counter->load()); });
  }
}

// 1 while the source is delivering: "streaming" (simulator, SSI client) or "replaying"; 0 while the SSI
// client authenticates, connects, reconnects or has failed, and once a simulated or replayed day is over.
bool FeedUp(const std::string& state) {
  return state == "streaming" || state == "replaying";
}

}  // namespace

bool MarketOpenAt(std::int64_t unix_seconds) {
  const ExchangeTime local = VietnamTimeOf(unix_seconds);
  const std::int32_t sec = local.time.sec;
  if (!core::HolidayCalendar::Vietnam().IsBusinessDay(local.date)) return false;
  const auto hm = [](int h, int m) { return h * 3600 + m * 60; };
  return (sec >= hm(9, 0) && sec < hm(11, 30)) || (sec >= hm(13, 0) && sec < hm(14, 45));
}

void RegisterPipelineMetrics(server::Registry& metrics, pipeline::Pipeline& pipe,
                             const source::FeedSource& feed, const core::MarketEngine& engine) {
  metrics.Declare("vnt_frames_received_total", "counter", "Feed frames received.");
  metrics.Declare("vnt_frames_decoded_total", "counter", "Market events decoded, by channel.");
  metrics.Declare("vnt_frames_rejected_total", "counter", "Decode errors, by kind.");
  metrics.Declare("vnt_engine_latency_seconds", "histogram",
                  "Decode + engine apply + sink dispatch time per frame.");
  metrics.Declare("vnt_feed_lag_seconds", "gauge",
                  "How far the feed is behind: its schedule (simulator), the silence since the last frame "
                  "(ssi).");
  metrics.Declare("vnt_feed_up", "gauge",
                  "1 while the feed source is delivering (streaming or replaying), else 0 (connecting, "
                  "reconnecting, failed, day over).");
  metrics.Declare("vnt_market_open", "gauge",
                  "1 during the exchange's trading sessions by the wall clock (Vietnam, business days, "
                  "09:00-11:30 and 13:00-14:45), else 0.");
  metrics.Declare("vnt_process_cpu_seconds_total", "counter", "CPU time used by the process.");
  metrics.Declare("vnt_engine_trades_total", "counter", "Trades counted and classified by the engine.");
  metrics.Declare("vnt_engine_duplicates_total", "counter", "Trade frames skipped as already counted.");
  const pipeline::Pipeline* p = &pipe;
  metrics.Callback("vnt_frames_received_total", {},
                   [p] { return static_cast<double>(p->decoder_stats().frames); });
  for (std::size_t c = 0; c < static_cast<std::size_t>(core::Channel::kCount); ++c) {
    metrics.Callback("vnt_frames_decoded_total",
                     {{"channel", std::string(core::ChannelName(static_cast<core::Channel>(c)))}},
                     [p, c] { return static_cast<double>(p->decoder_stats().events[c]); });
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(feed::ErrorKind::kCount); ++k) {
    metrics.Callback("vnt_frames_rejected_total",
                     {{"kind", std::string(feed::ErrorKindName(static_cast<feed::ErrorKind>(k)))}},
                     [p, k] { return static_cast<double>(p->decoder_stats().errors[k]); });
  }
  const source::FeedSource* f = &feed;
  metrics.Callback("vnt_feed_lag_seconds", {},
                   [f] { return f->LagMs(std::chrono::steady_clock::now()) / 1000.0; });
  metrics.Callback("vnt_feed_up", {}, [f] { return FeedUp(f->State()) ? 1.0 : 0.0; });
  metrics.Callback("vnt_market_open", {}, [] {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return MarketOpenAt(std::chrono::duration_cast<std::chrono::seconds>(now).count()) ? 1.0 : 0.0;
  });
  metrics.Callback("vnt_process_cpu_seconds_total", {}, [] { return CpuSeconds(); });
  const core::MarketEngine* e = &engine;
  metrics.Callback("vnt_engine_trades_total", {},
                   [e] { return static_cast<double>(e->counters().trades_counted); });
  metrics.Callback("vnt_engine_duplicates_total", {},
                   [e] { return static_cast<double>(e->counters().duplicates_skipped); });
  // Observed into a histogram of our own (no registry lookup per frame), exposed at render time; it exists
  // (empty) before the first frame.
  auto latency = std::make_shared<server::Histogram>(kEngineLatencyBuckets);
  pipe.set_latency_observer([latency](double seconds) { latency->Observe(seconds); });
  metrics.HistogramCallback("vnt_engine_latency_seconds", [latency] { return *latency; });
  if (const auto* ssi_feed = dynamic_cast<const source::SsiFeed*>(&feed))
    RegisterSsiMetrics(metrics, *ssi_feed);
}

AlertCounter::AlertCounter(server::Registry& m) : m_(m) {
  m_.Declare("vnt_alerts_total", "counter", "Alerts raised, by type.");
}

void AlertCounter::OnAlert(const core::Alert& a) {
  m_.Add("vnt_alerts_total", {{"type", std::string(core::ToString(a.type))}});
}

}  // namespace vnt::app
