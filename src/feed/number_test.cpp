#include "feed/number.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feed/lenient_json.h"

namespace vnt::feed {
namespace {

std::int64_t Raw(std::string_view s) {
  Fixed4 v;
  EXPECT_EQ(ParseFixed4(s, &v), NumberStatus::kOk) << s;
  return v.raw;
}

TEST(ParseFixed4, IntegersAndNetDoubles) {
  EXPECT_EQ(Raw("22950"), 229500000);
  EXPECT_EQ(Raw("22950.0"), 229500000);
  EXPECT_EQ(Raw("1283.9"), 12839000);
  EXPECT_EQ(Raw("22927.93"), 229279300);
  EXPECT_EQ(Raw("0"), 0);
  EXPECT_EQ(Raw("0.0"), 0);
  EXPECT_EQ(Raw("-100.0"), -1000000);
  EXPECT_EQ(Raw("12345678"), 123456780000);  // exactly eight digits (SWAR path)
  EXPECT_EQ(Raw("123456789012.5"), 1234567890125000);
  EXPECT_EQ(Raw("87654321.0001"), 876543210001);
  EXPECT_EQ(Raw("1234567:"[0] == '1' ? "12345679" : "0"), 123456790000);
}

TEST(ParseFixed4, RoundsFloatNoiseToFourPlaces) {
  EXPECT_EQ(Raw("-6.099999999999909"), -61000);
  EXPECT_EQ(Raw("185028289999.99728"), 1850282899999973);  // 4th decimal rounded
  EXPECT_EQ(Raw("0.00005"), 1);
  EXPECT_EQ(Raw("0.00004"), 0);
  EXPECT_EQ(Raw("128454615.6"), 1284546156000);
}

TEST(ParseFixed4, Exponents) {
  EXPECT_EQ(Raw("1.018924E4"), 101892400);
  EXPECT_EQ(Raw("1.5e-2"), 150);
  EXPECT_EQ(Raw("2E+3"), 20000000);
}

TEST(ParseFixed4, RejectsGarbageAndOverflow) {
  Fixed4 v;
  EXPECT_EQ(ParseFixed4("", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("abc", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("1.", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("1e", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("12x", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("+1", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("01", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4(".5", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("-", &v), NumberStatus::kInvalid);
  EXPECT_EQ(ParseFixed4("1234567:", &v), NumberStatus::kInvalid);  // ':' is '9' + 1: not a digit
  EXPECT_EQ(ParseFixed4("1234/678", &v), NumberStatus::kInvalid);  // '/' is '0' - 1
  EXPECT_EQ(ParseFixed4("1e30", &v), NumberStatus::kOutOfRange);
  EXPECT_EQ(ParseFixed4("99999999999999999999999", &v), NumberStatus::kOutOfRange);
  EXPECT_EQ(ParseFixed4("922337203685478", &v), NumberStatus::kOutOfRange);  // > INT64_MAX / 1e4
  EXPECT_EQ(ParseFixed4("922337203685477", &v), NumberStatus::kOk);
}

// The in-place fast form must agree with ParseFixed4 on the token, whatever follows it in the frame and
// however many digits fall into the 8-byte SWAR window.
TEST(ParseFixed4Prefix, AgreesWithTheTokenParserInsideAFrame) {
  const std::vector<std::string> numbers = {
      "0",         "7",         "42",         "100.0",          "-50.0",
      "22927.93",  "1234567",   "12345678",   "123456789",      "201713015000.0",
      "8797700.0", "-0.22",     "0.0001",     "99999999999999", "1.5",
      "10000000",  "1234.5678", "-12345678.9"};
  for (const std::string& n : numbers) {
    for (const std::string& tail : {std::string(","), std::string("}"), std::string("\\\\\\\"}"),
                                    std::string(",\\\\\\\"LastVol\\\\\\\":1}")}) {
      const std::string text = n + tail;
      Fixed4 fast, slow;
      const char* end = ParseFixed4Prefix(text.data(), text.data() + text.size(), &fast);
      ASSERT_NE(end, nullptr) << text;
      EXPECT_EQ(end, text.data() + n.size()) << text;
      ASSERT_EQ(ParseFixed4(n, &slow), NumberStatus::kOk) << n;
      EXPECT_EQ(fast.raw, slow.raw) << text;
    }
  }
}

TEST(ParseFixed4Prefix, DeclinesEveryOtherForm) {
  for (const char* text : {"1e5,", "1.23456,", "01,", "-,", "+1,", ".5,", "1.,", "123456789012345,", "abc",
                           "", "1E2}", "12.5e1,"}) {
    Fixed4 v;
    const std::string_view t(text);
    EXPECT_EQ(ParseFixed4Prefix(t.data(), t.data() + t.size(), &v), nullptr) << text;
  }
}

TEST(FeedDateTime, ParsesAndValidates) {
  Date d;
  ASSERT_TRUE(ParseFeedDate("14/08/2023", &d));
  EXPECT_EQ(d, Date::Of(2023, 8, 14));
  ASSERT_TRUE(ParseFeedDate("29/02/2024", &d));
  EXPECT_FALSE(ParseFeedDate("29/02/2023", &d));
  EXPECT_FALSE(ParseFeedDate("32/01/2023", &d));
  EXPECT_FALSE(ParseFeedDate("2023-08-14", &d));
  EXPECT_FALSE(ParseFeedDate("14/8/2023", &d));
  TimeOfDay t;
  ASSERT_TRUE(ParseFeedTime("14:07:53", &t));
  EXPECT_EQ(t, TimeOfDay::Of(14, 7, 53));
  ASSERT_TRUE(ParseFeedTime("09:15:00.123", &t));
  EXPECT_EQ(t, TimeOfDay::Of(9, 15, 0));
  EXPECT_FALSE(ParseFeedTime("24:00:00", &t));
  EXPECT_FALSE(ParseFeedTime("14:07", &t));
  EXPECT_FALSE(ParseFeedTime("aa:bb:cc", &t));
}

std::string Repair(std::string_view in, RepairStatus expect = RepairStatus::kOk) {
  std::string out;
  EXPECT_EQ(RepairJson(in, &out), expect) << in;
  return out;
}

TEST(RepairJson, FixesTranscriptionArtefacts) {
  EXPECT_EQ(Repair("{\"a\":\"x\ny\"}"), "{\"a\":\"x\\ny\"}");
  EXPECT_EQ(Repair("{\"a\":1,}"), "{\"a\":1}");
  EXPECT_EQ(Repair("{'a': 'b\"c', 'd': True, 'e': None}"), "{\"a\":\"b\\\"c\",\"d\":true,\"e\":null}");
  EXPECT_EQ(Repair("{\xE2\x80\x9C"
                   "a\xE2\x80\x9D: 1}"),
            "{\"a\":1}");
  EXPECT_EQ(Repair("{\"a\"\"1\"}"), "{\"a\":\"1\"}");
  EXPECT_EQ(Repair("{ {\xE2\x80\x9CRType:\xE2\x80\x9DQuote\xE2\x80\x9D,\"b\":2}"),
            "{\"RType\":\"Quote\",\"b\":2}");
}

TEST(RepairJson, NeverInventsMissingStructure) {
  Repair("{\"a\":1", RepairStatus::kTruncated);
  Repair("{\"a\":\"xx", RepairStatus::kTruncated);
  Repair("{a:1}", RepairStatus::kMalformed);
  Repair("garbage", RepairStatus::kMalformed);
  Repair("[1,2]", RepairStatus::kMalformed);
  Repair("{\"a\":1} trailing", RepairStatus::kMalformed);
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "{\"a\":";
  Repair(deep, RepairStatus::kTooDeep);
}

}  // namespace
}  // namespace vnt::feed
