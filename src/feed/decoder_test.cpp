// The decoder through its public API: the published samples end to end (bare and in a SignalR frame),
// several messages in one frame, the size limit and the counters. Each part has its own tests beside it:
// frame_scanner_test, fast_path_test, json_path_test, field_values_test, event_builder_test.
#include "feed/decoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <string>

#include "api/event_json.h"
#include "feed/decoder_test_util.h"

namespace vnt::feed::decoder_test {
namespace {

// ---------- the published samples (../shared/ssi/samples.jsonl), field by field ----------

std::map<std::string, std::string> LoadSampleRaws() {
  std::ifstream in(std::string(VNT_SOURCE_DIR) + "/tests/data/ssi-samples.jsonl");
  EXPECT_TRUE(in.good());
  std::map<std::string, std::string> by_key;
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element doc;
    EXPECT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS);
    std::string_view source, channel, raw;
    EXPECT_EQ(doc["source"].get(source), simdjson::SUCCESS);
    EXPECT_EQ(doc["channel"].get(channel), simdjson::SUCCESS);
    EXPECT_EQ(doc["raw"].get(raw), simdjson::SUCCESS);
    std::string key(channel);
    if (source.find("python-fcdata") != std::string_view::npos) key += "@2021";
    by_key[key] = std::string(raw);
  }
  return by_key;
}

class Samples : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { raws_ = new std::map<std::string, std::string>(LoadSampleRaws()); }
  static void TearDownTestSuite() { delete raws_; }
  // Each sample is checked both as a bare Broadcast argument and wrapped in a real SignalR frame.
  template <typename T, typename Check>
  void Both(const std::string& key, Check check) {
    ASSERT_TRUE(raws_->count(key)) << key;
    const std::string& raw = raws_->at(key);
    {
      SCOPED_TRACE(key + " bare");
      const Decoded r = Decode(raw);
      check(Only<T>(r));
    }
    {
      SCOPED_TRACE(key + " in SignalR frame");
      const Decoded r = Decode(Frame(raw));
      check(Only<T>(r));
    }
  }
  static std::map<std::string, std::string>* raws_;
};
std::map<std::string, std::string>* Samples::raws_ = nullptr;

TEST_F(Samples, FileHoldsEveryStreamChannel) {
  for (const char* k : {"F", "X-QUOTE", "X-TRADE", "X", "R", "B", "OL", "X-QUOTE@2021"})
    EXPECT_TRUE(raws_->count(k)) << k;
}

TEST_F(Samples, SecurityStatusF) {
  Both<StatusEvent>("F", [](const StatusEvent& e) {
    EXPECT_EQ(e.h.channel, Channel::kStatus);
    EXPECT_EQ(e.h.symbol.view(), "SSI");
    EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 14));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(13, 0, 0));
    EXPECT_EQ(e.h.session, Session::kLo);
    EXPECT_EQ(e.trading_status, "N");
    EXPECT_EQ(e.exchange, "HOSE");
  });
}

TEST_F(Samples, QuoteXQuote) {
  Both<QuoteEvent>("X-QUOTE", [](const QuoteEvent& e) {
    EXPECT_EQ(e.h.symbol.view(), "ACB");
    EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 14));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(14, 0, 28));
    EXPECT_EQ(e.h.session, Session::kLo);
    ASSERT_EQ(e.book.ask_count, 3);
    ASSERT_EQ(e.book.bid_count, 3);
    EXPECT_EQ(e.book.asks[0].price, P("22950"));
    EXPECT_EQ(e.book.asks[0].volume.raw(), 109100);
    EXPECT_EQ(e.book.asks[1].price, P("23000"));
    EXPECT_EQ(e.book.asks[1].volume.raw(), 208600);
    EXPECT_EQ(e.book.asks[2].price, P("23050"));
    EXPECT_EQ(e.book.asks[2].volume.raw(), 207200);
    EXPECT_EQ(e.book.bids[0].price, P("22900"));
    EXPECT_EQ(e.book.bids[0].volume.raw(), 290900);
    EXPECT_EQ(e.book.bids[1].price, P("22850"));
    EXPECT_EQ(e.book.bids[1].volume.raw(), 454200);
    EXPECT_EQ(e.book.bids[2].price, P("22800"));
    EXPECT_EQ(e.book.bids[2].volume.raw(), 678800);
  });
}

