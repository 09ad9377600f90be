#include "simserver/signalr.h"

#include <gtest/gtest.h>

namespace vnt::simserver {
namespace {

TEST(NegotiatedProtocol, EchoedAndClamped) {
  EXPECT_EQ(NegotiatedProtocol("1.3"), "1.3");  // Node SDK
  EXPECT_EQ(NegotiatedProtocol("1.4"), "1.4");  // C++ SDK: needs exactly this back
  EXPECT_EQ(NegotiatedProtocol("1.5"), "1.5");  // Python SDK
  EXPECT_EQ(NegotiatedProtocol("2.1"), "2.1");  // .NET SDK
  EXPECT_EQ(NegotiatedProtocol("1.0"), "1.2");
  EXPECT_EQ(NegotiatedProtocol("3.0"), "2.1");
  EXPECT_EQ(NegotiatedProtocol(""), "1.5");
  EXPECT_EQ(NegotiatedProtocol("abc"), "1.5");
}

TEST(NegotiateReply, TheDocumentedFields) {
  NegotiateInfo info{"1.4", "tok+/=", "id-1", 10, 30};
  EXPECT_EQ(
      NegotiateReply(info),
      R"({"Url":"/v2.0/signalr","ConnectionToken":"tok+/=","ConnectionId":"id-1","KeepAliveTimeout":20.0,)"
      R"("DisconnectTimeout":30.0,"ConnectionTimeout":110.0,"TryWebSockets":true,"ProtocolVersion":"1.4",)"
      R"("TransportConnectTimeout":5.0,"LongPollDelay":0.0})");
  info.keep_alive_s = 0.3;
  EXPECT_NE(NegotiateReply(info).find(R"("KeepAliveTimeout":0.6,)"), std::string::npos);
}

TEST(SignalrFrames, InitCompletionAndError) {
  EXPECT_EQ(InitFrame("s-1", false), R"({"C":"s-1","S":1,"M":[]})");
  EXPECT_EQ(InitFrame("s-2", true), R"({"C":"s-2","T":1,"M":[]})");
  EXPECT_EQ(Completion("0", nullptr), R"({"I":"0"})");
  const std::string e = "Invalid channel type 'BOGUS'";
  EXPECT_EQ(Completion("7", &e), R"({"I":"7","E":"Invalid channel type 'BOGUS'"})");
  EXPECT_EQ(ErrorCall("s-3", "bad \"x\""),
            R"({"C":"s-3","M":[{"H":"FcMarketDataV2Hub","M":"Error","A":["bad \"x\""]}]})");
}

TEST(GarbleFrame, CutsInTheMiddleButNotInsideAUtf8Character) {
  EXPECT_EQ(GarbleFrame(R"({"C":"1","M":[]})"), R"({"C":"1")");
  const std::string vn =
      "{\"A\":\"\xC4\x90\xC4\x90\xC4\x90\"}";  // {"A":"ĐĐĐ"}: the middle is inside a character
  const std::string cut = GarbleFrame(vn);
  EXPECT_LT(cut.size(), vn.size());
  EXPECT_NE(static_cast<unsigned char>(cut.back()) & 0xC0, 0x80);
  EXPECT_NE(static_cast<unsigned char>(vn[cut.size()]) & 0xC0, 0x80);
  EXPECT_EQ(GarbleFrame(""), "");
}

TEST(ParseInvocation, IAsNumberOrStringAnyKeyCase) {
  auto inv =
      ParseInvocation(R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["X-TRADE:ALL,MI:VN30"],"I":0})");
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->hub, "FcMarketDataV2Hub");
  EXPECT_EQ(inv->method, "SwitchChannels");
  EXPECT_EQ(inv->id, "0");
  ASSERT_EQ(inv->args.size(), 1u);
  EXPECT_EQ(inv->args[0], "X-TRADE:ALL,MI:VN30");
  inv = ParseInvocation(R"({"h":"fcmarketdatav2hub","m":"switchchannels","a":["MI:VN30",5],"i":"12"})");
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->hub, "fcmarketdatav2hub");
  EXPECT_EQ(inv->id, "12");
  EXPECT_EQ(inv->args, (std::vector<std::string>{"MI:VN30", "5"}));
  EXPECT_FALSE(ParseInvocation("{}").ok());
  EXPECT_FALSE(ParseInvocation(R"({"H":"x","M":"y"})").ok());
  const auto not_json = ParseInvocation("not json");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, ErrorCode::kParse);
  EXPECT_EQ(not_json.error().message, "not a JSON object");
}

}  // namespace
}  // namespace vnt::simserver
