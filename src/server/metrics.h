#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format (valid for `promtool check metrics`). Not thread-safe except where noted: the server
// thread owns it; values from other threads are read through callbacks at render time.

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
  // Histogram observation (buckets fixed by the first use of the series).
  void Observe(const std::string& name, const Labels& labels, double v, const std::vector<double>& bounds);
  // A gauge or counter whose value is read at render time (e.g. from another thread's atomics).
  void Callback(const std::string& name, const Labels& labels, std::function<double()> fn);
  // A histogram read at render time: cumulative bucket counts are computed from per-bucket counts.
  void HistogramCallback(const std::string& name, std::function<Histogram()> fn);
  // The exposition text.
  std::string Render() const;

 private:
  struct Family {
    std::string type, help;
    std::map<Labels, double> values;
    std::map<Labels, Histogram> histograms;
    std::map<Labels, std::function<double()>> callbacks;
    std::function<Histogram()> histogram_callback;
  };
  std::map<std::string, Family> families_;
};

}  // namespace vnt::server
