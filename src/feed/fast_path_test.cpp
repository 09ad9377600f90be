// The fast path: compact hub frames read in place, key prediction, agreement with the general path, and
// every shape it must decline.
#include "feed/fast_path.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include "api/event_json.h"
#include "feed/decoder.h"
#include "feed/decoder_test_util.h"

namespace vnt::feed::decoder_test {
namespace {

using internal::FastPath;

TEST(Decoder, CaseInsensitiveHubMethodAndDataType) {
  const std::string content =
      "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:53\",\"Symbol\":\"ACB\",\"LastPrice\":22950,"
      "\"LastVol\":100,\"TotalVol\":8797700,\"Side\":\"BU\"}";
  const Decoded r = Decode(Frame(Payload("x-trade", content), "fcmarketdatav2hub", "broadcast"));
  const auto& e = Only<TradeEvent>(r);
  EXPECT_EQ(e.h.channel, Channel::kTrade);
  EXPECT_EQ(e.t.side, Side::kBuy);
  EXPECT_EQ(e.t.last_price, P("22950"));
  EXPECT_FALSE(e.t.total_val.has_value());
}

// One long-lived decoder predicts each key from the previous frame of the channel (the fast path). Frames
// whose keys move, change case, appear or vanish must decode exactly as a fresh decoder decodes them.
TEST(Decoder, KeyPredictionNeverChangesTheResult) {
  const std::vector<std::string> contents = {
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): every frame is split over lines, none is a list
      "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:53\",\"Symbol\":\"ACB\",\"LastPrice\":22950.0,"
      "\"LastVol\":100.0,\"TotalVol\":8797700.0,\"Side\":\"BU\"}",
      // same keys, same order, other values
      "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:54\",\"Symbol\":\"FPT\",\"LastPrice\":-1.5,"
      "\"LastVol\":12345678,\"TotalVol\":123456789,\"Side\":\"SD\"}",
      // LastVol and LastPrice swapped: a value lands where the other key was predicted
      "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:55\",\"Symbol\":\"ACB\",\"LastVol\":200,"
      "\"LastPrice\":23000,\"TotalVol\":8797900,\"Side\":\"BU\"}",
      // a key that extends the predicted one, a lower-case key, an unknown key, an exponent
      "{\"TradingDate\":\"14/08/2023\",\"TimeX\":\"1\",\"Time\":\"14:07:56\",\"symbol\":\"ACB\","
      "\"lastvol\":300,\"LastPrice\":2.3E4,\"TotalVol\":8798200,\"Foo\":12}",
      // the first shape again, after the predictions moved
      "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:57\",\"Symbol\":\"ACB\",\"LastPrice\":22950.0,"
      "\"LastVol\":100.0,\"TotalVol\":8798300.0,\"Side\":\"BU\"}",
      // a wrong value where a number is predicted
      "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:58\",\"Symbol\":\"ACB\",\"LastPrice\":22950x,"
      "\"LastVol\":100.0,\"TotalVol\":8798400.0,\"Side\":\"BU\"}",
  };
  Decoder shared;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& c : contents) {
      const std::string frame = Frame(Payload("X-TRADE", c));
      DecodeOutput a;
      const bool ok_a = shared.Decode(frame, a);
      const Decoded b = Decode(frame);
      ASSERT_EQ(ok_a, b.ok) << c;
      ASSERT_EQ(a.events.size(), b.out.events.size()) << c;
      ASSERT_EQ(a.errors.size(), b.out.errors.size()) << c;
      for (std::size_t i = 0; i < a.events.size(); ++i) {
        std::string ja, jb;
        api::AppendEventJson(a.events[i], &ja);
        api::AppendEventJson(b.out.events[i], &jb);
        EXPECT_EQ(ja, jb) << c;
      }
      for (std::size_t i = 0; i < a.errors.size(); ++i) EXPECT_EQ(a.errors[i].kind, b.out.errors[i].kind);
    }
  }
  // And the values are the right ones, not merely the same twice.
  DecodeOutput out;
  ASSERT_TRUE(shared.Decode(Frame(Payload("X-TRADE", contents[2])), out));
  const auto& e = std::get<TradeEvent>(out.events.at(0));
  EXPECT_EQ(e.t.last_vol, Volume{200});
  EXPECT_EQ(e.t.last_price, P("23000"));
  out = {};
  ASSERT_TRUE(shared.Decode(Frame(Payload("X-TRADE", contents[3])), out));
  const auto& e3 = std::get<TradeEvent>(out.events.at(0));
  EXPECT_EQ(e3.t.last_vol, Volume{300});
  EXPECT_EQ(e3.t.last_price, P("23000"));
  EXPECT_EQ(e3.h.time.time, TimeOfDay::Of(14, 7, 56));
}

