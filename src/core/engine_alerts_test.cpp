#include <gtest/gtest.h>

#include "core/engine_test_util.h"

namespace vnt::core {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the shared fixtures of the engine tests

// ---------------------------------------------------------------------------------------------------------
// Alerts

TEST(EngineAlertTest, TheClosingAuctionIsNotAVolumeSpike) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  std::int64_t total = 0;
  for (int m = 0; m < 15; ++m) {  // 14:15 .. 14:29 continuous, 20,000 a minute
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(14, 15 + m, 0), 100, 20'000, total, m % 2 ? Side::kBuy : Side::kSell));
  }
  // 14:45: the ATC prints 300,000 (x15 a continuous minute), then the day goes on (PT, close).
  total += 300'000;
  eng.Apply(XTrade(kFpt, At(14, 45, 0), 101, 300'000, total, Side::kUnknown, Session::kAtc));
  eng.Apply(XTrade(kFpt, At(14, 46, 0), 101, 100, total + 100, Side::kUnknown, Session::kLo));
  EXPECT_EQ(sink.CountAlerts(AlertType::kVolumeSpike), 0);
  const auto& closed = eng.FindSymbol(kFpt)->candles.closed();
  ASSERT_FALSE(closed.empty());
  EXPECT_EQ(closed.back().auction_vol.raw(), 300'000);  // kept in the candle, just not compared
  EXPECT_EQ(closed.back().volume.raw(), 300'000);
}

TEST(EngineAlertTest, VolumeSpikeAfterTenMinutes) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  std::int64_t total = 0;
  for (int m = 0; m < 11; ++m) {
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 0), 100, 20'000, total, m % 2 ? Side::kBuy : Side::kSell));
  }
  EXPECT_EQ(sink.CountAlerts(AlertType::kVolumeSpike), 0);  // 10 closed, all average
  total += 100'000;
  eng.Apply(XTrade(kFpt, At(10, 11, 0), 100, 100'000, total, Side::kBuy));    // minute 11 open, 10 closed
  eng.Apply(XTrade(kFpt, At(10, 12, 0), 100, 100, total + 100, Side::kBuy));  // closes minute 11
  ASSERT_EQ(sink.CountAlerts(AlertType::kVolumeSpike), 1);
  for (const Alert& a : sink.alerts) {
    if (a.type != AlertType::kVolumeSpike) continue;
    EXPECT_EQ(a.value, 100'000);
    EXPECT_DOUBLE_EQ(a.threshold, 60'000);
    EXPECT_EQ(a.severity, Severity::kWarning);
    EXPECT_EQ(a.symbol, kFpt);
    // Structured: what was measured, in which unit, over which window, against which average.
    EXPECT_EQ(a.metric, "minute_volume");
    EXPECT_EQ(a.unit, AlertUnit::kShares);
    EXPECT_EQ(a.direction, Direction::kUp);
    EXPECT_EQ(a.window_sec, 60);
    ASSERT_EQ(a.n_details, 3);
    EXPECT_EQ(a.details[0].key, "average");
    EXPECT_DOUBLE_EQ(a.details[0].value, 20'000);
    EXPECT_EQ(a.details[1].key, "multiple");
    EXPECT_DOUBLE_EQ(a.details[1].value, 5);
    EXPECT_EQ(a.message,
              "FPT volume spike: 100,000 shares in one minute, x5 the average of the previous 10 minutes "
              "(20,000 shares)");
  }
}

TEST(EngineAlertTest, PriceBreakoutOncePerReach) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  auto t = XTrade(kFpt, At(10, 0, 0), 107, 100, 100);
  t.t.ceiling = Px(107);
  t.t.floor = Px(93);
  t.t.ref_price = Px(100);
  eng.Apply(t);
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 107, 100, 200));
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 107, 100, 300));
  ASSERT_EQ(sink.CountAlerts(AlertType::kPriceBreakout), 1);
  EXPECT_EQ(sink.alerts.back().severity, Severity::kCritical);
  EXPECT_DOUBLE_EQ(sink.alerts.back().threshold, 107);
  EXPECT_EQ(sink.alerts.back().direction, Direction::kUp);
  EXPECT_EQ(sink.alerts.back().unit, AlertUnit::kVnd);
  EXPECT_EQ(sink.alerts.back().metric, "last_price");
  eng.Apply(XTrade(kFpt, At(10, 5, 0), 93, 100, 400));
  EXPECT_EQ(sink.CountAlerts(AlertType::kPriceBreakout), 2);
  EXPECT_NEAR(eng.FindSymbol(kFpt)->change_pct(), -7.0, 1e-12);
}

TEST(EngineAlertTest, BasisDivergenceHasHysteresis) {
  EngineConfig cfg = Config();
  cfg.alerts.builtin_cooldown_sec = 0;  // only the hysteresis may prevent flapping here
  cfg.alerts.basis_hold_sec = 0;
  MarketEngine eng(cfg);
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(Mi("VN30", At(10, 0, 0), 1300.0));
  eng.Apply(XTrade(kF1, At(10, 0, 1), 1301.0, 1, 1));  // premium +1 established (no alert)
  int sec = 2;
  for (double spot : {1301.2, 1300.8, 1301.4, 1300.9, 1301.3, 1301.0, 1301.45}) {  // basis within +-0.5
    eng.Apply(Mi("VN30", At(10, 0, sec++), spot));
  }
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 0);
  eng.Apply(Mi("VN30", At(10, 0, sec++), 1301.6));  // basis -0.6: discount
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 1);
  for (double spot : {1300.6, 1301.2, 1300.7}) eng.Apply(Mi("VN30", At(10, 0, sec++), spot));  // +0.4..-0.2
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 1);
  eng.Apply(Mi("VN30", At(10, 0, sec++), 1300.5));  // +0.5: premium again
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 2);
  EXPECT_EQ(sink.alerts.back().symbol, kF1);
}

