// The market overview on a simulated day (issue 16, item 5): the VN30 contributions computed by the engine's
// side (core/market_overview.h) from the basket's published weights and the feed's prices sum to the feed's
// VN30 change, and the weights are the ones the simulator builds its VN30 from.
#include <gtest/gtest.h>

#include <cmath>

#include "core/engine.h"
#include "core/market_overview.h"
#include "feed/decoder.h"
#include "sim/simulator.h"

namespace vnt::sim {
namespace {

TEST(MarketOverviewDay, TheCoreWeightsAreTheSimulatorsVn30) {
  const std::vector<StockInfo> stocks = MakeStocks(DefaultVn30Stocks());
  const IndexInfo vn30 = MakeCappedIndex("VN30", "VN30", stocks, Price::FromInt(1885));
  const std::vector<core::IndexWeight>& w = core::DefaultVn30Weights();
  ASSERT_EQ(w.size(), stocks.size());
  std::vector<double> mcap;
  for (std::size_t i = 0; i < stocks.size(); ++i) {
    EXPECT_EQ(w[i].symbol, stocks[i].symbol);
    EXPECT_EQ(w[i].shares, stocks[i].shares) << stocks[i].symbol.view();
    EXPECT_EQ(w[i].free_float, stocks[i].free_float) << stocks[i].symbol.view();
    mcap.push_back(stocks[i].ref.ToDouble() * static_cast<double>(w[i].shares) * w[i].free_float);
  }
  const std::vector<double> cap = core::CapFactors(mcap);
  for (std::size_t i = 0; i < cap.size(); ++i) EXPECT_NEAR(cap[i], vn30.cap[i], 1e-12) << i;
}

// Tolerance of the sum: the feed's IndexValue is rounded to 0.01 (half of it) plus float error.
constexpr double kTolerance = 0.0051;

TEST(MarketOverviewDay, ContributionsSumToTheIndexChangeAllDay) {
  SimConfig cfg;
  cfg.keep_truth = false;
  cfg.vnindex_rest = 50;  // VNINDEX is not under test here; keep the day quick
  Simulator sim(cfg);
  core::EngineConfig ecfg;
  ecfg.vn30 = core::DefaultVn30Basket();
  core::MarketEngine engine(ecfg);
  feed::Decoder dec;
  feed::DecodeOutput out;
  SimFrame f;
  bool have = sim.Next(&f);
  int checked = 0, moved = 0;
  double worst = 0, biggest_change = 0;
  while (have) {
    const ExchangeTime second = f.time;
    bool vn30_frame = false;
    // Every frame of one exchange second first: the feed may send them in any order within it.
    while (have && f.time == second) {
      out.clear();
      ASSERT_TRUE(dec.Decode(f.text, out)) << f.text;
      for (const core::MarketEvent& e : out.events) engine.Apply(e);
      if (f.kind == core::Channel::kIndex && f.symbol == Symbol::Of("VN30")) vn30_frame = true;
      have = sim.Next(&f);
    }
    if (!vn30_frame) continue;
    const core::MarketOverview o = core::BuildMarketOverview(engine, {});
    ASSERT_TRUE(o.vn30.ready);
    ASSERT_EQ(o.vn30.unknown, 0);
    ++checked;
    if (std::abs(o.vn30.index_change) > 0.5) ++moved;
    biggest_change = std::max(biggest_change, std::abs(o.vn30.index_change));
    worst = std::max(worst, std::abs(o.vn30.residual));
    ASSERT_LE(std::abs(o.vn30.residual), kTolerance) << "at " << ToString(second.time) << ": change "
                                                     << o.vn30.index_change << ", sum " << o.vn30.sum_points;
  }
  EXPECT_GT(checked, 3000);  // an MI frame every 5 s from 08:45 to 15:00
  EXPECT_GT(moved, 100);     // the index did move
  RecordProperty("worst_residual", std::to_string(worst));
  std::printf("checked %d MI frames, largest |change| %.2f, worst |residual| %.6f points\n", checked,
              biggest_change, worst);
}

}  // namespace
}  // namespace vnt::sim
