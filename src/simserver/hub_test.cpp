#include "simserver/hub.h"

#include <gtest/gtest.h>

#include "simserver/signalr.h"

namespace vnt::simserver {
namespace {

TEST(Hub, NegotiateCreatesDistinctConnections) {
  Hub hub(false, 30);
  const auto a = hub.Negotiate(1, 2, 0), b = hub.Negotiate(3, 4, 0);
  EXPECT_NE(a.token, b.token);
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(a.id.size(), 36u);  // a GUID
  EXPECT_TRUE(hub.Known(a.token));
  EXPECT_EQ(hub.IdOf(a.token), a.id);
  EXPECT_FALSE(hub.Known("nope"));
  EXPECT_EQ(hub.IdOf("nope"), "?");
  ASSERT_NE(hub.SubscriptionOf(a.token), nullptr);
  EXPECT_TRUE(hub.SubscriptionOf(a.token)->empty());
  EXPECT_EQ(hub.SubscriptionOf("nope"), nullptr);
}

TEST(Hub, SwitchChannelsCompletesAndSubscribes) {
  Hub hub(false, 30);
  const auto c = hub.Negotiate(1, 2, 0);
  auto r = hub.Invoke(
      c.token, R"({"H":"fcmarketdatav2hub","M":"SwitchChannels","A":["X-TRADE:FPT,MI:VN30"],"I":0})", "s-1");
  EXPECT_FALSE(r.failed);
  EXPECT_EQ(r.frames, (std::vector<std::string>{R"({"I":"0"})"}));
  EXPECT_NE(r.log.find("X-TRADE:FPT"), std::string::npos);
  EXPECT_TRUE(hub.SubscriptionOf(c.token)->Matches(Channel::kTrade, "FPT"));
  r = hub.Invoke(c.token, R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["MI:VNINDEX"],"I":"1"})",
                 "s-2");
  EXPECT_EQ(r.frames, (std::vector<std::string>{R"({"I":"1"})"}));
  EXPECT_TRUE(hub.SubscriptionOf(c.token)->Matches(Channel::kTrade, "FPT"));  // additive
  EXPECT_FALSE(hub.SubscriptionOf(c.token)->Matches(Channel::kIndex, "VN30"));
}

TEST(Hub, ReplaceMode) {
  Hub hub(true, 30);
  const auto c = hub.Negotiate(1, 2, 0);
  hub.Invoke(c.token, R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["X-TRADE:FPT"],"I":0})", "s");
  hub.Invoke(c.token, R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["MI:VN30"],"I":1})", "s");
  EXPECT_FALSE(hub.SubscriptionOf(c.token)->Matches(Channel::kTrade, "FPT"));
}

TEST(Hub, BadChannelCallsErrorThenCompletesWithE) {
  Hub hub(false, 30);
  const auto c = hub.Negotiate(1, 2, 0);
  const auto r = hub.Invoke(
      c.token, R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["BOGUS:FPT"],"I":"3"})", "s-9");
  EXPECT_TRUE(r.failed);
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[0], ErrorCall("s-9", "Invalid channel type 'BOGUS'"));
  EXPECT_EQ(r.frames[1], R"({"I":"3","E":"Invalid channel type 'BOGUS'"})");
  EXPECT_TRUE(hub.SubscriptionOf(c.token)->empty());
}

TEST(Hub, UnknownHubMethodOrArgumentsCompleteWithE) {
  Hub hub(false, 30);
  const auto c = hub.Negotiate(1, 2, 0);
  for (const char* text : {R"({"H":"OtherHub","M":"SwitchChannels","A":["MI:VN30"],"I":0})",
                           R"({"H":"FcMarketDataV2Hub","M":"Subscribe","A":["MI:VN30"],"I":0})",
                           R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":[],"I":0})"}) {
    const auto r = hub.Invoke(c.token, text, "s");
    EXPECT_TRUE(r.failed) << text;
    ASSERT_EQ(r.frames.size(), 1u) << text;
    EXPECT_NE(r.frames[0].find(R"("E":)"), std::string::npos) << r.frames[0];
  }
  const auto junk = hub.Invoke(c.token, "not json", "s");
  EXPECT_TRUE(junk.frames.empty());
  EXPECT_TRUE(junk.failed);
}

TEST(Hub, ConnectionsWithoutTransportExpireAfterTheDisconnectTimeout) {
  Hub hub(false, 30);
  const auto a = hub.Negotiate(1, 2, 0), b = hub.Negotiate(3, 4, 0);
  hub.Attach(a.token);
  EXPECT_EQ(hub.Expire(31), 1u);  // b never connected
  EXPECT_TRUE(hub.Known(a.token));
  EXPECT_FALSE(hub.Known(b.token));
  hub.Detach(a.token, 40);
  EXPECT_EQ(hub.Expire(69), 0u);  // still resumable by /reconnect
  hub.Attach(a.token);            // reconnected in time
  EXPECT_EQ(hub.Expire(100), 0u);
  hub.Detach(a.token, 100);
  EXPECT_EQ(hub.Expire(131), 1u);
  EXPECT_EQ(hub.size(), 0u);
}

TEST(Hub, AbortForgetsTheConnection) {
  Hub hub(false, 30);
  const auto a = hub.Negotiate(1, 2, 0);
  EXPECT_TRUE(hub.Abort(a.token));
  EXPECT_FALSE(hub.Abort(a.token));
  EXPECT_FALSE(hub.Known(a.token));
  EXPECT_TRUE(
      hub.Invoke(a.token, R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["MI:VN30"],"I":0})", "s")
          .frames.empty());
}

}  // namespace
}  // namespace vnt::simserver
