// Market engine throughput and per-event latency on a synthetic VN30 session (already-decoded events, so this
// measures the engine alone; the decoder + engine replay figure is measured end to end elsewhere).
//
// Mix per 100 events: 40 X-TRADE, 40 X-QUOTE (10 levels), 15 X, 3 R, 2 MI over the 30 VN30 stocks and two
// futures contracts, about 200 events per exchange second.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/engine.h"

namespace vnt::core {
namespace {

EngineConfig BenchConfig() {
  EngineConfig cfg;
  for (const char* n : {"ACB", "BCM", "BID", "BVH", "CTG", "FPT", "GAS", "GVR", "HDB", "HPG",
                        "MBB", "MSN", "MWG", "PLX", "POW", "SAB", "SHB", "SSB", "SSI", "STB",
                        "TCB", "TPB", "VCB", "VHM", "VIB", "VIC", "VJC", "VNM", "VPB", "VRE"}) {
    cfg.vn30.push_back(Symbol::Of(n));
  }
  return cfg;
}

Price Px(double v) {
  return Price::FromRaw(std::llround(v * 10000));
}

std::vector<core::MarketEvent> MakeSession(const EngineConfig& cfg, int n) {
  std::vector<Symbol> syms = cfg.vn30;
  syms.push_back(Symbol::Of("41I1G3000"));
  syms.push_back(Symbol::Of("41I1G4000"));
  std::vector<Volume> total(syms.size(), Volume{});
  std::vector<double> px(syms.size(), 25000);
  px[30] = px[31] = 1300;
  std::mt19937 rng(1);
  const Date d = Date::Of(2026, 3, 10);
  int sec = 9 * 3600 + 15 * 60;
  Volume foreign{};
  std::vector<core::MarketEvent> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    if (i % 200 == 0) ++sec;
    const std::size_t k = rng() % syms.size();
    const double tick = k >= 30 ? 0.1 : 50;
    px[k] += tick * (static_cast<int>(rng() % 3) - 1);
    core::Header h;
    h.symbol = syms[k];
    h.time = ExchangeTime{d, TimeOfDay{sec}};
    h.session = Session::kLo;
    core::Book book;
    book.bid_count = book.ask_count = 10;
    for (std::size_t l = 0; l < 10; ++l) {
      book.bids[l] = core::Level{Px(px[k] - tick * static_cast<double>(l + 1)), Volume{1000}};
      book.asks[l] = core::Level{Px(px[k] + tick * static_cast<double>(l + 1)), Volume{1000}};
    }
    const int kind = static_cast<int>(rng() % 100);
    if (kind < 40) {
      core::TradeEvent e;
      e.h = h;
      e.h.channel = core::Channel::kTrade;
      const Volume v{100 * (1 + static_cast<std::int64_t>(rng() % 20))};
      total[k] += v;
      e.t.last_price = Px(px[k]);
      e.t.last_vol = v;
      e.t.total_vol = total[k];
      out.emplace_back(e);
    } else if (kind < 80) {
      core::QuoteEvent e;
      e.h = h;
      e.h.channel = core::Channel::kQuote;
      e.book = book;
      out.emplace_back(e);
    } else if (kind < 95) {
      core::SnapshotEvent e;
      e.h = h;
      e.h.channel = core::Channel::kSnapshot;
      e.book = book;
      e.t.last_price = Px(px[k]);
      e.t.last_vol = Volume{100};
      e.t.total_vol = total[k];
      out.emplace_back(e);
    } else if (kind < 98) {
      core::ForeignRoomEvent e;
      e.h = h;
      e.h.channel = core::Channel::kForeign;
      foreign += Volume{100};
      e.buy_vol = foreign;
      e.sell_vol = Volume{foreign.raw() / 2};
      e.buy_val = Vnd{foreign.raw() * 25000};
      e.sell_val = Vnd{foreign.raw() * 12500};
      out.emplace_back(e);
    } else {
      core::IndexEvent e;
      e.h = h;
      e.h.channel = core::Channel::kIndex;
      e.h.symbol = Symbol::Of(rng() % 2 ? "VN30" : "VNINDEX");
      e.value = Px(1300 + static_cast<double>(rng() % 100) / 10.0);
      e.prior_value = Px(1295);
      out.emplace_back(e);
    }
  }
  return out;
}

void BM_EngineApply(benchmark::State& state) {
  const EngineConfig cfg = BenchConfig();
  const std::vector<core::MarketEvent> events = MakeSession(cfg, 200'000);
  std::vector<double> lat;
  lat.reserve(events.size());
  for (auto _ : state) {
    state.PauseTiming();
    MarketEngine eng(cfg);
    lat.clear();
    state.ResumeTiming();
    for (const core::MarketEvent& e : events) {
      const auto a = std::chrono::steady_clock::now();
      eng.Apply(e);
      lat.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - a).count());
    }
    benchmark::DoNotOptimize(eng.counters().trades_counted);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(events.size()));
  std::sort(lat.begin(), lat.end());
  state.counters["p50_ns"] = lat[lat.size() / 2];
  state.counters["p99_ns"] = lat[lat.size() * 99 / 100];
  state.counters["max_ns"] = lat.back();
}
BENCHMARK(BM_EngineApply)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vnt::core

BENCHMARK_MAIN();
