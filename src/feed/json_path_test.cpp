// The general path: control frames, the repaired transcription shapes, objects where strings are usual, and
// the frames broken at the JSON level (truncated, garbage, invalid UTF-8, too deep, wrong shapes).
#include "feed/json_path.h"

#include <gtest/gtest.h>

#include <string>

#include "feed/decoder.h"
#include "feed/decoder_test_util.h"
#include "feed/fast_path.h"

namespace vnt::feed::decoder_test {
namespace {

TEST(Decoder, PythonReprIndexFrameFromTheGuide) {
  // GUIDE p.8 printed by the Python SDK: single quotes outside, a JSON string inside.
  const std::string frame =
      "{'DataType': 'MI', 'Content': "
      "'{\"IndexId\":\"VN30\",\"IndexValue\":1168.53,\"PriorIndexValue\":1165.2,"
      "\"TradingDate\":\"10/07/2023\",\"Time\":\"09:39:42\",\"TotalTrade\":0.0,\"TotalQtty\":30528400.0,"
      "\"TotalValue\":829034000000.0,\"IndexName\":\"VN30\",\"Advances\":18,\"NoChanges\":3,\"Declines\":9,"
      "\"Ceilings\":0,\"Floors\":0,\"Change\":3.33,\"RatioChange\":0.29,\"TotalQttyPt\":1000000.0,"
      "\"TotalValuePt\":25000000000.0,\"Exchange\":\"HOSE\",\"AllQty\":31528400.0,\"AllValue\":854034000000."
      "0,"
      "\"IndexType\":\"Main\",\"TradingSession\":\"LO\",\"MarketId\":null,\"RType\":\"MI\",\"TotalQttyOd\":0,"
      "\"TotalValueOd\":0}'}";
  const Decoded r = Decode(frame);
  const auto& e = Only<IndexEvent>(r);
  EXPECT_TRUE(e.h.repaired);
  EXPECT_EQ(e.h.symbol.view(), "VN30");
  EXPECT_EQ(e.h.time.time, TimeOfDay::Of(9, 39, 42));
  EXPECT_EQ(e.value, P("1168.53"));
  EXPECT_EQ(e.prior_value, P("1165.2"));
  EXPECT_EQ(e.change, P("3.33"));
  EXPECT_EQ(e.advances, 18);
  EXPECT_EQ(e.no_changes, 3);
  EXPECT_EQ(e.declines, 9);
  EXPECT_EQ(e.ceilings, 0);
  EXPECT_EQ(e.floors, 0);
  EXPECT_EQ(e.total_qtty, Volume{30528400});
  EXPECT_EQ(e.total_value, Vnd{829034000000});
  EXPECT_EQ(e.all_qty, Volume{31528400});
  EXPECT_EQ(e.all_value, Vnd{854034000000});
  EXPECT_EQ(e.total_qtty_pt, Volume{1000000});
}

TEST(Decoder, ControlFrames) {
  Decoded r = Decode("{}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kKeepAlive);
  r = Decode("{\"C\":\"d-3C9B641A-B,F4928|ECX,0|ECY,1\",\"S\":1,\"M\":[]}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kInit);
  EXPECT_EQ(r.out.controls[0].id, "d-3C9B641A-B,F4928|ECX,0|ECY,1");
  r = Decode("{\"I\":\"0\"}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kCompletion);
  EXPECT_EQ(r.out.controls[0].id, "0");
  r = Decode("{\"I\":3,\"E\":\"bad channel\"}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].id, "3");
  EXPECT_EQ(r.out.controls[0].message, "bad channel");
  r = Decode("{\"I\":\"1\",\"R\":{\"ok\":true}}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kCompletion);
  r = Decode(Frame("Connection has been blocked, quota x exceeded by y", "FcMarketDataV2Hub", "Error"));
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kHubError);
  EXPECT_EQ(r.out.controls[0].message, "Connection has been blocked, quota x exceeded by y");
  r = Decode("{\"C\":\"c2\",\"T\":1,\"M\":[]}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kReconnected);
  r = Decode("{\"C\":\"c3\",\"M\":[]}");
  ASSERT_EQ(r.out.controls.size(), 1u);
  EXPECT_EQ(r.out.controls[0].kind, ControlKind::kEmpty);
  EXPECT_TRUE(r.ok);
}

TEST(Decoder, ContentAsObjectAndArgumentAsObject) {
  const std::string frame =
      "{\"C\":\"x\",\"M\":[{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[{\"DataType\":\"F\","
      "\"Content\":"
      "{\"Symbol\":\"VNM\",\"TradingDate\":\"01/02/2024\",\"Time\":\"11:30:00\",\"TradingSession\":\"BREAK\","
      "\"TradingStatus\":\"N\",\"Exchange\":\"HOSE\"}}]}]}";
  const Decoded r = Decode(frame);
  const auto& e = Only<StatusEvent>(r);
  EXPECT_EQ(e.h.symbol.view(), "VNM");
  EXPECT_EQ(e.h.session, Session::kBreak);
  EXPECT_FALSE(e.h.repaired);
}

// ---------- broken frames: each gives the right error kind, never an event ----------

TEST(BrokenFrames, Truncated) {
  const std::string good = Frame(Payload("X-TRADE", kGoodContent));
  ASSERT_TRUE(Decode(good).ok);
  for (std::size_t len : {1ul, 10ul, 50ul, good.size() / 2, good.size() - 3, good.size() - 1}) {
    const ErrorKind k = OnlyError(good.substr(0, len));
    EXPECT_EQ(k, ErrorKind::kTruncated) << len << ": " << ErrorKindName(k);
  }
  // Content itself cut short inside a complete envelope.
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", kGoodContent.substr(0, 60)))), ErrorKind::kTruncated);
}

TEST(BrokenFrames, GarbageAndNotJson) {
  EXPECT_EQ(OnlyError("hello world"), ErrorKind::kMalformedJson);
  EXPECT_EQ(OnlyError(std::string("\x00\x01\x02\x03garbage", 11)), ErrorKind::kMalformedJson);
  EXPECT_EQ(OnlyError("\xff\xfe\xfd binary"), ErrorKind::kInvalidUtf8);
  EXPECT_EQ(OnlyError("[1,2,3]"), ErrorKind::kNotAnObject);
  EXPECT_EQ(OnlyError("42"), ErrorKind::kNotAnObject);
  EXPECT_EQ(OnlyError("{\"foo\":1}"), ErrorKind::kUnknownFrame);
  EXPECT_EQ(OnlyError("{\"H\":\"FcMarketDataV2Hub\",\"M\":\"SwitchChannels\",\"A\":[\"X:ALL\"],\"I\":0}"),
            ErrorKind::kUnknownFrame);
  EXPECT_EQ(OnlyError("{\"a\":1}}"), ErrorKind::kMalformedJson);
}

TEST(BrokenFrames, InvalidUtf8InsideContent) {
  EXPECT_EQ(OnlyError(WithField("\"Exchange\":\"HO\xc3\x28SE\"")), ErrorKind::kInvalidUtf8);
}

TEST(BrokenFrames, DeepNesting) {
  std::string deep = "{\"C\":\"x\",\"M\":[" + std::string(5000, '[') + std::string(5000, ']') + "]}";
  EXPECT_EQ(OnlyError(deep), ErrorKind::kTooDeep);
  EXPECT_EQ(OnlyError(std::string(5000, '{')), ErrorKind::kTooDeep);
}

TEST(BrokenFrames, WrongShapes) {
  EXPECT_EQ(OnlyError(Frame("{\"DataType\":\"X\",\"Content\":5}")), ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":[5]}]}"),
            ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":[]}]}"),
            ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":\"x\"}]}"),
            ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[\"str\"]}"), ErrorKind::kUnknownFrame);
  EXPECT_EQ(OnlyError(Frame("\"just a string\"")), ErrorKind::kNotAnObject);
  EXPECT_EQ(OnlyError(Frame("{\"DataType\":\"X-TRADE\"}")), ErrorKind::kBadPayload);  // no Content
}

TEST(BrokenFrames, UnknownDataTypeAndMethod) {
  EXPECT_EQ(OnlyError(Frame(Payload("ZZZ", kGoodContent))), ErrorKind::kUnknownDataType);
  EXPECT_EQ(OnlyError(Frame("{\"Content\":\"{}\"}")), ErrorKind::kUnknownDataType);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", kGoodContent), "FcMarketDataV2Hub", "Foo")),
            ErrorKind::kUnknownMethod);
}

// ---------- the general path on its own ----------

struct Paths {
  internal::FastPath fast;
  internal::JsonPath json{fast};
};

TEST(JsonPath, DecodesWhatTheFastPathDeclines) {
  Paths p;
  DecodeOutput out;
  const std::string good = Frame(Payload("X-TRADE", kGoodContent));
  p.json.Decode("{\n" + good.substr(1), out, internal::MarkOf(out));
  EXPECT_TRUE(out.errors.empty());
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_FALSE(HeaderOf(out.events[0]).repaired);
}

TEST(JsonPath, RepairsTheLevelThatNeedsIt) {
  Paths p;
  DecodeOutput out;
  // A trailing comma inside Content only: the envelope and the payload are strict JSON.
  const std::string content = Replace(kGoodContent, "201713015000.0}", "201713015000.0,}");
  p.json.Decode(Frame(Payload("X-TRADE", content)), out, internal::MarkOf(out));
  EXPECT_TRUE(out.errors.empty());
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_TRUE(HeaderOf(out.events[0]).repaired);
}

// A frame broken at the envelope after a good message: that message is rolled back to the mark, what the
// output held before stays, and the frame gives one error.
TEST(JsonPath, ABrokenFrameRollsBackToTheMarkAndGivesOneError) {
  Paths p;
  DecodeOutput out;
  p.json.Decode(Frame(Payload("X-TRADE", kGoodContent)), out, internal::MarkOf(out));
  ASSERT_EQ(out.events.size(), 1u);
  const std::string msg = "{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[" +
                          JsonString(Payload("X-TRADE", kGoodContent)) + "]}";
  const std::string cut = "{\"C\":\"x\",\"M\":[" + msg + "," + msg.substr(0, 40);
  p.json.Decode(cut, out, internal::MarkOf(out));
  EXPECT_EQ(out.events.size(), 1u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].kind, ErrorKind::kTruncated);
}

}  // namespace
}  // namespace vnt::feed::decoder_test
