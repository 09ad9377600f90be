// Fields -> typed events: each channel's event, the header, spellings and fallbacks, and the field failures
// (missing, negative, too long, bad dates and times), on their own and through the decoder.
#include "feed/event_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

#include "feed/decoder.h"
#include "feed/decoder_test_util.h"
#include "feed/fields.h"

namespace vnt::feed::decoder_test {
namespace {

TEST(Decoder, FBuyVolSpellingAndTradingTime) {
  const std::string content =
      "{\"RType\":\"R\",\"TradingDate\":\"14/08/2023\",\"TradingTime\":\"10:00:00\",\"Symbol\":\"FPT\","
      "\"TotalRoom\":100,\"CurrentRoom\":40,\"FBuyVol\":10,\"FSellVol\":20,\"FBuyVal\":1000,\"FSellVal\":"
      "2000}";
  const Decoded r = Decode(Frame(Payload("R", content)));
  const auto& e = Only<ForeignRoomEvent>(r);
  EXPECT_EQ(e.h.time.time, TimeOfDay::Of(10, 0, 0));
  EXPECT_EQ(e.buy_vol, Volume{10});
  EXPECT_EQ(e.sell_vol, Volume{20});
  EXPECT_EQ(e.buy_val, Vnd{1000});
  EXPECT_EQ(e.sell_val, Vnd{2000});
}

TEST(BrokenFrames, MissingFields) {
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"Symbol\":\"ACB\",", "")))),
            ErrorKind::kMissingField);
  EXPECT_EQ(
      OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"TradingDate\":\"14/08/2023\",", "")))),
      ErrorKind::kMissingField);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"Time\":\"14:07:53\",", "")))),
            ErrorKind::kMissingField);
  EXPECT_EQ(OnlyError(Frame(Payload("MI", kGoodContent))), ErrorKind::kMissingField);  // no IndexId
}

