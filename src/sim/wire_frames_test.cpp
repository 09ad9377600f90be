#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "sim/sim_test_day.h"
#include "sim/simulator.h"

// The SSI frames the simulator emits (wire_frames.cpp): every one decodes as its channel, in time order, with
// the key sets and order of SSI's samples.

namespace vnt::sim {
namespace {

using core::Channel;
using simtest::Day;
using simtest::Decoded;
using simtest::FullDay;
using simtest::Hms;

TEST(Simulator, EveryFrameDecodesWithItsChannel) {
  const Day& d = FullDay();
  EXPECT_TRUE(d.errors.empty()) << d.errors.front();
  std::printf("full day at activity 0.1: %zu frames, %zu trades\n", d.frames.size(), d.truth.size());
  EXPECT_GT(d.frames.size(), 50'000u);
  std::map<Channel, int> per_channel;
  for (const Decoded& x : d.frames) {
    const core::Header& h = core::HeaderOf(x.event);
    ASSERT_EQ(h.channel, x.frame.kind) << x.frame.text;
    ASSERT_FALSE(h.repaired) << x.frame.text;  // clean JSON, no repair needed
    ASSERT_EQ(h.symbol, x.frame.symbol);
    ASSERT_EQ(h.time.time, x.frame.time.time);
    if (h.channel != Channel::kBar) {
      ASSERT_EQ(h.time.date, Date::Of(2026, 3, 18));
    }
    ASSERT_EQ(x.frame.text.rfind(R"({"C":"d-)", 0), 0u);
    ++per_channel[h.channel];
  }
  for (Channel c : {Channel::kTrade, Channel::kQuote, Channel::kSnapshot, Channel::kForeign, Channel::kIndex,
                    Channel::kStatus, Channel::kBar}) {
    EXPECT_GT(per_channel[c], 0) << core::ChannelName(c);
  }
}

TEST(Simulator, FramesAreInTimeOrderWithinStartAndEnd) {
  const Day& d = FullDay();
  int prev = 0;
  for (const Decoded& x : d.frames) {
    const int t = x.frame.time.time.sec;
    ASSERT_GE(t, prev);
    prev = t;
    ASSERT_GE(t, Hms(8, 45));
    ASSERT_LE(t, Hms(15, 0));
  }
}

// Content keys in the order of SSI's samples (fastconnect-v2.md §4).
std::vector<std::string> ContentKeys(const std::string& text) {
  static const std::regex kKey(R"(\\\\\\"([A-Za-z0-9]+)\\\\\\":)");
  std::vector<std::string> keys;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kKey); it != std::sregex_iterator(); ++it)
    keys.push_back((*it)[1]);
  return keys;
}

std::vector<std::string> Levels(const std::string& a, const std::string& b) {
  std::vector<std::string> k;
  for (int i = 1; i <= 10; ++i) k.push_back(a + std::to_string(i));
  for (int i = 1; i <= 10; ++i) k.push_back(b + std::to_string(i));
  return k;
}

TEST(Simulator, ContentKeySetsAndOrderMatchSsiSamples) {
  const Day& d = FullDay();
  std::vector<std::string> quote = {"TradingDate", "Time", "Exchange", "Symbol", "RType"};
  for (const auto& k : Levels("AskPrice", "AskVol")) quote.push_back(k);
  for (const auto& k : Levels("BidPrice", "BidVol")) quote.push_back(k);
  quote.push_back("TradingSession");
  const std::vector<std::string> trade = {"RType",           "TradingDate",   "Time",      "Isin",
                                          "Symbol",          "Ceiling",       "Floor",     "RefPrice",
                                          "AvgPrice",        "PriorVal",      "LastPrice", "LastVol",
                                          "TotalVal",        "TotalVol",      "MarketId",  "Exchange",
                                          "TradingSession",  "TradingStatus", "Change",    "RatioChange",
                                          "EstMatchedPrice", "Highest",       "Lowest",    "Side"};
  std::vector<std::string> snap = {"RType",    "TradingDate", "Time",      "Isin",    "Symbol",   "Ceiling",
                                   "Floor",    "RefPrice",    "Open",      "High",    "Low",      "Close",
                                   "AvgPrice", "PriorVal",    "LastPrice", "LastVol", "TotalVal", "TotalVol"};
  for (const auto& k : Levels("BidPrice", "BidVol")) snap.push_back(k);
  for (const auto& k : Levels("AskPrice", "AskVol")) snap.push_back(k);
  for (const char* k : {"MarketId", "Exchange", "TradingSession", "TradingStatus", "Change", "RatioChange",
                        "EstMatchedPrice"})
    snap.push_back(k);
  std::vector<std::string> snap_fut = snap;
  snap_fut.push_back("Side");
  snap_fut.push_back("CloseQtty");
  const std::vector<std::string> room = {"RType",     "TradingDate", "Time",    "Isin",    "Symbol",
                                         "TotalRoom", "CurrentRoom", "BuyVol",  "SellVol", "BuyVal",
                                         "SellVal",   "MarketId",    "Exchange"};
  const std::vector<std::string> index = {
      "IndexId",   "IndexValue",  "PriorIndexValue", "TradingDate", "Time",           "TotalTrade",
      "TotalQtty", "TotalValue",  "IndexName",       "Advances",    "NoChanges",      "Declines",
      "Ceilings",  "Floors",      "Change",          "RatioChange", "TotalQttyPt",    "TotalValuePt",
      "Exchange",  "AllQty",      "AllValue",        "IndexType",   "TradingSession", "MarketId",
      "RType",     "TotalQttyOd", "TotalValueOd"};
  const std::vector<std::string> status = {"RType",  "MarketId",       "TradingDate",   "Time",
                                           "Symbol", "TradingSession", "TradingStatus", "Exchange"};
  const std::vector<std::string> bar = {"RType", "Symbol", "Time",   "Open", "High",
                                        "Low",   "Close",  "Volume", "Value"};
  std::set<std::pair<core::Channel, bool>> seen;  // (kind, futures)
  for (const Decoded& x : d.frames) {
    if (!seen.insert({x.frame.kind, x.frame.symbol.view().size() == 9}).second) continue;
    const std::vector<std::string> keys = ContentKeys(x.frame.text);
    switch (x.frame.kind) {
      case core::Channel::kQuote:
        EXPECT_EQ(keys, quote);
        break;
      case core::Channel::kTrade:
        EXPECT_EQ(keys, trade);
        break;
      case core::Channel::kSnapshot:
        EXPECT_EQ(keys, x.frame.symbol.view().size() == 9 ? snap_fut : snap);
        break;
      case core::Channel::kForeign:
        EXPECT_EQ(keys, room);
        break;
      case core::Channel::kIndex:
        EXPECT_EQ(keys, index);
        break;
      case core::Channel::kStatus:
        EXPECT_EQ(keys, status);
        break;
      case core::Channel::kBar:
        EXPECT_EQ(keys, bar);
        break;
      default:  // the simulator emits none of the other DataTypes
        ADD_FAILURE() << "unexpected channel " << core::ChannelName(x.frame.kind);
    }
  }
  EXPECT_EQ(seen.size(), 12u);  // R and MI exist for stocks / indices only
}

}  // namespace
}  // namespace vnt::sim
