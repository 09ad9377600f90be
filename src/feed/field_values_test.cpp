// One Content value into the field set: the type each field accepts, numbers as strings, "NaN", and the
// decorative fields, on their own and through the decoder.
#include "feed/field_values.h"

#include <gtest/gtest.h>

#include <string>

#include "feed/decoder.h"
#include "feed/decoder_test_util.h"
#include "feed/fields.h"

namespace vnt::feed::decoder_test {
namespace {

using internal::IsDecorative;
using internal::SetFromNumberToken;
using internal::SetFromOther;
using internal::SetFromString;

TEST(BrokenFrames, WrongFieldTypes) {
  EXPECT_EQ(OnlyError(Replace(Frame(Payload("X-TRADE", kGoodContent)), "22950.0", "{}")),
            ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(WithField("\"Ceiling\":[1,2]")), ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(WithField("\"RefPrice\":\"abc\"")), ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(WithField("\"Floor\":true")), ErrorKind::kWrongType);
  EXPECT_EQ(OnlyError(Frame(Payload("X-TRADE", Replace(kGoodContent, "\"ACB\"", "123")))),
            ErrorKind::kWrongType);
}

TEST(BrokenFrames, HugeNumbers) {
  EXPECT_EQ(OnlyError(WithField("\"Ceiling\":1e300")), ErrorKind::kNumberOutOfRange);
  EXPECT_EQ(OnlyError(WithField("\"TotalRoom\":123456789012345678901234567890")),
            ErrorKind::kNumberOutOfRange);
}

// ---------- the setters on their own ----------

TEST(FieldValues, StringsWhereStringsBelongAndNumbersSpelledAsStrings) {
  FieldSet f;
  EXPECT_FALSE(SetFromString(f, Field::kSymbol, " ACB"));
  ASSERT_NE(f.String(Field::kSymbol), nullptr);
  EXPECT_EQ(*f.String(Field::kSymbol), " ACB");  // kept as sent: the event builder trims
  EXPECT_FALSE(SetFromString(f, Field::kLastVol, " 100 "));
  ASSERT_NE(f.Number(Field::kLastVol), nullptr);
  EXPECT_EQ(*f.Number(Field::kLastVol), Fixed4::FromInt(100));
  EXPECT_FALSE(SetFromString(f, Field::kAvgPrice, "22927.93"));
  EXPECT_EQ(*f.Number(Field::kAvgPrice), P("22927.93"));
  for (const char* absent : {"", "  ", "NaN", "nan", "null"}) {
    EXPECT_FALSE(SetFromString(f, Field::kRefPrice, absent)) << absent;
    EXPECT_FALSE(f.Has(Field::kRefPrice)) << absent;
  }
  const internal::Status bad = SetFromString(f, Field::kCeiling, "abc");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, ErrorKind::kWrongType);
  EXPECT_EQ(bad->detail, "Ceiling is not a number");
  EXPECT_FALSE(bad->syntax);
  const internal::Status huge = SetFromString(f, Field::kCeiling, "1e300");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->kind, ErrorKind::kNumberOutOfRange);
}

TEST(FieldValues, NumberTokens) {
  FieldSet f;
  EXPECT_FALSE(SetFromNumberToken(f, Field::kChange, "-6.099999999999909"));
  EXPECT_EQ(*f.Number(Field::kChange), P("-6.1"));
  const internal::Status huge = SetFromNumberToken(f, Field::kTotalRoom, "1e300");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->kind, ErrorKind::kNumberOutOfRange);
  // Outside the JSON number grammar: a syntax failure, which the general path may repair.
  const internal::Status bad = SetFromNumberToken(f, Field::kLastPrice, "01");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, ErrorKind::kMalformedJson);
  EXPECT_TRUE(bad->syntax);
  const internal::Status wrong = SetFromNumberToken(f, Field::kSymbol, "123");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->kind, ErrorKind::kWrongType);
  EXPECT_EQ(wrong->detail, "Symbol is not a string");
  EXPECT_FALSE(SetFromNumberToken(f, Field::kSide, "1"));  // decorative: tolerated, not kept
  EXPECT_FALSE(f.Has(Field::kSide));
}

TEST(FieldValues, OtherTypesAreToleratedOnlyInDecorativeFields) {
  for (Field d : {Field::kSide, Field::kTradingStatus, Field::kRType, Field::kIsin}) {
    EXPECT_TRUE(IsDecorative(d));
    EXPECT_FALSE(SetFromOther(d));
  }
  EXPECT_FALSE(IsDecorative(Field::kSymbol));
  const internal::Status num = SetFromOther(Field::kCeiling);
  ASSERT_TRUE(num);
  EXPECT_EQ(num->kind, ErrorKind::kWrongType);
  EXPECT_EQ(num->detail, "Ceiling is not a number");
  const internal::Status str = SetFromOther(Field::kExchange);
  ASSERT_TRUE(str);
  EXPECT_EQ(str->detail, "Exchange is not a string");
}

}  // namespace
}  // namespace vnt::feed::decoder_test
