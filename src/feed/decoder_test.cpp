#include "feed/decoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <sstream>

#include "api/event_json.h"

namespace vnt::feed {
namespace {

// ---------- helpers ----------

// Quotes s as the hub does, byte for byte: invalid UTF-8 is kept (AppendJsonString would replace it, and the
// broken-frame tests need the broken bytes on the wire).
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[(c >> 4) & 15]);
      out.push_back(kHex[c & 15]);
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Wraps a Broadcast argument the way the hub sends it: A[0] is the payload as a JSON string.
std::string Frame(std::string_view payload, std::string_view hub = "FcMarketDataV2Hub",
                  std::string_view method = "Broadcast") {
  return std::string("{\"C\":\"d-1F2A,0|B,1\",\"M\":[{\"H\":\"") + std::string(hub) + "\",\"M\":\"" +
         std::string(method) + "\",\"A\":[" + JsonString(payload) + "]}]}";
}

// {"DataType":dt,"Content":"<content as JSON string>"}: SSI's double encoding.
std::string Payload(std::string_view datatype, std::string_view content) {
  return std::string("{\"DataType\":\"") + std::string(datatype) + "\",\"Content\":" + JsonString(content) +
         "}";
}

struct Decoded {
  DecodeOutput out;
  bool ok = false;
};

Decoded Decode(std::string_view frame) {
  Decoder d;
  Decoded r;
  r.ok = d.Decode(frame, r.out);
  return r;
}

template <typename T>
const T& Only(const Decoded& r) {
  EXPECT_TRUE(r.ok) << (r.out.errors.empty() ? "" : r.out.errors[0].detail);
  EXPECT_EQ(r.out.events.size(), 1u);
  static const T empty{};
  if (r.out.events.size() != 1 || !std::holds_alternative<T>(r.out.events[0])) {
    ADD_FAILURE() << "unexpected event type";
    return empty;
  }
  return std::get<T>(r.out.events[0]);
}

ErrorKind OnlyError(std::string_view frame) {
  Decoded r = Decode(frame);
  EXPECT_FALSE(r.ok) << frame.substr(0, 200);
  EXPECT_TRUE(r.out.events.empty());
  if (r.out.errors.empty()) return ErrorKind::kCount;
  return r.out.errors[0].kind;
}

Price P(std::string_view s) {
  Price p;
  std::int64_t whole = 0, frac = 0, scale = 1000;
  bool neg = false, dot = false;
  for (char c : s) {
    if (c == '-')
      neg = true;
    else if (c == '.')
      dot = true;
    else if (!dot)
      whole = whole * 10 + (c - '0');
    else {
      frac += (c - '0') * scale;
      scale /= 10;
    }
  }
  p.raw = (whole * Fixed4::kScale + frac) * (neg ? -1 : 1);
  return p;
}

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
    EXPECT_EQ(e.book.asks[0].volume, 109100);
    EXPECT_EQ(e.book.asks[1].price, P("23000"));
    EXPECT_EQ(e.book.asks[1].volume, 208600);
    EXPECT_EQ(e.book.asks[2].price, P("23050"));
    EXPECT_EQ(e.book.asks[2].volume, 207200);
    EXPECT_EQ(e.book.bids[0].price, P("22900"));
    EXPECT_EQ(e.book.bids[0].volume, 290900);
    EXPECT_EQ(e.book.bids[1].price, P("22850"));
    EXPECT_EQ(e.book.bids[1].volume, 454200);
    EXPECT_EQ(e.book.bids[2].price, P("22800"));
    EXPECT_EQ(e.book.bids[2].volume, 678800);
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
    EXPECT_EQ(e.t.last_vol, 100);
    EXPECT_EQ(e.t.total_val, 201713015000);
    EXPECT_EQ(e.t.total_vol, 8797700);
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
    EXPECT_EQ(e.t.last_vol, 100);
    EXPECT_EQ(e.t.total_val, 27946100000);
    EXPECT_EQ(e.t.total_vol, 1282900);
    EXPECT_EQ(e.t.change, P("500"));
    EXPECT_EQ(e.t.ratio_change, P("2.35"));
    EXPECT_EQ(e.t.side, Side::kUnknown);
    ASSERT_EQ(e.book.bid_count, 10);
    ASSERT_EQ(e.book.ask_count, 10);
    const int bids[10] = {21800, 21700, 21600, 21500, 21400, 21300, 21200, 21100, 21000, 20900};
    const Volume bid_vols[10] = {18800, 35300, 93600, 60000, 45800, 94500, 42900, 48400, 165900, 26100};
    const int asks[10] = {21900, 22000, 22100, 22200, 22300, 22400, 22500, 22600, 22700, 22800};
    const Volume ask_vols[10] = {50300, 109800, 58500, 152600, 92200, 129800, 178700, 60100, 29400, 17000};
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(e.book.bids[i].price, Price::FromInt(bids[i])) << i;
      EXPECT_EQ(e.book.bids[i].volume, bid_vols[i]) << i;
      EXPECT_EQ(e.book.asks[i].price, Price::FromInt(asks[i])) << i;
      EXPECT_EQ(e.book.asks[i].volume, ask_vols[i]) << i;
    }
  });
}

