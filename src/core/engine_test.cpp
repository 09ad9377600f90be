#include "core/engine.h"

#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

// 2026-03-10 is a Tuesday; the March 2026 contract (41I1G3000 / VN30F2603) expires Thursday 2026-03-19.
constexpr Date kDay = Date::Of(2026, 3, 10);
constexpr Date kNextDay = Date::Of(2026, 3, 11);
const Symbol kFpt = Symbol::Of("FPT");
const Symbol kVnm = Symbol::Of("VNM");
const Symbol kHpg = Symbol::Of("HPG");
const Symbol kSsi = Symbol::Of("SSI");
const Symbol kF1 = Symbol::Of("41I1G3000");  // March 2026
const Symbol kF2 = Symbol::Of("41I1G4000");  // April 2026

Price Px(double v) {
  return Price::FromRaw(std::llround(v * 10000));
}
ExchangeTime At(int h, int m, int s, Date d = kDay) {
  return ExchangeTime{d, TimeOfDay::Of(h, m, s)};
}

core::Header Hdr(core::Channel ch, Symbol sym, ExchangeTime t, Session session) {
  core::Header h;
  h.channel = ch;
  h.symbol = sym;
  h.time = t;
  h.session = session;
  return h;
}

core::TradeEvent XTrade(Symbol sym, ExchangeTime t, double price, Volume last_vol,
                        std::optional<Volume> total_vol, Side side = Side::kUnknown,
                        Session session = Session::kLo) {
  core::TradeEvent e;
  e.h = Hdr(core::Channel::kTrade, sym, t, session);
  e.t.last_price = Px(price);
  e.t.last_vol = last_vol;
  e.t.total_vol = total_vol;
  e.t.side = side;
  return e;
}

core::Book BookOf(double bid, double ask, Volume vol = 1000) {
  core::Book b;
  if (bid > 0) b.bids[b.bid_count++] = core::Level{Px(bid), vol};
  if (ask > 0) b.asks[b.ask_count++] = core::Level{Px(ask), vol};
  return b;
}

core::QuoteEvent XQuote(Symbol sym, ExchangeTime t, double bid, double ask, Session session = Session::kLo) {
  core::QuoteEvent e;
  e.h = Hdr(core::Channel::kQuote, sym, t, session);
  e.book = BookOf(bid, ask);
  return e;
}

core::SnapshotEvent XSnap(Symbol sym, ExchangeTime t, double last, Volume last_vol, Volume total_vol,
                          double bid, double ask, Session session = Session::kLo) {
  core::SnapshotEvent e;
  e.h = Hdr(core::Channel::kSnapshot, sym, t, session);
  e.t.last_price = Px(last);
  e.t.last_vol = last_vol;
  e.t.total_vol = total_vol;
  e.book = BookOf(bid, ask);
  return e;
}

core::IndexEvent Mi(std::string_view id, ExchangeTime t, double value, double prior = 0,
                    Session session = Session::kUnknown) {
  core::IndexEvent e;
  e.h = Hdr(core::Channel::kIndex, Symbol::Of(id), t, session);
  e.value = Px(value);
  if (prior > 0) e.prior_value = Px(prior);
  return e;
}

core::ForeignRoomEvent R(Symbol sym, ExchangeTime t, Volume buy, Volume sell, Vnd buy_val, Vnd sell_val) {
  core::ForeignRoomEvent e;
  e.h = Hdr(core::Channel::kForeign, sym, t, Session::kUnknown);
  e.buy_vol = buy;
  e.sell_vol = sell;
  e.buy_val = buy_val;
  e.sell_val = sell_val;
  return e;
}

EngineConfig Config() {
  EngineConfig c;
  c.vn30 = {kFpt, kVnm, kHpg, kSsi};
  return c;
}

void ExpectConserved(const SymbolState& s) {
  EXPECT_EQ(s.total.buy_vol + s.total.sell_vol + s.total.neutral_vol, s.volume());
  Volume sum = 0;
  Vnd val = 0;
  std::int64_t trades = 0;
  for (const FlowStats& b : s.buckets) {
    sum += b.volume();
    val += b.value();
    trades += b.trade_count;
  }
  EXPECT_EQ(sum, s.volume());
  EXPECT_EQ(val, s.total.value());
  EXPECT_EQ(trades, s.total.trade_count);
}

