#pragma once
// Prometheus series of the frame path (feed source, decoder, engine) and of the SSI client, read through
// callbacks from the parts' own counters; alert counts by type through an engine sink.

#include "core/engine.h"
#include "pipeline/pipeline.h"
#include "server/metrics.h"
#include "source/feed_source.h"

namespace vnt::app {

// Engine latency histogram buckets, seconds (decode + apply + dispatch of one frame).
inline const std::vector<double> kEngineLatencyBuckets = {1e-6, 2e-6, 5e-6, 1e-5, 2e-5,
                                                          5e-5, 1e-4, 1e-3, 1e-2};

// vnt_frames_*, vnt_feed_lag_seconds, vnt_engine_*, vnt_process_cpu_seconds_total, and, for the ssi feed,
// vnt_ssi_events_total. Sets the pipeline's latency observer. The parts must outlive the registry's use.
void RegisterPipelineMetrics(server::Registry& metrics, pipeline::Pipeline& pipe, const source::FeedSource& feed,
                             const core::MarketEngine& engine);

// Counts alerts by type (vnt_alerts_total).
class AlertCounter : public core::MarketSink {
 public:
  explicit AlertCounter(server::Registry& m);
  void OnAlert(const core::Alert& a) override;

 private:
  server::Registry& m_;
};

}  // namespace vnt::app
