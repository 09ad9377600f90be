#include <gtest/gtest.h>

#include "core/engine_test_util.h"

namespace vnt::core {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the shared fixtures of the engine tests

// ---------------------------------------------------------------------------------------------------------
// Trades and classification

TEST(EngineTradeTest, SnapshotTradeIsClassifiedAgainstTheBookBeforeTheFrame) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XQuote(kFpt, At(10, 0, 0), 22900, 22950));
  // The trade lifted the 22950 offer; the frame's own book already shows 22950 bid / 23000 ask. Against the
  // new book the price would be "at the bid" (a sell); against the book before it is at the ask (a buy).
  eng.Apply(XSnap(kFpt, At(10, 0, 1), 22950, 100, 100, 22950, 23000));
  ASSERT_EQ(sink.trades.size(), 1u);
  EXPECT_EQ(sink.trades[0].side, Aggressor::kBuy);
  EXPECT_EQ(sink.trades[0].method, ClassifyMethod::kQuote);
  EXPECT_EQ(sink.trades[0].ask, Px(22950));
  EXPECT_EQ(sink.trades[0].source, core::Channel::kSnapshot);
  // Next trade at 22950 against the 22950/23000 book that prevailed before it: a sell.
  eng.Apply(XSnap(kFpt, At(10, 0, 2), 22950, 200, 300, 22900, 22950));
  ASSERT_EQ(sink.trades.size(), 2u);
  EXPECT_EQ(sink.trades[1].side, Aggressor::kSell);
  EXPECT_EQ(sink.trades[1].volume.raw(), 200);
  const SymbolState* s = eng.FindSymbol(kFpt);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->total.buy_vol.raw(), 100);
  EXPECT_EQ(s->total.sell_vol.raw(), 200);
  EXPECT_EQ(BestPrices(s->book).bid, Px(22900));  // the frame's book was applied after classification
}

TEST(EngineTradeTest, ExchangeQuoteTickAndAuctionMethods) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XTrade(kFpt, At(9, 14, 0), 100, 1000, 1000, Side::kUnknown, Session::kAto));
  eng.Apply(XTrade(kFpt, At(9, 15, 1), 101, 10, 1010, Side::kSell));
  eng.Apply(XQuote(kFpt, At(9, 15, 2), 100, 102));
  eng.Apply(XTrade(kFpt, At(9, 15, 3), 102, 20, 1030));
  eng.Apply(XTrade(kFpt, At(9, 15, 4), 101, 30, 1060));  // inside the spread, down-tick
  ASSERT_EQ(sink.trades.size(), 4u);
  EXPECT_EQ(sink.trades[0].method, ClassifyMethod::kAuction);
  EXPECT_EQ(sink.trades[0].side, Aggressor::kNeutral);
  EXPECT_EQ(sink.trades[0].bucket, SessionBucket::kAto);
  EXPECT_EQ(sink.trades[1].method, ClassifyMethod::kExchange);
  EXPECT_EQ(sink.trades[1].side, Aggressor::kSell);
  EXPECT_EQ(sink.trades[2].method, ClassifyMethod::kQuote);
  EXPECT_EQ(sink.trades[2].side, Aggressor::kBuy);
  EXPECT_EQ(sink.trades[3].method, ClassifyMethod::kTick);
  EXPECT_EQ(sink.trades[3].side, Aggressor::kSell);
}

TEST(EngineTradeTest, SnapshotAndTradeFrameOfOneMatchCountOnce) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 100, 100));
  eng.Apply(XSnap(kFpt, At(10, 0, 0), 100, 100, 100, 99, 101));   // X of the same match
  eng.Apply(XSnap(kFpt, At(10, 0, 1), 101, 200, 300, 100, 102));  // X first this time
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 101, 200, 300));           // then X-TRADE of that match
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume().raw(), 300);
  EXPECT_EQ(s->total.trade_count, 2);
  EXPECT_EQ(eng.counters().trades_counted, 2u);
  EXPECT_EQ(eng.counters().duplicates_skipped, 1u);
  EXPECT_EQ(eng.counters().quote_only_snapshots, 1u);
}

