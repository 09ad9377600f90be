// The name table of every enum in core: each value -> name -> value, unknown names refused, names unique.

#include <gtest/gtest.h>

#include "common/enum_names_testing.h"
#include "core/alert_text.h"
#include "core/alerts.h"
#include "core/classifier.h"
#include "core/events.h"
#include "core/futures.h"
#include "core/symbol_state.h"
#include "core/type_names.h"

namespace vnt::core {
namespace {

using vnt::testing::EnumRange;
using vnt::testing::ExpectNamesRoundTrip;
using vnt::testing::ExpectTableRoundTrip;

TEST(CoreEnumNames, AlertType) {
  const auto values = EnumRange(AlertType::kVolumeSpike, AlertType::kUserRule);
  ExpectTableRoundTrip(kAlertTypeNames, values);
  ExpectNamesRoundTrip(
      values, [](AlertType t) { return ToString(t); }, ParseAlertType);
  EXPECT_EQ(ParseAlertType("Volume_Spike"), std::nullopt);  // exact
}

TEST(CoreEnumNames, Severity) {
  const auto values = EnumRange(Severity::kInfo, Severity::kCritical);
  ExpectTableRoundTrip(kSeverityNames, values);
  ExpectNamesRoundTrip(
      values, [](Severity s) { return ToString(s); }, ParseSeverity);
}

TEST(CoreEnumNames, AlertUnitAndDirectionNameEveryValueButNone) {
  ExpectTableRoundTrip(kAlertUnitNames, EnumRange(AlertUnit::kVnd, AlertUnit::kCount_));
  EXPECT_EQ(ToString(AlertUnit::kNone), "");
  EXPECT_EQ(ToString(AlertUnit::kVndPerMinPerMin), "vnd_per_min2");
  ExpectTableRoundTrip(kDirectionNames, EnumRange(Direction::kUp, Direction::kDown));
  EXPECT_EQ(ToString(Direction::kNone), "");
}

TEST(CoreEnumNames, Metric) {
  const auto values = EnumRange(Metric::kLastPrice, Metric::kDeclines);
  ExpectTableRoundTrip(kMetricNames, values);
  ExpectNamesRoundTrip(
      values, [](Metric m) { return ToString(m); }, ParseMetric);
  EXPECT_EQ(ParseMetric("Room_Used_PCT"), Metric::kRoomUsedPct);  // any case
}

TEST(CoreEnumNames, ComparisonAndItsAliases) {
  const auto values = EnumRange(Comparison::kGt, Comparison::kCrossesBelow);
  ExpectTableRoundTrip(kComparisonNames, values);
  ExpectNamesRoundTrip(
      values, [](Comparison c) { return ToString(c); }, ParseComparison);
  EXPECT_EQ(ParseComparison("GTE"), Comparison::kGe);
  EXPECT_EQ(ParseComparison("="), Comparison::kEq);
  EXPECT_EQ(ParseComparison("crosses_down"), Comparison::kCrossesBelow);
  EXPECT_EQ(ParseComparison("!="), std::nullopt);
}

TEST(CoreEnumNames, Frequency) {
  const auto values = EnumRange(Frequency::kEveryTime, Frequency::kOnce);
  ExpectTableRoundTrip(kFrequencyNames, values);
  ExpectNamesRoundTrip(
      values, [](Frequency f) { return ToString(f); }, ParseFrequency);
}

TEST(CoreEnumNames, ClassifierEnums) {
  ExpectTableRoundTrip(kAggressorNames, EnumRange(Aggressor::kNeutral, Aggressor::kSell));
  ExpectTableRoundTrip(kClassifyMethodNames,
                       EnumRange(ClassifyMethod::kAuction, ClassifyMethod::kPutThrough));
  EXPECT_EQ(ToString(ClassifyMethod::kPutThrough), "put_through");
}

TEST(CoreEnumNames, SymbolStateEnums) {
  ExpectTableRoundTrip(kSessionBucketNames, EnumRange(SessionBucket::kAto, SessionBucket::kPt));
  ExpectTableRoundTrip(kSymbolKindNames, EnumRange(SymbolKind::kVn30, SymbolKind::kFutures));
  EXPECT_EQ(ToString(SessionBucket::kContinuous), "continuous");
}

TEST(CoreEnumNames, Channel) {
  const auto values = EnumRange(Channel::kTrade, Channel::kTrade2021);
  ExpectTableRoundTrip(kChannelNames, values);
  ExpectNamesRoundTrip(values, ChannelName, [](std::string_view s) { return kChannelNames.Parse(s); });
  EXPECT_EQ(kChannelNames.Parse("x-trade"), std::nullopt);  // SSI's spelling, exact
}

TEST(CoreEnumNames, ContractAlias) {
  const auto values = EnumRange(ContractAlias::k1M, ContractAlias::k2Q);
  ExpectTableRoundTrip(kContractAliasNames, values);
  ExpectNamesRoundTrip(
      values, [](ContractAlias a) { return ToString(a); }, ParseAlias);
  EXPECT_EQ(ParseAlias("vn30f1q"), ContractAlias::k1Q);
}

TEST(CoreEnumNames, Lang) {
  const auto values = EnumRange(Lang::kEn, Lang::kVi);
  ExpectTableRoundTrip(kLangNames, values);
  ExpectNamesRoundTrip(
      values, [](Lang l) { return ToString(l); }, ParseLang);
  EXPECT_EQ(ParseLang("VI"), Lang::kVi);
}

TEST(CoreEnumNames, SessionAndSide) {
  const auto sessions = EnumRange(Session::kAto, Session::kHalt);
  ExpectTableRoundTrip(kSessionNames, sessions);
  // ParseSession answers kUnknown, not nullopt, for a name it does not know.
  ExpectNamesRoundTrip(
      sessions, [](Session s) { return ToString(s); },
      [](std::string_view s) -> std::optional<Session> {
        const Session v = ParseSession(s);
        return v == Session::kUnknown ? std::nullopt : std::optional<Session>(v);
      });
  EXPECT_EQ(ParseSession("lo"), Session::kLo);
  EXPECT_EQ(ParseSession("H"), Session::kHalt);
  EXPECT_EQ(ToString(Session::kUnknown), "");
  ExpectTableRoundTrip(kSideNames, EnumRange(Side::kBuy, Side::kSell));
  EXPECT_EQ(ToString(Side::kUnknown), "");
}

}  // namespace
}  // namespace vnt::core
