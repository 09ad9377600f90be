#include "core/classifier.h"

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

Price P(std::int64_t v) {
  return Price::FromInt(v);
}

core::Book BookOf(std::initializer_list<std::pair<std::int64_t, std::int64_t>> bids,
                  std::initializer_list<std::pair<std::int64_t, std::int64_t>> asks) {
  core::Book b;
  for (auto [p, v] : bids) b.bids[b.bid_count++] = core::Level{P(p), Volume{v}};
  for (auto [p, v] : asks) b.asks[b.ask_count++] = core::Level{P(p), Volume{v}};
  return b;
}

TEST(ClassifierTest, ExchangeSideWins) {
  const TopOfBook top{P(100), P(101)};
  // Price at the bid would be a quote-rule sell, but the exchange says buy-up.
  auto c = Classify(P(100), Session::kLo, Side::kBuy, top, {});
  EXPECT_EQ(c.side, Aggressor::kBuy);
  EXPECT_EQ(c.method, ClassifyMethod::kExchange);
  c = Classify(P(101), Session::kLo, Side::kSell, top, {});
  EXPECT_EQ(c.side, Aggressor::kSell);
  EXPECT_EQ(c.method, ClassifyMethod::kExchange);
}

TEST(ClassifierTest, AuctionIsNeutralEvenWithExchangeSide) {
  const TopOfBook top{P(100), P(101)};
  auto c = Classify(P(101), Session::kAto, Side::kBuy, top, {});
  EXPECT_EQ(c.side, Aggressor::kNeutral);
  EXPECT_EQ(c.method, ClassifyMethod::kAuction);
  c = Classify(P(99), Session::kAtc, Side::kUnknown, top, {});
  EXPECT_EQ(c.method, ClassifyMethod::kAuction);
}

TEST(ClassifierTest, QuoteRule) {
  const TopOfBook top{P(100), P(102)};
  auto c = Classify(P(102), Session::kLo, Side::kUnknown, top, {});
  EXPECT_EQ(c.side, Aggressor::kBuy);
  EXPECT_EQ(c.method, ClassifyMethod::kQuote);
  c = Classify(P(103), Session::kLo, Side::kUnknown, top, {});
  EXPECT_EQ(c.side, Aggressor::kBuy);
  c = Classify(P(100), Session::kLo, Side::kUnknown, top, {});
  EXPECT_EQ(c.side, Aggressor::kSell);
  EXPECT_EQ(c.method, ClassifyMethod::kQuote);
  c = Classify(P(99), Session::kLo, Side::kUnknown, top, {});
  EXPECT_EQ(c.side, Aggressor::kSell);
}

TEST(ClassifierTest, TickRuleInsideSpreadAndZeroTickInherits) {
  const TopOfBook top{P(100), P(104)};
  TickState tick;
  auto c = Classify(P(102), Session::kLo, Side::kUnknown, top, tick);
  EXPECT_EQ(c.side, Aggressor::kNeutral);  // first trade, no previous tick
  EXPECT_EQ(c.method, ClassifyMethod::kTick);
  UpdateTick(tick, P(102));
  c = Classify(P(103), Session::kLo, Side::kUnknown, top, tick);
  EXPECT_EQ(c.side, Aggressor::kBuy);
  EXPECT_EQ(c.method, ClassifyMethod::kTick);
  UpdateTick(tick, P(103));
  c = Classify(P(103), Session::kLo, Side::kUnknown, top, tick);  // zero tick after an up-tick
  EXPECT_EQ(c.side, Aggressor::kBuy);
  UpdateTick(tick, P(103));
  c = Classify(P(101), Session::kLo, Side::kUnknown, top, tick);
  EXPECT_EQ(c.side, Aggressor::kSell);
  UpdateTick(tick, P(101));
  c = Classify(P(101), Session::kLo, Side::kUnknown, top, tick);  // zero tick after a down-tick
  EXPECT_EQ(c.side, Aggressor::kSell);
}

TEST(ClassifierTest, NoBookFallsBackToTick) {
  TickState tick;
  UpdateTick(tick, P(50));
  const auto c = Classify(P(49), Session::kLo, Side::kUnknown, TopOfBook{}, tick);
  EXPECT_EQ(c.side, Aggressor::kSell);
  EXPECT_EQ(c.method, ClassifyMethod::kTick);
}

TEST(ClassifierTest, LockedBookIsNotUsedByQuoteRule) {
  TickState tick;
  UpdateTick(tick, P(99));
  const auto c = Classify(P(100), Session::kLo, Side::kUnknown, TopOfBook{P(100), P(100)}, tick);
  EXPECT_EQ(c.method, ClassifyMethod::kTick);
  EXPECT_EQ(c.side, Aggressor::kBuy);
}

TEST(ClassifierTest, BestPricesSkipsPriceZeroAuctionLevels) {
  const core::Book b = BookOf({{0, 5000}, {100, 10}}, {{0, 300}, {0, 100}, {103, 20}});
  const TopOfBook top = BestPrices(b);
  EXPECT_EQ(top.bid, P(100));
  EXPECT_EQ(top.ask, P(103));
  EXPECT_EQ(BestPrices(core::Book{}).bid.raw, 0);
}

TEST(ClassifierTest, Names) {
  EXPECT_EQ(ToString(ClassifyMethod::kExchange), "exchange");
  EXPECT_EQ(ToString(ClassifyMethod::kQuote), "quote");
  EXPECT_EQ(ToString(ClassifyMethod::kTick), "tick");
  EXPECT_EQ(ToString(ClassifyMethod::kAuction), "auction");
  EXPECT_EQ(ToString(Aggressor::kNeutral), "neutral");
}

}  // namespace
}  // namespace vnt::core
