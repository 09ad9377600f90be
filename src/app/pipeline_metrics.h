#pragma once
// Prometheus series of the frame path (feed source, decoder, engine) and of the SSI client, read through
// callbacks from the parts' own counters; alert counts by type through an engine sink.

#include "core/engine.h"
#include "pipeline/pipeline.h"
#include "server/metrics.h"
#include "source/feed_source.h"

namespace vnt::app {

// Engine latency histogram buckets, seconds (decode + apply + dispatch of one frame). Measured with the
// simulator at speed 20: the release build median 2.5-5 us per frame (mean 5.5 us, p99 under 50 us), the
// ASan/UBSan build 10-20 us (p99 100 us-1 ms); rare frames (a new day, a large snapshot) reach milliseconds.
inline const std::vector<double> kEngineLatencyBuckets = {1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5,
                                                          1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3,   2.5e-2};

// True when `unix_seconds` falls in the exchange's trading sessions in Vietnam (UTC+7, no DST): a business
// day of the built-in holiday calendar, 09:00-11:30 or 13:00-14:45 (ATO to ATC; the lunch break and the
// put-through tail excluded). The hours when a live feed must be sending trades.
bool MarketOpenAt(std::int64_t unix_seconds);

// vnt_frames_*, vnt_feed_lag_seconds, vnt_feed_up, vnt_market_open, vnt_engine_*,
// vnt_process_cpu_seconds_total, and, for the ssi feed, vnt_ssi_events_total. Sets the pipeline's latency
// observer. The parts must outlive the registry's use.
void RegisterPipelineMetrics(server::Registry& metrics, pipeline::Pipeline& pipe,
                             const source::FeedSource& feed, const core::MarketEngine& engine);

// Counts alerts by type (vnt_alerts_total).
class AlertCounter : public core::MarketSink {
 public:
  explicit AlertCounter(server::Registry& m);
  void OnAlert(const core::Alert& a) override;

 private:
  server::Registry& m_;
};

}  // namespace vnt::app