TEST(EngineTradeTest, RepeatedFrameCountedOnce) {
  MarketEngine eng(Config());
  const auto f = XTrade(kFpt, At(10, 0, 0), 100, 500, 500);
  eng.Apply(f);
  eng.Apply(f);  // re-sent after a reconnect
  eng.Apply(f);
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume().raw(), 500);
  EXPECT_EQ(eng.counters().duplicates_skipped, 2u);
}

TEST(EngineTradeTest, QuoteOnlySnapshotsAddNoVolume) {
  // The original re-added LastVol on every X frame, including book-only updates (original-analysis §A14.1).
  MarketEngine eng(Config());
  eng.Apply(XSnap(kFpt, At(10, 0, 0), 100, 700, 700, 99, 101));
  for (int i = 1; i <= 50; ++i) eng.Apply(XSnap(kFpt, At(10, 0, i), 100, 700, 700, 99 - i % 3, 101 + i % 2));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume().raw(), 700);
  EXPECT_EQ(s->total.trade_count, 1);
  EXPECT_EQ(eng.counters().quote_only_snapshots, 50u);
}

TEST(EngineTradeTest, MissingTotalVolCountsLastVol) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 100, std::nullopt));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 100, 50, std::nullopt));
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume().raw(), 150);
  EXPECT_EQ(eng.counters().no_total_vol_trades, 2u);
}

// Property: every trade sent as its X snapshot first and its X-TRADE (with the exchange side) second ends up
// on the exchange's side, whatever the quote and tick rules guessed from the snapshot.
TEST(EngineTradeTest, TheExchangeSideReplacesTheGuessWhenTheSnapshotCameFirst) {
  MarketEngine eng(Config());
  std::mt19937 rng(42);
  std::int64_t total = 0, buy = 0, sell = 0;
  for (int i = 0; i < 400; ++i) {
    const ExchangeTime t{kDay, TimeOfDay{10 * 3600 + i * 3}};
    const double price = 25000.0 + 50.0 * static_cast<double>(rng() % 3);
    const std::int64_t v = 100 * (1 + static_cast<std::int64_t>(rng() % 10));
    const Side side = rng() % 2 ? Side::kBuy : Side::kSell;
    (side == Side::kBuy ? buy : sell) += v;
    total += v;
    eng.Apply(XSnap(kHpg, t, price, v, total, 25000.0, 25050.0));
    eng.Apply(XTrade(kHpg, t, price, v, total, side));
  }
  const SymbolState* s = eng.FindSymbol(kHpg);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->total.buy_vol.raw(), buy);
  EXPECT_EQ(s->total.sell_vol.raw(), sell);
  EXPECT_EQ(s->total.neutral_vol.raw(), 0);
  EXPECT_GT(eng.counters().reattributed_trades, 0u);
  ExpectConserved(*s);
}

TEST(EngineTradeTest, ALowerTotalVolIsAStaleFrameNeverAReset) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 100, 100));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 101, 200, 300));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 99, 100, 200));  // older, sent after its successor
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume().raw(), 300);
  EXPECT_EQ(s->last, Px(101));  // nothing of the stale frame is applied
  EXPECT_EQ(eng.counters().stale_frames, 1u);
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 101, 100, 400));
  EXPECT_EQ(s->volume().raw(), 400);  // was 500: the cursor had moved back to 200
  EXPECT_EQ(s->volume(), s->feed_total_vol - s->baseline_volume);
  ExpectConserved(*s);
}

