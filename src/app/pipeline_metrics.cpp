#include "app/pipeline_metrics.h"

#include <ctime>

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
      {"queue_overflow", &st.queue_overflows}};
  for (const auto& [kind, counter] : kinds) {
    metrics.Callback("vnt_ssi_events_total", {{"kind", kind}},
                     [counter] { return static_cast<double>(counter->load()); });
  }
}

}  // namespace

void RegisterPipelineMetrics(server::Registry& metrics, pipeline::Pipeline& pipe, const source::FeedSource& feed,
                             const core::MarketEngine& engine) {
  metrics.Declare("vnt_frames_received_total", "counter", "Feed frames received.");
  metrics.Declare("vnt_frames_decoded_total", "counter", "Market events decoded, by channel.");
  metrics.Declare("vnt_frames_rejected_total", "counter", "Decode errors, by kind.");
  metrics.Declare("vnt_engine_latency_seconds", "histogram", "Decode + engine time per frame.");
  metrics.Declare("vnt_feed_lag_seconds", "gauge", "How far the feed is behind its schedule.");
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
  metrics.Callback("vnt_process_cpu_seconds_total", {}, [] { return CpuSeconds(); });
  const core::MarketEngine* e = &engine;
  metrics.Callback("vnt_engine_trades_total", {},
                   [e] { return static_cast<double>(e->counters().trades_counted); });
  metrics.Callback("vnt_engine_duplicates_total", {},
                   [e] { return static_cast<double>(e->counters().duplicates_skipped); });
  server::Registry* m = &metrics;
  pipe.set_latency_observer(
      [m](double seconds) { m->Observe("vnt_engine_latency_seconds", {}, seconds, kEngineLatencyBuckets); });
  if (const auto* ssi_feed = dynamic_cast<const source::SsiFeed*>(&feed)) RegisterSsiMetrics(metrics, *ssi_feed);
}

AlertCounter::AlertCounter(server::Registry& m) : m_(m) {
  m_.Declare("vnt_alerts_total", "counter", "Alerts raised, by type.");
}

void AlertCounter::OnAlert(const core::Alert& a) {
  m_.Add("vnt_alerts_total", {{"type", std::string(core::ToString(a.type))}});
}

}  // namespace vnt::app
