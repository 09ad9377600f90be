#pragma once
// A simulated day with every frame decoded, shared by the simulator's test files (the market model in
// simulator_test.cpp, the SSI frames in wire_frames_test.cpp).

#include <map>
#include <string>
#include <vector>

#include "feed/decoder.h"
#include "sim/market_rules.h"
#include "sim/simulator.h"

namespace vnt::sim::simtest {

constexpr int Hms(int h, int m, int s = 0) {
  return h * 3600 + m * 60 + s;
}

// One decoded frame.
struct Decoded {
  SimFrame frame;
  core::MarketEvent event;
};

// A whole simulated day, every frame decoded.
struct Day {
  std::vector<Decoded> frames;
  std::vector<GroundTruthTrade> truth;
  std::vector<StockInfo> stocks;
  std::vector<IndexInfo> indices;
  std::vector<FuturesInfo> futures;
  std::vector<std::string> errors;  // decode failures (must stay empty)
};

inline Day Run(const SimConfig& cfg) {
  Simulator sim(cfg);
  Day day;
  feed::Decoder dec;
  feed::DecodeOutput out;
  SimFrame f;
  while (sim.Next(&f)) {
    out.clear();
    if (!dec.Decode(f.text, out) || out.events.size() != 1) {
      if (day.errors.size() < 5)
        day.errors.push_back((out.errors.empty() ? std::string("no event") : out.errors[0].detail) + ": " +
                             f.text);
      continue;
    }
    day.frames.push_back(Decoded{f, std::move(out.events[0])});
  }
  day.truth = sim.truth();
  day.stocks = sim.stocks();
  day.indices = sim.indices();
  day.futures = sim.futures();
  return day;
}

inline SimConfig AllChannels() {
  SimConfig cfg;
  cfg.channels.x_snapshot = true;
  cfg.channels.bars = true;
  cfg.snapshot_symbols = {Symbol::Of("FPT"), Symbol::Of("HPG"), Symbol::Of("41I1G3000")};
  return cfg;
}

// The full default day with every channel on, simulated and decoded once for the suite.
inline const Day& FullDay() {
  // A tenth of the default activity keeps the suite fast under the sanitizers (each test runs in its own
  // process); the rules checked do not depend on the rate.
  static const Day day = [] {
    SimConfig cfg = AllChannels();
    cfg.activity = 0.1;
    return Run(cfg);
  }();
  return day;
}

struct Limits {
  Price floor, ceiling;
  Market market;
};
inline std::map<Symbol, Limits> LimitsOf(const Day& d) {
  std::map<Symbol, Limits> m;
  for (const StockInfo& s : d.stocks) m[s.symbol] = {s.floor, s.ceiling, Market::kHose};
  for (const FuturesInfo& f : d.futures) m[f.symbol] = {f.floor, f.ceiling, Market::kDerivatives};
  return m;
}

}  // namespace vnt::sim::simtest
