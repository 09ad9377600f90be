#include <gtest/gtest.h>

#include "core/engine_test_util.h"

namespace vnt::core {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the shared fixtures of the engine tests

// ---------------------------------------------------------------------------------------------------------
// Futures

TEST(EngineFuturesTest, OneContractOneStateWhateverTheSpellingAndItsBaselineKept) {
  MarketEngine eng(Config());
  // Joined mid-session: 115,000 contracts had traded; then frames arrive under both spellings.
  eng.Apply(XTrade(Symbol::Of("41I1G3000"), At(10, 0, 0), 1290.0, 5, 115'000));
  eng.Apply(XTrade(Symbol::Of("VN30F2603"), At(10, 0, 1), 1290.5, 5, 115'005));
  eng.Apply(XTrade(Symbol::Of("41I1G3000"), At(10, 0, 2), 1291.0, 5, 115'010));
  eng.Apply(XTrade(Symbol::Of("VN30F2603"), At(10, 0, 2), 1291.0, 5, 115'010));  // the same trade again
  const FuturesState* f = eng.FindContract("VN30F1M");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(eng.FindSymbol(Symbol::Of("41I1G3000")), eng.FindSymbol(Symbol::Of("VN30F2603")));
  EXPECT_EQ(f->volume.raw(), 15);  // two states kept two cursors and counted the trades of both spellings
  EXPECT_EQ(f->active_buy_vol + f->active_sell_vol + f->neutral_vol, f->volume);
  EXPECT_EQ(f->baseline_vol.raw(), 114'995);
  EXPECT_EQ(f->feed_total_vol.raw(), 115'010);
  EXPECT_EQ(f->volume, f->feed_total_vol - f->baseline_vol);
}

TEST(EngineFuturesTest, KrxCodeRoutesToContractAndBasisFollowsBothLegs) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(Mi("VN30", At(10, 0, 0), 1285.0, 1280.0));
  eng.Apply(XTrade(kF1, At(10, 0, 1), 1290.0, 5, 5));
  const SymbolState* s = eng.FindSymbol(kF1);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->kind, SymbolKind::kFutures);
  const FuturesState* f = eng.FindContract("VN30F1M");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f, eng.FindContract("41I1G3000"));
  EXPECT_EQ(f, eng.FindContract("VN30F2603"));
  EXPECT_TRUE(f->front);
  EXPECT_EQ(f->contract.legacy_code, Symbol::Of("VN30F2603"));
  EXPECT_TRUE(f->has_basis);
  EXPECT_EQ(f->basis, Px(5.0));  // on the futures trade
  EXPECT_NEAR(f->basis_pct, 5.0 / 1285.0 * 100, 1e-12);
  const int changes = sink.futures_changes;
  eng.Apply(Mi("vn30", At(10, 0, 30), 1288.0, 1280.0));  // index moves, futures does not trade
  EXPECT_EQ(f->basis, Px(2.0));
  EXPECT_GT(sink.futures_changes, changes);
  EXPECT_EQ(f->volume.raw(), 5);
  eng.Apply(XTrade(kF1, At(10, 1, 0), 1287.5, 2, 7));
  EXPECT_EQ(f->basis, Px(-0.5));
  EXPECT_EQ(f->volume.raw(), 7);
  EXPECT_EQ(f->history.size(), 2u);  // one point per minute
  // The contract's aggressor split, kept with its volume: 5 at 1290 (first print, no side: neutral), 2 at
  // 1287.5 (no side, below the last: the tick rule says sell), then 3 bought and 4 sold by exchange side.
  eng.Apply(XTrade(kF1, At(10, 1, 5), 1288.0, 3, 10, Side::kBuy));
  eng.Apply(XTrade(kF1, At(10, 1, 9), 1287.0, 4, 14, Side::kSell));
  EXPECT_EQ(f->active_buy_vol.raw(), 3);
  EXPECT_EQ(f->active_sell_vol.raw(), 2 + 4);
  EXPECT_EQ(f->neutral_vol.raw(), 5);
  EXPECT_EQ(f->active_buy_vol + f->active_sell_vol + f->neutral_vol, f->volume);
  EXPECT_EQ(f->active_buy_vol, s->total.buy_vol);
}

TEST(EngineFuturesTest, ListedContractsAndDaysToExpiryAndFairBasis) {
  EngineConfig cfg = Config();
  cfg.carry_rate = 0.05;
  cfg.dividend_yield = 0.01;
  MarketEngine eng(cfg);
  eng.Apply(Mi("VN30", At(10, 0, 0), 1300.0));
  ASSERT_GE(eng.futures().size(), 4u);
  EXPECT_EQ(eng.futures()[0].alias, ContractAlias::k1M);
  EXPECT_EQ(eng.futures()[1].contract.krx_code, kF2);
  EXPECT_EQ(eng.futures()[0].days_to_expiry, 9);  // 2026-03-10 -> 2026-03-19
  eng.Apply(XTrade(kF1, At(10, 0, 1), 1302.0, 1, 1));
  const FuturesState* f = eng.FrontContract();
  ASSERT_NE(f, nullptr);
  EXPECT_NEAR(f->fair_basis, 1300.0 * (std::exp(0.04 * 9 / 365.0) - 1.0), 1e-9);
  EXPECT_NEAR(f->basis_minus_fair, 2.0 - f->fair_basis, 1e-9);
}

TEST(EngineFuturesTest, ConvergenceSlopeAndProjection) {
  MarketEngine eng(Config());
  // Basis shrinks by 0.2 points per minute with the index flat.
  for (int m = 0; m < 10; ++m) {
    eng.Apply(Mi("VN30", At(10, m, 0), 1300.0));
    eng.Apply(XTrade(kF1, At(10, m, 1), 1310.0 - 0.2 * m, 1, m + 1));
  }
  const FuturesState* f = eng.FrontContract();
  ASSERT_TRUE(f->slope_per_min);
  EXPECT_NEAR(*f->slope_per_min, -0.2, 1e-6);
  // 10:09:01 is 84 + 1/60 trading minutes in; 2026-03-11..19 holds 7 business days.
  const double left = 270 - (84 + 1.0 / 60) + 7 * 270;
  EXPECT_NEAR(f->trading_minutes_left, left, 1e-9);
  EXPECT_FALSE(f->projected_basis_at_expiry);  // 7 trading days away: beyond the one-day horizon
  EXPECT_NEAR(*f->required_slope_per_min, -f->basis.ToDouble() / left, 1e-9);
}

TEST(EngineFuturesTest, OverridePinsFrontContract) {
  for (const char* pin : {"VN30F2604", "41I1G4000", "VN30F2M", "vn30f2m", "VN30F2001, VN30F2604,VN30F2603"}) {
    EngineConfig cfg = Config();
    cfg.futures_override = pin;
    MarketEngine eng(cfg);
    eng.Apply(Mi("VN30", At(10, 0, 0), 1300.0));
    ASSERT_NE(eng.FrontContract(), nullptr) << pin;
    EXPECT_EQ(eng.FrontContract()->contract.krx_code, kF2) << pin;
    EXPECT_FALSE(eng.futures_override_unresolved());
    EXPECT_FALSE(eng.FindContract("VN30F1M")->front);
  }
  EngineConfig cfg = Config();
  cfg.futures_override = "VN30F2001";  // long expired
  MarketEngine eng(cfg);
  eng.Apply(Mi("VN30", At(10, 0, 0), 1300.0));
  EXPECT_TRUE(eng.futures_override_unresolved());
  EXPECT_EQ(eng.FrontContract()->contract.krx_code, kF1);
}

TEST(EngineFuturesTest, AnExpiryPastTheHolidayDataIsFlagged) {
  const auto cal = HolidayCalendar::Parse("covers 2026-01-01 2026-06-30\n");
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  MarketEngine eng(Config(), *cal);
  eng.Apply(XTrade(Symbol::Of("VN30F2606"), At(10, 0, 0), 1300.0, 1, 1));
  eng.Apply(XTrade(Symbol::Of("VN30F2609"), At(10, 0, 1), 1300.0, 1, 1));
  EXPECT_TRUE(eng.FindContract("VN30F2606")->expiry_calendar_covered);
  EXPECT_FALSE(eng.FindContract("VN30F2609")->expiry_calendar_covered);
}

TEST(EngineFuturesTest, LegacyCodeFeedsTheSameContract) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kF1, At(10, 0, 0), 1300.0, 2, 2));
  eng.Apply(XTrade(Symbol::Of("VN30F2603"), At(10, 0, 1), 1301.0, 1, 3));
  EXPECT_EQ(eng.FindContract("VN30F1M")->volume.raw(),
            3);  // one TotalVol for the contract, whatever the code
  EXPECT_EQ(eng.FindContract("VN30F1M")->last, Px(1301.0));
}

}  // namespace
}  // namespace vnt::core