struct RecordingSink : MarketSink {
  std::vector<ClassifiedTrade> trades;
  std::vector<Alert> alerts;
  std::vector<Candle> candles;
  std::vector<Symbol> indices;
  std::vector<std::pair<Symbol, Session>> sessions;
  std::vector<Date> days;
  int futures_changes = 0;
  int foreign_changes = 0;
  void OnTrade(const ClassifiedTrade& t) override { trades.push_back(t); }
  void OnAlert(const Alert& a) override { alerts.push_back(a); }
  void OnCandleClosed(const Candle& c) override { candles.push_back(c); }
  void OnIndexChanged(Symbol s) override { indices.push_back(s); }
  void OnSessionChanged(Symbol s, Session x) override { sessions.emplace_back(s, x); }
  void OnDayStarted(Date d) override { days.push_back(d); }
  void OnFuturesChanged(const FuturesState&) override { ++futures_changes; }
  void OnForeignChanged(Symbol) override { ++foreign_changes; }
  int CountAlerts(AlertType t) const {
    int n = 0;
    for (const Alert& a : alerts) n += a.type == t;
    return n;
  }
};

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
  EXPECT_EQ(sink.trades[1].volume, 200);
  const SymbolState* s = eng.FindSymbol(kFpt);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->total.buy_vol, 100);
  EXPECT_EQ(s->total.sell_vol, 200);
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
  EXPECT_EQ(s->volume(), 300);
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
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume(), 500);
  EXPECT_EQ(eng.counters().duplicates_skipped, 2u);
}

TEST(EngineTradeTest, QuoteOnlySnapshotsAddNoVolume) {
  // The original re-added LastVol on every X frame, including book-only updates (original-analysis §A14.1).
  MarketEngine eng(Config());
  eng.Apply(XSnap(kFpt, At(10, 0, 0), 100, 700, 700, 99, 101));
  for (int i = 1; i <= 50; ++i) eng.Apply(XSnap(kFpt, At(10, 0, i), 100, 700, 700, 99 - i % 3, 101 + i % 2));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume(), 700);
  EXPECT_EQ(s->total.trade_count, 1);
  EXPECT_EQ(eng.counters().quote_only_snapshots, 50u);
}

TEST(EngineTradeTest, MissingTotalVolCountsLastVol) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 100, std::nullopt));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 100, 50, std::nullopt));
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume(), 150);
  EXPECT_EQ(eng.counters().no_total_vol_trades, 2u);
}

// Property: every trade sent as its X snapshot first and its X-TRADE (with the exchange side) second ends up
// on the exchange's side, whatever the quote and tick rules guessed from the snapshot.
TEST(EngineTradeTest, TheExchangeSideReplacesTheGuessWhenTheSnapshotCameFirst) {
  MarketEngine eng(Config());
  std::mt19937 rng(42);
  Volume total = 0, buy = 0, sell = 0;
  for (int i = 0; i < 400; ++i) {
    const ExchangeTime t{kDay, TimeOfDay{10 * 3600 + i * 3}};
    const double price = 25000.0 + 50.0 * static_cast<double>(rng() % 3);
    const Volume v = 100 * (1 + static_cast<Volume>(rng() % 10));
    const Side side = rng() % 2 ? Side::kBuy : Side::kSell;
    (side == Side::kBuy ? buy : sell) += v;
    total += v;
    eng.Apply(XSnap(kHpg, t, price, v, total, 25000.0, 25050.0));
    eng.Apply(XTrade(kHpg, t, price, v, total, side));
  }
  const SymbolState* s = eng.FindSymbol(kHpg);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->total.buy_vol, buy);
  EXPECT_EQ(s->total.sell_vol, sell);
  EXPECT_EQ(s->total.neutral_vol, 0);
  EXPECT_GT(eng.counters().reattributed_trades, 0u);
  ExpectConserved(*s);
}

TEST(EngineTradeTest, ALowerTotalVolIsAStaleFrameNeverAReset) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 100, 100));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 101, 200, 300));
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 99, 100, 200));  // older, sent after its successor
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume(), 300);
  EXPECT_EQ(s->last, Px(101));  // nothing of the stale frame is applied
  EXPECT_EQ(eng.counters().stale_frames, 1u);
  eng.Apply(XTrade(kFpt, At(10, 0, 1), 101, 100, 400));
  EXPECT_EQ(s->volume(), 400);  // was 500: the cursor had moved back to 200
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
      Volume vol, total;
      bool snapshot;
    };
    std::vector<F> frames;
    Volume total = 50'000;  // joined mid-session: a baseline
    int sec = 10 * 3600;
    for (int i = 0; i < 3600; ++i) {
      if (rng() % 3 == 0) ++sec;  // several frames per second
      const Volume v = 100 * (1 + static_cast<Volume>(rng() % 30));
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
    EXPECT_EQ(s->feed_total_vol, total) << "seed " << seed;
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
  EXPECT_EQ(s->volume(), 1100);
}

