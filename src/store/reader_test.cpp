#include "store/reader.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "store/pg_test_cluster.h"
#include "store/test_util.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using namespace std::chrono_literals;
using testing::At;
using testing::kDay;
using testing::TempDir;
using testing::Tick;

constexpr Date kDay2 = Date::Of(2026, 3, 11);
constexpr Date kDay3 = Date::Of(2026, 3, 12);

std::vector<std::int64_t> Volumes(const std::vector<TickRow>& rows) {
  std::vector<std::int64_t> v;
  for (const TickRow& r : rows) v.push_back(r.volume.raw());
  return v;
}

ForeignRow Foreign(std::string_view sym, ExchangeTime t, std::int64_t buy) {
  ForeignRow r;
  r.symbol = Symbol::Of(sym);
  r.time = t;
  r.buy_vol = Volume{buy};
  r.sell_vol = Volume{buy / 2};
  return r;
}

// Every reader test runs against both stores: a SQLite file and a fresh database on a real PostgreSQL server.
class StoreReaderTest : public ::testing::TestWithParam<std::string> {
 protected:
  bool pg() const { return GetParam() == "postgresql"; }
  void SetUp() override {
    path_ = pg() ? testing::PgCluster::Shared().FreshDatabase() : dir_.File("r.db");
    WriterConfig cfg;
    cfg.path = path_;
    writer_ = std::make_unique<Writer>(cfg);
    reader_ = std::make_unique<Reader>(path_);
  }
  void Put(Row r) { ASSERT_TRUE(writer_->Enqueue(std::move(r))); }
  void Commit() { ASSERT_TRUE(writer_->Flush()); }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Reader> reader_;
};

TEST_P(StoreReaderTest, TicksHonourRangesLimitsAndOrder) {
  // Day 1: volumes 1..6 at 09:15:00, 09:15:00 (same second), 10:00:00, 11:29:59, 13:00:00, 14:45:00.
  Put(Tick(1, At(9, 15, 0)));
  Put(Tick(2, At(9, 15, 0)));
  Put(Tick(3, At(10, 0, 0)));
  Put(Tick(4, At(11, 29, 59)));
  Put(Tick(5, At(13, 0, 0)));
  Put(Tick(6, At(14, 45, 0)));
  Put(Tick(7, At(9, 15, 0, kDay2)));
  Put(Tick(100, At(10, 0, 0), "VNM"));  // another symbol is never returned
  Commit();
  const Symbol fpt = Symbol::Of("FPT");

  auto all = reader_->Ticks(fpt, TimeRange{});
  ASSERT_TRUE(all.ok()) << all.error;
  EXPECT_EQ(Volumes(all.value),
            (std::vector<std::int64_t>{7, 6, 5, 4, 3, 2, 1}));  // newest first, ties by arrival

  TimeRange r;
  r.order = Order::kOldestFirst;
  EXPECT_EQ(Volumes(reader_->Ticks(fpt, r).value), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));

  // Inclusive bounds on date + time.
  r = TimeRange{.from = At(10, 0, 0), .to = At(13, 0, 0)};
  EXPECT_EQ(Volumes(reader_->Ticks(fpt, r).value), (std::vector<std::int64_t>{5, 4, 3}));
  r.order = Order::kOldestFirst;
  r.limit = 2;
  EXPECT_EQ(Volumes(reader_->Ticks(fpt, r).value), (std::vector<std::int64_t>{3, 4}));
  r.order = Order::kNewestFirst;
  EXPECT_EQ(Volumes(reader_->Ticks(fpt, r).value), (std::vector<std::int64_t>{5, 4}));

  // A whole day: a date with no time of day.
  r = TimeRange{.from = ExchangeTime{kDay, {}}, .to = ExchangeTime{kDay, {}}};
  EXPECT_EQ(reader_->Ticks(fpt, r).value.size(), 6u);
  // Unbounded start, bounded end across days.
  r = TimeRange{.to = At(9, 15, 0, kDay2), .limit = 3};
  EXPECT_EQ(Volumes(reader_->Ticks(fpt, r).value), (std::vector<std::int64_t>{7, 6, 5}));
  // Unbounded end.
  r = TimeRange{.from = At(14, 0, 0)};
  EXPECT_EQ(Volumes(reader_->Ticks(fpt, r).value), (std::vector<std::int64_t>{7, 6}));
  // Empty range, unknown symbol.
  r = TimeRange{.from = At(15, 0, 0), .to = At(16, 0, 0)};
  auto none = reader_->Ticks(fpt, r);
  EXPECT_TRUE(none.ok());
  EXPECT_TRUE(none.value.empty());
  EXPECT_TRUE(reader_->Ticks(Symbol::Of("XYZ"), TimeRange{}).value.empty());

  // Bad input is an error value.
  r = TimeRange{.from = At(13, 0, 0), .to = At(10, 0, 0)};
  auto bad = reader_->Ticks(fpt, r);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("after"), std::string::npos);
  r = TimeRange{.from = At(0, 0, 0, kDay2), .to = At(23, 0, 0, kDay)};
  EXPECT_FALSE(reader_->Ticks(fpt, r).ok());
  EXPECT_FALSE(reader_->Ticks(fpt, TimeRange{.limit = 0}).ok());
  EXPECT_FALSE(reader_->Candles(fpt, TimeRange{.limit = -1}).ok());
  EXPECT_FALSE(reader_->Alerts(TimeRange{.from = At(13, 0, 0), .to = At(10, 0, 0)}).ok());
  EXPECT_FALSE(reader_->ForeignDaily(fpt, kDay2, kDay).ok());
}