// The in-place fast path and the general (simdjson) path must agree on every compact frame the hub sends:
// a line break after the first brace is valid JSON that the fast path declines.
TEST(Decoder, FastPathAndGeneralPathAgreeOnCompactHubFrames) {
  std::ifstream in(std::string(VNT_SOURCE_DIR) + "/tests/data/compact-frames.txt");
  ASSERT_TRUE(in.good());
  std::string line;
  int frames = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++frames;
    const Decoded fast = Decode(line);
    const Decoded general = Decode("{\n" + line.substr(1));
    ASSERT_TRUE(fast.ok) << line.substr(0, 200);
    ASSERT_TRUE(general.ok) << line.substr(0, 200);
    ASSERT_EQ(fast.out.events.size(), 1u);
    ASSERT_EQ(general.out.events.size(), 1u);
    std::string a, b;
    api::AppendEventJson(fast.out.events[0], &a);
    api::AppendEventJson(general.out.events[0], &b);
    EXPECT_EQ(a, b);
  }
  EXPECT_GE(frames, 5);  // F, X-QUOTE, R, MI, X-TRADE
}

// ---------- the fast path on its own ----------

TEST(FastPath, ReadsACompactDataFrameInPlace) {
  FastPath fast;
  DecodeOutput out;
  ASSERT_TRUE(fast.Frame(Frame(Payload("X-TRADE", kGoodContent)), out));
  EXPECT_TRUE(out.errors.empty());
  ASSERT_EQ(out.events.size(), 1u);
  const auto& e = std::get<TradeEvent>(out.events[0]);
  EXPECT_EQ(e.h.symbol.view(), "ACB");
  EXPECT_FALSE(e.h.repaired);
  EXPECT_EQ(e.t.last_price, P("22950"));
  EXPECT_EQ(e.t.total_val, Vnd{201713015000});
}

TEST(FastPath, AFieldErrorIsAnErrorNotADecline) {
  FastPath fast;
  DecodeOutput out;
  ASSERT_TRUE(fast.Frame(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"Symbol\":\"ACB\",", ""))), out));
  EXPECT_TRUE(out.events.empty());
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].kind, ErrorKind::kMissingField);
}

// Anything but plain compact Broadcast frames goes to the general path.
TEST(FastPath, DeclinesEveryOtherShape) {
  const std::string good = Frame(Payload("X-TRADE", kGoodContent));
  const std::vector<std::string> frames = {
      "{}",
      "{\"C\":\"d-1\",\"S\":1,\"M\":[]}",  // init
      "{\"C\":\"d-1\",\"M\":[]}",          // no message
      "{\"I\":\"0\"}",                     // completion
      "{\n" + good.substr(1),              // a line break
      good + " x",                         // trailing content
      Frame(Payload("X-TRADE", kGoodContent), "FcMarketDataV2Hub", "Error"),
      Frame(Payload("X-TRADE", Replace(kGoodContent, "\"ACB\"", "\"A\tB\""))),  // an escape inside Content
      Frame(Payload("ZZZ", kGoodContent)),                                      // unknown DataType
      Payload("X-TRADE", kGoodContent),                                         // a bare payload
      "{\"C\":\"d-1\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":[{\"DataType\":\"F\"}]}]}",
      std::string("{\"C\":\"\xff\xfe\",\"M\":[]}"),  // invalid UTF-8
  };
  FastPath fast;
  for (const std::string& f : frames) {
    DecodeOutput out;
    EXPECT_FALSE(fast.Frame(f, out)) << f;
  }
}

TEST(FastPath, BroadcastArgumentReadAtItsEscapeLevel) {
  FastPath fast;
  const std::string quoted = JsonString(Payload("X-TRADE", kGoodContent));
  const std::string escaped = quoted.substr(1, quoted.size() - 2);
  DecodeOutput out;
  internal::Status st;
  ASSERT_TRUE(fast.Argument(escaped, out, &st));
  EXPECT_FALSE(st.has_value());
  ASSERT_EQ(out.events.size(), 1u);

  out.clear();
  ASSERT_TRUE(fast.Argument(escaped + " x", out, &st));
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->kind, ErrorKind::kMalformedJson);

  out.clear();
  st.reset();
  const std::string no_content = JsonString("{\"DataType\":\"X-TRADE\"}");
  EXPECT_FALSE(fast.Argument(no_content.substr(1, no_content.size() - 2), out, &st));
}

}  // namespace
}  // namespace vnt::feed::decoder_test
