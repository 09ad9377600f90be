#include "store/store_sink.h"

#include <cmath>

#include <gtest/gtest.h>

#include "store/reader.h"
#include "store/test_util.h"

namespace vnt::store {
namespace {

using testing::At;
using testing::kDay;
using testing::TempDir;

const Symbol kFpt = Symbol::Of("FPT");
const Symbol kVnm = Symbol::Of("VNM");
const Symbol kF1 = Symbol::Of("41I1G3000");  // March 2026, the 1M contract on 2026-03-10

Price Px(double v) {
  return Price::FromRaw(std::llround(v * 10000));
}

core::Header Hdr(core::Channel ch, Symbol sym, ExchangeTime t, Session session = Session::kLo) {
  core::Header h;
  h.channel = ch;
  h.symbol = sym;
  h.time = t;
  h.session = session;
  return h;
}

core::TradeEvent XTrade(Symbol sym, ExchangeTime t, double price, std::int64_t last_vol,
                        std::int64_t total_vol, Side side = Side::kUnknown) {
  core::TradeEvent e;
  e.h = Hdr(core::Channel::kTrade, sym, t);
  e.t.last_price = Px(price);
  e.t.last_vol = Volume{last_vol};
  e.t.total_vol = Volume{total_vol};
  e.t.side = side;
  return e;
}

core::QuoteEvent XQuote(Symbol sym, ExchangeTime t, double bid, double ask) {
  core::QuoteEvent e;
  e.h = Hdr(core::Channel::kQuote, sym, t);
  e.book.bids[e.book.bid_count++] = core::Level{Px(bid), Volume{1000}};
  e.book.asks[e.book.ask_count++] = core::Level{Px(ask), Volume{1000}};
  return e;
}

core::ForeignRoomEvent R(Symbol sym, ExchangeTime t, std::int64_t buy, std::int64_t sell) {
  core::ForeignRoomEvent e;
  e.h = Hdr(core::Channel::kForeign, sym, t, Session::kUnknown);
  e.buy_vol = Volume{buy};
  e.sell_vol = Volume{sell};
  e.buy_val = Vnd{buy * 60'000};
  e.sell_val = Vnd{sell * 60'000};
  e.total_room = Volume{500'000'000};
  e.current_room = Volume{200'000'000};
  return e;
}

core::IndexEvent Mi(std::string_view id, ExchangeTime t, double value, double prior) {
  core::IndexEvent e;
  e.h = Hdr(core::Channel::kIndex, Symbol::Of(id), t);
  e.value = Px(value);
  e.prior_value = Px(prior);
  e.advances = 12;
  e.declines = 15;
  e.total_qtty_pt = Volume{777};
  return e;
}

class StoreSinkTest : public ::testing::Test {
 protected:
  StoreSinkTest() : engine_(Config()) {
    path_ = dir_.File("sink.db");
    WriterConfig cfg;
    cfg.path = path_;
    writer_ = std::make_unique<Writer>(cfg);
    sink_ = std::make_unique<StoreSink>(*writer_, engine_);
    engine_.AddSink(sink_.get());
  }
  static core::EngineConfig Config() {
    core::EngineConfig c;
    c.vn30 = {kFpt, kVnm};
    return c;
  }
  // Writes everything the sink holds and waits for the commit.
  void Drain() {
    engine_.FlushCandles();
    sink_->FlushPending();
    ASSERT_TRUE(writer_->Flush());
  }

  TempDir dir_;
  std::string path_;
  core::MarketEngine engine_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<StoreSink> sink_;
};

TEST_F(StoreSinkTest, TradesBecomeTicksAndClosedCandles) {
  engine_.Apply(XQuote(kFpt, At(10, 0, 0), 22900, 22950));
  engine_.Apply(XTrade(kFpt, At(10, 0, 1), 22950, 100, 100));              // at the ask: quote-rule buy
  engine_.Apply(XTrade(kFpt, At(10, 0, 1), 22900, 50, 150, Side::kSell));  // exchange side
  engine_.Apply(XTrade(kFpt, At(10, 1, 5), 23000, 10, 160));               // next minute closes 10:00
  ASSERT_TRUE(writer_->Flush());
  Reader r(path_);
  auto ticks = r.Ticks(kFpt, TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(ticks.ok()) << ticks.error;
  ASSERT_EQ(ticks.value.size(), 3u);
  EXPECT_EQ(ticks.value[0].volume.raw(), 100);
  EXPECT_EQ(ticks.value[0].side, core::Aggressor::kBuy);
  EXPECT_EQ(ticks.value[0].method, core::ClassifyMethod::kQuote);
  EXPECT_EQ(ticks.value[0].ask, Px(22950));
  EXPECT_EQ(ticks.value[0].value.raw(), 22950 * 100);
  EXPECT_EQ(ticks.value[0].time, At(10, 0, 1));
  EXPECT_EQ(ticks.value[1].side, core::Aggressor::kSell);
  EXPECT_EQ(ticks.value[1].method, core::ClassifyMethod::kExchange);
  EXPECT_EQ(ticks.value[2].price, Px(23000));

  auto candles = r.Candles(kFpt, TimeRange{});
  ASSERT_TRUE(candles.ok()) << candles.error;
  ASSERT_EQ(candles.value.size(), 1u);  // only 10:00 closed so far
  const CandleRow& c = candles.value[0];
  EXPECT_EQ(c.minute, 10 * 3600);
  EXPECT_EQ(c.open, Px(22950));
  EXPECT_EQ(c.close, Px(22900));
  EXPECT_EQ(c.low, Px(22900));
  EXPECT_EQ(c.volume.raw(), 150);
  EXPECT_EQ(c.buy_vol.raw(), 100);
  EXPECT_EQ(c.sell_vol.raw(), 50);
  EXPECT_EQ(c.trade_count, 2);

  Drain();  // the 10:01 candle is closed by the flush
  EXPECT_EQ(r.Candles(kFpt, TimeRange{}).value.size(), 2u);
}

TEST_F(StoreSinkTest, ForeignSnapshotsAreThrottledToTheLastStateOfEachSecond) {
  engine_.Apply(R(kVnm, At(10, 0, 0), 1000, 500));
  engine_.Apply(R(kVnm, At(10, 0, 0), 1200, 500));  // same second: supersedes
  engine_.Apply(R(kVnm, At(10, 0, 0), 1300, 600));  // same second: supersedes
  engine_.Apply(R(kVnm, At(10, 0, 1), 1400, 600));
  engine_.Apply(R(kVnm, At(10, 0, 3), 1500, 700));
  Drain();
  Reader r(path_);
  auto rows = r.ForeignHistory(kVnm, TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(rows.ok()) << rows.error;
  ASSERT_EQ(rows.value.size(), 3u);
  EXPECT_EQ(rows.value[0].time, At(10, 0, 0));
  EXPECT_EQ(rows.value[0].buy_vol.raw(), 1300);  // the last state of 10:00:00
  EXPECT_EQ(rows.value[0].sell_vol.raw(), 600);
  EXPECT_EQ(rows.value[0].buy_val.raw(), 1300 * 60'000);
  EXPECT_EQ(rows.value[0].total_room, Volume{500'000'000});
  EXPECT_EQ(rows.value[0].current_room, Volume{200'000'000});
  EXPECT_EQ(rows.value[1].buy_vol.raw(), 1400);
  EXPECT_EQ(rows.value[2].buy_vol.raw(), 1500);
  EXPECT_EQ(sink_->stats().superseded, 2u);
  // The engine's speed figures are what the engine computed at that moment.
  EXPECT_DOUBLE_EQ(rows.value[2].net_speed_vol, engine_.FindSymbol(kVnm)->foreign.state().net_speed_vol);
  auto daily = r.ForeignDaily(kVnm, kDay, kDay);
  ASSERT_EQ(daily.value.size(), 1u);
  EXPECT_EQ(daily.value[0].buy_vol.raw(), 1500);
}

TEST_F(StoreSinkTest, HeldSnapshotsAreReleasedWhenMarketTimeMovesOn) {
  engine_.Apply(R(kVnm, At(10, 0, 0), 1000, 500));
  // Another symbol's trade two seconds later moves market time past 10:00:00: the held VNM row is written
  // without a FlushPending().
  engine_.Apply(XTrade(kFpt, At(10, 0, 2), 22950, 100, 100));
  ASSERT_TRUE(writer_->Flush());
  Reader r(path_);
  EXPECT_EQ(r.ForeignHistory(kVnm, TimeRange{}).value.size(), 1u);
}

TEST_F(StoreSinkTest, IndexAndFuturesBasisSnapshots) {
  engine_.Apply(Mi("VN30", At(10, 0, 0), 1285.0, 1280.0));
  engine_.Apply(XTrade(kF1, At(10, 0, 1), 1290.0, 5, 5));
  engine_.Apply(Mi("VN30", At(10, 0, 1), 1286.0, 1280.0));  // same second for both keys: superseded
  engine_.Apply(XTrade(kF1, At(10, 0, 5), 1287.5, 2, 7));
  Drain();
  Reader r(path_);
  auto ix = r.IndexHistory(Symbol::Of("VN30"), TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(ix.ok()) << ix.error;
  ASSERT_EQ(ix.value.size(), 2u);
  EXPECT_EQ(ix.value[0].value, Px(1285.0));
  EXPECT_EQ(ix.value[1].value, Px(1286.0));
  EXPECT_EQ(ix.value[1].change, Px(6.0));
  EXPECT_EQ(ix.value[1].advances, 12);
  EXPECT_EQ(ix.value[1].total_qtty_pt.raw(), 777);
  EXPECT_EQ(ix.value[1].time, At(10, 0, 1));

  auto basis = r.BasisHistory(Symbol::Of("VN30F2603"), TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(basis.ok()) << basis.error;
  ASSERT_EQ(basis.value.size(), 2u);
  EXPECT_EQ(basis.value[0].krx_code, kF1);
  EXPECT_EQ(basis.value[0].legacy_code, Symbol::Of("VN30F2603"));
  EXPECT_EQ(basis.value[0].time, At(10, 0, 1));
  EXPECT_EQ(basis.value[0].basis, Px(4.0));  // 1290 - 1286: the last state of 10:00:01
  EXPECT_EQ(basis.value[0].spot, Px(1286.0));
  EXPECT_EQ(basis.value[1].basis, Px(1.5));
  EXPECT_EQ(basis.value[1].volume.raw(), 7);
  EXPECT_NEAR(basis.value[1].basis_pct, 1.5 / 1286.0 * 100, 1e-9);
  EXPECT_GT(basis.value[1].fair_basis, 0.0);
}

TEST_F(StoreSinkTest, AlertsAreStored) {
  auto t = XTrade(kFpt, At(10, 0, 0), 107, 100, 100);
  t.t.ceiling = Px(107);
  t.t.floor = Px(93);
  t.t.ref_price = Px(100);
  engine_.Apply(t);
  ASSERT_FALSE(engine_.recent_alerts().empty());
  Drain();
  Reader r(path_);
  auto al = r.Alerts(TimeRange{}, AlertFilter{.type = core::AlertType::kPriceBreakout});
  ASSERT_TRUE(al.ok()) << al.error;
  ASSERT_EQ(al.value.size(), 1u);
  EXPECT_EQ(al.value[0].symbol, kFpt);
  EXPECT_EQ(al.value[0].severity, core::Severity::kCritical);
  EXPECT_DOUBLE_EQ(al.value[0].threshold, 107);
  EXPECT_EQ(al.value[0].time, At(10, 0, 0));
  EXPECT_FALSE(al.value[0].message.empty());
  EXPECT_EQ(al.value[0].engine_id, engine_.recent_alerts().back().id);
}

TEST_F(StoreSinkTest, ADayRolloverWritesThePreviousDaysHeldRows) {
  engine_.Apply(R(kVnm, At(14, 59, 0), 5000, 100));
  const Date next = Date::Of(2026, 3, 11);
  engine_.Apply(R(kVnm, At(9, 0, 0, next), 10, 0));
  ASSERT_TRUE(writer_->Flush());
  Reader r(path_);
  auto daily = r.ForeignDaily(kVnm, Date{}, Date{});
  ASSERT_TRUE(daily.ok());
  ASSERT_EQ(daily.value.size(), 1u);  // day 2's row is still held (its second has not passed)
  EXPECT_EQ(daily.value[0].buy_vol.raw(), 5000);
  Drain();
  EXPECT_EQ(r.ForeignDaily(kVnm, Date{}, Date{}).value.size(), 2u);
}

TEST_F(StoreSinkTest, ARefusedRowIsCountedNotBlocking) {
  // A writer that cannot take anything: the sink counts the refusals and the engine carries on.
  WriterConfig cfg;
  cfg.path = dir_.File("tiny.db");
  cfg.queue_capacity = 1;
  cfg.commit_interval = std::chrono::hours(1);
  cfg.wake_rows = 1000;
  Writer tiny(cfg);
  StoreSink sink(tiny, engine_);
  engine_.AddSink(&sink);
  engine_.Apply(XTrade(kFpt, At(10, 0, 0), 22950, 100, 100));
  engine_.Apply(XTrade(kFpt, At(10, 0, 1), 22950, 100, 200));
  engine_.Apply(XTrade(kFpt, At(10, 0, 2), 22950, 100, 300));
  engine_.RemoveSink(&sink);
  EXPECT_EQ(sink.stats().rows_offered, 3u);
  EXPECT_EQ(sink.stats().rows_refused, 2u);
  EXPECT_EQ(tiny.Stats().dropped, 2u);
  EXPECT_EQ(engine_.FindSymbol(kFpt)->volume().raw(), 300);
}

}  // namespace
}  // namespace vnt::store
