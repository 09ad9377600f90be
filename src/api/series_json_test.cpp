#include "api/series_json.h"

#include <gtest/gtest.h>

#include "api/json_text.h"
#include "core/engine_test_util.h"

namespace vnt::api {
namespace {

using namespace core::engine_test;  // NOLINT: the engine tests' event builders (2026-03-10, FPT, VNM, ...)

TEST(SeriesJson, SparklinePointsAreExchangeInstants) {
  core::MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 22950, 100, 100, Side::kBuy));
  eng.Apply(XTrade(kFpt, At(10, 1, 5), 23000, 100, 200, Side::kBuy));
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteSparklines(w, eng); }),
      R"({"symbols":{"FPT":[["2026-03-10T10:00:00+07:00",22950],["2026-03-10T10:01:00+07:00",23000]]}})");
}

TEST(SeriesJson, IndexSeriesFromAPoint) {
  core::MarketEngine eng(Config());
  eng.Apply(Mi("VN30", At(9, 15, 0), 1200, 1190));
  eng.Apply(Mi("VN30", At(9, 16, 30), 1201.5, 1190));
  const core::IndexState* i = eng.FindIndex("VN30");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Json([&](JsonWriter& w) { WriteIndexSeries(w, *i, kDay, 0); }),
            R"([["2026-03-10T09:15:00+07:00",1200],["2026-03-10T09:16:00+07:00",1201.5]])");
  EXPECT_EQ(Json([&](JsonWriter& w) { WriteIndexSeries(w, *i, kDay, 1); }),
            R"([["2026-03-10T09:16:00+07:00",1201.5]])");
}

TEST(SeriesJson, BasisTrendWithoutAContract) {
  EXPECT_EQ(Json([&](JsonWriter& w) { WriteBasisTrend(w, nullptr, kDay, 30); }),
            R"({"contract":null,"points":[]})");
}

TEST(SeriesJson, BasisTrendPointsAreExchangeInstants) {
  core::MarketEngine eng(Config());
  eng.Apply(Mi("VN30", At(10, 0, 0), 1200, 1190));
  eng.Apply(XTrade(kF1, At(10, 0, 1), 1205, 1, 1, Side::kBuy));
  const core::FuturesState* f = eng.FindContract("41I1G3000");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteBasisTrend(w, f, kDay, 30); }),
      R"({"contract":"VN30F2603","points":[{"time":"2026-03-10T10:00:00+07:00","basis":5,"futures":1205,)"
      R"("spot":1200}]})");
}

TEST(SeriesJson, ForeignSeriesOfTheDay) {
  core::MarketEngine eng(Config());
  const std::string empty = Json([&](JsonWriter& w) { WriteForeignSeries(w, eng); });
  EXPECT_EQ(empty, R"({"trading_date":null,"points":[]})");
  eng.Apply(R(kFpt, At(10, 0, 0), 100, 0, 2295000, 0));
  eng.Apply(R(kFpt, At(10, 1, 0), 300, 100, 6885000, 2295000));
  // Cumulative day totals per minute.
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteForeignSeries(w, eng); }),
      R"({"trading_date":"2026-03-10","points":[)"
      R"({"time":"2026-03-10T10:00:00+07:00","buy_vol":100,"sell_vol":0,"net_vol":100,"buy_val":2295000,)"
      R"("sell_val":0,"net_val":2295000},)"
      R"({"time":"2026-03-10T10:01:00+07:00","buy_vol":300,"sell_vol":100,"net_vol":200,"buy_val":6885000,)"
      R"("sell_val":2295000,"net_val":4590000}]})");
}

}  // namespace
}  // namespace vnt::api
