#include "core/market_overview.h"

#include <gtest/gtest.h>

#include <numeric>

#include "core/engine_test_util.h"

namespace vnt::core {
namespace {

using engine_test::At;
using engine_test::kFpt;
using engine_test::kHpg;
using engine_test::kSsi;
using engine_test::kVnm;
using engine_test::Px;

TEST(CapFactors, OnlyTheStocksAboveTheCapAreScaledDown) {
  // Ten stocks of 1 and one of 10: uncapped the big one weighs 50 %.
  std::vector<double> mcap(10, 1.0);
  mcap.push_back(10.0);
  const std::vector<double> f = CapFactors(mcap, 0.10);
  ASSERT_EQ(f.size(), 11u);
  double total = 0;
  for (std::size_t i = 0; i < f.size(); ++i) total += mcap[i] * f[i];
  EXPECT_NEAR(mcap[10] * f[10] / total, 0.10, 1e-12);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(f[i], 1.0);
    EXPECT_NEAR(mcap[i] * f[i] / total, 0.09, 1e-12);
  }
  // A cap that cannot bind (3 stocks x 10 % < 100 %) and an empty input leave every factor at 1.
  EXPECT_EQ(CapFactors({1, 2, 3}, 0.10), (std::vector<double>{1, 1, 1}));
  EXPECT_TRUE(CapFactors({}, 0.10).empty());
}

TEST(CapFactors, CappingCascades) {
  // Two big names above the cap; once they are capped a third one rises above it too.
  std::vector<double> mcap = {30, 25, 9, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
  const std::vector<double> f = CapFactors(mcap, 0.10);
  double total = 0;
  for (std::size_t i = 0; i < f.size(); ++i) total += mcap[i] * f[i];
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_LE(mcap[i] * f[i] / total, 0.10 + 1e-12) << i;
  EXPECT_NEAR(mcap[2] * f[2] / total, 0.10, 1e-12);
  EXPECT_LT(f[2], 1.0);
  EXPECT_EQ(f[3], 1.0);
}

TEST(Contributions, PointsFollowTheFormulaAndSumToTheRebuiltIndex) {
  const std::vector<IndexWeight> w = {
      {Symbol::Of("AAA"), 1000, 0.5}, {Symbol::Of("BBB"), 2000, 1.0}, {Symbol::Of("CCC"), 500, 0.2}};
  // M = 20,000x500 = 1e7, 10,000x2,000 = 2e7, 50,000x100 = 5e6 (no cap: cap 1) -> weights 2/7, 4/7, 1/7.
  const std::vector<ConstituentQuote> q = {{Symbol::Of("AAA"), Px(20000), Px(21000)},
                                           {Symbol::Of("BBB"), Px(10000), Px(9900)},
                                           {Symbol::Of("CCC"), Px(50000), Price{}},   // not traded
                                           {Symbol::Of("ZZZ"), Px(1000), Px(1100)}};  // no weight
  const double i0 = 1000.0;
  const double rebuilt = i0 * (2.0 / 7 * 21000 / 20000 + 4.0 / 7 * 9900 / 10000 + 1.0 / 7);
  const Price value = Px(std::round(rebuilt * 100) / 100);
  const ContributionReport r = ComputeContributions(w, q, Px(i0), value, 1.0);
  ASSERT_EQ(r.items.size(), 4u);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(r.unknown, 1);
  EXPECT_FALSE(r.items[3].known);
  EXPECT_NEAR(r.items[0].weight, 2.0 / 7, 1e-12);
  EXPECT_NEAR(r.items[0].points, i0 * 2.0 / 7 * 0.05, 1e-9);   // +14.2857
  EXPECT_NEAR(r.items[1].points, i0 * 4.0 / 7 * -0.01, 1e-9);  // -5.7143
  EXPECT_EQ(r.items[2].points, 0.0);
  EXPECT_NEAR(r.items[0].change_pct, 5.0, 1e-12);
  EXPECT_NEAR(r.sum_points, rebuilt - i0, 1e-9);
  EXPECT_NEAR(r.index_change, value.ToDouble() - i0, 1e-12);
  EXPECT_LE(std::abs(r.residual), 0.005 + 1e-9);  // the feed's index is rounded to 0.01
}

TEST(Contributions, NotReadyWithoutTheIndex) {
  const ContributionReport r =
      ComputeContributions(DefaultVn30Weights(), {{kFpt, Px(100000), Px(101000)}}, Price{}, Price{});
  EXPECT_FALSE(r.ready);
  ASSERT_TRUE(r.items[0].known);
  EXPECT_EQ(r.items[0].weight, 1.0);
  EXPECT_EQ(r.residual, 0.0);
}

TEST(Contributions, TheDefaultWeightsCoverTheBasketAndRespectTheCap) {
  ASSERT_EQ(DefaultVn30Weights().size(), DefaultVn30Basket().size());
  std::vector<ConstituentQuote> q;
  for (std::size_t i = 0; i < DefaultVn30Basket().size(); ++i) {
    EXPECT_EQ(DefaultVn30Weights()[i].symbol, DefaultVn30Basket()[i]);
    q.push_back({DefaultVn30Basket()[i], Px(20000), Price{}});
  }
  const ContributionReport r = ComputeContributions(DefaultVn30Weights(), q, Px(1800), Px(1800));
  EXPECT_EQ(r.unknown, 0);
  double sum = 0;
  for (const Contribution& c : r.items) {
    EXPECT_LE(c.weight, kVn30WeightCap + 1e-12) << c.symbol.view();
    sum += c.weight;
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

core::TradeEvent Trade(Symbol sym, ExchangeTime t, double ref, double price, std::int64_t vol,
                       std::int64_t total, Session session = Session::kLo) {
  core::TradeEvent e = engine_test::XTrade(sym, t, price, vol, total, Side::kBuy, session);
  e.t.ref_price = Px(ref);
  return e;
}

TEST(MarketOverview, TilesContributionsPutThroughAndBreadthFromTheEngine) {
  MarketEngine engine(engine_test::Config());  // basket FPT, VNM, HPG, SSI
  const std::vector<IndexWeight> w = {
      {kFpt, 1000, 1.0}, {kVnm, 1000, 1.0}, {kHpg, 2000, 0.5}, {kSsi, 1000, 1.0}};
  engine.Apply(Trade(kFpt, At(10, 0, 0), 100000, 102000, 1000, 1000));
  engine.Apply(Trade(kVnm, At(10, 0, 1), 60000, 59400, 500, 500));
  engine.Apply(Trade(kHpg, At(10, 0, 2), 25000, 25000, 2000, 2000));
  engine.Apply(engine_test::R(kFpt, At(10, 0, 3), 300, 100, 30'600'000, 10'200'000));
  // SSI: only its reference so far.
  core::SnapshotEvent ref;
  ref.h = engine_test::Hdr(core::Channel::kSnapshot, kSsi, At(10, 0, 3), Session::kLo);
  ref.t.ref_price = Px(30000);
  engine.Apply(ref);
  // A put-through deal of VNM in the PT session: neutral, its own bucket, not the last price.
  engine.Apply(Trade(kVnm, At(14, 50, 0), 60000, 61000, 50000, 50500, Session::kPt));
  core::IndexEvent vn30 = engine_test::Mi("VN30", At(14, 50, 1), 1000, 1000);
  core::IndexEvent vni = engine_test::Mi("VNINDEX", At(14, 50, 1), 1200, 1190);
  vni.advances = 150;
  vni.declines = 200;
  vni.no_changes = 50;
  vni.ceilings = 3;
  vni.floors = 1;
  engine.Apply(vni);

  // Contributions before the VN30 index is known: weights, no points.
  MarketOverview o = BuildMarketOverview(engine, {}, w);
  EXPECT_FALSE(o.vn30.ready);
  ASSERT_EQ(o.tiles.size(), 4u);
  EXPECT_FALSE(o.tiles[0].contribution.has_value());

  // M: FPT 1e8, VNM 6e7, HPG 2.5e7, SSI 3e7 (cap 10 % cannot bind with 4 stocks) -> total 2.15e8.
  const double fpt_pts = 1000 * (1e8 / 2.15e8) * 0.02, vnm_pts = 1000 * (6e7 / 2.15e8) * -0.01;
  vn30.value = Px(std::round((1000 + fpt_pts + vnm_pts) * 100) / 100);
  engine.Apply(vn30);
  o = BuildMarketOverview(engine, {}, w);
  ASSERT_TRUE(o.vn30.ready);
  EXPECT_EQ(o.tiles[0].symbol, kFpt);
  EXPECT_TRUE(o.tiles[0].traded);
  EXPECT_EQ(o.tiles[0].last, Px(102000));
  EXPECT_NEAR(o.tiles[0].change_pct, 2.0, 1e-12);
  EXPECT_EQ(o.tiles[0].value.raw(), 102'000'000);
  EXPECT_TRUE(o.tiles[0].has_foreign);
  EXPECT_EQ(o.tiles[0].foreign_net_vol.raw(), 200);
  EXPECT_EQ(o.tiles[0].foreign_net_val.raw(), 20'400'000);
  ASSERT_TRUE(o.tiles[0].contribution.has_value());
  EXPECT_NEAR(*o.tiles[0].contribution, fpt_pts, 1e-9);
  EXPECT_NEAR(*o.tiles[1].contribution, vnm_pts, 1e-9);  // the deal at 61,000 does not count
  EXPECT_EQ(o.tiles[1].last, Px(59400));
  EXPECT_EQ(*o.tiles[2].contribution, 0.0);
  EXPECT_FALSE(o.tiles[3].traded);  // SSI: the reference stands in
  EXPECT_EQ(o.tiles[3].last, Px(30000));
  EXPECT_EQ(*o.tiles[3].contribution, 0.0);
  EXPECT_LE(std::abs(o.vn30.residual), 0.005 + 1e-9);
  EXPECT_NEAR(o.vn30.sum_points + o.vn30.residual, o.vn30.index_change, 1e-12);

  ASSERT_EQ(o.put_through.size(), 1u);
  EXPECT_EQ(o.put_through[0].symbol, kVnm);
  EXPECT_EQ(o.put_through[0].volume.raw(), 50000);
  EXPECT_EQ(o.put_through[0].value.raw(), 3'050'000'000);
  EXPECT_EQ(o.put_through[0].deals, 1);
  EXPECT_EQ(o.put_through[0].average, Px(61000));
  EXPECT_EQ(o.put_through_val.raw(), 3'050'000'000);

  ASSERT_NE(o.vnindex, nullptr);
  EXPECT_EQ(o.vnindex->advances, 150);
  EXPECT_EQ(o.vnindex->declines, 200);
  EXPECT_EQ(o.vnindex->ceilings, 3);
}

}  // namespace
}  // namespace vnt::core