// Property: for any order of neighbouring frames (swapped within their second, repeated), every symbol's
// counted volume is the feed's TotalVol minus the baseline, and buy + sell + neutral = total.
TEST(EngineTradeTest, SwappedAndRepeatedNeighboursKeepTotalEqualToFeedMinusBaseline) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    struct F {
      int sec;
      double price;
      std::int64_t vol, total;
      bool snapshot;
    };
    std::vector<F> frames;
    std::int64_t total = 50'000;  // joined mid-session: a baseline
    int sec = 10 * 3600;
    for (int i = 0; i < 3600; ++i) {
      if (rng() % 3 == 0) ++sec;  // several frames per second
      const std::int64_t v = 100 * (1 + static_cast<std::int64_t>(rng() % 30));
      total += v;
      frames.push_back(F{sec, 25000.0 + 50.0 * static_cast<double>(rng() % 7), v, total, rng() % 2 == 0});
    }
    // Swap neighbours (the feed keeps order only to the second) and repeat some frames.
    for (std::size_t i = 0; i + 1 < frames.size(); ++i)
      if (rng() % 4 == 0) std::swap(frames[i], frames[i + 1]);
    std::vector<F> sent;
    for (const F& f : frames) {
      sent.push_back(f);
      if (rng() % 10 == 0) sent.push_back(f);
    }
    MarketEngine eng(Config());
    for (const F& f : sent) {
      const ExchangeTime t{kDay, TimeOfDay{f.sec}};
      if (f.snapshot)
        eng.Apply(XSnap(kHpg, t, f.price, f.vol, f.total, f.price - 50, f.price));
      else
        eng.Apply(XTrade(kHpg, t, f.price, f.vol, f.total, Side::kUnknown));
    }
    const SymbolState* s = eng.FindSymbol(kHpg);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->feed_total_vol.raw(), total) << "seed " << seed;
    EXPECT_EQ(s->volume(), s->feed_total_vol - s->baseline_volume) << "seed " << seed;
    EXPECT_GT(eng.counters().stale_frames, 0u);
    ExpectConserved(*s);
  }
}

TEST(EngineTradeTest, OutOfOrderFramesAreCountedAndSafe) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 10), 100, 1000, 1000));
  eng.Apply(XTrade(kFpt, At(10, 0, 5), 99, 100, 900));  // late frame from before: not a reset
  EXPECT_EQ(eng.counters().out_of_order, 1u);
  EXPECT_EQ(eng.counters().stale_frames, 1u);
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->last, Px(100));  // a late frame does not move the last price back
  eng.Apply(XTrade(kFpt, At(10, 0, 11), 100, 100, 1100));
  EXPECT_EQ(s->volume().raw(), 1100);
}

TEST(EngineTradeTest, ValuesAreVndWithoutThousandFactorAndFuturesTimes100k) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 22950, 100, 100));
  EXPECT_EQ(sink.trades.back().value.raw(), 2'295'000);
  EXPECT_EQ(eng.FindSymbol(kFpt)->total.value().raw(), 2'295'000);
  EXPECT_EQ(eng.FindSymbol(kFpt)->vwap(), Px(22950));
  eng.Apply(XTrade(kF1, At(10, 0, 0), 1283.9, 3, 3));
  EXPECT_EQ(sink.trades.back().value.raw(), 385'170'000);
  EXPECT_TRUE(sink.trades.back().futures);
  const FuturesState* f = eng.FindContract("VN30F2603");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->value.raw(), 385'170'000);
  EXPECT_EQ(f->volume.raw(), 3);
  EXPECT_EQ(eng.FindSymbol(kF1)->vwap(), Px(1283.9));
}

TEST(EngineTradeTest, PerSessionBuckets) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(9, 14, 59), 100, 1000, 1000, Side::kUnknown, Session::kAto));
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 101, 200, 1200, Side::kBuy, Session::kLo));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 100, 300, 1500, Side::kSell, Session::kLo));
  eng.Apply(XTrade(kFpt, At(14, 45, 0), 102, 5000, 6500, Side::kUnknown, Session::kAtc));
  const SymbolState* s = eng.FindSymbol(kFpt);
  const FlowStats& ato = s->buckets[static_cast<std::size_t>(SessionBucket::kAto)];
  const FlowStats& lo = s->buckets[static_cast<std::size_t>(SessionBucket::kContinuous)];
  const FlowStats& atc = s->buckets[static_cast<std::size_t>(SessionBucket::kAtc)];
  EXPECT_EQ(ato.neutral_vol.raw(), 1000);
  EXPECT_EQ(ato.volume().raw(), 1000);
  EXPECT_EQ(lo.buy_vol.raw(), 200);
  EXPECT_EQ(lo.sell_vol.raw(), 300);
  EXPECT_EQ(lo.buy_val.raw(), 20'200);
  EXPECT_EQ(lo.trade_count, 2);
  EXPECT_EQ(Vwap(lo, 1), Px((200 * 101 + 300 * 100) / 500.0));
  EXPECT_EQ(atc.neutral_vol.raw(), 5000);
  EXPECT_EQ(s->volume().raw(), 6500);
  EXPECT_EQ(s->open, Px(100));
  EXPECT_EQ(s->high, Px(102));
  EXPECT_EQ(s->low, Px(100));
  ExpectConserved(*s);
}