// Flips alternate (an alert never repeats the previous direction), are reported once the new regime held
// basis_hold_sec, and not before the index moved in the continuous session (the ATO index is frozen).
TEST(EngineAlertTest, BasisFlipsAlternateHoldAndWaitForTheContinuousIndex) {
  MarketEngine eng(Config());  // basis_hold_sec 30, band 0.5
  RecordingSink sink;
  eng.AddSink(&sink);
  const auto mi = [&](int m, int s, double v, Session ses = Session::kLo) {
    eng.Apply(Mi("VN30", At(9, m, s), v, 1300.0, ses));
  };
  const auto fut = [&](int m, int s, double p) {
    static std::int64_t total = 0;
    total += 1;
    eng.Apply(XTrade(kF1, At(9, m, s), p, 1, total + 1000));
  };
  mi(14, 0, 1300.0, Session::kAto);  // yesterday's close, frozen
  fut(14, 30, 1310.0);               // +10 against a frozen index: no regime to report from
  mi(15, 0, 1300.0);                 // continuous, not moved yet
  fut(15, 2, 1290.0);
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 0);
  mi(15, 5, 1301.0);  // moved: basis 1290 - 1301 = -11, the starting regime (discount), not a flip
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 0);
  fut(15, 10, 1302.0);  // premium +1: pending
  mi(15, 20, 1301.0);
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 0);  // held 10 s only
  fut(15, 25, 1300.2);  // discount again before it held: nothing happened
  fut(15, 30, 1302.0);  // premium, pending from 09:15:30
  mi(16, 5, 1301.0);    // held 35 s
  ASSERT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 1);
  EXPECT_GT(sink.alerts.back().value, 0);
  fut(16, 10, 1300.0);  // discount
  mi(16, 45, 1301.0);
  ASSERT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 2);
  EXPECT_LT(sink.alerts.back().value, 0);  // alternates
  EXPECT_NE(sink.alerts.back().message.find("VN30F1M"), std::string::npos) << sink.alerts.back().message;
  EXPECT_EQ(sink.alerts.back().alias, "VN30F1M");
  EXPECT_FALSE(sink.alerts.back().contract.empty());
  EXPECT_EQ(sink.alerts.back().direction, Direction::kDown);
  EXPECT_EQ(sink.alerts.back().unit, AlertUnit::kPoints);
}