TEST_P(StoreReaderTest, CandlesByMinuteAndReplacedOnRewrite) {
  for (int m = 0; m < 5; ++m) {
    CandleRow c;
    c.symbol = Symbol::Of("HPG");
    c.date = kDay;
    c.minute = 9 * 3600 + (15 + m) * 60;
    c.open = c.high = c.low = c.close = Price::FromInt(27000 + m);
    c.volume = Volume{100 * (m + 1)};
    Put(c);
  }
  CandleRow again;  // a journal replay closes 09:17 again with the same key: it replaces, not duplicates
  again.symbol = Symbol::Of("HPG");
  again.date = kDay;
  again.minute = 9 * 3600 + 17 * 60;
  again.volume = Volume{999};
  Put(again);
  Commit();
  TimeRange r{.from = At(9, 16, 0), .to = At(9, 18, 0), .order = Order::kOldestFirst};
  auto c = reader_->Candles(Symbol::Of("HPG"), r);
  ASSERT_TRUE(c.ok()) << c.error;
  ASSERT_EQ(c.value.size(), 3u);
  EXPECT_EQ(c.value[0].volume.raw(), 200);
  EXPECT_EQ(c.value[1].volume.raw(), 999);
  EXPECT_EQ(c.value[2].volume.raw(), 400);
  r = TimeRange{.limit = 2};
  c = reader_->Candles(Symbol::Of("HPG"), r);
  ASSERT_EQ(c.value.size(), 2u);
  EXPECT_EQ(c.value[0].minute, 9 * 3600 + 19 * 60);  // the latest two, newest first
  EXPECT_EQ(c.value[1].minute, 9 * 3600 + 18 * 60);
}