TEST(EngineTradeTest, SessionFromStatusChannelAppliesToTradesWithoutSession) {
  MarketEngine eng(Config());
  core::StatusEvent f;
  f.h = Hdr(core::Channel::kStatus, kFpt, At(14, 30, 0), Session::kAtc);
  f.trading_status = "N";
  eng.Apply(f);
  eng.Apply(XTrade(kFpt, At(14, 45, 0), 100, 500, 500, Side::kBuy, Session::kUnknown));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->session, Session::kAtc);
  EXPECT_EQ(s->trading_status, "N");
  EXPECT_EQ(s->buckets[static_cast<std::size_t>(SessionBucket::kAtc)].neutral_vol.raw(), 500);
}

TEST(EngineTradeTest, ConservationOverLongRandomSequence) {
  MarketEngine eng(Config());
  std::mt19937 rng(12345);
  const std::array<Symbol, 4> syms = {kFpt, kVnm, Symbol::Of("ZZZ"), kF1};
  std::map<std::string, std::int64_t> truth;  // true cumulative volume per symbol
  std::map<std::string, double> price;
  int sec = 9 * 3600 + 15 * 60;
  for (int step = 0; step < 20000; ++step) {
    const Symbol sym = syms[rng() % syms.size()];
    const std::string key(sym.view());
    if (!price.count(key)) price[key] = sym == kF1 ? 1280 : 25000;
    sec += static_cast<int>(rng() % 2);
    const ExchangeTime t{kDay, TimeOfDay{sec}};
    const int kind = static_cast<int>(rng() % 10);
    const Session session = sec < 9 * 3600 + 15 * 60 + 200    ? Session::kAto
                            : sec > 9 * 3600 + 15 * 60 + 7000 ? Session::kAtc
                                                              : Session::kLo;
    const double tick = sym == kF1 ? 0.1 : 50;
    price[key] += tick * (static_cast<int>(rng() % 3) - 1);
    if (kind <= 3) {
      const std::int64_t v = 10 * (1 + static_cast<std::int64_t>(rng() % 50));
      truth[key] += v;
      const Side side = rng() % 3 == 0 ? Side::kBuy : rng() % 2 ? Side::kSell : Side::kUnknown;
      auto e = XTrade(sym, t, price[key], v, truth[key], side, session);
      eng.Apply(e);
      if (rng() % 4 == 0) eng.Apply(e);  // repeat
      if (rng() % 4 == 0) {              // the X snapshot of the same match
        eng.Apply(XSnap(sym, t, price[key], v, truth[key], price[key] - tick, price[key] + tick, session));
      }
    } else if (kind <= 5) {
      const std::int64_t v = 10 * (1 + static_cast<std::int64_t>(rng() % 50));
      truth[key] += v;
      eng.Apply(XSnap(sym, t, price[key], v, truth[key], price[key] - tick, price[key] + tick, session));
    } else if (kind <= 7) {
      eng.Apply(XSnap(sym, t, price[key], 10, truth[key], price[key] - 2 * tick, price[key] + tick, session));
    } else {
      eng.Apply(XQuote(sym, t, price[key] - tick, price[key] + tick, session));
    }
    const SymbolState* s = eng.FindSymbol(sym);
    ASSERT_NE(s, nullptr);
    ExpectConserved(*s);
    if (::testing::Test::HasFailure()) FAIL() << "step " << step;
  }
  // Each rise of the cumulative volume was counted exactly once whatever the channel mix and repeats.
  for (const Symbol& sym : syms) {
    const SymbolState* s = eng.FindSymbol(sym);
    EXPECT_EQ(s->volume().raw(), truth[std::string(sym.view())]) << sym.view();
    Volume candle_vol = s->candles.open_candle() ? s->candles.open_candle()->volume : Volume{};
    for (std::size_t i = 0; i < s->candles.closed().size(); ++i) candle_vol += s->candles.closed()[i].volume;
    EXPECT_EQ(candle_vol, s->volume()) << sym.view();  // nothing late, so candles add up too
    Volume profile_vol{};
    for (const auto& [p, lvl] : s->profile) profile_vol += lvl.total();
    EXPECT_EQ(profile_vol, s->volume());
  }
}

