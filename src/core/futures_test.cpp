#include "core/futures.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ostream>

namespace vnt {
// Readable gtest failure messages (internal linkage: other test files may print these types too).
[[maybe_unused]] static void PrintTo(Date d, std::ostream* os) {
  *os << ToString(d);
}
[[maybe_unused]] static void PrintTo(const Symbol& s, std::ostream* os) {
  *os << s.view();
}
namespace core {
[[maybe_unused]] static void PrintTo(const ContractMonth& m, std::ostream* os) {
  *os << m.year << '-' << m.month;
}
}  // namespace core
}  // namespace vnt

namespace vnt::core {
namespace {

constexpr Date D(int y, int m, int d) {
  return Date::Of(y, m, d);
}

std::string Str(ContractMonth m) {
  return std::to_string(m.year) + "-" + std::to_string(m.month);
}

struct MonthCase {
  int year;
  int month;
  const char* krx;
  const char* legacy;
  std::int32_t last_trading_day;  // yyyymmdd
};

// Every month 2025-2027, worked out by hand from the third Thursday and data/vn_holidays.txt.
const std::vector<MonthCase> kMonths = {
    {2025, 1, "41I1F1000", "VN30F2501", 20250116},  {2025, 2, "41I1F2000", "VN30F2502", 20250220},
    {2025, 3, "41I1F3000", "VN30F2503", 20250320},  {2025, 4, "41I1F4000", "VN30F2504", 20250417},
    {2025, 5, "41I1F5000", "VN30F2505", 20250515},  {2025, 6, "41I1F6000", "VN30F2506", 20250619},
    {2025, 7, "41I1F7000", "VN30F2507", 20250717},  {2025, 8, "41I1F8000", "VN30F2508", 20250821},
    {2025, 9, "41I1F9000", "VN30F2509", 20250918},  {2025, 10, "41I1FA000", "VN30F2510", 20251016},
    {2025, 11, "41I1FB000", "VN30F2511", 20251120}, {2025, 12, "41I1FC000", "VN30F2512", 20251218},
    {2026, 1, "41I1G1000", "VN30F2601", 20260115},  {2026, 2, "41I1G2000", "VN30F2602", 20260213},
    {2026, 3, "41I1G3000", "VN30F2603", 20260319},  {2026, 4, "41I1G4000", "VN30F2604", 20260416},
    {2026, 5, "41I1G5000", "VN30F2605", 20260521},  {2026, 6, "41I1G6000", "VN30F2606", 20260618},
    {2026, 7, "41I1G7000", "VN30F2607", 20260716},  {2026, 8, "41I1G8000", "VN30F2608", 20260820},
    {2026, 9, "41I1G9000", "VN30F2609", 20260917},  {2026, 10, "41I1GA000", "VN30F2610", 20261015},
    {2026, 11, "41I1GB000", "VN30F2611", 20261119}, {2026, 12, "41I1GC000", "VN30F2612", 20261217},
    {2027, 1, "41I1H1000", "VN30F2701", 20270121},  {2027, 2, "41I1H2000", "VN30F2702", 20270218},
    {2027, 3, "41I1H3000", "VN30F2703", 20270318},  {2027, 4, "41I1H4000", "VN30F2704", 20270415},
    {2027, 5, "41I1H5000", "VN30F2705", 20270520},  {2027, 6, "41I1H6000", "VN30F2706", 20270617},
    {2027, 7, "41I1H7000", "VN30F2707", 20270715},  {2027, 8, "41I1H8000", "VN30F2708", 20270819},
    {2027, 9, "41I1H9000", "VN30F2709", 20270916},  {2027, 10, "41I1HA000", "VN30F2710", 20271021},
    {2027, 11, "41I1HB000", "VN30F2711", 20271118}, {2027, 12, "41I1HC000", "VN30F2712", 20271216},
};

TEST(FuturesCodes, EveryMonth2025To2027) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  ASSERT_EQ(kMonths.size(), 36u);
  for (const MonthCase& c : kMonths) {
    const ContractMonth m{c.year, c.month};
    SCOPED_TRACE(Str(m));
    EXPECT_EQ(KrxCode(m).view(), c.krx);
    EXPECT_EQ(LegacyCode(m).view(), c.legacy);
    EXPECT_EQ(LastTradingDay(m, cal), Date{c.last_trading_day});
    EXPECT_EQ(ParseFuturesCode(c.krx), m);
    EXPECT_EQ(ParseFuturesCode(c.legacy), m);
    const FuturesContract fc = MakeContract(m, cal);
    EXPECT_EQ(fc.month, m);
    EXPECT_EQ(fc.krx_code.view(), c.krx);
    EXPECT_EQ(fc.legacy_code.view(), c.legacy);
    EXPECT_EQ(fc.last_trading_day, Date{c.last_trading_day});
  }
}

TEST(FuturesCodes, DocumentedExamples) {
  // fastconnect-v2.md §4.9 and §6.3.
  EXPECT_EQ(ParseFuturesCode("41I1G3000"), (ContractMonth{2026, 3}));
  EXPECT_EQ(LegacyCode({2026, 3}).view(), "VN30F2603");
  EXPECT_EQ(LastTradingDay({2026, 3}, HolidayCalendar::Vietnam()), D(2026, 3, 19));
  EXPECT_EQ(KrxCode(*ParseFuturesCode("VN30F2504")).view(), "41I1F4000");
  EXPECT_EQ(ParseFuturesCode("41I1G4000"), (ContractMonth{2026, 4}));
}

TEST(FuturesCodes, YearAlphabetSkipsIOU) {
  EXPECT_EQ(KrxCode({2010, 1}).view(), "41I101000");
  EXPECT_EQ(KrxCode({2019, 12}).view(), "41I19C000");
  EXPECT_EQ(KrxCode({2020, 10}).view(), "41I1AA000");
  EXPECT_EQ(KrxCode({2027, 6}).view(), "41I1H6000");
  EXPECT_EQ(KrxCode({2028, 6}).view(), "41I1J6000");  // no I
  EXPECT_EQ(KrxCode({2032, 6}).view(), "41I1N6000");
  EXPECT_EQ(KrxCode({2033, 6}).view(), "41I1P6000");  // no O
  EXPECT_EQ(KrxCode({2037, 6}).view(), "41I1T6000");
  EXPECT_EQ(KrxCode({2038, 6}).view(), "41I1V6000");  // no U
  EXPECT_EQ(KrxCode({2039, 11}).view(), "41I1WB000");
  EXPECT_EQ(ParseFuturesCode("41I1J6000"), (ContractMonth{2028, 6}));
  EXPECT_EQ(ParseFuturesCode("41I1WB000"), (ContractMonth{2039, 11}));
  // Out of the alphabet or not a month: no code.
  EXPECT_TRUE(KrxCode({2009, 12}).empty());
  EXPECT_TRUE(KrxCode({2040, 1}).empty());
  EXPECT_TRUE(KrxCode({2026, 0}).empty());
  EXPECT_TRUE(KrxCode({2026, 13}).empty());
  EXPECT_TRUE(LegacyCode({2026, 13}).empty());
  EXPECT_TRUE(LegacyCode({1999, 12}).empty());
  EXPECT_EQ(LegacyCode({2099, 1}).view(), "VN30F9901");
}

TEST(FuturesCodes, ParseIsCaseInsensitive) {
  EXPECT_EQ(ParseFuturesCode("41i1g3000"), (ContractMonth{2026, 3}));
  EXPECT_EQ(ParseFuturesCode("41i1gc000"), (ContractMonth{2026, 12}));
  EXPECT_EQ(ParseFuturesCode("vn30f2603"), (ContractMonth{2026, 3}));
  EXPECT_EQ(ParseFuturesCode("Vn30F2512"), (ContractMonth{2025, 12}));
}

TEST(FuturesCodes, ParseRejectsEverythingElse) {
  for (const char* bad : {
           "",          "4",         "41I1G300",  "41I1G30000",  // lengths
           "41I2G3000",                                          // VN100 futures
           "41B5G3000", "41BAG3000",                             // bond futures
           "42I1G3000", "51I1G3000", "40I1G3000",                // not derivative/future
           "41I1I3000", "41I1O3000", "41I1U3000", "41I1X3000",   // year chars not in the alphabet
           "41I1G0000", "41I1GD000", "41I1G-000",                // month chars
           "41I1G3001", "41I1G3 00",                             // suffix
           "VN30F2613", "VN30F2600", "VN30F26O3", "VN30F263",   "VN30F26033", "VN31F2603",  "VN30G2603",
           "VN30F1M",   "VN30F2Q",   "VN30",      "ACB",        " 41I1G3000", "41I1G3000 ",
       }) {
    EXPECT_FALSE(ParseFuturesCode(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(FuturesAlias, NamesRoundTrip) {
  EXPECT_EQ(ToString(ContractAlias::k1M), "VN30F1M");
  EXPECT_EQ(ToString(ContractAlias::k2M), "VN30F2M");
  EXPECT_EQ(ToString(ContractAlias::k1Q), "VN30F1Q");
  EXPECT_EQ(ToString(ContractAlias::k2Q), "VN30F2Q");
  for (ContractAlias a : {ContractAlias::k1M, ContractAlias::k2M, ContractAlias::k1Q, ContractAlias::k2Q}) {
    EXPECT_EQ(ParseAlias(ToString(a)), a);
  }
  EXPECT_EQ(ParseAlias("vn30f1m"), ContractAlias::k1M);
  EXPECT_EQ(ParseAlias("Vn30F2q"), ContractAlias::k2Q);
  EXPECT_FALSE(ParseAlias("VN30F3M").has_value());
  EXPECT_FALSE(ParseAlias("VN30F1").has_value());
  EXPECT_FALSE(ParseAlias("VN30F2603").has_value());
  EXPECT_FALSE(ParseAlias("").has_value());
}

TEST(FuturesLastTradingDay, HolidayOnThirdThursdayMovesBack) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  // Feb 2026: third Thursday 19 Feb is Tet; the last session before Tet is Friday 13 Feb.
  EXPECT_EQ(Weekday(D(2026, 2, 19)), 3);
  EXPECT_TRUE(cal.IsHoliday(D(2026, 2, 19)));
  EXPECT_EQ(LastTradingDay({2026, 2}, cal), D(2026, 2, 13));
  // Apr 2024: third Thursday 18 Apr is Hung Kings day.
  EXPECT_EQ(LastTradingDay({2024, 4}, cal), D(2024, 4, 17));
}

TEST(FuturesLastTradingDay, MatchesPublishedHnxDates) {
  // HNX contract list (derivatives.hnx.vn): VN30F2408/2409/2410/2412/2503 last trading days.
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  EXPECT_EQ(LastTradingDay({2024, 8}, cal), D(2024, 8, 15));
  EXPECT_EQ(LastTradingDay({2024, 9}, cal), D(2024, 9, 19));
  EXPECT_EQ(LastTradingDay({2024, 10}, cal), D(2024, 10, 17));
  EXPECT_EQ(LastTradingDay({2024, 12}, cal), D(2024, 12, 19));
  EXPECT_EQ(LastTradingDay({2025, 3}, cal), D(2025, 3, 20));
}

TEST(FuturesLastTradingDay, RepeatsBackOverSeveralClosedDays) {
  // Third Thursday of Jan 2030 is the 17th; close Mon 14 - Thu 17 so the expiry falls back to Friday 11.
  const auto cal = HolidayCalendar::Parse(
      "covers 2030-01-01 2030-12-31\n"
      "2030-01-14 a\n2030-01-15 b\n2030-01-16 c\n2030-01-17 d\n"
      "2030-03-21 e\n");
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  EXPECT_EQ(LastTradingDay({2030, 1}, *cal), D(2030, 1, 11));
  EXPECT_EQ(LastTradingDay({2030, 3}, *cal), D(2030, 3, 20));
  EXPECT_EQ(LastTradingDay({2030, 2}, *cal), D(2030, 2, 21));  // untouched month
  // The first of the month on a Thursday: the third Thursday is the 15th.
  EXPECT_EQ(LastTradingDay({2026, 1}, HolidayCalendar::Vietnam()), D(2026, 1, 15));
  // The first on a Friday: the third Thursday is the 21st (the latest possible).
  EXPECT_EQ(LastTradingDay({2027, 1}, HolidayCalendar::Vietnam()), D(2027, 1, 21));
}

// The months listed on d, in alias order.
std::vector<ContractMonth> ListedMonths(Date d) {
  std::vector<ContractMonth> out;
  const auto listed = ListedContracts(d, HolidayCalendar::Vietnam());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(listed[i].alias, static_cast<ContractAlias>(i));
    EXPECT_EQ(listed[i].contract.krx_code, KrxCode(listed[i].contract.month));
    out.push_back(listed[i].contract.month);
  }
  return out;
}

using Months = std::vector<ContractMonth>;

TEST(FuturesListed, RollsTheDayAfterExpiry) {
  // Expiry day of VN30F2603 (Thursday 19 Mar 2026): March is still the front month.
  EXPECT_EQ(ListedMonths(D(2026, 3, 19)), (Months{{2026, 3}, {2026, 4}, {2026, 6}, {2026, 9}}));
  // The day after: April becomes 1M, June stays 1Q.
  EXPECT_EQ(ListedMonths(D(2026, 3, 20)), (Months{{2026, 4}, {2026, 5}, {2026, 6}, {2026, 9}}));
  EXPECT_EQ(ListedMonths(D(2026, 3, 1)), (Months{{2026, 3}, {2026, 4}, {2026, 6}, {2026, 9}}));
}

TEST(FuturesListed, HolidayMovedExpiry) {
  // VN30F2602 expires Friday 13 Feb 2026 (Tet); from the next day March is the front month.
  EXPECT_EQ(ListedMonths(D(2026, 2, 13)), (Months{{2026, 2}, {2026, 3}, {2026, 6}, {2026, 9}}));
  EXPECT_EQ(ListedMonths(D(2026, 2, 16)), (Months{{2026, 3}, {2026, 4}, {2026, 6}, {2026, 9}}));
  EXPECT_EQ(ListedMonths(D(2026, 2, 23)), (Months{{2026, 3}, {2026, 4}, {2026, 6}, {2026, 9}}));
}

TEST(FuturesListed, QuarterMonthsAreStrictlyAfter2M) {
  // After the April expiry 2M is June, a quarter month, so the quarters are September and December.
  EXPECT_EQ(ListedMonths(D(2026, 4, 17)), (Months{{2026, 5}, {2026, 6}, {2026, 9}, {2026, 12}}));
  EXPECT_EQ(ListedMonths(D(2026, 5, 22)), (Months{{2026, 6}, {2026, 7}, {2026, 9}, {2026, 12}}));
  EXPECT_EQ(ListedMonths(D(2026, 8, 21)), (Months{{2026, 9}, {2026, 10}, {2026, 12}, {2027, 3}}));
}

TEST(FuturesListed, AcrossTheYearEnd) {
  EXPECT_EQ(ListedMonths(D(2025, 12, 18)), (Months{{2025, 12}, {2026, 1}, {2026, 3}, {2026, 6}}));
  EXPECT_EQ(ListedMonths(D(2025, 12, 19)), (Months{{2026, 1}, {2026, 2}, {2026, 3}, {2026, 6}}));
  EXPECT_EQ(ListedMonths(D(2026, 11, 20)), (Months{{2026, 12}, {2027, 1}, {2027, 3}, {2027, 6}}));
  EXPECT_EQ(ListedMonths(D(2026, 12, 18)), (Months{{2027, 1}, {2027, 2}, {2027, 3}, {2027, 6}}));
}

TEST(FuturesListed, CarriesContractDetails) {
  const auto listed = ListedContracts(D(2026, 3, 20), HolidayCalendar::Vietnam());
  EXPECT_EQ(listed[0].contract.krx_code.view(), "41I1G4000");
  EXPECT_EQ(listed[0].contract.legacy_code.view(), "VN30F2604");
  EXPECT_EQ(listed[0].contract.last_trading_day, D(2026, 4, 16));
  EXPECT_EQ(listed[3].contract.krx_code.view(), "41I1G9000");
  EXPECT_EQ(listed[3].contract.last_trading_day, D(2026, 9, 17));
}

TEST(FuturesResolve, CodesAndAliases) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  const Date d = D(2026, 3, 20);  // listed: 2604, 2605, 2606, 2609
  auto month_of = [&](std::string_view s) -> std::optional<ContractMonth> {
    const auto r = ResolveContract(s, d, cal);
    if (!r) return std::nullopt;
    return r->contract.month;
  };
  auto alias_of = [&](std::string_view s) { return ResolveContract(s, d, cal)->alias; };

  EXPECT_EQ(month_of("41I1G4000"), (ContractMonth{2026, 4}));
  EXPECT_EQ(alias_of("41I1G4000"), ContractAlias::k1M);
  EXPECT_EQ(month_of("VN30F2605"), (ContractMonth{2026, 5}));
  EXPECT_EQ(alias_of("VN30F2605"), ContractAlias::k2M);
  EXPECT_EQ(month_of("vn30f2606"), (ContractMonth{2026, 6}));
  EXPECT_EQ(alias_of("vn30f2606"), ContractAlias::k1Q);
  EXPECT_EQ(month_of("41i1g9000"), (ContractMonth{2026, 9}));
  EXPECT_EQ(alias_of("41i1g9000"), ContractAlias::k2Q);

  EXPECT_EQ(month_of("VN30F1M"), (ContractMonth{2026, 4}));
  EXPECT_EQ(month_of("VN30F2M"), (ContractMonth{2026, 5}));
  EXPECT_EQ(month_of("vn30f1q"), (ContractMonth{2026, 6}));
  EXPECT_EQ(month_of("Vn30F2Q"), (ContractMonth{2026, 9}));
  EXPECT_EQ(alias_of("vn30f1q"), ContractAlias::k1Q);
  const auto front = ResolveContract("VN30F1M", d, cal);
  ASSERT_TRUE(front.has_value());
  EXPECT_EQ(front->contract.krx_code.view(), "41I1G4000");
  EXPECT_EQ(front->contract.legacy_code.view(), "VN30F2604");
  EXPECT_EQ(front->contract.last_trading_day, D(2026, 4, 16));
}

TEST(FuturesResolve, UnknownOrNotListed) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  const Date d = D(2026, 3, 20);
  EXPECT_FALSE(ResolveContract("VN30F2603", d, cal).has_value());  // expired yesterday
  EXPECT_FALSE(ResolveContract("41I1G3000", d, cal).has_value());
  EXPECT_FALSE(ResolveContract("41I1G7000", d, cal).has_value());  // July: not listed yet
  EXPECT_FALSE(ResolveContract("VN30F2612", d, cal).has_value());
  EXPECT_FALSE(ResolveContract("41I2G4000", d, cal).has_value());  // VN100 futures
  EXPECT_FALSE(ResolveContract("garbage", d, cal).has_value());
  EXPECT_FALSE(ResolveContract("", d, cal).has_value());
  EXPECT_FALSE(ResolveContract("VN30F3M", d, cal).has_value());
  // On its expiry day the March contract still resolves, as 1M.
  const auto march = ResolveContract("41I1G3000", D(2026, 3, 19), cal);
  ASSERT_TRUE(march.has_value());
  EXPECT_EQ(march->alias, ContractAlias::k1M);
  EXPECT_EQ(march->contract.last_trading_day, D(2026, 3, 19));
}

TEST(FuturesExpiry, CalendarDaysToExpiry) {
  const FuturesContract march = MakeContract({2026, 3}, HolidayCalendar::Vietnam());
  EXPECT_EQ(CalendarDaysToExpiry(march, D(2026, 3, 1)), 18);
  EXPECT_EQ(CalendarDaysToExpiry(march, D(2026, 2, 19)), 28);
  EXPECT_EQ(CalendarDaysToExpiry(march, D(2026, 3, 19)), 0);
  EXPECT_EQ(CalendarDaysToExpiry(march, D(2026, 3, 20)), -1);
  EXPECT_EQ(CalendarDaysToExpiry(march, D(2025, 3, 19)), 365);
}

}  // namespace
}  // namespace vnt::core
