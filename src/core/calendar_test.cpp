#include "core/calendar.h"

#include <gtest/gtest.h>

#include <string>

#include <ostream>

namespace vnt {
// Readable gtest failure messages (internal linkage: other test files may print Date too).
[[maybe_unused]] static void PrintTo(Date d, std::ostream* os) {
  *os << ToString(d);
}
}  // namespace vnt

namespace vnt::core {
namespace {

constexpr Date D(int y, int m, int d) {
  return Date::Of(y, m, d);
}

// Counts business days in (from, to] one day at a time, as the reference for the closed-form count.
int CountByWalking(const HolidayCalendar& cal, Date from, Date to) {
  int n = 0;
  for (std::int64_t day = DayNumber(from) + 1; day <= DayNumber(to); ++day) {
    if (cal.IsBusinessDay(DateFromDayNumber(day))) ++n;
  }
  return n;
}

// Parses text expecting failure; returns the error message.
std::string ParseError(std::string_view text) {
  const auto cal = HolidayCalendar::Parse(text);
  EXPECT_FALSE(cal.ok()) << text;
  if (cal.ok()) return "";
  EXPECT_EQ(cal.error().code, ErrorCode::kParse);
  EXPECT_EQ(cal.error().message.rfind(cal.error().field + ": ", 0), 0u) << "the field names the line";
  return cal.error().message;
}

TEST(CalendarVietnam, CoversTheBuiltInYears) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  EXPECT_EQ(cal.first_covered(), D(2024, 1, 1));
  EXPECT_EQ(cal.last_covered(), D(2027, 12, 31));
  // 2024: 12, 2025: 12, 2026: 12, 2027: 11 (see data/vn_holidays.txt).
  EXPECT_EQ(cal.holiday_count(), 47u);
  EXPECT_EQ(&cal, &HolidayCalendar::Vietnam());  // one shared instance
}

TEST(CalendarVietnam, ListsAnnouncedHolidays) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  for (Date d :
       {D(2024, 1, 1),  D(2024, 2, 8),  D(2024, 2, 14), D(2024, 4, 18), D(2024, 4, 29), D(2024, 4, 30),
        D(2024, 5, 1),  D(2024, 9, 2),  D(2024, 9, 3),  D(2025, 1, 1),  D(2025, 1, 27), D(2025, 1, 31),
        D(2025, 4, 7),  D(2025, 4, 30), D(2025, 5, 1),  D(2025, 5, 2),  D(2025, 9, 1),  D(2025, 9, 2),
        D(2026, 1, 1),  D(2026, 2, 16), D(2026, 2, 19), D(2026, 2, 20), D(2026, 4, 27), D(2026, 4, 30),
        D(2026, 5, 1),  D(2026, 8, 31), D(2026, 9, 1),  D(2026, 9, 2),  D(2027, 1, 1),  D(2027, 2, 4),
        D(2027, 2, 10), D(2027, 4, 16), D(2027, 4, 30), D(2027, 5, 3),  D(2027, 9, 2),  D(2027, 9, 3)}) {
    EXPECT_TRUE(cal.IsHoliday(d)) << ToString(d);
    EXPECT_FALSE(cal.IsBusinessDay(d)) << ToString(d);
  }
}

TEST(CalendarVietnam, OrdinaryDaysAreNotHolidays) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  // Days next to holidays that the exchanges trade on.
  for (Date d : {D(2026, 1, 2), D(2026, 2, 13), D(2026, 2, 23), D(2025, 2, 3), D(2024, 2, 15), D(2025, 9, 3),
                 D(2026, 9, 3), D(2026, 4, 28), D(2024, 5, 2), D(2025, 5, 5), D(2027, 2, 11)}) {
    EXPECT_FALSE(cal.IsHoliday(d)) << ToString(d);
    EXPECT_TRUE(cal.IsBusinessDay(d)) << ToString(d);
  }
  // Weekends are never listed as holidays, even the Sunday Hung Kings day of 2026.
  EXPECT_FALSE(cal.IsHoliday(D(2026, 4, 26)));
  EXPECT_FALSE(cal.IsBusinessDay(D(2026, 4, 26)));
  EXPECT_FALSE(cal.IsHoliday(D(2024, 5, 4)));  // make-up Saturday: no trading either
  EXPECT_FALSE(cal.IsBusinessDay(D(2024, 5, 4)));
}