TEST(EngineAlertTest, BasisDivergenceOnlyForFrontContractByDefault) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(Mi("VN30", At(10, 0, 0), 1300.0));
  eng.Apply(XTrade(kF2, At(10, 0, 1), 1302.0, 1, 1));  // back month: premium +2
  eng.Apply(Mi("VN30", At(10, 5, 0), 1304.0));         // its stale price now shows a discount
  EXPECT_EQ(eng.FindContract("VN30F2M")->basis, Px(-2.0));
  EXPECT_EQ(sink.CountAlerts(AlertType::kBasisDivergence), 0);

  EngineConfig cfg = Config();
  cfg.alerts.basis_front_only = false;
  cfg.alerts.basis_hold_sec = 0;
  MarketEngine all(cfg);
  RecordingSink sink2;
  all.AddSink(&sink2);
  all.Apply(Mi("VN30", At(10, 0, 0), 1300.0));
  all.Apply(XTrade(kF2, At(10, 0, 1), 1302.0, 1, 1));
  all.Apply(Mi("VN30", At(10, 5, 0), 1304.0));
  EXPECT_EQ(sink2.CountAlerts(AlertType::kBasisDivergence), 1);
}

TEST(EngineAlertTest, UserRuleWithCooldownInExchangeTime) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  AlertRule r;
  r.metric = Metric::kLastPrice;
  r.symbol = "fpt";
  r.comparison = Comparison::kGe;
  r.threshold = 100;
  r.cooldown_sec = 60;
  r.name = "FPT above 100";
  const auto id = eng.AddRule(r);
  ASSERT_TRUE(id);
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 99, 100, 100));
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 0);
  eng.Apply(XTrade(kFpt, At(10, 0, 10), 100, 100, 200));
  eng.Apply(XTrade(kFpt, At(10, 0, 40), 101, 100, 300));  // within cooldown
  eng.Apply(XTrade(kVnm, At(10, 0, 41), 150, 100, 100));  // other symbol: rule is for FPT
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 1);
  eng.Apply(XTrade(kFpt, At(10, 1, 10), 102, 100, 400));  // cooldown over
  ASSERT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);
  EXPECT_EQ(sink.alerts.back().rule_id, *id);
  EXPECT_EQ(sink.alerts.back().rule_name, "FPT above 100");
  EXPECT_EQ(sink.alerts.back().comparison, ">=");
  EXPECT_EQ(sink.alerts.back().unit, AlertUnit::kVnd);
  EXPECT_DOUBLE_EQ(sink.alerts.back().value, 102);
  EXPECT_EQ(sink.alerts.back().time, At(10, 1, 10));
  // Disabled: silent.
  r.id = *id;
  r.enabled = false;
  ASSERT_TRUE(eng.UpdateRule(r));
  eng.Apply(XTrade(kFpt, At(10, 5, 0), 103, 100, 500));
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);
  EXPECT_TRUE(eng.RemoveRule(*id));
  EXPECT_TRUE(eng.Rules().empty());
}

TEST(EngineAlertTest, WildcardRuleOnBasisAndIndexRules) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  AlertRule basis;
  basis.metric = Metric::kBasis;
  basis.symbol = "VN30F1M";
  basis.comparison = Comparison::kLt;
  basis.threshold = -3;
  ASSERT_TRUE(eng.AddRule(basis).ok());
  AlertRule adv;
  adv.metric = Metric::kAdvances;
  adv.symbol = "*";
  adv.comparison = Comparison::kGt;
  adv.threshold = 20;
  ASSERT_TRUE(eng.AddRule(adv).ok());
  eng.Apply(XTrade(kF1, At(10, 0, 0), 1295.0, 1, 1));
  eng.Apply(Mi("VN30", At(10, 0, 1), 1297.0));  // basis -2
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 0);
  auto e = Mi("VN30", At(10, 0, 2), 1299.0);  // basis -4, and 25 advances
  e.advances = 25;
  eng.Apply(e);
  ASSERT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);
  EXPECT_EQ(sink.alerts[0].symbol, kF1);
  EXPECT_EQ(sink.alerts[1].symbol, Symbol::Of("VN30"));
}

