#include "core/symbol_state.h"

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

core::TradeFields Fields(std::optional<std::int64_t> last_vol, std::optional<std::int64_t> total_vol) {
  core::TradeFields t;
  t.last_price = Price::FromInt(22950);
  if (last_vol) t.last_vol = Volume{*last_vol};
  if (total_vol) t.total_vol = Volume{*total_vol};
  return t;
}

TEST(DetectTradeTest, TradeFramesCountLastVolOnceAndSkipRepeats) {
  SymbolState s;
  auto d = DetectTrade(s, Fields(100, 100), TradeFrame::kTrade);
  EXPECT_EQ(d.kind, TradeDetect::kTrade);
  EXPECT_EQ(d.volume.raw(), 100);
  d = DetectTrade(s, Fields(100, 100), TradeFrame::kTrade);  // the same frame again (reconnect replay)
  EXPECT_EQ(d.kind, TradeDetect::kDuplicate);
  EXPECT_EQ(d.volume.raw(), 0);
  d = DetectTrade(s, Fields(300, 400), TradeFrame::kTrade);
  EXPECT_EQ(d.kind, TradeDetect::kTrade);
  EXPECT_EQ(d.volume.raw(), 300);
  EXPECT_EQ(d.unattributed.raw(), 0);
}

TEST(DetectTradeTest, RiseBeyondLastVolIsUnattributed) {
  SymbolState s;
  DetectTrade(s, Fields(100, 100), TradeFrame::kTrade);
  const auto d = DetectTrade(s, Fields(200, 1000), TradeFrame::kTrade);  // frames for 700 shares were missed
  EXPECT_EQ(d.volume.raw(), 200);
  EXPECT_EQ(d.unattributed.raw(), 700);
}

TEST(DetectTradeTest, SnapshotTradesOnlyOnRise) {
  SymbolState s;
  auto d = DetectTrade(s, Fields(0, 0), TradeFrame::kSnapshot);
  EXPECT_EQ(d.kind, TradeDetect::kQuoteOnly);
  d = DetectTrade(s, Fields(500, 500), TradeFrame::kSnapshot);
  EXPECT_EQ(d.kind, TradeDetect::kTrade);
  EXPECT_EQ(d.volume.raw(), 500);
  d = DetectTrade(s, Fields(500, 500), TradeFrame::kSnapshot);  // quote-only re-send carrying the old LastVol
  EXPECT_EQ(d.kind, TradeDetect::kQuoteOnly);
  EXPECT_EQ(d.volume.raw(), 0);
  d = DetectTrade(s, Fields(100, 800),
                  TradeFrame::kSnapshot);  // several trades between snapshots: the rise counts
  EXPECT_EQ(d.volume.raw(), 300);
}

TEST(DetectTradeTest, SnapshotThenTradeOfSameMatchIsDuplicate) {
  SymbolState s;
  DetectTrade(s, Fields(100, 100), TradeFrame::kTrade);
  auto d = DetectTrade(s, Fields(200, 300), TradeFrame::kSnapshot);  // X first
  EXPECT_EQ(d.volume.raw(), 200);
  d = DetectTrade(s, Fields(200, 300), TradeFrame::kTrade);  // then X-TRADE of the same match
  EXPECT_EQ(d.kind, TradeDetect::kDuplicate);
}

TEST(DetectTradeTest, FirstFrameMidDayBaselinesEarlierVolume) {
  SymbolState s;
  auto d = DetectTrade(s, Fields(100, 5'000'000), TradeFrame::kTrade);
  EXPECT_EQ(d.kind, TradeDetect::kTrade);
  EXPECT_EQ(d.volume.raw(), 100);  // only the trade this frame reports
  EXPECT_EQ(s.baseline_volume.raw(), 4'999'900);

  SymbolState x;
  d = DetectTrade(x, Fields(100, 5'000'000),
                  TradeFrame::kSnapshot);  // a snapshot may be a re-sent old trade: baseline only
  EXPECT_EQ(d.kind, TradeDetect::kBaseline);
  EXPECT_EQ(x.baseline_volume.raw(), 5'000'000);

  SymbolState first;
  d = DetectTrade(first, Fields(700, 700),
                  TradeFrame::kSnapshot);  // the day's first print in a snapshot counts
  EXPECT_EQ(d.kind, TradeDetect::kTrade);
  EXPECT_EQ(d.volume.raw(), 700);
}