TEST_F(Samples, ForeignRoomRUsesBuyVolSpelling) {
  Both<ForeignRoomEvent>("R", [](const ForeignRoomEvent& e) {
    EXPECT_EQ(e.h.symbol.view(), "SSI");
    EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 14));
    EXPECT_EQ(e.h.time.time, TimeOfDay::Of(14, 24, 2));
    EXPECT_EQ(e.total_room, 1501130137);
    EXPECT_EQ(e.current_room, 806887173);
    EXPECT_EQ(e.buy_vol, 863352);
    EXPECT_EQ(e.sell_vol, 825308);
    EXPECT_EQ(e.buy_val, 25123543200);
    EXPECT_EQ(e.sell_val, 24016462800);
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
    EXPECT_EQ(e.volume, 5000);
    EXPECT_EQ(e.value, 0);
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
    EXPECT_EQ(e.t.last_vol, 9193);
    EXPECT_EQ(e.t.total_val, 185028290000);  // 185028289999.99728 rounded to whole VND
    EXPECT_EQ(e.t.total_vol, 8135000);
    EXPECT_EQ(e.t.change, P("100"));
    EXPECT_EQ(e.t.ratio_change, P("0.44"));
    EXPECT_EQ(e.t.trading_status, "H");
    ASSERT_EQ(e.book.bid_count, 3);
    ASSERT_EQ(e.book.ask_count, 3);
    EXPECT_EQ(e.book.bids[0].price, P("22700"));
    EXPECT_EQ(e.book.bids[0].volume, 1108);
    EXPECT_EQ(e.book.bids[2].price, P("22600"));
    EXPECT_EQ(e.book.bids[2].volume, 2016);
    EXPECT_EQ(e.book.asks[0].price, P("22750"));
    EXPECT_EQ(e.book.asks[0].volume, 132);
    EXPECT_EQ(e.book.asks[2].price, P("22850"));
    EXPECT_EQ(e.book.asks[2].volume, 297);
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
    EXPECT_EQ(e.book.bids[0].volume, 150);
    EXPECT_EQ(e.book.bids[1].price, P("1344.9"));
    EXPECT_EQ(e.book.bids[1].volume, 18);
    EXPECT_EQ(e.book.bids[9].price, P("1257.1"));
    EXPECT_EQ(e.book.bids[9].volume, 4);
    ASSERT_EQ(e.book.ask_count, 10);
    EXPECT_EQ(e.book.asks[0].volume, 140);
    EXPECT_EQ(e.book.asks[1].price, P("1252"));
    EXPECT_EQ(e.book.asks[1].volume, 1);  // "AskVol2""1": the missing colon is repaired
    EXPECT_EQ(e.book.asks[9].price, P("1259.8"));
    EXPECT_EQ(e.book.asks[9].volume, 2);
  });
}

// ---------- live-capture shapes (fastconnect-v2.md §3.4, §4) ----------

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
  EXPECT_EQ(e.total_qtty, 30528400);
  EXPECT_EQ(e.total_value, 829034000000);
  EXPECT_EQ(e.all_qty, 31528400);
  EXPECT_EQ(e.all_value, 854034000000);
  EXPECT_EQ(e.total_qtty_pt, 1000000);
}

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

TEST(Decoder, FBuyVolSpellingAndTradingTime) {
  const std::string content =
      "{\"RType\":\"R\",\"TradingDate\":\"14/08/2023\",\"TradingTime\":\"10:00:00\",\"Symbol\":\"FPT\","
      "\"TotalRoom\":100,\"CurrentRoom\":40,\"FBuyVol\":10,\"FSellVol\":20,\"FBuyVal\":1000,\"FSellVal\":"
      "2000}";
  const Decoded r = Decode(Frame(Payload("R", content)));
  const auto& e = Only<ForeignRoomEvent>(r);
  EXPECT_EQ(e.h.time.time, TimeOfDay::Of(10, 0, 0));
  EXPECT_EQ(e.buy_vol, 10);
  EXPECT_EQ(e.sell_vol, 20);
  EXPECT_EQ(e.buy_val, 1000);
  EXPECT_EQ(e.sell_val, 2000);
}

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
  EXPECT_EQ(e.t.last_vol, 200);
  EXPECT_EQ(e.t.last_price, P("23000"));
  out = {};
  ASSERT_TRUE(shared.Decode(Frame(Payload("X-TRADE", contents[3])), out));
  const auto& e3 = std::get<TradeEvent>(out.events.at(0));
  EXPECT_EQ(e3.t.last_vol, 300);
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