// Bars over several days: 5-minute buckets from the minutes, daily bars from candles_1d (refreshed from the
// stored minutes at each write: a minute written again replaces its share, never adds to it).
TEST_P(StoreReaderTest, MultiDayBarsAndDailyBarsThatNeverCountTwice) {
  const auto minute = [](Date d, int m, int open, int close, std::int64_t vol, std::int64_t buy) {
    CandleRow c;
    c.symbol = Symbol::Of("HPG");
    c.date = d;
    c.minute = 9 * 3600 + (15 + m) * 60;
    c.open = Price::FromInt(open);
    c.close = Price::FromInt(close);
    c.high = Price::FromInt(std::max(open, close) + 50);
    c.low = Price::FromInt(std::min(open, close) - 50);
    c.volume = Volume{vol};
    c.buy_vol = Volume{buy};
    c.sell_vol = Volume{vol - buy};
    c.trade_count = 1;
    return c;
  };
  for (int m = 0; m < 10; ++m) Put(minute(kDay, m, 27000 + 10 * m, 27005 + 10 * m, 100, 60));
  Commit();
  for (int m = 0; m < 3; ++m) Put(minute(kDay2, m, 28000 + m, 28001 + m, 10, 5));
  Put(minute(kDay, 9, 27090, 27200, 300, 300));  // 09:24 of the first day written again (a replay)
  Commit();

  auto d = reader_->CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k1d, Date{}, Date{}, 100);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.size(), 2u);
  EXPECT_EQ(d.value[0].date, kDay);
  EXPECT_EQ(d.value[0].minute, 0);
  EXPECT_EQ(d.value[0].open, Price::FromInt(27000));
  EXPECT_EQ(d.value[0].close, Price::FromInt(27200));  // the replaced last minute's close
  EXPECT_EQ(d.value[0].high, Price::FromInt(27250));
  EXPECT_EQ(d.value[0].low, Price::FromInt(26950));
  EXPECT_EQ(d.value[0].volume.raw(), 9 * 100 + 300);  // replaced, not added
  EXPECT_EQ(d.value[0].buy_vol.raw(), 9 * 60 + 300);
  EXPECT_EQ(d.value[0].buy_vol + d.value[0].sell_vol + d.value[0].neutral_vol, d.value[0].volume);
  EXPECT_EQ(d.value[0].trade_count, 10);
  EXPECT_EQ(d.value[1].date, kDay2);
  EXPECT_EQ(d.value[1].volume.raw(), 30);
  EXPECT_EQ(
      reader_->CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k1d, kDay2, kDay3, 100).value.size(), 1u);

  // 5-minute bars: 09:15-09:19 and 09:20-09:24 of the first day, 09:15 of the second.
  auto five = reader_->CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k5m, Date{}, Date{}, 100);
  ASSERT_TRUE(five.ok()) << five.error;
  ASSERT_EQ(five.value.size(), 3u);
  EXPECT_EQ(five.value[0].minute, 9 * 3600 + 15 * 60);
  EXPECT_EQ(five.value[0].open, Price::FromInt(27000));
  EXPECT_EQ(five.value[0].close, Price::FromInt(27045));
  EXPECT_EQ(five.value[0].volume.raw(), 500);
  EXPECT_EQ(five.value[1].close, Price::FromInt(27200));
  EXPECT_EQ(five.value[1].volume.raw(), 4 * 100 + 300);
  EXPECT_EQ(five.value[2].date, kDay2);
  // The daily bar equals the day's minutes aggregated on request.
  auto day_from_minutes =
      reader_->CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k1h, kDay, kDay, 100);  // one hour bucket
  ASSERT_EQ(day_from_minutes.value.size(), 1u);
  EXPECT_EQ(day_from_minutes.value[0].volume, d.value[0].volume);
  EXPECT_EQ(day_from_minutes.value[0].close, d.value[0].close);
  EXPECT_FALSE(reader_->CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k1d, kDay3, kDay, 10).ok());
}

TEST_P(StoreReaderTest, ForeignHistoryAndEndOfDayTotals) {
  Put(Foreign("VNM", At(9, 30, 0), 100));
  Put(Foreign("VNM", At(14, 45, 0), 900));
  Put(Foreign("VNM", At(11, 0, 0), 500));  // out of arrival order: the daily total is by time, not arrival
  Put(Foreign("VNM", At(10, 0, 0, kDay2), 50));
  Put(Foreign("VNM", At(14, 59, 59, kDay2), 700));
  Put(Foreign("VNM", At(9, 0, 0, kDay3), 10));
  Put(Foreign("FPT", At(15, 0, 0, kDay3), 123));
  Commit();
  const Symbol vnm = Symbol::Of("VNM");
  auto daily = reader_->ForeignDaily(vnm, Date{}, Date{});
  ASSERT_TRUE(daily.ok()) << daily.error;
  ASSERT_EQ(daily.value.size(), 3u);
  EXPECT_EQ(daily.value[0].time, At(14, 45, 0));
  EXPECT_EQ(daily.value[0].buy_vol.raw(), 900);
  EXPECT_EQ(daily.value[1].buy_vol.raw(), 700);
  EXPECT_EQ(daily.value[2].buy_vol.raw(), 10);
  daily = reader_->ForeignDaily(vnm, kDay2, kDay2);
  ASSERT_EQ(daily.value.size(), 1u);
  EXPECT_EQ(daily.value[0].time.date, kDay2);
  daily = reader_->ForeignDaily(vnm, kDay, kDay2);
  ASSERT_EQ(daily.value.size(), 2u);
  EXPECT_TRUE(reader_->ForeignDaily(vnm, Date::Of(2026, 4, 1), Date{}).value.empty());

  auto hist = reader_->ForeignHistory(
      vnm,
      TimeRange{.from = ExchangeTime{kDay, {}}, .to = ExchangeTime{kDay, {}}, .order = Order::kOldestFirst});
  ASSERT_TRUE(hist.ok()) << hist.error;
  ASSERT_EQ(hist.value.size(), 3u);
  EXPECT_EQ(hist.value[0].buy_vol.raw(), 100);
  EXPECT_EQ(hist.value[1].buy_vol.raw(), 500);
  EXPECT_EQ(hist.value[2].buy_vol.raw(), 900);
}