TEST(CalendarWeekdays, WeekendsAreNotBusinessDays) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  // 2026-03-16 is a Monday.
  EXPECT_EQ(Weekday(D(2026, 3, 16)), 0);
  for (int day = 16; day <= 20; ++day) EXPECT_TRUE(cal.IsBusinessDay(D(2026, 3, day))) << day;
  EXPECT_FALSE(cal.IsBusinessDay(D(2026, 3, 21)));  // Saturday
  EXPECT_FALSE(cal.IsBusinessDay(D(2026, 3, 22)));  // Sunday
  // Outside the covered range only weekends count.
  EXPECT_TRUE(cal.IsBusinessDay(D(2028, 1, 3)));
  EXPECT_FALSE(cal.IsBusinessDay(D(2028, 1, 1)));  // Saturday
}

TEST(CalendarWeekdays, PreviousAndNextSkipWeekendsAndHolidays) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  // Plain week: Friday <-> Monday.
  EXPECT_EQ(cal.NextBusinessDay(D(2026, 3, 20)), D(2026, 3, 23));
  EXPECT_EQ(cal.PreviousBusinessDay(D(2026, 3, 23)), D(2026, 3, 20));
  EXPECT_EQ(cal.NextBusinessDay(D(2026, 3, 17)), D(2026, 3, 18));
  EXPECT_EQ(cal.PreviousBusinessDay(D(2026, 3, 18)), D(2026, 3, 17));
  // From a weekend day.
  EXPECT_EQ(cal.NextBusinessDay(D(2026, 3, 21)), D(2026, 3, 23));
  EXPECT_EQ(cal.PreviousBusinessDay(D(2026, 3, 22)), D(2026, 3, 20));
  // Tet 2026: closed Mon 16 - Fri 20 Feb, nine days without trading.
  EXPECT_EQ(cal.NextBusinessDay(D(2026, 2, 13)), D(2026, 2, 23));
  EXPECT_EQ(cal.PreviousBusinessDay(D(2026, 2, 23)), D(2026, 2, 13));
  EXPECT_EQ(cal.PreviousBusinessDay(D(2026, 2, 18)), D(2026, 2, 13));
  // 30 Apr - 2 May 2025 then a weekend.
  EXPECT_EQ(cal.NextBusinessDay(D(2025, 4, 29)), D(2025, 5, 5));
  // National Day 2026: Mon 31 Aug - Wed 2 Sep.
  EXPECT_EQ(cal.NextBusinessDay(D(2026, 8, 28)), D(2026, 9, 3));
  // Across a year end: 1 Jan 2027 is a Friday holiday.
  EXPECT_EQ(cal.NextBusinessDay(D(2026, 12, 31)), D(2027, 1, 4));
  EXPECT_EQ(cal.PreviousBusinessDay(D(2027, 1, 4)), D(2026, 12, 31));
}

TEST(CalendarWeekdays, BusinessDaysBetween) {
  const HolidayCalendar& cal = HolidayCalendar::Vietnam();
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 3, 16), D(2026, 3, 16)), 0);
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 3, 20), D(2026, 3, 16)), 0);  // reversed
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 3, 16), D(2026, 3, 17)), 1);
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 3, 20), D(2026, 3, 23)), 1);  // over a weekend
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 3, 16), D(2026, 3, 22)), 4);  // Tue-Fri
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 2, 13), D(2026, 2, 23)), 1);  // over Tet
  // Whole years: 2025 has 261 weekdays and 12 weekday holidays; 2026 has 261 and 12.
  EXPECT_EQ(cal.BusinessDaysBetween(D(2024, 12, 31), D(2025, 12, 31)), 249);
  EXPECT_EQ(cal.BusinessDaysBetween(D(2025, 12, 31), D(2026, 12, 31)), 249);
  // The closed form agrees with walking day by day, for starts on every weekday and odd spans.
  for (std::int64_t start = DayNumber(D(2023, 12, 20)); start < DayNumber(D(2024, 1, 3)); ++start) {
    for (int span : {1, 2, 5, 6, 7, 8, 13, 30, 365, 800, 1500}) {
      const Date from = DateFromDayNumber(start);
      const Date to = DateFromDayNumber(start + span);
      EXPECT_EQ(cal.BusinessDaysBetween(from, to), CountByWalking(cal, from, to))
          << ToString(from) << " .. " << ToString(to);
    }
  }
}