TEST(DetectTradeTest, ADecreaseIsStaleInOrOutOfOrderAndTheCursorNeverMovesBack) {
  SymbolState s;
  DetectTrade(s, Fields(1000, 1000), TradeFrame::kTrade);
  auto d = DetectTrade(s, Fields(100, 900), TradeFrame::kTrade, Arrival::kLate);
  EXPECT_EQ(d.kind, TradeDetect::kStale);
  EXPECT_EQ(s.cursor.raw(), 1000);
  d = DetectTrade(s, Fields(100, 200), TradeFrame::kTrade, Arrival::kInOrder);
  EXPECT_EQ(d.kind, TradeDetect::kStale);
  EXPECT_EQ(d.volume.raw(), 0);
  EXPECT_EQ(s.cursor.raw(), 1000);
  d = DetectTrade(s, Fields(50, 1050), TradeFrame::kTrade);
  EXPECT_EQ(d.volume.raw(), 50);
}

TEST(DetectTradeTest, MissingTotalVolCountsLastVolWithoutDedupe) {
  SymbolState s;
  auto d = DetectTrade(s, Fields(100, std::nullopt), TradeFrame::kTrade);
  EXPECT_EQ(d.kind, TradeDetect::kTrade);
  EXPECT_TRUE(d.no_total);
  d = DetectTrade(s, Fields(100, std::nullopt), TradeFrame::kTrade);
  EXPECT_EQ(d.volume.raw(), 100);  // documented: cannot be deduplicated
  d = DetectTrade(s, Fields(100, std::nullopt), TradeFrame::kSnapshot);
  EXPECT_EQ(d.kind, TradeDetect::kNone);  // a snapshot without TotalVol is never a trade
}

TEST(ValueTest, StockValueIsPriceTimesVolumeInVnd) {
  EXPECT_EQ(TradeValue(Price::FromInt(22950), Volume{100}, 1).raw(), 2'295'000);
  EXPECT_EQ(TradeValue(Price::FromRaw(12839000), Volume{3}, 100'000).raw(),
            385'170'000);  // 1283.9 pts x 3 x 100,000
}

TEST(ValueTest, VwapStocksAndFutures) {
  FlowStats f;
  f.Add(Aggressor::kBuy, Volume{100}, TradeValue(Price::FromInt(100), Volume{100}, 1));
  f.Add(Aggressor::kSell, Volume{300}, TradeValue(Price::FromInt(104), Volume{300}, 1));
  EXPECT_EQ(Vwap(f, 1), Price::FromInt(103));
  FlowStats g;
  g.Add(Aggressor::kNeutral, Volume{2}, TradeValue(Price::FromRaw(12839000), Volume{2}, 100'000));
  EXPECT_EQ(Vwap(g, 100'000), Price::FromRaw(12839000));
  EXPECT_EQ(Vwap(FlowStats{}, 1).raw, 0);
}

TEST(SessionBucketTest, Mapping) {
  EXPECT_EQ(BucketOf(Session::kAto), SessionBucket::kAto);
  EXPECT_EQ(BucketOf(Session::kAtc), SessionBucket::kAtc);
  EXPECT_EQ(BucketOf(Session::kLo), SessionBucket::kContinuous);
  EXPECT_EQ(BucketOf(Session::kPt), SessionBucket::kPt);  // put-through: its own bucket, not continuous
  EXPECT_EQ(BucketOf(Session::kClosed), SessionBucket::kPt);
  EXPECT_EQ(BucketOf(Session::kUnknown), SessionBucket::kContinuous);
  EXPECT_EQ(ToString(SessionBucket::kPt), "pt");
}

}  // namespace
}  // namespace vnt::core