TEST_P(StoreReaderTest, IndexBasisAndAlertQueries) {
  for (int s = 0; s < 3; ++s) {
    IndexRow i;
    i.id = Symbol::Of("VN30");
    i.time = At(10, 0, s);
    i.value = Price::FromInt(1280 + s);
    Put(i);
    BasisRow b;
    b.krx_code = Symbol::Of("41I1G3000");
    b.legacy_code = Symbol::Of("VN30F2603");
    b.time = At(10, 0, s);
    b.basis = Price::FromInt(s);
    Put(b);
  }
  IndexRow other;
  other.id = Symbol::Of("VNINDEX");
  other.time = At(10, 0, 0);
  Put(other);
  const core::AlertType types[] = {core::AlertType::kVolumeSpike, core::AlertType::kPriceBreakout,
                                   core::AlertType::kVolumeSpike};
  const char* syms[] = {"FPT", "FPT", "HPG"};
  for (int k = 0; k < 3; ++k) {
    AlertRow a;
    a.type = types[k];
    a.symbol = Symbol::Of(syms[k]);
    a.message = "m" + std::to_string(k);
    a.time = At(11, k, 0);
    Put(a);
  }
  Commit();

  auto ix = reader_->IndexHistory(Symbol::Of("vn30"), TimeRange{.limit = 2});
  ASSERT_TRUE(ix.ok()) << ix.error;
  ASSERT_EQ(ix.value.size(), 2u);
  EXPECT_EQ(ix.value[0].value, Price::FromInt(1282));
  EXPECT_EQ(ix.value[1].value, Price::FromInt(1281));

  for (const char* code : {"41I1G3000", "VN30F2603", "vn30f2603"}) {
    auto b = reader_->BasisHistory(Symbol::Of(code),
                                   TimeRange{.from = At(10, 0, 1), .order = Order::kOldestFirst});
    ASSERT_TRUE(b.ok()) << b.error;
    ASSERT_EQ(b.value.size(), 2u) << code;
    EXPECT_EQ(b.value[0].basis, Price::FromInt(1));
  }
  EXPECT_TRUE(reader_->BasisHistory(Symbol::Of("41I1G4000"), TimeRange{}).value.empty());

  auto al = reader_->Alerts(TimeRange{});
  ASSERT_TRUE(al.ok()) << al.error;
  ASSERT_EQ(al.value.size(), 3u);
  EXPECT_EQ(al.value[0].message, "m2");
  al = reader_->Alerts(TimeRange{}, AlertFilter{.type = core::AlertType::kVolumeSpike});
  ASSERT_EQ(al.value.size(), 2u);
  al = reader_->Alerts(TimeRange{}, AlertFilter{.symbol = Symbol::Of("FPT")});
  ASSERT_EQ(al.value.size(), 2u);
  al = reader_->Alerts(TimeRange{.order = Order::kOldestFirst},
                       AlertFilter{.type = core::AlertType::kVolumeSpike, .symbol = Symbol::Of("FPT")});
  ASSERT_EQ(al.value.size(), 1u);
  EXPECT_EQ(al.value[0].message, "m0");
  al = reader_->Alerts(TimeRange{.from = At(11, 1, 0), .to = At(11, 1, 0)});
  ASSERT_EQ(al.value.size(), 1u);
  EXPECT_EQ(al.value[0].type, core::AlertType::kPriceBreakout);
}