TEST_F(Samples, TradeXTrade) {
  Both<TradeEvent>("X-TRADE", [](const TradeEvent& e) {
    EXPECT_EQ(e.h.symbol.view(), "ACB");
    EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 14));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(14, 7, 53));
    EXPECT_EQ(e.h.session, Session::kLo);
    EXPECT_EQ(e.t.ceiling, P("24500"));
    EXPECT_EQ(e.t.floor, P("21300"));
    EXPECT_EQ(e.t.ref_price, P("22900"));
    EXPECT_EQ(e.t.avg_price, P("22927.93"));
    EXPECT_EQ(e.t.prior_close, P("22900"));
    EXPECT_EQ(e.t.last_price, P("22950"));
    EXPECT_EQ(e.t.last_vol, Volume{100});
    EXPECT_EQ(e.t.total_val, Vnd{201713015000});
    EXPECT_EQ(e.t.total_vol, Volume{8797700});
    EXPECT_EQ(e.t.change, P("50"));
    EXPECT_EQ(e.t.ratio_change, P("0.22"));
    EXPECT_EQ(e.t.est_matched_price, P("22900"));
    EXPECT_EQ(e.t.high, P("23050"));
    EXPECT_EQ(e.t.low, P("22800"));
    EXPECT_EQ(e.t.side, Side::kSell);
    EXPECT_EQ(e.t.trading_status, "N");
  });
}

TEST_F(Samples, SnapshotX) {
  Both<SnapshotEvent>("X", [](const SnapshotEvent& e) {
    EXPECT_EQ(e.h.symbol.view(), "TAR");
    EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 15));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(10, 28, 41));
    EXPECT_EQ(e.t.ceiling, P("23400"));
    EXPECT_EQ(e.t.floor, P("19200"));
    EXPECT_EQ(e.t.ref_price, P("21300"));
    EXPECT_EQ(e.t.open, P("21300"));
    EXPECT_EQ(e.t.high, P("22300"));
    EXPECT_EQ(e.t.low, P("21300"));
    EXPECT_EQ(e.t.close, P("21800"));
    EXPECT_EQ(e.t.avg_price, P("21784"));
    EXPECT_EQ(e.t.last_price, P("21800"));
    EXPECT_EQ(e.t.last_vol, Volume{100});
    EXPECT_EQ(e.t.total_val, Vnd{27946100000});
    EXPECT_EQ(e.t.total_vol, Volume{1282900});
    EXPECT_EQ(e.t.change, P("500"));
    EXPECT_EQ(e.t.ratio_change, P("2.35"));
    EXPECT_EQ(e.t.side, Side::kUnknown);
    ASSERT_EQ(e.book.bid_count, 10);
    ASSERT_EQ(e.book.ask_count, 10);
    const int bids[10] = {21800, 21700, 21600, 21500, 21400, 21300, 21200, 21100, 21000, 20900};
    const std::int64_t bid_vols[10] = {18800, 35300, 93600, 60000, 45800, 94500, 42900, 48400, 165900, 26100};
    const int asks[10] = {21900, 22000, 22100, 22200, 22300, 22400, 22500, 22600, 22700, 22800};
    const std::int64_t ask_vols[10] = {50300,  109800, 58500, 152600, 92200,
                                       129800, 178700, 60100, 29400,  17000};
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(e.book.bids[i].price, Price::FromInt(bids[i])) << i;
      EXPECT_EQ(e.book.bids[i].volume.raw(), bid_vols[i]) << i;
      EXPECT_EQ(e.book.asks[i].price, Price::FromInt(asks[i])) << i;
      EXPECT_EQ(e.book.asks[i].volume.raw(), ask_vols[i]) << i;
    }
  });
}

TEST_F(Samples, ForeignRoomRUsesBuyVolSpelling) {
  Both<ForeignRoomEvent>("R", [](const ForeignRoomEvent& e) {
    EXPECT_EQ(e.h.symbol.view(), "SSI");
    EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 14));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(14, 24, 2));
    EXPECT_EQ(e.total_room, Volume{1501130137});
    EXPECT_EQ(e.current_room, Volume{806887173});
    EXPECT_EQ(e.buy_vol, Volume{863352});
    EXPECT_EQ(e.sell_vol, Volume{825308});
    EXPECT_EQ(e.buy_val, Vnd{25123543200});
    EXPECT_EQ(e.sell_val, Vnd{24016462800});
  });
}

TEST_F(Samples, BarBWithTradingTime) {
  Both<BarEvent>("B", [](const BarEvent& e) {
    EXPECT_EQ(e.h.symbol.view(), "X26");
    EXPECT_FALSE(e.h.time.date.valid());
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(14, 28, 33));
    EXPECT_EQ(e.open, P("16000"));
    EXPECT_EQ(e.high, P("16000"));
    EXPECT_EQ(e.low, P("16000"));
    EXPECT_EQ(e.close, P("16000"));
    EXPECT_EQ(e.volume, Volume{5000});
    EXPECT_EQ(e.value, Vnd{0});
  });
}

