#include "feed/frame_scanner.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>

// The fast path's byte scanner on its own: quotes at the three escape levels, strings through the 8-byte
// step and the byte loop, predicted keys, numbers and tokens, and every refusal.

namespace vnt::feed::internal {
namespace {

TEST(FrameScanner, QuotesAtTheirEscapeLevel) {
  Scanner q0("\"x");
  EXPECT_FALSE(q0.Quote<Q1>());
  EXPECT_TRUE(q0.Quote<Q0>());
  EXPECT_EQ(q0.Peek(), 'x');
  Scanner q1("\\\"x");
  EXPECT_FALSE(q1.Quote<Q0>());
  EXPECT_TRUE(q1.Quote<Q1>());
  EXPECT_EQ(q1.Peek(), 'x');
  Scanner q2("\\\\\\\"x");
  EXPECT_FALSE(q2.Quote<Q1>());
  EXPECT_TRUE(q2.Quote<Q2>());
  EXPECT_EQ(q2.Peek(), 'x');
  Scanner short_text("\\\\\\");
  EXPECT_FALSE(short_text.Quote<Q2>());
}

// Every length up to 40 puts the closing quote at each position of the 8-byte step and in the byte loop.
TEST(FrameScanner, StringUpToItsClosingQuote) {
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string body(n, 'a');
    for (const std::string& tail : {std::string("\""), std::string("\",\"next\":1")}) {
      const std::string text = body + tail;  // the scanner holds a view
      Scanner sc(text);
      std::string_view v;
      ASSERT_TRUE(sc.String<Q0>(&v)) << n;
      EXPECT_EQ(v, body);
      if (tail.size() > 1)
        EXPECT_EQ(sc.Peek(), ',');
      else
        EXPECT_TRUE(sc.AtEnd());
    }
  }
  Scanner utf8("Hà Nội, Việt Nam, 2023\\\\\\\":");  // bytes >= 0x80 are plain
  std::string_view v;
  ASSERT_TRUE(utf8.String<Q2>(&v));
  EXPECT_EQ(v, "Hà Nội, Việt Nam, 2023");
  EXPECT_TRUE(utf8.Eat(':'));
}

TEST(FrameScanner, StringRefusesControlBytesEscapesAndNoEnd) {
  for (const std::string prefix : {"", "abcdefghijklmnop"}) {
    const std::string texts[] = {
        prefix +
            "ab\x01"
            "cd\"",             // a control byte
        prefix + "ab\tcd\"",    // a raw tab
        prefix + "ab\\ncd\"",   // an escape, not the level's quote
        prefix + "ab\\\"cd\"",  // Q1's quote inside a Q0 string
        prefix + "abcdef",      // no end
    };
    for (const std::string& text : texts) {
      Scanner sc(text);
      std::string_view v;
      EXPECT_FALSE(sc.String<Q0>(&v)) << text;
    }
  }
  // At level Q1 the same text ends at the escaped quote.
  Scanner q1("ab\\\"cd");
  std::string_view v;
  ASSERT_TRUE(q1.String<Q1>(&v));
  EXPECT_EQ(v, "ab");
  EXPECT_EQ(q1.Peek(), 'c');
}

// A predicted key: its name and the Q2 closing quote, zero-padded to a multiple of 8.
struct Lit {
  alignas(8) char text[32] = {};
  std::size_t len = 0;
  explicit Lit(std::string_view name) {
    std::memcpy(text, name.data(), name.size());
    std::memcpy(text + name.size(), Q2::kText, Q2::kLen);
    len = name.size() + Q2::kLen;
  }
};

TEST(FrameScanner, LiteralMatchesAPredictedKeyExactly) {
  const Lit symbol("Symbol");  // 10 bytes: one full word and a masked one
  Scanner long_text("Symbol\\\\\\\":\\\\\\\"ACB\\\\\\\",\\\\\\\"Time");
  EXPECT_TRUE(long_text.Literal(symbol.text, symbol.len));
  EXPECT_EQ(long_text.Peek(), ':');
  Scanner near_end("Symbol\\\\\\\":1");  // fewer than 16 bytes left: compared byte by byte
  EXPECT_TRUE(near_end.Literal(symbol.text, symbol.len));
  EXPECT_EQ(near_end.Peek(), ':');
  Scanner other("SymbolX\\\\\\\":\\\\\\\"ACB\\\\\\\",");
  EXPECT_FALSE(other.Literal(symbol.text, symbol.len));
  EXPECT_EQ(other.Peek(), 'S');  // the cursor stays
  Scanner too_short("Symbol");
  EXPECT_FALSE(too_short.Literal(symbol.text, symbol.len));
  const Lit time("Time");  // exactly 8 bytes
  Scanner t("Time\\\\\\\":\\\\\\\"14:07:53\\\\\\\"");
  EXPECT_TRUE(t.Literal(time.text, time.len));
  EXPECT_EQ(t.Peek(), ':');
}

TEST(FrameScanner, NumbersAndTokens) {
  Fixed4 v;
  Scanner price("22950.5,");
  ASSERT_TRUE(price.FastNumber(&v));
  EXPECT_EQ(v, Fixed4::FromRaw(229'505'000));
  EXPECT_EQ(price.Peek(), ',');
  Scanner negative("-1.25}");
  ASSERT_TRUE(negative.FastNumber(&v));
  EXPECT_EQ(v, Fixed4::FromRaw(-12'500));
  EXPECT_EQ(negative.Peek(), '}');
  Scanner long_fraction("-6.099999999999909,");
  EXPECT_FALSE(long_fraction.FastNumber(&v));  // not the fast form: the caller reads the token
  std::string_view tok;
  ASSERT_TRUE(long_fraction.Token(&tok));
  EXPECT_EQ(tok, "-6.099999999999909");
  EXPECT_TRUE(long_fraction.Eat(','));
  Scanner literal("null}");
  ASSERT_TRUE(literal.Token(&tok));
  EXPECT_EQ(tok, "null");
  Scanner empty(",1");
  EXPECT_FALSE(empty.Token(&tok));
}

TEST(FrameScanner, EatSkipsBlanksOnly) {
  Scanner sc(" \t:\nx");
  EXPECT_FALSE(sc.Eat(','));
  EXPECT_TRUE(sc.Eat(':'));
  EXPECT_FALSE(sc.Eat('x'));  // a line break is not skipped: the fast path declines such frames
  EXPECT_EQ(sc.Peek(), '\n');
  Scanner end("");
  EXPECT_TRUE(end.AtEnd());
  EXPECT_EQ(end.Peek(), '\0');
  EXPECT_FALSE(end.Eat('{'));
}

}  // namespace
}  // namespace vnt::feed::internal