// A structured alert comes back from either store with every fact it was written with.
TEST_P(StoreReaderTest, StructuredAlertRoundTrips) {
  core::Alert a;
  a.id = 42;
  a.type = core::AlertType::kBasisDivergence;
  a.severity = core::Severity::kWarning;
  a.symbol = Symbol::Of("41I1G3000");
  a.contract = Symbol::Of("VN30F2603");
  a.alias = "VN30F1M";
  a.metric = "basis";
  a.unit = core::AlertUnit::kPoints;
  a.direction = core::Direction::kDown;
  a.value = -1.25;
  a.threshold = -0.5;
  a.window_sec = 0;
  a.AddDetail("basis_pct", -0.0971, core::AlertUnit::kPercent);
  a.AddDetail("spot", 1283.9, core::AlertUnit::kPoints);
  a.time = At(10, 15, 30);
  a.message = "VN30F1M (VN30F2603) basis flipped to discount: -1.25 points";
  core::Alert u;
  u.id = 43;
  u.type = core::AlertType::kUserRule;
  u.symbol = Symbol::Of("FPT");
  u.rule_id = 7;
  u.rule_name = "FPT vượt 105";
  u.metric = "last_price";
  u.unit = core::AlertUnit::kVnd;
  u.direction = core::Direction::kUp;
  u.comparison = "crosses_above";
  u.window_sec = 300;
  u.value = 105'600;
  u.threshold = 105'500;
  u.time = At(10, 16, 0);
  Put(ToAlertRow(a));
  Put(ToAlertRow(u));
  Commit();
  auto al = reader_->Alerts(TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(al.ok()) << al.error;
  ASSERT_EQ(al.value.size(), 2u);
  const core::Alert ba = ToAlert(al.value[0]), bu = ToAlert(al.value[1]);
  EXPECT_EQ(ba.id, 42u);
  EXPECT_EQ(ba.contract, a.contract);
  EXPECT_EQ(ba.alias, a.alias);
  EXPECT_EQ(ba.metric, a.metric);
  EXPECT_EQ(ba.unit, a.unit);
  EXPECT_EQ(ba.direction, a.direction);
  ASSERT_EQ(ba.n_details, 2);
  EXPECT_EQ(ba.details[0].key, "basis_pct");
  EXPECT_DOUBLE_EQ(ba.details[0].value, -0.0971);
  EXPECT_EQ(ba.details[0].unit, core::AlertUnit::kPercent);
  EXPECT_DOUBLE_EQ(ba.details[1].value, 1283.9);
  EXPECT_EQ(ba.message, a.message);
  EXPECT_EQ(bu.rule_name, u.rule_name);
  EXPECT_EQ(bu.comparison, "crosses_above");
  EXPECT_EQ(bu.window_sec, 300);
  EXPECT_EQ(bu.n_details, 0);
}

// Delivery outcomes join their alert by (epoch, engine_id): the engine's ids restart with the process, so a
// second process's alert 1 gets its own deliveries, not the first one's; an alert stored without an epoch
// (before schema 5) has none; the filters and the limit of the alerts apply to their deliveries.
TEST_P(StoreReaderTest, DeliveryOutcomesJoinTheirAlertAcrossRestarts) {
  constexpr std::int64_t kEpoch1 = 1'773'100'000'000'000, kEpoch2 = 1'773'100'500'000'000;
  const auto alert = [](std::uint64_t id, std::int64_t epoch, std::string_view sym, ExchangeTime t) {
    AlertRow r;
    r.engine_id = id;
    r.epoch = epoch;
    r.symbol = Symbol::Of(sym);
    r.message = "m";
    r.time = t;
    return r;
  };
  const auto delivery = [](std::int64_t epoch, std::uint64_t id, ExchangeTime t, std::string channel,
                           std::string result, int attempts, int status, std::string error, std::int64_t ms) {
    return DeliveryRow{
        epoch, id, t, std::move(channel), std::move(result), attempts, status, std::move(error), ms};
  };
  Put(alert(1, 0, "VNM", At(9, 30, 0)));  // an alert of an older build: no epoch
  Put(alert(1, kEpoch1, "FPT", At(10, 0, 0)));
  Put(alert(2, kEpoch1, "HPG", At(10, 1, 0)));
  Put(alert(1, kEpoch2, "FPT", At(11, 0, 0)));  // after a restart: engine id 1 again
  const DeliveryRow d1 =
      delivery(kEpoch1, 1, At(10, 0, 0), "webhook", "delivered", 2, 200, "", 1'773'111'600'100);
  const DeliveryRow d2 =
      delivery(kEpoch1, 1, At(10, 0, 0), "telegram", "given_up", 3, 503, "HTTP 503", 1'773'111'660'000);
  const DeliveryRow d3 = delivery(kEpoch1, 2, At(10, 1, 0), "rule_webhook", "dropped", 0, 0, "queue full", 1);
  const DeliveryRow d4 =
      delivery(kEpoch2, 1, At(11, 0, 0), "webhook", "delivered", 1, 204, "", 1'773'115'200'000);
  const DeliveryRow orphan = delivery(kEpoch2, 9, At(11, 5, 0), "webhook", "delivered", 1, 200, "", 5);
  for (const DeliveryRow& d : {d1, d2, d3, d4, orphan}) Put(d);
  Commit();

  const TimeRange all{.order = Order::kOldestFirst};
  auto alerts = reader_->Alerts(all);
  ASSERT_TRUE(alerts.ok()) << alerts.error;
  ASSERT_EQ(alerts.value.size(), 4u);
  EXPECT_EQ(alerts.value[0].epoch, 0);
  EXPECT_EQ(alerts.value[1].epoch, kEpoch1);
  EXPECT_EQ(alerts.value[3].epoch, kEpoch2);
  auto got = reader_->AlertDeliveries(all);
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.value, (std::vector<DeliveryRow>{d1, d2, d3, d4}));  // stored order; no orphan

  // The symbol filter and the limit of the alerts carry over to their deliveries.
  auto fpt = reader_->AlertDeliveries(all, AlertFilter{.symbol = Symbol::Of("FPT")});
  ASSERT_TRUE(fpt.ok()) << fpt.error;
  EXPECT_EQ(fpt.value, (std::vector<DeliveryRow>{d1, d2, d4}));
  auto newest = reader_->AlertDeliveries(TimeRange{.limit = 1});
  ASSERT_TRUE(newest.ok()) << newest.error;
  EXPECT_EQ(newest.value, (std::vector<DeliveryRow>{d4}));

  // Retention prunes the deliveries with their alerts.
  ASSERT_TRUE(reader_->PruneHistoryBefore(kDay2).ok());
  EXPECT_TRUE(reader_->AlertDeliveries(all).value.empty());
}