TEST(EngineTradeTest, ValuesAreVndWithoutThousandFactorAndFuturesTimes100k) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 22950, 100, 100));
  EXPECT_EQ(sink.trades.back().value, 2'295'000);
  EXPECT_EQ(eng.FindSymbol(kFpt)->total.value(), 2'295'000);
  EXPECT_EQ(eng.FindSymbol(kFpt)->vwap(), Px(22950));
  eng.Apply(XTrade(kF1, At(10, 0, 0), 1283.9, 3, 3));
  EXPECT_EQ(sink.trades.back().value, 385'170'000);
  EXPECT_TRUE(sink.trades.back().futures);
  const FuturesState* f = eng.FindContract("VN30F2603");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->value, 385'170'000);
  EXPECT_EQ(f->volume, 3);
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
  EXPECT_EQ(ato.neutral_vol, 1000);
  EXPECT_EQ(ato.volume(), 1000);
  EXPECT_EQ(lo.buy_vol, 200);
  EXPECT_EQ(lo.sell_vol, 300);
  EXPECT_EQ(lo.buy_val, 20'200);
  EXPECT_EQ(lo.trade_count, 2);
  EXPECT_EQ(Vwap(lo, 1), Px((200 * 101 + 300 * 100) / 500.0));
  EXPECT_EQ(atc.neutral_vol, 5000);
  EXPECT_EQ(s->volume(), 6500);
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
  EXPECT_EQ(s->buckets[static_cast<std::size_t>(SessionBucket::kAtc)].neutral_vol, 500);
}

TEST(EngineTradeTest, ConservationOverLongRandomSequence) {
  MarketEngine eng(Config());
  std::mt19937 rng(12345);
  const std::array<Symbol, 4> syms = {kFpt, kVnm, Symbol::Of("ZZZ"), kF1};
  std::map<std::string, Volume> truth;  // true cumulative volume per symbol
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
      const Volume v = 10 * (1 + static_cast<Volume>(rng() % 50));
      truth[key] += v;
      const Side side = rng() % 3 == 0 ? Side::kBuy : rng() % 2 ? Side::kSell : Side::kUnknown;
      auto e = XTrade(sym, t, price[key], v, truth[key], side, session);
      eng.Apply(e);
      if (rng() % 4 == 0) eng.Apply(e);  // repeat
      if (rng() % 4 == 0) {              // the X snapshot of the same match
        eng.Apply(XSnap(sym, t, price[key], v, truth[key], price[key] - tick, price[key] + tick, session));
      }
    } else if (kind <= 5) {
      const Volume v = 10 * (1 + static_cast<Volume>(rng() % 50));
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
    EXPECT_EQ(s->volume(), truth[std::string(sym.view())]) << sym.view();
    Volume candle_vol = s->candles.open_candle() ? s->candles.open_candle()->volume : 0;
    for (std::size_t i = 0; i < s->candles.closed().size(); ++i) candle_vol += s->candles.closed()[i].volume;
    EXPECT_EQ(candle_vol, s->volume()) << sym.view();  // nothing late, so candles add up too
    Volume profile_vol = 0;
    for (const auto& [p, lvl] : s->profile) profile_vol += lvl.total();
    EXPECT_EQ(profile_vol, s->volume());
  }
}

TEST(EngineTradeTest, ConservationWithResetsGapsAndDisorder) {
  MarketEngine eng(Config());
  std::mt19937 rng(777);
  Volume total = 0;
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
    const Volume v = 10 * (1 + static_cast<Volume>(rng() % 20));
    total += v;
    std::optional<Volume> tv = total;
    if (kind == 2) tv.reset();
    if (rng() % 2) {
      eng.Apply(XTrade(kHpg, t, 25000 + 50.0 * (rng() % 5), v, tv, Side::kUnknown));
    } else {
      eng.Apply(XSnap(kHpg, t, 25000 + 50.0 * (rng() % 5), v, total, 24950, 25100));
    }
    ExpectConserved(*eng.FindSymbol(kHpg));
    if (::testing::Test::HasFailure()) FAIL() << "step " << step;
  }
  EXPECT_GT(eng.counters().stale_frames, 0u);  // after a fall, frames stay stale until TotalVol passes the count
  EXPECT_GT(eng.counters().unattributed_volume, 0u);
}