TEST(BrokenFrames, BadValues) {
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

// ---------- the builder on its own ----------

// Symbol, TradingDate and Time: what every event but a bar needs.
FieldSet Header(std::string_view symbol = "ACB") {
  FieldSet f;
  f.SetString(Field::kSymbol, symbol);
  f.SetString(Field::kTradingDate, "14/08/2023");
  f.SetString(Field::kTime, "14:07:53");
  return f;
}

TEST(EventBuilder, TradeTakesEitherSpellingAndLeavesAbsentFieldsAbsent) {
  FieldSet f = Header(" ACB ");
  f.SetNumber(Field::kLastPrice, P("22950"));
  f.SetNumber(Field::kAvg, P("22927.93"));  // AvgPrice absent: Avg
  f.SetNumber(Field::kHigh, P("23050"));    // Highest absent: High
  f.SetNumber(Field::kLowest, P("22800"));  // Lowest wins over Low
  f.SetNumber(Field::kLow, P("1"));
  f.SetNumber(Field::kLastVol, P("100.5"));  // volumes round to whole shares
  f.SetNumber(Field::kChange, P("-50"));     // signed
  f.SetString(Field::kSide, " b ");
  f.SetString(Field::kTradingSession, "ATO");
  DecodeOutput out;
  ASSERT_FALSE(internal::BuildEvent(Channel::kTrade, f, true, out));
  ASSERT_EQ(out.events.size(), 1u);
  const auto& e = std::get<TradeEvent>(out.events[0]);
  EXPECT_EQ(e.h.channel, Channel::kTrade);
  EXPECT_TRUE(e.h.repaired);
  EXPECT_EQ(e.h.symbol.view(), "ACB");
  EXPECT_EQ(e.h.time.date, Date::Of(2023, 8, 14));
  EXPECT_EQ(e.h.time.time, TimeOfDay::Of(14, 7, 53));
  EXPECT_EQ(e.h.session, Session::kAto);
  EXPECT_EQ(e.t.last_price, P("22950"));
  EXPECT_EQ(e.t.avg_price, P("22927.93"));
  EXPECT_EQ(e.t.high, P("23050"));
  EXPECT_EQ(e.t.low, P("22800"));
  EXPECT_EQ(e.t.last_vol, Volume{101});
  EXPECT_EQ(e.t.change, P("-50"));
  EXPECT_EQ(e.t.side, Side::kBuy);
  EXPECT_FALSE(e.t.ref_price.has_value());
  EXPECT_FALSE(e.t.total_vol.has_value());
  EXPECT_FALSE(e.t.open.has_value());
}

TEST(EventBuilder, BookSkipsEmptyLevels) {
  FieldSet f = Header();
  f.SetNumber(Field::kBidPrice1, P("22900"));
  f.SetNumber(Field::kBidVol1, P("10"));
  f.SetNumber(Field::kBidPrice2, P("0"));
  f.SetNumber(Field::kBidVol2, P("0"));
  f.SetNumber(Field::kBidPrice3, P("0"));  // an ATO market order: price 0 with a volume is a level
  f.SetNumber(Field::kBidVol3, P("150"));
  f.SetNumber(Field::kAskPrice10, P("23500"));
  f.SetNumber(Field::kAskVol10, P("7"));
  DecodeOutput out;
  ASSERT_FALSE(internal::BuildEvent(Channel::kQuote, f, false, out));
  const auto& e = std::get<QuoteEvent>(out.events.at(0));
  ASSERT_EQ(e.book.bid_count, 2);
  EXPECT_EQ(e.book.bids[0].price, P("22900"));
  EXPECT_EQ(e.book.bids[1].price, P("0"));
  EXPECT_EQ(e.book.bids[1].volume.raw(), 150);
  ASSERT_EQ(e.book.ask_count, 1);
  EXPECT_EQ(e.book.asks[0].price, P("23500"));
}

TEST(EventBuilder, IndexByIndexIdAndBarWithoutDate) {
  FieldSet f;
  f.SetString(Field::kIndexId, "VN30");
  f.SetString(Field::kTradingDate, "10/07/2023");
  f.SetString(Field::kTime, "09:39:42");
  f.SetNumber(Field::kIndexValue, P("1168.53"));
  f.SetNumber(Field::kAdvances, P("18"));
  DecodeOutput out;
  ASSERT_FALSE(internal::BuildEvent(Channel::kIndex, f, false, out));
  const auto& i = std::get<IndexEvent>(out.events.at(0));
  EXPECT_EQ(i.h.symbol.view(), "VN30");
  EXPECT_EQ(i.value, P("1168.53"));
  EXPECT_EQ(i.advances, 18);
  EXPECT_FALSE(i.declines.has_value());

  FieldSet b;
  b.SetString(Field::kSymbol, "X26");
  b.SetString(Field::kTradingTime, "14:28:33");
  b.SetNumber(Field::kClose, P("16000"));
  ASSERT_FALSE(internal::BuildEvent(Channel::kBar, b, false, out));
  const auto& bar = std::get<BarEvent>(out.events.at(1));
  EXPECT_FALSE(bar.h.time.date.valid());
  EXPECT_EQ(bar.h.time.time, TimeOfDay::Of(14, 28, 33));
  EXPECT_EQ(bar.close, P("16000"));
}

TEST(EventBuilder, StatusTakesMarketIdWhenExchangeIsAbsent) {
  FieldSet f = Header();
  f.SetString(Field::kMarketId, "HNX");
  f.SetString(Field::kTradingStatus, "N");
  DecodeOutput out;
  ASSERT_FALSE(internal::BuildEvent(Channel::kStatus, f, false, out));
  const auto& e = std::get<StatusEvent>(out.events.at(0));
  EXPECT_EQ(e.exchange, "HNX");
  EXPECT_EQ(e.trading_status, "N");
}

// A failure leaves no event behind, and what the output held before stays.
TEST(EventBuilder, FailuresNameTheFieldAndLeaveNoEvent) {
  DecodeOutput out;
  ASSERT_FALSE(internal::BuildEvent(Channel::kTrade, Header(), false, out));
  struct Case {
    FieldSet fields;
    Channel channel;
    ErrorKind kind;
    std::string detail;
  };
  FieldSet negative = Header();
  negative.SetNumber(Field::kBidVol2, P("-1"));
  FieldSet no_symbol = Header("  ");
  FieldSet long_symbol = Header("ABCDEFGHIJKLMNOPQRSTU");
  FieldSet bad_date = Header();
  bad_date.SetString(Field::kTradingDate, "2023-08-14");
  FieldSet no_time;
  no_time.SetString(Field::kSymbol, "ACB");
  no_time.SetString(Field::kTradingDate, "14/08/2023");
  FieldSet bad_time = Header();
  bad_time.SetString(Field::kTime, "25:07:53");
  const Case cases[] = {
      {negative, Channel::kSnapshot, ErrorKind::kInvalidValue, "BidVol2 is negative"},
      {no_symbol, Channel::kTrade, ErrorKind::kMissingField, "missing field Symbol"},
      {Header(), Channel::kIndex, ErrorKind::kMissingField, "missing field IndexId"},
      {long_symbol, Channel::kTrade, ErrorKind::kInvalidValue, "Symbol is too long"},
      {bad_date, Channel::kTrade, ErrorKind::kBadDate, "TradingDate '2023-08-14'"},
      {no_time, Channel::kTrade, ErrorKind::kMissingField, "missing field Time"},
      {bad_time, Channel::kTrade, ErrorKind::kBadTime, "Time '25:07:53'"},
      {Header(), Channel::kCount, ErrorKind::kUnknownDataType, "unknown channel"},
  };
  for (const Case& c : cases) {
    const internal::Status st = internal::BuildEvent(c.channel, c.fields, false, out);
    ASSERT_TRUE(st) << c.detail;
    EXPECT_EQ(st->kind, c.kind) << c.detail;
    EXPECT_EQ(st->detail, c.detail);
    EXPECT_EQ(out.events.size(), 1u) << c.detail;
  }
}

}  // namespace
}  // namespace vnt::feed::decoder_test