TEST_P(StoreReaderTest, RuleCrud) {
  core::AlertRule rule;
  rule.name = "FPT above 25k";
  rule.metric = core::Metric::kLastPrice;
  rule.symbol = "FPT";
  rule.comparison = core::Comparison::kGe;
  rule.threshold = 25000.5;
  rule.cooldown_sec = 120;
  rule.enabled = true;
  rule.severity = core::Severity::kCritical;
  rule.comparison = core::Comparison::kCrossesAbove;
  rule.frequency = core::Frequency::kOncePerBar;
  rule.window_min = 15;
  rule.webhook_url = "https://hooks.example.com/vnt?x=1";
  auto id = reader_->CreateRule(rule);
  ASSERT_TRUE(id.ok()) << id.error;
  EXPECT_EQ(id.value, 1);
  core::AlertRule pinned = rule;
  pinned.id = 10;
  pinned.metric = core::Metric::kBasis;
  pinned.symbol = "*";
  pinned.comparison = core::Comparison::kLt;
  pinned.enabled = false;
  ASSERT_EQ(reader_->CreateRule(pinned).value, 10);
  auto dup = reader_->CreateRule(pinned);
  EXPECT_FALSE(dup.ok());
  EXPECT_NE(dup.error.find("already exists"), std::string::npos) << dup.error;
  EXPECT_EQ(reader_->CreateRule(rule).value, 11);  // assigned after the highest

  auto got = reader_->GetRule(1);
  ASSERT_TRUE(got.ok()) << got.error;
  ASSERT_TRUE(got.value.has_value());
  const core::AlertRule& g = got.value->rule;
  EXPECT_EQ(g.id, 1);
  EXPECT_EQ(g.name, rule.name);
  EXPECT_EQ(g.metric, rule.metric);
  EXPECT_EQ(g.symbol, rule.symbol);
  EXPECT_EQ(g.comparison, rule.comparison);
  EXPECT_DOUBLE_EQ(g.threshold, rule.threshold);
  EXPECT_EQ(g.cooldown_sec, 120);
  EXPECT_TRUE(g.enabled);
  EXPECT_EQ(g.severity, core::Severity::kCritical);
  EXPECT_EQ(g.frequency, core::Frequency::kOncePerBar);
  EXPECT_EQ(g.window_min, 15);
  EXPECT_EQ(g.webhook_url, rule.webhook_url);
  EXPECT_FALSE(got.value->created_at.empty());
  EXPECT_FALSE(reader_->GetRule(2).value.has_value());

  core::AlertRule changed = g;
  changed.threshold = 26000;
  changed.enabled = false;
  auto upd = reader_->UpdateRule(changed);
  ASSERT_TRUE(upd.ok()) << upd.error;
  EXPECT_TRUE(upd.value);
  EXPECT_DOUBLE_EQ(reader_->GetRule(1).value->rule.threshold, 26000);
  EXPECT_FALSE(reader_->GetRule(1).value->rule.enabled);
  changed.id = 77;
  EXPECT_FALSE(reader_->UpdateRule(changed).value);

  auto list = reader_->ListRules();
  ASSERT_TRUE(list.ok()) << list.error;
  ASSERT_EQ(list.value.size(), 3u);
  EXPECT_EQ(list.value[1].rule.id, 10);
  EXPECT_EQ(list.value[1].rule.metric, core::Metric::kBasis);
  EXPECT_EQ(list.value[1].rule.symbol, "*");
  EXPECT_FALSE(list.value[1].rule.enabled);

  EXPECT_TRUE(reader_->DeleteRule(10).value);
  EXPECT_FALSE(reader_->DeleteRule(10).value);
  EXPECT_EQ(reader_->ListRules().value.size(), 2u);

  // Rules survive a reopen.
  reader_.reset();
  Reader again(path_);
  EXPECT_EQ(again.ListRules().value.size(), 2u);
}