const std::string kGoodContent =
    "{\"RType\":\"X-TRADE\",\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:53\",\"Symbol\":\"ACB\","
    "\"LastPrice\":22950.0,\"LastVol\":100.0,\"TotalVol\":8797700.0,\"TotalVal\":201713015000.0}";

std::string WithField(std::string_view field_json) {
  std::string c = kGoodContent;
  c.insert(c.size() - 1, "," + std::string(field_json));
  return Frame(Payload("X-TRADE", c));
}
std::string Replace(std::string s, std::string_view from, std::string_view to) {
  const auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

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

TEST(BrokenFrames, TooLarge) {
  std::string big = "{\"C\":\"" + std::string(Decoder::kMaxFrameBytes, 'a') + "\"}";
  EXPECT_EQ(OnlyError(big), ErrorKind::kTooLarge);
}

TEST(BrokenFrames, WrongTypes) {
  EXPECT_EQ(OnlyError(Replace(Frame(Payload("X-TRADE", kGoodContent)), "22950.0", "{}")),
            ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(WithField("\"Ceiling\":[1,2]")), ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(WithField("\"RefPrice\":\"abc\"")), ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(WithField("\"Floor\":true")), ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"ACB\"", "123")))),
            ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(Frame("{\"DataType\":\"X\",\"Content\":5}")), ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":[5]}]}"),
            ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":[]}]}"),
            ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[{\"H\":\"h\",\"M\":\"Broadcast\",\"A\":\"x\"}]}"),
            ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError("{\"C\":\"x\",\"M\":[\"str\"]}"), ErrorKind::kUnknownFrame);
  EXPECT_EQ(OnlyError(Frame("\"just a string\"")), ErrorKind::kNotAnObject);
}

TEST(BrokenFrames, MissingFields) {
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"Symbol\":\"ACB\",", "")))),
            ErrorKind::kMissingField);
  EXPECT_EQ(
      OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"TradingDate\":\"14/08/2023\",", "")))),
      ErrorKind::kMissingField);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"Time\":\"14:07:53\",", "")))),
            ErrorKind::kMissingField);
  EXPECT_EQ(OnlyError(Frame("{\"DataType\":\"X-TRADE\"}")), ErrorKind::kBadPayload);
  EXPECT_EQ(OnlyError(Frame(Payload("MI", kGoodContent))), ErrorKind::kMissingField);  // no IndexId
}

TEST(BrokenFrames, HugeNumbersAndBadValues) {
  EXPECT_EQ(OnlyError(WithField("\"Ceiling\":1e300")), ErrorKind::kNumberOutOfRange);
  EXPECT_EQ(OnlyError(WithField("\"TotalRoom\":123456789012345678901234567890")),
            ErrorKind::kNumberOutOfRange);
  EXPECT_EQ(OnlyError(Replace(Frame(Payload("X-TRADE", kGoodContent)), "100.0", "-100.0")),
            ErrorKind::kInvalidValue);
  EXPECT_EQ(
      OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"ACB\"", "\"ABCDEFGHIJKLMNOPQRSTU\"")))),
      ErrorKind::kInvalidValue);
}

TEST(BrokenFrames, BadDatesAndTimes) {
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "14/08/2023", "32/13/2023")))),
            ErrorKind::kBadDate);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "14/08/2023", "2023-08-14")))),
            ErrorKind::kBadDate);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "14:07:53", "25:07:53")))),
            ErrorKind::kBadTime);
}

TEST(BrokenFrames, UnknownDataTypeAndMethod) {
  EXPECT_EQ(OnlyError(Frame(Payload("ZZZ", kGoodContent))), ErrorKind::kUnknownDataType);
  EXPECT_EQ(OnlyError(Frame("{\"Content\":\"{}\"}")), ErrorKind::kUnknownDataType);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", kGoodContent), "FcMarketDataV2Hub", "Foo")),
            ErrorKind::kUnknownMethod);
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
}  // namespace vnt::feed