TEST(EngineTradeTest, JoiningMidDayBaselinesAndMissedFramesAreNeutral) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  eng.Apply(XSnap(kVnm, At(11, 0, 0), 60000, 100, 2'000'000, 59900, 60000));  // joined mid-day
  eng.Apply(XTrade(kFpt, At(11, 0, 0), 100, 100, 5'000'000, Side::kBuy));
  EXPECT_EQ(eng.counters().baselines, 1u);
  EXPECT_EQ(eng.FindSymbol(kVnm)->volume(), 0);
  EXPECT_EQ(eng.FindSymbol(kVnm)->baseline_volume, 2'000'000);
  EXPECT_EQ(eng.FindSymbol(kVnm)->last, Px(60000));  // the feed's last price is still shown
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume(), 100);
  EXPECT_EQ(eng.FindSymbol(kFpt)->baseline_volume, 4'999'900);
  // 300 shares of frames were missed before this 200-share buy: they are counted, but as neutral.
  eng.Apply(XTrade(kFpt, At(11, 0, 5), 100, 200, 5'000'500, Side::kBuy));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume(), 600);
  EXPECT_EQ(s->total.buy_vol, 300);
  EXPECT_EQ(s->total.neutral_vol, 300);
  EXPECT_EQ(s->total.trade_count, 2);
  EXPECT_EQ(sink.trades.back().volume, 200);
  EXPECT_EQ(sink.trades.back().unattributed, 300);
  EXPECT_EQ(eng.counters().unattributed_volume, 300u);
  ExpectConserved(*s);
}