TEST_P(StoreReaderTest, FrameJournalLatestDateAndPruning) {
  auto latest = reader_->LatestTradingDate();
  ASSERT_TRUE(latest.ok()) << latest.error;
  EXPECT_FALSE(latest.value.has_value());  // empty store

  for (int i = 0; i < 5; ++i) Put(FrameRow{kDay, i, 1000 + i, "day1 frame " + std::to_string(i)});
  for (int i = 0; i < 3; ++i) Put(FrameRow{kDay2, i, 2000 + i, "day2 frame " + std::to_string(i)});
  Put(FrameRow{kDay, 0, 1010, "day1 after restart"});  // seq restarted: arrival order still wins
  Commit();

  std::vector<std::string> texts;
  auto n = reader_->FramesOfDay(kDay, [&](const FrameView& f) {
    EXPECT_EQ(f.date, kDay);
    texts.emplace_back(f.text);
    return true;
  });
  ASSERT_TRUE(n.ok()) << n.error;
  EXPECT_EQ(n.value, 6);
  ASSERT_EQ(texts.size(), 6u);
  EXPECT_EQ(texts[0], "day1 frame 0");
  EXPECT_EQ(texts[4], "day1 frame 4");
  EXPECT_EQ(texts[5], "day1 after restart");

  int calls = 0;
  n = reader_->FramesOfDay(kDay2, [&](const FrameView&) { return ++calls < 2; });  // stop early
  EXPECT_EQ(n.value, 2);
  EXPECT_EQ(reader_->FramesOfDay(kDay3, [](const FrameView&) { return true; }).value, 0);

  // Re-entrant use of the reader from the callback works (the app may query while replaying).
  n = reader_->FramesOfDay(kDay2, [&](const FrameView&) {
    return reader_->FramesOfDay(kDay, [](const FrameView&) { return true; }).value == 6;
  });
  EXPECT_EQ(n.value, 3);

  latest = reader_->LatestTradingDate();
  ASSERT_TRUE(latest.ok()) << latest.error;
  EXPECT_EQ(latest.value, kDay2);
  Put(Tick(1, At(9, 15, 0, kDay3)));
  Commit();
  EXPECT_EQ(reader_->LatestTradingDate().value, kDay3);

  auto pruned = reader_->PruneFramesBefore(kDay2);
  ASSERT_TRUE(pruned.ok()) << pruned.error;
  EXPECT_EQ(pruned.value, 6);
  EXPECT_EQ(reader_->FramesOfDay(kDay, [](const FrameView&) { return true; }).value, 0);
  EXPECT_EQ(reader_->FramesOfDay(kDay2, [](const FrameView&) { return true; }).value, 3);
}

