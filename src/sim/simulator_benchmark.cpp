// Simulator throughput: a full default trading day (08:45-15:00, X-TRADE, X-QUOTE, R, MI, F), frames/s and
// bytes/s on one core; plus the same day with every channel (X snapshots and B bars) on.
// Run: build/release/src/sim/simulator_benchmark
#include <benchmark/benchmark.h>

#include "sim/simulator.h"

namespace {

using vnt::sim::SimConfig;
using vnt::sim::SimFrame;
using vnt::sim::Simulator;

void RunDay(benchmark::State& state, const SimConfig& cfg) {
  std::int64_t frames = 0, bytes = 0, trades = 0;
  for (auto _ : state) {
    Simulator sim(cfg);
    SimFrame f;
    while (sim.Next(&f)) {
      ++frames;
      bytes += static_cast<std::int64_t>(f.text.size());
      benchmark::DoNotOptimize(f.text.data());
    }
    trades += static_cast<std::int64_t>(sim.truth().size());
  }
  state.SetItemsProcessed(frames);
  state.SetBytesProcessed(bytes);
  state.counters["frames_per_day"] =
      benchmark::Counter(static_cast<double>(frames) / static_cast<double>(state.iterations()));
  state.counters["trades_per_day"] =
      benchmark::Counter(static_cast<double>(trades) / static_cast<double>(state.iterations()));
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

void BM_FullDayDefaultChannels(benchmark::State& state) {
  RunDay(state, SimConfig{});
}
BENCHMARK(BM_FullDayDefaultChannels)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_FullDayAllChannels(benchmark::State& state) {
  SimConfig cfg;
  cfg.channels.x_snapshot = true;
  cfg.channels.bars = true;
  RunDay(state, cfg);
}
BENCHMARK(BM_FullDayAllChannels)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
