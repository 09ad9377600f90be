#include "simserver/channels.h"

#include <gtest/gtest.h>

namespace vnt::simserver {
namespace {

std::vector<ChannelSpec> Parse(std::string_view s) {
  auto specs = ParseChannels(s);
  EXPECT_TRUE(specs.ok()) << s << ": " << specs.error().message;
  return specs.value_or(std::vector<ChannelSpec>{});
}

TEST(ParseChannels, CommaJoinedTrimmedAnyCase) {
  const auto specs = Parse("X-TRADE:ACB-FPT, mi : VN30-VNIndex ,r:all,X-Quote: ALL,F:41I1G4000");
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].channel, Channel::kTrade);
  EXPECT_EQ(specs[0].symbols, (std::set<std::string>{"ACB", "FPT"}));
  EXPECT_EQ(specs[1].channel, Channel::kIndex);
  EXPECT_EQ(specs[1].symbols, (std::set<std::string>{"VN30", "VNINDEX"}));
  EXPECT_EQ(specs[2].channel, Channel::kForeign);
  EXPECT_TRUE(specs[2].all);
  EXPECT_EQ(specs[3].channel, Channel::kQuote);
  EXPECT_TRUE(specs[3].all);
  EXPECT_EQ(specs[4].symbols, (std::set<std::string>{"41I1G4000"}));
  EXPECT_EQ(Parse("B:ALL,OL:MBB,X:SSI").size(), 3u);
}

TEST(ParseChannels, NamesTheBadPart) {
  const auto bogus = ParseChannels("BOGUS:FPT");
  ASSERT_FALSE(bogus.ok());
  EXPECT_EQ(bogus.error().message, "Invalid channel type 'BOGUS'");
  EXPECT_EQ(bogus.error().field, "channels");
  const auto no_list = ParseChannels("X-TRADE");
  ASSERT_FALSE(no_list.ok());
  EXPECT_NE(no_list.error().message.find("X-TRADE"), std::string::npos);
  for (const char* bad : {"X-TRADE:", "X-TRADE:ACB--FPT", "", " , ", "MI:THISISAVERYLONGINDEXNAME"}) {
    EXPECT_FALSE(ParseChannels(bad).ok()) << bad;
  }
}

TEST(ChannelOf, OnlyTheV2DataTypes) {
  EXPECT_EQ(ChannelName(Channel::kQuote), "X-QUOTE");
  EXPECT_EQ(ChannelOf("OL"), Channel::kOddLot);
  EXPECT_EQ(ChannelOf(" x-trade "), Channel::kTrade);
  EXPECT_EQ(ChannelOf("Quote"), std::nullopt);  // the 2021 name is not a channel
  EXPECT_EQ(ChannelOf("Trade"), std::nullopt);
}

TEST(Subscription, AdditiveAcrossTypesReplacingWithinAType) {
  Subscription sub;
  EXPECT_TRUE(sub.empty());
  sub.Switch(Parse("X-TRADE:FPT,MI:VN30"), false);
  EXPECT_TRUE(sub.Matches(Channel::kTrade, "FPT"));
  EXPECT_TRUE(sub.Matches(Channel::kTrade, "fpt"));
  EXPECT_FALSE(sub.Matches(Channel::kTrade, "ACB"));
  EXPECT_FALSE(sub.Matches(Channel::kQuote, "FPT"));
  EXPECT_TRUE(sub.Matches(Channel::kIndex, "VN30"));
  sub.Switch(Parse("MI:VNINDEX"), false);
  EXPECT_TRUE(sub.Matches(Channel::kTrade, "FPT"));  // kept
  EXPECT_TRUE(sub.Matches(Channel::kIndex, "VNIndex"));
  EXPECT_FALSE(sub.Matches(Channel::kIndex, "VN30"));  // replaced
  EXPECT_EQ(sub.Describe(), "X-TRADE:FPT,MI:VNINDEX");
  sub.Switch(Parse("R:ALL,R:ACB"), false);
  EXPECT_TRUE(sub.Matches(Channel::kForeign, "ANY"));
}

TEST(Subscription, ReplaceMode) {
  Subscription sub;
  sub.Switch(Parse("X-TRADE:FPT,MI:VN30"), true);
  sub.Switch(Parse("MI:VNINDEX"), true);
  EXPECT_FALSE(sub.Matches(Channel::kTrade, "FPT"));
  EXPECT_TRUE(sub.Matches(Channel::kIndex, "VNINDEX"));
  EXPECT_EQ(sub.Describe(), "MI:VNINDEX");
  EXPECT_EQ(Subscription().Describe(), "nothing");
}

TEST(Subscription, SeveralSpecsOfOneTypeInOneCallAddUp) {
  Subscription sub;
  sub.Switch(Parse("X-TRADE:FPT,X-TRADE:ACB"), false);
  EXPECT_TRUE(sub.Matches(Channel::kTrade, "FPT"));
  EXPECT_TRUE(sub.Matches(Channel::kTrade, "ACB"));
}

}  // namespace
}  // namespace vnt::simserver
