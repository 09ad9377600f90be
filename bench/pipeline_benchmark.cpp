// A full simulated trading day (08:45-15:00, every channel) through decoder + market engine:
// throughput (frames/s on one core), the per-frame latency distribution, and the classification
// accuracy against the simulator's ground truth. Run: build/release/bench/pipeline_benchmark
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "core/engine.h"
#include "core/vn30_basket.h"
#include "feed/decoder.h"
#include "pipeline/pipeline.h"
#include "sim/simulator.h"

namespace {

struct Day {
  std::vector<std::string> frames;
  std::vector<std::int64_t> trade_of_frame;  // ground-truth trade seq per frame (-1 = none)
  std::vector<vnt::sim::GroundTruthTrade> truth;
  std::size_t bytes = 0;
};

// with_x: also the X channel (1.8 KB snapshot frames next to every X-TRADE/X-QUOTE), as a subscriber to
// X:ALL gets; without it the simulator's default SSI subscription (X-TRADE, X-QUOTE, R, MI, F).
Day MakeDay(bool with_x) {
  {
    Day d;
    vnt::sim::SimConfig cfg;
    cfg.seed = 42;
    cfg.channels.x_snapshot = with_x;
    vnt::sim::Simulator sim(cfg);
    vnt::sim::SimFrame f;
    while (sim.Next(&f)) {
      d.bytes += f.text.size();
      d.trade_of_frame.push_back(f.trade);
      d.frames.push_back(std::move(f.text));
    }
    d.truth = sim.truth();
    return d;
  }
}

const Day& SimulatedDay(bool with_x = true) {
  static const Day with = MakeDay(true);
  static const Day without = MakeDay(false);
  return with_x ? with : without;
}

vnt::core::EngineConfig Config() {
  vnt::core::EngineConfig cfg;
  cfg.vn30 = vnt::core::DefaultVn30Basket();
  return cfg;
}

void BM_FullDayThroughput(benchmark::State& state) {
  const Day& day = SimulatedDay(state.range(0) != 0);
  for (auto _ : state) {
    vnt::core::MarketEngine engine(Config());
    vnt::pipeline::Pipeline pipe(engine);
    for (const std::string& f : day.frames) pipe.Push(std::string_view(f));
    benchmark::DoNotOptimize(engine.counters().trades_counted);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(day.frames.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(day.bytes));
  state.counters["frames_per_day"] = static_cast<double>(day.frames.size());
}

// Baseline for the one above in the same run: the decode-then-apply loop written out by hand, as the
// commands did before the Pipeline. The Pipeline must cost nothing measurable over it.
void BM_FullDayThroughputBareLoop(benchmark::State& state) {
  const Day& day = SimulatedDay(state.range(0) != 0);
  for (auto _ : state) {
    vnt::feed::Decoder decoder;
    vnt::feed::DecodeOutput out;
    vnt::core::MarketEngine engine(Config());
    for (const std::string& f : day.frames) {
      out.clear();
      decoder.Decode(f, out);
      for (const auto& e : out.events) engine.Apply(e);
    }
    benchmark::DoNotOptimize(engine.counters().trades_counted);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(day.frames.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(day.bytes));
}

// One pass timing every frame: percentiles of decode + apply.
void BM_PerFrameLatency(benchmark::State& state) {
  const Day& day = SimulatedDay(state.range(0) != 0);
  std::vector<double> ns(day.frames.size());
  for (auto _ : state) {
    vnt::core::MarketEngine engine(Config());
    vnt::pipeline::Pipeline pipe(engine);
    for (std::size_t i = 0; i < day.frames.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      pipe.Push(std::string_view(day.frames[i]));
      ns[i] = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    }
  }
  std::sort(ns.begin(), ns.end());
  auto pct = [&](double p) { return ns[static_cast<std::size_t>(p * static_cast<double>(ns.size() - 1))]; };
  state.counters["p50_ns"] = pct(0.50);
  state.counters["p99_ns"] = pct(0.99);
  state.counters["p999_ns"] = pct(0.999);
  state.counters["max_ns"] = ns.back();
}

// Classification accuracy against the simulator's true aggressor, per method.
class Accuracy : public vnt::core::MarketSink {
 public:
  std::int64_t current_truth = -1;
  const std::vector<vnt::sim::GroundTruthTrade>* truth = nullptr;
  std::int64_t total = 0, correct = 0, continuous = 0, continuous_correct = 0;
  void OnTrade(const vnt::core::ClassifiedTrade& t) override {
    if (current_truth < 0) return;
    const auto& g = (*truth)[static_cast<std::size_t>(current_truth)];
    const auto want = g.aggressor == vnt::Side::kBuy    ? vnt::core::Aggressor::kBuy
                      : g.aggressor == vnt::Side::kSell ? vnt::core::Aggressor::kSell
                                                        : vnt::core::Aggressor::kNeutral;
    ++total;
    correct += t.side == want;
    if (g.aggressor != vnt::Side::kUnknown) {
      ++continuous;
      continuous_correct += t.side == want;
    }
  }
};

void BM_ClassificationAccuracy(benchmark::State& state) {
  const Day& day = SimulatedDay();
  Accuracy acc;
  for (auto _ : state) {
    acc = Accuracy{};
    acc.truth = &day.truth;
    vnt::core::MarketEngine engine(Config());
    vnt::pipeline::Pipeline pipe(engine);
    engine.AddSink(&acc);
    for (std::size_t i = 0; i < day.frames.size(); ++i) {
      acc.current_truth = day.trade_of_frame[i];
      pipe.Push(std::string_view(day.frames[i]));
    }
    engine.RemoveSink(&acc);
  }
  state.counters["trades"] = static_cast<double>(acc.total);
  state.counters["accuracy_pct"] =
      acc.total ? 100.0 * static_cast<double>(acc.correct) / static_cast<double>(acc.total) : 0;
  state.counters["continuous_accuracy_pct"] =
      acc.continuous
          ? 100.0 * static_cast<double>(acc.continuous_correct) / static_cast<double>(acc.continuous)
          : 0;
}

}  // namespace

BENCHMARK(BM_FullDayThroughput)->ArgName("with_x")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_FullDayThroughputBareLoop)
    ->ArgName("with_x")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3);
BENCHMARK(BM_PerFrameLatency)
    ->ArgName("with_x")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_ClassificationAccuracy)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
