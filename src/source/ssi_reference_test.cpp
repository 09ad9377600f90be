// The SSI client's REST reference frames (ssi/protocol.h ReferenceFrame) through the normal path: the
// decoder makes an X-TRADE event of them and the engine takes the reference, ceiling and floor, and nothing
// else (no trade, no volume cursor, no session, no indicative price change).
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "core/engine.h"
#include "feed/decoder.h"
#include "ssi/protocol.h"

namespace vnt::source {
namespace {

core::MarketEvent DecodeOne(const std::string& frame) {
  feed::Decoder dec;
  feed::DecodeOutput out;
  EXPECT_TRUE(dec.Decode(frame, out)) << (out.errors.empty() ? "" : out.errors[0].detail);
  EXPECT_EQ(out.events.size(), 1u);
  return out.events.empty() ? core::MarketEvent{} : out.events[0];
}

Price Px(double v) {
  return Price::FromRaw(std::llround(v * 10000));
}

core::TradeEvent Trade(const char* sym, int h, int m, int s, double px, std::int64_t vol, std::int64_t total,
                       Session session = Session::kLo) {
  core::TradeEvent e;
  e.h.channel = core::Channel::kTrade;
  e.h.symbol = Symbol::Of(sym);
  e.h.time = ExchangeTime{Date::Of(2026, 3, 18), TimeOfDay::Of(h, m, s)};
  e.h.session = session;
  e.t.last_price = Px(px);
  e.t.last_vol = Volume{vol};
  e.t.total_vol = Volume{total};
  return e;
}

TEST(SsiReferenceFrame, DecodesToAReferenceOnlyTradeEvent) {
  const core::MarketEvent ev =
      DecodeOne(ssi::ReferenceFrame({"FPT", "18/03/2026", "77350", "82700", "72000"}));
  const auto* t = std::get_if<core::TradeEvent>(&ev);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->h.symbol, Symbol::Of("FPT"));
  EXPECT_EQ(t->h.session, Session::kUnknown);
  EXPECT_EQ(t->h.time.date, Date::Of(2026, 3, 18));
  EXPECT_EQ(t->t.ref_price, Px(77350));
  EXPECT_EQ(t->t.ceiling, Px(82700));
  EXPECT_EQ(t->t.floor, Px(72000));
  EXPECT_FALSE(t->t.last_price);
  EXPECT_FALSE(t->t.last_vol);
  EXPECT_FALSE(t->t.total_vol);
}

TEST(SsiReferenceFrame, EngineKnowsTheReferenceBeforeTheFirstTradeAndCountsNothing) {
  core::MarketEngine eng{core::EngineConfig{}};
  eng.Apply(DecodeOne(ssi::ReferenceFrame({"FPT", "18/03/2026", "77350", "82700", "72000"})));
  const core::SymbolState* s = eng.FindSymbol(Symbol::Of("FPT"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->ref, Px(77350));
  EXPECT_EQ(s->ceiling, Px(82700));
  EXPECT_EQ(s->floor, Px(72000));
  EXPECT_EQ(s->last.raw, 0);
  EXPECT_EQ(s->volume().raw(), 0);
  EXPECT_FALSE(s->has_cursor);  // the first stream frame still sets the day's baseline
  EXPECT_EQ(s->session, Session::kUnknown);
  EXPECT_EQ(eng.counters().trades_counted, 0u);

  // The first trade of the day then counts as usual, against the REST reference.
  eng.Apply(Trade("FPT", 9, 15, 0, 77500, 100, 100));
  EXPECT_EQ(s->volume().raw(), 100);
  EXPECT_EQ(s->change(), Px(150));
}

TEST(SsiReferenceFrame, ALateReferenceFrameOfTheSameDayStillApplies) {
  core::MarketEngine eng{core::EngineConfig{}};
  // The stream got there first (a quote-less trade frame without reference fields).
  eng.Apply(Trade("VNM", 9, 0, 5, 61000, 200, 200, Session::kAto));
  const core::SymbolState* s = eng.FindSymbol(Symbol::Of("VNM"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->ref.raw, 0);
  eng.Apply(DecodeOne(ssi::ReferenceFrame({"VNM", "18/03/2026", "60500", "64700", "56300"})));
  EXPECT_EQ(s->ref, Px(60500));
  EXPECT_EQ(s->ceiling, Px(64700));
  EXPECT_EQ(s->floor, Px(56300));
  EXPECT_EQ(s->volume().raw(), 200);  // nothing counted twice or reset
  EXPECT_EQ(s->session, Session::kAto);
  // Another day's reference never lands on today's symbol.
  eng.Apply(DecodeOne(ssi::ReferenceFrame({"VNM", "17/03/2026", "1", "2", "1"})));
  EXPECT_EQ(s->ref, Px(60500));
}

TEST(SsiReferenceFrame, KeepsTheAuctionIndicativePrice) {
  core::MarketEngine eng{core::EngineConfig{}};
  core::TradeEvent est;
  est.h.channel = core::Channel::kTrade;
  est.h.symbol = Symbol::Of("FPT");
  est.h.time = ExchangeTime{Date::Of(2026, 3, 18), TimeOfDay::Of(9, 5, 0)};
  est.h.session = Session::kAto;
  est.t.est_matched_price = Px(77600);
  eng.Apply(est);
  const core::SymbolState* s = eng.FindSymbol(Symbol::Of("FPT"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->indicative, Px(77600));
  eng.Apply(DecodeOne(ssi::ReferenceFrame({"FPT", "18/03/2026", "77350", "82700", "72000"})));
  EXPECT_EQ(s->indicative, Px(77600));  // a frame without TradingSession says nothing about the auction
  EXPECT_EQ(s->ref, Px(77350));
}

}  // namespace
}  // namespace vnt::source
