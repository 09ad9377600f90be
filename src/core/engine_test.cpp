#include <gtest/gtest.h>

#include "core/engine_test_util.h"

namespace vnt::core {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the shared fixtures of the engine tests

// ---------------------------------------------------------------------------------------------------------
// Foreign flow

TEST(EngineForeignTest, TotalsTopListsAndRoom) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(R(kFpt, At(10, 0, 0), 1000, 200, 100'000'000, 20'000'000));  // net +80m
  eng.Apply(R(kVnm, At(10, 0, 0), 100, 900, 6'000'000, 54'000'000));     // net -48m
  eng.Apply(R(kHpg, At(10, 0, 0), 500, 500, 12'500'000, 12'500'000));    // flat
  auto ssi = R(kSsi, At(10, 0, 0), 300, 100, 9'000'000, 3'000'000);      // net +6m
  ssi.total_room = Volume{1'000'000};
  ssi.current_room = Volume{250'000};
  eng.Apply(ssi);
  eng.Apply(R(Symbol::Of("ZZZ"), At(10, 0, 0), 0, 5000, 0, 500'000'000));  // not VN30
  EXPECT_EQ(sink.foreign_changes, 5);

  const ForeignTotals t = eng.Vn30ForeignTotals();
  EXPECT_EQ(t.symbols, 4);
  EXPECT_EQ(t.buy_vol.raw(), 1900);
  EXPECT_EQ(t.sell_vol.raw(), 1700);
  EXPECT_EQ(t.net_val().raw(), 80'000'000 - 48'000'000 + 6'000'000);
  EXPECT_EQ(t.net_speed_val, 0);  // first frames are baselines

  const auto buyers = eng.TopForeignBuyers(5);
  ASSERT_EQ(buyers.size(), 2u);  // only net buyers, even when fewer than n
  EXPECT_EQ(buyers[0].symbol, kFpt);
  EXPECT_EQ(buyers[1].symbol, kSsi);
  const auto sellers = eng.TopForeignSellers(5);
  ASSERT_EQ(sellers.size(), 1u);  // ZZZ is not in the VN30 universe
  EXPECT_EQ(sellers[0].symbol, kVnm);
  EXPECT_EQ(eng.TopForeignBuyers(1).size(), 1u);

  const ForeignState& f = eng.FindSymbol(kSsi)->foreign.state();
  EXPECT_DOUBLE_EQ(*f.room_used_pct(), 75.0);

  // Speed after two minutes of flow.
  eng.Apply(R(kFpt, At(10, 2, 0), 3000, 200, 300'000'000, 20'000'000));
  EXPECT_DOUBLE_EQ(eng.FindSymbol(kFpt)->foreign.state().buy_speed_vol, 1000.0);
}

TEST(EngineForeignTest, Vn30SeriesOnePointPerMinuteOfTheBasketTotals) {
  MarketEngine eng(Config());
  EXPECT_TRUE(eng.Vn30ForeignSeries().empty());
  eng.Apply(R(kFpt, At(10, 0, 5), 1000, 200, 100'000'000, 20'000'000));
  eng.Apply(R(kVnm, At(10, 0, 30), 100, 900, 6'000'000, 54'000'000));  // same minute: the point is updated
  eng.Apply(R(Symbol::Of("ZZZ"), At(10, 0, 40), 0, 5000, 0, 500'000'000));  // not VN30: no point, not summed
  eng.Apply(R(kFpt, At(10, 2, 0), 3000, 200, 300'000'000, 20'000'000));
  eng.Apply(R(kVnm, At(10, 1, 59), 200, 900, 12'000'000, 54'000'000));  // late frame: updates the last point
  const auto& series = eng.Vn30ForeignSeries();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].minute, 10 * 3600);
  EXPECT_EQ(series[0].buy_vol.raw(), 1100);
  EXPECT_EQ(series[0].sell_vol.raw(), 1100);
  EXPECT_EQ(series[0].buy_val.raw(), 106'000'000);
  EXPECT_EQ(series[1].minute, 10 * 3600 + 120);
  EXPECT_EQ(series[1].buy_vol.raw(), 3200);
  EXPECT_EQ(series[1].buy_val.raw(), 312'000'000);
  const ForeignTotals t = eng.Vn30ForeignTotals();
  EXPECT_EQ(series.back().buy_vol, t.buy_vol);  // the last point is the current total
  EXPECT_EQ(series.back().sell_val, t.sell_val);
  // A new trading day starts an empty series.
  eng.Apply(R(kFpt, ExchangeTime{Date::Of(2026, 3, 11), TimeOfDay::Of(9, 15, 0)}, 10, 0, 1'000'000, 0));
  ASSERT_EQ(eng.Vn30ForeignSeries().size(), 1u);
  EXPECT_EQ(eng.Vn30ForeignSeries()[0].buy_vol.raw(), 10);
}

