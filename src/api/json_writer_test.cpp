#include "api/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vnt::api {
namespace {

std::string D(double v, int decimals = 6) {
  std::string s;
  JsonWriter(&s).Double(v, decimals);
  return s;
}

TEST(JsonWriterDouble, ShortestFixedFormWithoutExponent) {
  EXPECT_EQ(D(1.5), "1.5");
  EXPECT_EQ(D(2.0), "2");
  EXPECT_EQ(D(-0.0000001), "0");
  EXPECT_EQ(D(105500), "105500");
  EXPECT_EQ(D(0.126, 2), "0.13");
  EXPECT_EQ(D(std::nan("")), "null");
  EXPECT_EQ(D(std::numeric_limits<double>::infinity()), "null");
}

// A number wider than any small buffer is written whole (it once copied stack bytes after 64).
TEST(JsonWriterDouble, HugeValuesAreWrittenWholeAndExactly) {
  const std::string s = D(1e56);
  EXPECT_EQ(s.size(), 57u) << s;
  EXPECT_EQ(s.substr(0, 3), "100");
  for (char c : s) EXPECT_TRUE(c >= '0' && c <= '9') << s;
  const std::string m = D(-std::numeric_limits<double>::max(), 17);
  EXPECT_EQ(m.size(), 310u);
  EXPECT_EQ(m[0], '-');
}

TEST(JsonWriterString, InvalidUtf8BecomesReplacementCharacters) {
  static constexpr char kIn[] = "ok \xC3\xA9 \xff \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 \x01\x7f";
  std::string s;
  JsonWriter(&s).String(std::string_view(kIn, sizeof kIn - 1));
  EXPECT_TRUE(IsValidUtf8(s)) << s;
  EXPECT_EQ(s.find('\xff'), std::string::npos);
  EXPECT_NE(s.find("\xC3\xA9"), std::string::npos);
  EXPECT_NE(s.find("\\u0001\\u007f"), std::string::npos) << s;
}

TEST(Utf8, ValidatesAndTruncatesAtCharacterBoundaries) {
  EXPECT_TRUE(IsValidUtf8("Gi\xC3\xA1 kh\xE1\xBB\x9Bp \xF0\x9F\x93\x88"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\x80"));  // overlong
  EXPECT_EQ(Utf8Length("\xC3\xA1\xE1\xBB\x9B"
                       "a"),
            3u);
  EXPECT_EQ(TruncateUtf8("ab\xC3\xA1"
                         "cd",
                         3),
            "ab\xE2\x80\xA6");
  EXPECT_EQ(TruncateUtf8("abc", 3), "abc");
}

}  // namespace
}  // namespace vnt::api