TEST(EngineTradeTest, ConservationWithResetsGapsAndDisorder) {
  MarketEngine eng(Config());
  std::mt19937 rng(777);
  std::int64_t total = 0;
  int sec = 10 * 3600;
  for (int step = 0; step < 5000; ++step) {
    sec += 1;
    int t_sec = sec - (rng() % 8 == 0 ? static_cast<int>(rng() % 5) : 0);  // sometimes late
    const ExchangeTime t{kDay, TimeOfDay{t_sec}};
    const int kind = static_cast<int>(rng() % 12);
    if (kind == 0) {
      total = total / 2;  // feed reset
    } else if (kind == 1) {
      total += 1000;  // missed frames
    }
    const std::int64_t v = 10 * (1 + static_cast<std::int64_t>(rng() % 20));
    total += v;
    std::optional<std::int64_t> tv = total;
    if (kind == 2) tv.reset();
    if (rng() % 2) {
      eng.Apply(XTrade(kHpg, t, 25000 + 50.0 * static_cast<double>(rng() % 5), v, tv, Side::kUnknown));
    } else {
      eng.Apply(XSnap(kHpg, t, 25000 + 50.0 * static_cast<double>(rng() % 5), v, total, 24950, 25100));
    }
    ExpectConserved(*eng.FindSymbol(kHpg));
    if (::testing::Test::HasFailure()) FAIL() << "step " << step;
  }
  EXPECT_GT(eng.counters().stale_frames,
            0u);  // after a fall, frames stay stale until TotalVol passes the count
  EXPECT_GT(eng.counters().unattributed_volume, 0u);
}

TEST(EngineTradeTest, JoiningMidDayBaselinesAndMissedFramesAreNeutral) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XSnap(kVnm, At(11, 0, 0), 60000, 100, 2'000'000, 59900, 60000));  // joined mid-day
  eng.Apply(XTrade(kFpt, At(11, 0, 0), 100, 100, 5'000'000, Side::kBuy));
  EXPECT_EQ(eng.counters().baselines, 1u);
  EXPECT_EQ(eng.FindSymbol(kVnm)->volume().raw(), 0);
  EXPECT_EQ(eng.FindSymbol(kVnm)->baseline_volume.raw(), 2'000'000);
  EXPECT_EQ(eng.FindSymbol(kVnm)->last, Px(60000));  // the feed's last price is still shown
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume().raw(), 100);
  EXPECT_EQ(eng.FindSymbol(kFpt)->baseline_volume.raw(), 4'999'900);
  // 300 shares of frames were missed before this 200-share buy: they are counted, but as neutral.
  eng.Apply(XTrade(kFpt, At(11, 0, 5), 100, 200, 5'000'500, Side::kBuy));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume().raw(), 600);
  EXPECT_EQ(s->total.buy_vol.raw(), 300);
  EXPECT_EQ(s->total.neutral_vol.raw(), 300);
  EXPECT_EQ(s->total.trade_count, 2);
  EXPECT_EQ(sink.trades.back().volume.raw(), 200);
  EXPECT_EQ(sink.trades.back().unattributed.raw(), 300);
  EXPECT_EQ(eng.counters().unattributed_volume, 300u);
  ExpectConserved(*s);
}

TEST(EngineTradeTest, OddLotBoardDoesNotTouchMainBoardCounting) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 1000, 1000));
  core::OddLotEvent ol;
  ol.h = Hdr(core::Channel::kOddLot, kFpt, At(10, 0, 1), Session::kLo);
  ol.t.last_price = Px(99);
  ol.t.last_vol = Volume{7};
  ol.t.total_vol = Volume{57};  // lower than the main board's TotalVol: must not look like a reset
  eng.Apply(ol);
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 100, 100, 1100));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume().raw(), 1100);
  EXPECT_EQ(s->odd_total_vol.raw(), 57);
  EXPECT_EQ(s->odd_last, Px(99));
  EXPECT_EQ(eng.counters().stale_frames, 0u);
}