TEST(EngineForeignTest, AllSymbolsUniverseAndSellerNeverABuyer) {
  EngineConfig cfg = Config();
  cfg.foreign_top_vn30_only = false;
  MarketEngine eng(cfg);
  eng.Apply(R(kVnm, At(10, 0, 0), 100, 900, 6'000'000, 54'000'000));
  eng.Apply(R(Symbol::Of("ZZZ"), At(10, 0, 0), 0, 5000, 0, 500'000'000));
  EXPECT_TRUE(eng.TopForeignBuyers(5).empty());
  const auto sellers = eng.TopForeignSellers(5);
  ASSERT_EQ(sellers.size(), 2u);
  EXPECT_EQ(sellers[0].symbol, Symbol::Of("ZZZ"));
}

TEST(EngineForeignTest, AccelerationAlert) {
  EngineConfig cfg = Config();
  cfg.alerts.foreign_accel_threshold_val = 1e9;
  MarketEngine eng(cfg);
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(R(kFpt, At(10, 0, 0), 0, 0, 0, 0));
  eng.Apply(
      R(kFpt, At(10, 1, 0), 10'000, 0, 500'000'000, 0));  // 0.5 bn/min per min: below (HOSE: 50,000 VND)
  EXPECT_EQ(sink.CountAlerts(AlertType::kForeignAcceleration), 0);
  eng.Apply(R(kFpt, At(10, 2, 0), 100'000, 0, 5'000'000'000, 0));  // speed 2.5 bn/min from 0.5: +2 bn/min/min
  EXPECT_EQ(sink.CountAlerts(AlertType::kForeignAcceleration), 1);
  EXPECT_NEAR(sink.alerts.back().value, 2e9, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Index

TEST(EngineIndexTest, CaseInsensitiveIdsBreadthAndMarketSession) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  auto e = Mi("VNIndex", At(10, 0, 0), 1268.41, 1260.0, Session::kLo);
  e.advances = 200;
  e.declines = 150;
  e.ceilings = 3;
  e.floors = 2;
  e.no_changes = 50;
  e.total_qtty = Volume{1000};
  e.total_qtty_pt = Volume{50};
  eng.Apply(e);
  eng.Apply(Mi("VNINDEX", At(10, 0, 5), 1269.0, 1260.0));
  const IndexState* idx = eng.FindIndex("vnindex");
  ASSERT_NE(idx, nullptr);
  EXPECT_EQ(eng.indices().size(), 1u);
  EXPECT_EQ(idx->id, Symbol::Of("VNINDEX"));
  EXPECT_EQ(idx->value, Px(1269.0));
  EXPECT_EQ(idx->change, Px(9.0));
  EXPECT_EQ(idx->advances, 200);
  EXPECT_EQ(idx->floors, 2);
  EXPECT_EQ(idx->all_qty.raw(), 1050);
  EXPECT_EQ(idx->series.size(), 1u);
  EXPECT_EQ(eng.market_session(), Session::kLo);
  ASSERT_EQ(sink.indices.size(), 2u);
  EXPECT_EQ(sink.indices[0], Symbol::Of("VNINDEX"));
}

TEST(EngineIndexTest, MarketSessionFromMajorityWithoutIndex) {
  MarketEngine eng(Config());
  for (Symbol s : {kFpt, kVnm}) {
    core::StatusEvent f;
    f.h = Hdr(core::Channel::kStatus, s, At(9, 0, 0), Session::kAto);
    eng.Apply(f);
  }
  core::StatusEvent g;
  g.h = Hdr(core::Channel::kStatus, kHpg, At(9, 15, 0), Session::kLo);
  eng.Apply(g);
  EXPECT_EQ(eng.market_session(), Session::kAto);
  g.h.symbol = kFpt;
  eng.Apply(g);
  g.h.symbol = kVnm;
  eng.Apply(g);
  EXPECT_EQ(eng.market_session(), Session::kLo);
}

// ---------------------------------------------------------------------------------------------------------
// Days, sinks

TEST(EngineDayTest, RolloverByTradingDateResetsDayState) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  AlertRule r;
  r.metric = Metric::kLastPrice;
  r.symbol = "FPT";
  r.threshold = 0;
  r.cooldown_sec = 86400;
  ASSERT_TRUE(eng.AddRule(r).ok());
  eng.Apply(XTrade(kFpt, At(14, 30, 0), 100, 500, 500));
  eng.Apply(R(kFpt, At(14, 30, 0), 1000, 0, 100'000, 0));
  eng.Apply(Mi("VN30", At(14, 30, 0), 1300.0));
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 1);
  ASSERT_EQ(sink.days.size(), 1u);

  eng.Apply(XTrade(kFpt, At(9, 15, 0, kNextDay), 101, 100, 100));  // new day, TotalVol restarts
  EXPECT_EQ(eng.trading_date(), kNextDay);
  ASSERT_EQ(sink.days.size(), 2u);
  EXPECT_EQ(sink.days[1], kNextDay);
  EXPECT_EQ(eng.counters().day_rollovers, 1u);
  EXPECT_EQ(eng.counters().stale_frames, 0u);  // a new day starts a new count, nothing is stale
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume().raw(), 100);
  EXPECT_FALSE(s->foreign.state().has_data);
  EXPECT_EQ(eng.FindIndex("VN30"), nullptr);
  EXPECT_EQ(sink.CountAlerts(AlertType::kUserRule), 2);  // cooldowns reset with the day
  EXPECT_EQ(sink.candles.size(), 1u);                    // yesterday's open candle flushed
  EXPECT_EQ(sink.candles[0].date, kDay);
  EXPECT_EQ(eng.FrontContract()->days_to_expiry, 8);
}

TEST(EngineDayTest, StaleDateIgnored) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(9, 15, 0, kNextDay), 101, 100, 100));
  eng.Apply(XTrade(kFpt, At(14, 45, 0, kDay), 100, 99999, 99999));
  EXPECT_EQ(eng.counters().stale_date_events, 1u);
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume().raw(), 100);
  EXPECT_EQ(eng.trading_date(), kNextDay);
}

TEST(EngineDayTest, ThrowingSinkIsCountedNotFatal) {
  struct Thrower : MarketSink {
    void OnTrade(const ClassifiedTrade&) override { throw std::runtime_error("boom"); }
  } thrower;
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&thrower);
  eng.AddSink(&sink);
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 100, 100));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 100, 100, 200));
  EXPECT_EQ(eng.counters().sink_errors, 2u);
  EXPECT_EQ(sink.trades.size(), 2u);
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume().raw(), 200);
  eng.RemoveSink(&thrower);
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 100, 100, 300));
  EXPECT_EQ(eng.counters().sink_errors, 2u);
}

}  // namespace
}  // namespace vnt::core