// Retention takes the old ticks of every symbol, in batches, and keeps the newer ones (SQLite: one key range
// per symbol; more old ticks of one symbol than one batch holds, with newer ticks of other symbols between).
TEST_P(StoreReaderTest, RetentionPrunesTheOldTicksOfEverySymbol) {
  const char* symbols[] = {"ACB", "FPT", "VNM"};
  for (int i = 0; i < 6000; ++i) Put(Tick(i, At(9, 15, i % 3600), symbols[i % 2]));
  for (int i = 0; i < 50; ++i) {
    Put(Tick(10'000 + i, At(9, 15, i, kDay2), symbols[i % 3]));
    Put(Tick(20'000 + i, At(9, 15, i, kDay3), symbols[i % 3]));
  }
  Commit();
  auto pruned = reader_->PruneHistoryBefore(kDay2);
  ASSERT_TRUE(pruned.ok()) << pruned.error;
  if (!pg()) EXPECT_EQ(pruned.value, 6000);
  for (const char* sym : symbols) {
    auto ticks = reader_->Ticks(Symbol::Of(sym), TimeRange{.limit = 10'000, .order = Order::kOldestFirst});
    ASSERT_TRUE(ticks.ok()) << ticks.error;
    ASSERT_FALSE(ticks.value.empty()) << sym;
    EXPECT_EQ(ticks.value.front().time.date, kDay2) << sym;
    EXPECT_EQ(ticks.value.size(), sym[0] == 'V' ? 32u : 34u) << sym;  // i % 3 over 0..49, two days
  }
  EXPECT_EQ(reader_->LatestTradingDate().value, kDay3);
  pruned = reader_->PruneHistoryBefore(Date::Of(2026, 3, 20));
  ASSERT_TRUE(pruned.ok()) << pruned.error;
  EXPECT_TRUE(reader_->Ticks(Symbol::Of("VNM"), TimeRange{}).value.empty());
}

// The reader runs on another thread while the writer commits continuously (WAL): every query succeeds and
// sees a growing, consistent count.
TEST_P(StoreReaderTest, QueriesRunWhileTheWriterCommits) {
  std::atomic<bool> done{false};
  std::thread producer([&] {
    for (int i = 0; i < 60'000 && !done; ++i) {
      while (!writer_->Enqueue(Tick(i, At(10, 0, i % 60)))) std::this_thread::yield();
      if (i % 5000 == 0) std::this_thread::sleep_for(2ms);
    }
  });
  std::size_t last = 0;
  int queries = 0, failures = 0;
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < 20s) {
    auto r = reader_->Ticks(Symbol::Of("FPT"), TimeRange{.limit = 1'000'000});
    ++queries;
    if (!r.ok()) {
      ++failures;
      ADD_FAILURE() << r.error;
      break;
    }
    EXPECT_GE(r.value.size(), last);
    last = r.value.size();
    if (last == 60'000) break;
  }
  done = true;
  producer.join();
  ASSERT_TRUE(writer_->Flush());
  EXPECT_EQ(failures, 0);
  EXPECT_GT(queries, 1);
  EXPECT_EQ(reader_->Ticks(Symbol::Of("FPT"), TimeRange{.limit = 1'000'000}).value.size(), 60'000u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreReaderTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vnt::store