TEST(EngineTradeTest, EventsWithoutSymbolAreCountedAndIgnored) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(Symbol{}, At(10, 0, 0), 100, 100, 100));
  EXPECT_EQ(eng.counters().empty_symbol_events, 1u);
  EXPECT_TRUE(eng.symbols().empty());
}

TEST(EngineTradeTest, UnknownSymbolsTrackedAndCounted) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(Symbol::Of("ZZZ"), At(10, 0, 0), 10000, 100, 100));
  eng.Apply(XTrade(Symbol::Of("ZZZ"), At(10, 0, 1), 10000, 100, 200));
  eng.Apply(XTrade(Symbol::Of("VN30FXYZ"), At(10, 0, 1), 1000, 1, 1));   // prefix alone is not a contract
  eng.Apply(XTrade(Symbol::Of("41I2G3000"), At(10, 0, 1), 1000, 1, 1));  // VN100 futures: not VN30
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 10000, 100, 100));
  EXPECT_EQ(eng.counters().unknown_symbols, 3u);
  EXPECT_EQ(eng.counters().unknown_symbol_events, 4u);
  EXPECT_EQ(eng.FindSymbol(Symbol::Of("ZZZ"))->volume().raw(), 200);
  EXPECT_EQ(eng.FindSymbol(Symbol::Of("VN30FXYZ"))->kind, SymbolKind::kOther);
  EXPECT_EQ(eng.FindSymbol(kFpt)->kind, SymbolKind::kVn30);
  EXPECT_EQ(eng.counters().events_by_channel[static_cast<std::size_t>(core::Channel::kTrade)], 5u);
}

// ---------------------------------------------------------------------------------------------------------
// Candles

TEST(EngineCandleTest, OneMinuteCandlesWithAggressorSplit) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 100, 100, 100, Side::kBuy));
  eng.Apply(XTrade(kFpt, At(10, 0, 20), 99, 300, 400, Side::kSell));
  eng.Apply(XTrade(kFpt, At(10, 0, 40), 101, 50, 450, Side::kBuy));
  EXPECT_TRUE(sink.candles.empty());
  eng.Apply(XTrade(kFpt, At(10, 1, 0), 101, 10, 460, Side::kBuy));
  ASSERT_EQ(sink.candles.size(), 1u);
  const Candle& c = sink.candles[0];
  EXPECT_EQ(c.symbol, kFpt);
  EXPECT_EQ(c.minute, 10 * 3600);
  EXPECT_EQ(c.open, Px(100));
  EXPECT_EQ(c.high, Px(101));
  EXPECT_EQ(c.low, Px(99));
  EXPECT_EQ(c.close, Px(101));
  EXPECT_EQ(c.volume.raw(), 450);
  EXPECT_EQ(c.buy_vol.raw(), 150);
  EXPECT_EQ(c.sell_vol.raw(), 300);
  EXPECT_EQ(c.trade_count, 3);
  EXPECT_NEAR(*c.ActiveBuyRatio(), 150.0 / 450.0, 1e-12);
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->profile.at(Px(99).raw).sell_vol.raw(), 300);
  EXPECT_EQ(s->profile.at(Px(101).raw).buy_vol.raw(), 60);
  EXPECT_NEAR(*eng.ActiveBuyRatioWindow(*s, 5), 160.0 / 460.0, 1e-12);
  eng.FlushCandles();
  ASSERT_EQ(sink.candles.size(), 2u);
  EXPECT_EQ(sink.candles[1].volume.raw(), 10);
}

TEST(EngineCandleTest, FlushBeforeClosesOnlyEarlierMinutes) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 100, 100, 100));
  eng.Apply(XTrade(kVnm, At(10, 1, 1), 100, 100, 100));
  eng.FlushCandlesBefore(At(10, 1, 30));
  ASSERT_EQ(sink.candles.size(), 1u);
  EXPECT_EQ(sink.candles[0].symbol, kFpt);
  EXPECT_TRUE(eng.FindSymbol(kVnm)->candles.open_candle());
}

}  // namespace
}  // namespace vnt::core