TEST(CalendarParse, ReadsTheFormat) {
  const auto cal = HolidayCalendar::Parse(
      "# a comment\n"
      "\n"
      "covers 2030-01-01 2030-12-31\r\n"
      "   # indented comment\n"
      "2030-01-01  New Year's Day\n"
      "2030-05-16\tSomething # not a comment, part of the name\n"
      "  2030-09-02 National Day  ");
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  EXPECT_EQ(cal->first_covered(), D(2030, 1, 1));
  EXPECT_EQ(cal->last_covered(), D(2030, 12, 31));
  EXPECT_EQ(cal->holiday_count(), 3u);
  EXPECT_TRUE(cal->IsHoliday(D(2030, 1, 1)));
  EXPECT_TRUE(cal->IsHoliday(D(2030, 5, 16)));
  EXPECT_TRUE(cal->IsHoliday(D(2030, 9, 2)));
  EXPECT_FALSE(cal->IsHoliday(D(2030, 9, 3)));
}

TEST(CalendarParse, CoversWithoutHolidays) {
  const auto cal = HolidayCalendar::Parse("covers 2030-01-01 2030-01-01\n");
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(cal->holiday_count(), 0u);
  EXPECT_EQ(cal->BusinessDaysBetween(D(2029, 12, 31), D(2030, 1, 7)), 5);
}

TEST(CalendarParse, ErrorsNameTheLine) {
  EXPECT_EQ(ParseError(""), "line 1: missing 'covers YYYY-MM-DD YYYY-MM-DD' line");
  EXPECT_EQ(ParseError("# only\n# comments\n"), "line 2: missing 'covers YYYY-MM-DD YYYY-MM-DD' line");
  EXPECT_EQ(ParseError("# x\n2030-01-01 New Year\n"),
            "line 2: 'covers' line must come before the first date");
  EXPECT_EQ(ParseError("covers 2030-01-01\n"), "line 1: expected 'covers YYYY-MM-DD YYYY-MM-DD'");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31 extra\n"),
            "line 1: expected 'covers YYYY-MM-DD YYYY-MM-DD'");
  EXPECT_EQ(ParseError("covers 2030-1-01 2030-12-31\n"), "line 1: bad date '2030-1-01'");
  EXPECT_EQ(ParseError("covers 2030-12-31 2030-01-01\n"), "line 1: covered range ends before it starts");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\ncovers 2030-01-01 2030-12-31\n"),
            "line 2: duplicate 'covers' line");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n\n# c\n2030-02-29 Leap\n"),
            "line 4: expected 'YYYY-MM-DD  name' or 'covers ...', got '2030-02-29'");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2030-04-31 x\n"),
            "line 2: expected 'YYYY-MM-DD  name' or 'covers ...', got '2030-04-31'");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\nholiday 2030-01-01 x\n"),
            "line 2: expected 'YYYY-MM-DD  name' or 'covers ...', got 'holiday'");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2030-01-01\n"),
            "line 2: missing holiday name after 2030-01-01");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2031-01-01 New Year\n"),
            "line 2: 2031-01-01 is outside the covered range");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2030-01-05 Saturday\n"),
            "line 2: 2030-01-05 is a Saturday; list the observed weekday instead");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2030-01-01 a\n2030-01-01 b\n"),
            "line 3: duplicate date 2030-01-01");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2030-01-02 a\n2030-01-01 b\n"),
            "line 3: 2030-01-01 is out of order");
  EXPECT_EQ(ParseError("covers 2030-01-01 2030-12-31\n2030-01-01 a\ncovers 2031-01-01 2031-12-31\n"),
            "line 3: duplicate 'covers' line");
  EXPECT_FALSE(HolidayCalendar::Parse("bogus").ok());
}