TEST_F(Samples, OddLotOLWithObjectContent) {
  Both<OddLotEvent>("OL", [](const OddLotEvent& e) {
    EXPECT_FALSE(e.h.repaired);
    EXPECT_EQ(e.h.symbol.view(), "MBB");
    EXPECT_EQ(e.h.time.date, Date::Of(2025, 2, 18));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(13, 55, 3));
    EXPECT_EQ(e.t.ceiling, P("24200"));
    EXPECT_EQ(e.t.floor, P("21100"));
    EXPECT_EQ(e.t.ref_price, P("22650"));
    EXPECT_EQ(e.t.open, P("22650"));
    EXPECT_EQ(e.t.high, P("22950"));
    EXPECT_EQ(e.t.low, P("22600"));
    EXPECT_EQ(e.t.last_price, P("22750"));
    EXPECT_EQ(e.t.last_vol, Volume{9193});
    EXPECT_EQ(e.t.total_val, Vnd{185028290000});  // 185028289999.99728 rounded to whole VND
    EXPECT_EQ(e.t.total_vol, Volume{8135000});
    EXPECT_EQ(e.t.change, P("100"));
    EXPECT_EQ(e.t.ratio_change, P("0.44"));
    EXPECT_EQ(e.t.trading_status, "H");
    ASSERT_EQ(e.book.bid_count, 3);
    ASSERT_EQ(e.book.ask_count, 3);
    EXPECT_EQ(e.book.bids[0].price, P("22700"));
    EXPECT_EQ(e.book.bids[0].volume.raw(), 1108);
    EXPECT_EQ(e.book.bids[2].price, P("22600"));
    EXPECT_EQ(e.book.bids[2].volume.raw(), 2016);
    EXPECT_EQ(e.book.asks[0].price, P("22750"));
    EXPECT_EQ(e.book.asks[0].volume.raw(), 132);
    EXPECT_EQ(e.book.asks[2].price, P("22850"));
    EXPECT_EQ(e.book.asks[2].volume.raw(), 297);
  });
}

TEST_F(Samples, Quote2021WithStringVolumesAndTypos) {
  Both<QuoteEvent>("X-QUOTE@2021", [](const QuoteEvent& e) {
    EXPECT_EQ(e.h.channel, Channel::kQuote2021);
    EXPECT_TRUE(e.h.repaired);  // curly quotes, "{ {", a missing colon in the PDF transcription
    EXPECT_EQ(e.h.symbol.view(), "VN30F2104");
    EXPECT_EQ(e.h.time.date, Date::Of(2021, 4, 6));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(8, 54, 52));
    ASSERT_EQ(e.book.bid_count, 10);
    EXPECT_EQ(e.book.bids[0].price, P("0"));  // ATO market orders: price 0, volume 150
    EXPECT_EQ(e.book.bids[0].volume.raw(), 150);
    EXPECT_EQ(e.book.bids[1].price, P("1344.9"));
    EXPECT_EQ(e.book.bids[1].volume.raw(), 18);
    EXPECT_EQ(e.book.bids[9].price, P("1257.1"));
    EXPECT_EQ(e.book.bids[9].volume.raw(), 4);
    ASSERT_EQ(e.book.ask_count, 10);
    EXPECT_EQ(e.book.asks[0].volume.raw(), 140);
    EXPECT_EQ(e.book.asks[1].price, P("1252"));
    EXPECT_EQ(e.book.asks[1].volume.raw(), 1);  // "AskVol2""1": the missing colon is repaired
    EXPECT_EQ(e.book.asks[9].price, P("1259.8"));
    EXPECT_EQ(e.book.asks[9].volume.raw(), 2);
  });
}

// ---------- live-capture shapes (fastconnect-v2.md §3.4, §4) ----------

