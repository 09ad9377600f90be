#include "sim/frame_builder.h"

#include <gtest/gtest.h>

#include <variant>

#include "feed/decoder.h"

namespace vnt::sim {
namespace {

TEST(FrameBuilder, DoubleEncodedEnvelopeExactText) {
  std::string out;
  FrameBuilder b;
  b.Begin(&out, "d-1-B,1|C,0|D,1", "F");
  b.Str("RType", "F");
  b.Dbl("P", Price::FromInt(22950));
  b.Dbl("Q", Price::FromRaw(12'839'000));
  b.Dbl("N", Price::FromRaw(-61'000));
  b.DblInt("V", 100);
  b.Int("I", 18);
  b.Plain("H", Price::FromInt(23050));
  b.Null("S");
  b.End();
  EXPECT_EQ(
      out,
      R"({"C":"d-1-B,1|C,0|D,1","M":[{"H":"FcMarketDataV2Hub","M":"Broadcast","A":["{\"DataType\":\"F\",)"
      R"(\"Content\":\"{\\\"RType\\\":\\\"F\\\",\\\"P\\\":22950.0,\\\"Q\\\":1283.9,\\\"N\\\":-6.1,)"
      R"(\\\"V\\\":100.0,\\\"I\\\":18,\\\"H\\\":23050,\\\"S\\\":null}\"}"]}]})");
}

TEST(FrameBuilder, DecodesWithTheFeedDecoder) {
  std::string out;
  FrameBuilder b;
  b.Begin(&out, "d-1-B,1|C,0|D,1", "F");
  b.Str("RType", "F");
  b.Str("MarketId", "HOSE");
  b.Str("TradingDate", FormatTradingDate(Date::Of(2026, 3, 18)));
  char tm[8];
  FormatTime(TimeOfDay::Of(9, 5, 7), tm);
  b.Str("Time", std::string_view(tm, 8));
  b.Str("Symbol", "SSI");
  b.Str("TradingSession", "ATO");
  b.Str("TradingStatus", "N");
  b.Str("Exchange", "HOSE");
  b.End();
  feed::Decoder dec;
  feed::DecodeOutput o;
  ASSERT_TRUE(dec.Decode(out, o)) << (o.errors.empty() ? "" : o.errors[0].detail);
  ASSERT_EQ(o.events.size(), 1u);
  const auto& e = std::get<core::StatusEvent>(o.events[0]);
  EXPECT_FALSE(e.h.repaired);
  EXPECT_EQ(e.h.symbol.view(), "SSI");
  EXPECT_EQ(e.h.time.date, Date::Of(2026, 3, 18));
  EXPECT_EQ(e.h.time.time, TimeOfDay::Of(9, 5, 7));
  EXPECT_EQ(e.h.session, Session::kAto);
  EXPECT_EQ(e.exchange, "HOSE");
}

TEST(FrameBuilder, DateAndTimeFormats) {
  EXPECT_EQ(FormatTradingDate(Date::Of(2026, 3, 5)), "05/03/2026");
  char tm[8];
  FormatTime(TimeOfDay::Of(14, 45, 0), tm);
  EXPECT_EQ(std::string(tm, 8), "14:45:00");
}

}  // namespace
}  // namespace vnt::sim