TEST(EngineAlertTest, CrossingRuleFiresOncePerCrossingOfTheLevel) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  AlertRule r;
  r.metric = Metric::kLastPrice;
  r.symbol = "FPT";
  r.comparison = Comparison::kCrossesAbove;
  r.threshold = 100'000;
  r.cooldown_sec = 0;
  ASSERT_TRUE(eng.AddRule(r));
  std::int64_t total = 0;
  int sec = 0;
  const auto trade = [&](double px) {
    total += 100;
    eng.Apply(XTrade(kFpt, At(10, 0, sec++), px, 100, total));
  };
  trade(99'000);
  trade(100'000);  // crossed
  trade(100'500);
  trade(101'000);  // above on every tick: still one
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 1);
  trade(99'950);  // within the 0.1 % hysteresis
  trade(100'100);
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 1);
  trade(99'800);
  trade(100'000);  // a real second crossing
  ASSERT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);
  EXPECT_EQ(sink.alerts.back().comparison, "crosses_above");
  EXPECT_EQ(sink.alerts.back().direction, Direction::kUp);
}

TEST(EngineAlertTest, VolumeMultipleAndWindowedActiveBuyRatioRules) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  AlertRule mult;
  mult.metric = Metric::kVolumeMultiple;
  mult.symbol = "FPT";
  mult.comparison = Comparison::kGe;
  mult.threshold = 3;
  ASSERT_TRUE(eng.AddRule(mult));
  AlertRule ratio;
  ratio.metric = Metric::kActiveBuyRatioWindow;
  ratio.symbol = "FPT";
  ratio.comparison = Comparison::kGe;
  ratio.threshold = 90;
  ratio.window_min = 2;
  ratio.frequency = Frequency::kOnce;
  ASSERT_TRUE(eng.AddRule(ratio));
  std::int64_t total = 0;
  for (int m = 0; m < 11; ++m) {
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 0), 100, 20'000, total, m % 2 ? Side::kBuy : Side::kSell));
  }
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 0);
  total += 80'000;
  eng.Apply(XTrade(kFpt, At(10, 11, 0), 100, 80'000, total, Side::kBuy));
  total += 100;
  eng.Apply(XTrade(kFpt, At(10, 12, 0), 100, 100, total, Side::kBuy));  // closes 10:11: x4, and all buying
  ASSERT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);
  bool saw_mult = false, saw_ratio = false;
  for (const Alert& a : sink.alerts) {
    if (a.metric == "volume_multiple") {
      saw_mult = true;
      EXPECT_DOUBLE_EQ(a.value, 4);
      EXPECT_EQ(a.unit, AlertUnit::kMultiple);
    }
    if (a.metric == "active_buy_ratio_window") {
      saw_ratio = true;
      EXPECT_EQ(a.window_sec, 120);
      EXPECT_GE(a.value, 90);
    }
  }
  EXPECT_TRUE(saw_mult && saw_ratio);
  total += 100;
  eng.Apply(XTrade(kFpt, At(10, 12, 30), 100, 100, total, Side::kBuy));
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);  // the ratio rule is `once`, the multiple in cooldown
}

TEST(EngineAlertTest, ImbalanceExtremeAndVelocityDivergence) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  // Five minutes of heavy active selling while the price climbs: both alerts.
  std::int64_t total = 0;
  double price = 100;
  for (int m = 0; m < 5; ++m) {
    price += 1;
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 0), price, 20'000, total, Side::kSell));
  }
  eng.Apply(XTrade(kFpt, At(10, 5, 0), price, 10, total + 10, Side::kSell));  // closes 10:04
  // Only once the 5-minute window is covered (at the close of 10:04), and once per window.
  EXPECT_EQ(sink.CountAlerts(AlertType::kImbalanceExtreme), 1);
  EXPECT_EQ(sink.CountAlerts(AlertType::kVelocityDivergence), 1);
  for (const Alert& a : sink.alerts) {
    if (a.type == AlertType::kImbalanceExtreme) {
      EXPECT_DOUBLE_EQ(a.value, 0.0);
    }
    if (a.type == AlertType::kVelocityDivergence) {
      EXPECT_NEAR(a.value, 4.0 / 101.0 * 100.0, 1e-9);  // 101 -> 105 over the window
    }
  }
  for (int m = 6; m < 9; ++m) {
    price += 1;
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 0), price, 20'000, total, Side::kSell));
  }
  EXPECT_EQ(sink.CountAlerts(AlertType::kVelocityDivergence), 1);  // still inside the 5-minute cooldown
}

TEST(EngineAlertTest, BalancedFlowRaisesNoFlowAlerts) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  std::int64_t total = 0;
  for (int m = 0; m < 8; ++m) {
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 0), 100 + m, 20'000, total, Side::kBuy));
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 30), 100 + m, 20'000, total, Side::kSell));
  }
  EXPECT_EQ(sink.CountAlerts(AlertType::kImbalanceExtreme), 0);
  EXPECT_EQ(sink.CountAlerts(AlertType::kVelocityDivergence), 0);
}

}  // namespace
}  // namespace vnt::core