TEST(Decoder, DerivativeSnapshotWithKrxCodeNaNAndFloatNoise) {
  const std::string content =
      "{\"RType\":\"X\",\"TradingDate\":\"19/03/2026\",\"Time\":\"08:40:01\",\"Isin\":\"41I1G4000\","
      "\"Symbol\":\"41I1G4000\",\"Ceiling\":2011.6,\"Floor\":1748.4,\"RefPrice\":1880.0,\"Open\":0.0,"
      "\"High\":0.0,"
      "\"Low\":0.0,\"Close\":0.0,\"AvgPrice\":\"NaN\",\"PriorVal\":1880.0,\"LastPrice\":0.0,\"LastVol\":0.0,"
      "\"TotalVal\":0.0,\"TotalVol\":0.0,\"BidPrice1\":1875.5,\"BidVol1\":3.0,\"AskPrice1\":1876.1,"
      "\"AskVol1\":7.0,"
      "\"BidPrice2\":0.0,\"BidVol2\":0.0,\"MarketId\":\"DERIVATIVES\",\"Exchange\":\"DERIVATIVES\","
      "\"TradingSession\":\"ATO\",\"TradingStatus\":\"Normal\",\"Change\":-6.099999999999909,"
      "\"RatioChange\":-100.0,\"EstMatchedPrice\":0.0,\"Side\":null,\"CloseQtty\":0}";
  const Decoded r = Decode(Frame(Payload("X", content)));
  const auto& e = Only<SnapshotEvent>(r);
  EXPECT_FALSE(e.h.repaired);
  EXPECT_EQ(e.h.symbol.view(), "41I1G4000");
  EXPECT_EQ(e.h.session, Session::kAto);
  EXPECT_FALSE(e.t.avg_price.has_value());  // "NaN" string = absent, not zero
  EXPECT_EQ(e.t.change, P("-6.1"));
  EXPECT_EQ(e.t.ratio_change, P("-100"));
  EXPECT_EQ(e.t.ceiling, P("2011.6"));
  EXPECT_EQ(e.t.trading_status, "Normal");
  EXPECT_EQ(e.t.side, Side::kUnknown);
  EXPECT_EQ(e.book.bid_count, 1);
  EXPECT_EQ(e.book.ask_count, 1);
  EXPECT_EQ(e.book.bids[0].price, P("1875.5"));
}

// ---------- the frame as a whole: messages, size limit, counters ----------

TEST(Decoder, SeveralMessagesInOneFrameAndBrokenOneDoesNotLoseTheOthers) {
  const std::string good = Payload(
      "X-TRADE", "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:53\",\"Symbol\":\"ACB\",\"LastVol\":100}");
  const std::string bad = Payload("X-TRADE", "{\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:53\"}");
  const std::string frame = "{\"C\":\"x\",\"M\":[{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[" +
                            JsonString(good) + "]},{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[" +
                            JsonString(bad) + "]},{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[" +
                            JsonString(good) + "]}]}";
  Decoded r = Decode(frame);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.out.events.size(), 2u);
  ASSERT_EQ(r.out.errors.size(), 1u);
  EXPECT_EQ(r.out.errors[0].kind, ErrorKind::kMissingField);
  EXPECT_NE(r.out.errors[0].detail.find("Symbol"), std::string::npos);
}

TEST(BrokenFrames, TooLarge) {
  std::string big = "{\"C\":\"" + std::string(Decoder::kMaxFrameBytes, 'a') + "\"}";
  EXPECT_EQ(OnlyError(big), ErrorKind::kTooLarge);
}

TEST(Decoder, CountersPerChannelAndErrorKind) {
  Decoder d;
  DecodeOutput out;
  d.Decode(Frame(Payload("X-TRADE", kGoodContent)), out);
  d.Decode(Frame(Payload("X-TRADE", kGoodContent)), out);
  d.Decode("{}", out);
  d.Decode("nonsense", out);
  d.Decode(Frame(Payload("ZZZ", kGoodContent)), out);
  const DecoderStats& s = d.stats();
  EXPECT_EQ(s.frames, 5u);
  EXPECT_EQ(s.frames_failed, 2u);
  EXPECT_EQ(s.events[static_cast<int>(Channel::kTrade)], 2u);
  EXPECT_EQ(s.controls[static_cast<int>(ControlKind::kKeepAlive)], 1u);
  EXPECT_EQ(s.errors[static_cast<int>(ErrorKind::kMalformedJson)], 1u);
  EXPECT_EQ(s.errors[static_cast<int>(ErrorKind::kUnknownDataType)], 1u);
  EXPECT_EQ(out.events.size(), 2u);
}

TEST(EventJson, TradeLineHasTheContractFields) {
  Decoded r = Decode(Frame(Payload("X-TRADE", kGoodContent)));
  ASSERT_EQ(r.out.events.size(), 1u);
  std::string line;
  api::AppendEventJson(r.out.events[0], &line);
  EXPECT_EQ(line.rfind("{\"channel\":\"X-TRADE\",\"symbol\":\"ACB\",\"trading_date\":\"2023-08-14\","
                       "\"time\":\"14:07:53\",\"session\":null,\"last_price\":22950,\"last_vol\":100,"
                       "\"total_vol\":8797700,\"total_val\":201713015000,\"ref_price\":null,",
                       0),
            0u)
      << line;
}

}  // namespace
}  // namespace vnt::feed::decoder_test