TEST(CalendarExtend, AnOperatorsFileExtendsAndCorrectsTheBuiltInData) {
  // A file as an operator writes it from the exchange's notice for a later year (dates illustrative).
  auto extra = HolidayCalendar::Parse(
      "covers 2027-09-01 2028-12-31\n"
      "2027-09-02  National Day\n"  // the official notice without the assumed second day
      "2028-01-03  New Year (observed)\n"
      "2028-01-26  Tet\n");
  ASSERT_TRUE(extra.ok()) << extra.error().message;
  const HolidayCalendar& builtin = HolidayCalendar::Vietnam();
  auto merged = builtin.ExtendedWith(*extra);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->first_covered(), builtin.first_covered());
  EXPECT_EQ(merged->last_covered(), D(2028, 12, 31));
  EXPECT_TRUE(merged->IsHoliday(D(2028, 1, 26)));
  EXPECT_TRUE(merged->IsHoliday(D(2028, 1, 3)));
  EXPECT_TRUE(merged->IsHoliday(D(2027, 9, 2)));
  EXPECT_FALSE(merged->IsHoliday(D(2027, 9, 3)));  // inside the file's range, the file wins
  EXPECT_TRUE(merged->IsHoliday(D(2027, 4, 30)));  // before it, the built-in list stays
  EXPECT_EQ(merged->holiday_count(), builtin.holiday_count() - 2 + 3);
  // Futures dated past 2027 now see the holidays: the March 2028 expiry is a business day either way,
  // and the calendar walks over Tet.
  EXPECT_EQ(merged->NextBusinessDay(D(2028, 1, 25)), D(2028, 1, 27));
  // A file that leaves a gap after the built-in data is refused, naming both ranges.
  auto gap = HolidayCalendar::Parse("covers 2029-01-01 2029-12-31\n");
  ASSERT_TRUE(gap.ok());
  const auto refused = builtin.ExtendedWith(*gap);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("gap"), std::string::npos) << refused.error().message;
}

TEST(CalendarExtend, InstalledCalendarIsWhatVietnamReturns) {
  const HolidayCalendar before = HolidayCalendar::Vietnam();
  auto extra = HolidayCalendar::Parse("covers 2028-01-01 2028-12-31\n2028-01-26  Tet\n");
  ASSERT_TRUE(extra.ok()) << extra.error().message;
  auto merged = before.ExtendedWith(*extra);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  HolidayCalendar::InstallVietnam(std::move(merged).value());
  EXPECT_EQ(HolidayCalendar::Vietnam().last_covered(), D(2028, 12, 31));
  EXPECT_TRUE(HolidayCalendar::Vietnam().IsHoliday(D(2028, 1, 26)));
  HolidayCalendar::InstallVietnam(before);  // leave the process as other tests expect it
  EXPECT_EQ(HolidayCalendar::Vietnam().last_covered(), D(2027, 12, 31));
}

TEST(VietnamTime, UnixSecondsToLocalDateAndTime) {
  // 2026-03-18T02:15:30Z is 09:15:30 in Hanoi; 2026-03-17T17:00:00Z is midnight of the 18th there.
  const ExchangeTime a = VietnamTimeOf(1773800130);
  EXPECT_EQ(a.date, Date::Of(2026, 3, 18));
  EXPECT_EQ(a.time, TimeOfDay::Of(9, 15, 30));
  const ExchangeTime b = VietnamTimeOf(1773766800);
  EXPECT_EQ(b.date, Date::Of(2026, 3, 18));
  EXPECT_EQ(b.time, TimeOfDay::Of(0, 0, 0));
  const ExchangeTime c = VietnamTimeOf(-25200 - 1);  // one second before 1970-01-01 00:00 local
  EXPECT_EQ(c.date, Date::Of(1969, 12, 31));
  EXPECT_EQ(c.time, TimeOfDay::Of(23, 59, 59));
}

}  // namespace
}  // namespace vnt::core
