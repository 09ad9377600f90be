#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format (valid for `promtool check metrics`). Not thread-safe except where noted: the server
// thread owns it; values from other threads are read through callbacks at render time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vnt::server {

// label name -> value, rendered in key order.
using Labels = std::map<std::string, std::string>;

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds)
      : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}
  // From per-bucket (non-cumulative) counts, the last one for +Inf.
  static Histogram FromBuckets(std::vector<double> bounds, const std::vector<std::uint64_t>& counts,
                               double sum) {
    Histogram h(std::move(bounds));
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < counts.size() && i < h.counts_.size(); ++i) {
      h.counts_[i] = counts[i];
      total += counts[i];
    }
    h.sum_ = sum;
    h.count_ = total;
    return h;
  }
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }  // per bucket, not cumulative
  double sum() const { return sum_; }
  std::uint64_t count() const { return count_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

class Registry {
 public:
  // Declares a metric family once (help text and type); Add/Set/Observe create series on first use.
  void Declare(const std::string& name, const std::string& type, const std::string& help);
  // Counter increment.
  void Add(const std::string& name, const Labels& labels, double v = 1);
  // Gauge set.
  void Set(const std::string& name, const Labels& labels, double v);
  // Declares a histogram family with its bucket upper bounds (sorted, without +Inf); its series take them.
  void DeclareHistogram(const std::string& name, const std::string& help, std::vector<double> bounds);
  // Histogram observation with the bounds of DeclareHistogram.
  void Observe(const std::string& name, const Labels& labels, double v);
  // Histogram observation (buckets fixed by the first use of the series).
  void Observe(const std::string& name, const Labels& labels, double v, const std::vector<double>& bounds);
  // Creates the series at zero when it does not exist yet (a histogram of DeclareHistogram: empty buckets;
  // otherwise a value of 0), so that it is exposed before its first event: a query and an alert rule see a
  // quiet series rather than none.
  void Touch(const std::string& name, const Labels& labels);
  // A gauge or counter whose value is read at render time (e.g. from another thread's atomics).
  void Callback(const std::string& name, const Labels& labels, std::function<double()> fn);
  // A histogram read at render time: cumulative bucket counts are computed from per-bucket counts.
  void HistogramCallback(const std::string& name, std::function<Histogram()> fn);
  // The exposition text.
  std::string Render() const;

 private:
  struct Family {
    std::string type, help;
    std::vector<double> bounds;  // of DeclareHistogram
    std::map<Labels, double> values;
    std::map<Labels, Histogram> histograms;
    std::map<Labels, std::function<double()>> callbacks;
    std::function<Histogram()> histogram_callback;
  };
  std::map<std::string, Family> families_;
};

// Seconds elapsed since `t0` on the steady clock (for latency observations).
inline double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The server's latency histograms (observed in http_server.cpp). Bucket bounds in seconds, set from figures
// measured with the simulator at speed 20 (README "Deploying", "Metrics added for monitoring"): they span the
// optimised build and the 5-10x slower sanitizer build on a loaded machine, 1-2.5-5 steps.
//
// vnt_http_request_duration_seconds{route}: a parsed request to its response written (handler + write), per
// route pattern (a bounded label set). Release build means: /api/vn30-components 50 us, /health 0.46 ms, the
// market snapshot 0.6 ms (p99 2.5 ms); the ASan build 5-8x that; history reads of a year reach seconds.
inline constexpr const char* kHttpRequestDuration = "vnt_http_request_duration_seconds";
inline const std::vector<double> kHttpLatencyBuckets = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
// vnt_ws_publish_seconds{channel}: one tick of a WebSocket channel (its delta serialised once per distinct
// symbol filter and queued to every client of the channel; /ws/alerts: a burst of alerts queued), observed
// only when the channel has clients. Release build, one client: index 80 us, trades 0.6 ms, market 1.8 ms;
// ASan build: market 7 ms with one client, 25 ms (p90 100 ms) with 20 on a loaded machine.
inline constexpr const char* kWsPublishDuration = "vnt_ws_publish_seconds";
inline const std::vector<double> kPublishLatencyBuckets = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
    0.005,   0.01,     0.025,   0.05,   0.1,     0.25,   0.5,   1};

}  // namespace vnt::server