TEST(EngineTradeTest, OddLotBoardDoesNotTouchMainBoardCounting) {
  MarketEngine eng(Config());
  eng.Apply(XTrade(kFpt, At(10, 0, 0), 100, 1000, 1000));
  core::OddLotEvent ol;
  ol.h = Hdr(core::Channel::kOddLot, kFpt, At(10, 0, 1), Session::kLo);
  ol.t.last_price = Px(99);
  ol.t.last_vol = 7;
  ol.t.total_vol = 57;  // lower than the main board's TotalVol: must not look like a reset
  eng.Apply(ol);
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 100, 100, 1100));
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->volume(), 1100);
  EXPECT_EQ(s->odd_total_vol, 57);
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
  EXPECT_EQ(eng.FindSymbol(Symbol::Of("ZZZ"))->volume(), 200);
  EXPECT_EQ(eng.FindSymbol(Symbol::Of("VN30FXYZ"))->kind, SymbolKind::kOther);
  EXPECT_EQ(eng.FindSymbol(kFpt)->kind, SymbolKind::kVn30);
  EXPECT_EQ(eng.counters().events_by_channel[static_cast<std::size_t>(core::Channel::kTrade)], 5u);
}

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
  ssi.total_room = 1'000'000;
  ssi.current_room = 250'000;
  eng.Apply(ssi);
  eng.Apply(R(Symbol::Of("ZZZ"), At(10, 0, 0), 0, 5000, 0, 500'000'000));  // not VN30
  EXPECT_EQ(sink.foreign_changes, 5);

  const ForeignTotals t = eng.Vn30ForeignTotals();
  EXPECT_EQ(t.symbols, 4);
  EXPECT_EQ(t.buy_vol, 1900);
  EXPECT_EQ(t.sell_vol, 1700);
  EXPECT_EQ(t.net_val(), 80'000'000 - 48'000'000 + 6'000'000);
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
  EXPECT_EQ(series[0].buy_vol, 1100);
  EXPECT_EQ(series[0].sell_vol, 1100);
  EXPECT_EQ(series[0].buy_val, 106'000'000);
  EXPECT_EQ(series[1].minute, 10 * 3600 + 120);
  EXPECT_EQ(series[1].buy_vol, 3200);
  EXPECT_EQ(series[1].buy_val, 312'000'000);
  const ForeignTotals t = eng.Vn30ForeignTotals();
  EXPECT_EQ(series.back().buy_vol, t.buy_vol);  // the last point is the current total
  EXPECT_EQ(series.back().sell_val, t.sell_val);
  // A new trading day starts an empty series.
  eng.Apply(R(kFpt, ExchangeTime{Date::Of(2026, 3, 11), TimeOfDay::Of(9, 15, 0)}, 10, 0, 1'000'000, 0));
  ASSERT_EQ(eng.Vn30ForeignSeries().size(), 1u);
  EXPECT_EQ(eng.Vn30ForeignSeries()[0].buy_vol, 10);
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
  eng.Apply(R(kFpt, At(10, 1, 0), 10'000, 0, 500'000'000, 0));  // 0.5 bn/min per min: below (HOSE: 50,000 VND)
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
  e.total_qtty = 1000;
  e.total_qtty_pt = 50;
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
  EXPECT_EQ(idx->all_qty, 1050);
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
  EXPECT_EQ(f->volume, 15);  // two states kept two cursors and counted the trades of both spellings
  EXPECT_EQ(f->active_buy_vol + f->active_sell_vol + f->neutral_vol, f->volume);
  EXPECT_EQ(f->baseline_vol, 114'995);
  EXPECT_EQ(f->feed_total_vol, 115'010);
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
  EXPECT_EQ(f->volume, 5);
  eng.Apply(XTrade(kF1, At(10, 1, 0), 1287.5, 2, 7));
  EXPECT_EQ(f->basis, Px(-0.5));
  EXPECT_EQ(f->volume, 7);
  EXPECT_EQ(f->history.size(), 2u);  // one point per minute
  // The contract's aggressor split, kept with its volume: 5 at 1290 (first print, no side: neutral), 2 at
  // 1287.5 (no side, below the last: the tick rule says sell), then 3 bought and 4 sold by exchange side.
  eng.Apply(XTrade(kF1, At(10, 1, 5), 1288.0, 3, 10, Side::kBuy));
  eng.Apply(XTrade(kF1, At(10, 1, 9), 1287.0, 4, 14, Side::kSell));
  EXPECT_EQ(f->active_buy_vol, 3);
  EXPECT_EQ(f->active_sell_vol, 2 + 4);
  EXPECT_EQ(f->neutral_vol, 5);
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
  std::string error;
  const auto cal = HolidayCalendar::Parse("covers 2026-01-01 2026-06-30\n", &error);
  ASSERT_TRUE(cal) << error;
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
  EXPECT_EQ(eng.FindContract("VN30F1M")->volume, 3);  // one TotalVol for the contract, whatever the code
  EXPECT_EQ(eng.FindContract("VN30F1M")->last, Px(1301.0));
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
  EXPECT_EQ(c.volume, 450);
  EXPECT_EQ(c.buy_vol, 150);
  EXPECT_EQ(c.sell_vol, 300);
  EXPECT_EQ(c.trade_count, 3);
  EXPECT_NEAR(*c.ActiveBuyRatio(), 150.0 / 450.0, 1e-12);
  const SymbolState* s = eng.FindSymbol(kFpt);
  EXPECT_EQ(s->profile.at(Px(99).raw).sell_vol, 300);
  EXPECT_EQ(s->profile.at(Px(101).raw).buy_vol, 60);
  EXPECT_NEAR(*eng.ActiveBuyRatioWindow(*s, 5), 160.0 / 460.0, 1e-12);
  eng.FlushCandles();
  ASSERT_EQ(sink.candles.size(), 2u);
  EXPECT_EQ(sink.candles[1].volume, 10);
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

// ---------------------------------------------------------------------------------------------------------
// Alerts

TEST(EngineAlertTest, TheClosingAuctionIsNotAVolumeSpike) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  Volume total = 0;
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
  EXPECT_EQ(closed.back().auction_vol, 300'000);  // kept in the candle, just not compared
  EXPECT_EQ(closed.back().volume, 300'000);
}

TEST(EngineAlertTest, VolumeSpikeAfterTenMinutes) {
  MarketEngine eng(Config());
  RecordingSink sink;
  eng.AddSink(&sink);
  Volume total = 0;
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
    static Volume total = 0;
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
  eng.AddRule(basis);
  AlertRule adv;
  adv.metric = Metric::kAdvances;
  adv.symbol = "*";
  adv.comparison = Comparison::kGt;
  adv.threshold = 20;
  eng.AddRule(adv);
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
  Volume total = 0;
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
  trade(99'950);   // within the 0.1 % hysteresis
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
  Volume total = 0;
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
  Volume total = 0;
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
  Volume total = 0;
  for (int m = 0; m < 8; ++m) {
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 0), 100 + m, 20'000, total, Side::kBuy));
    total += 20'000;
    eng.Apply(XTrade(kFpt, At(10, m, 30), 100 + m, 20'000, total, Side::kSell));
  }
  EXPECT_EQ(sink.CountAlerts(AlertType::kImbalanceExtreme), 0);
  EXPECT_EQ(sink.CountAlerts(AlertType::kVelocityDivergence), 0);
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
  eng.AddRule(r);
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
  EXPECT_EQ(s->volume(), 100);
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
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume(), 100);
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
  EXPECT_EQ(eng.FindSymbol(kFpt)->volume(), 200);
  eng.RemoveSink(&thrower);
  eng.Apply(XTrade(kFpt, At(10, 0, 2), 100, 100, 300));
  EXPECT_EQ(eng.counters().sink_errors, 2u);
}

}  // namespace
}  // namespace vnt::core
