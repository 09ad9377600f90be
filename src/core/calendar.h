#pragma once
// Exchange business days (HOSE/HNX): weekends plus a data-driven holiday list. Standard library only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/types.h"

namespace vnt::core {

// A set of exchange holidays over a covered date range. Immutable once built; cheap to query.
// Outside the covered range only weekends are non-business days (the data does not know later holidays).
class HolidayCalendar {
 public:
  // The process's Vietnamese calendar: the built-in one (2024-2027, embedded at build time from
  // src/core/data/vn_holidays.txt), or what InstallVietnam set at start-up.
  static const HolidayCalendar& Vietnam();
  // Replaces the calendar Vietnam() returns. Call once at start-up, before any engine or thread reads it
  // (`vntracker --holidays FILE`: the official schedule of a year the built-in data does not cover yet).
  static void InstallVietnam(HolidayCalendar cal);
  // This calendar with `extra` laid over it: inside extra's covered range its list replaces this one's
  // (an official schedule corrects an assumed day), and the covered range becomes the union. An error
  // (kInvalidArgument) when the two ranges leave a gap between them.
  Result<HolidayCalendar> ExtendedWith(const HolidayCalendar& extra) const;
  // Parses the data-file format; an error (kParse, message "line N: reason", field "line N") otherwise.
  static Result<HolidayCalendar> Parse(std::string_view text);

  // True when d is an exchange holiday listed in the data (weekends are never listed).
  bool IsHoliday(Date d) const;
  // True when d is Monday-Friday and not a holiday.
  bool IsBusinessDay(Date d) const;
  // The last business day strictly before d.
  Date PreviousBusinessDay(Date d) const;
  // The first business day strictly after d.
  Date NextBusinessDay(Date d) const;
  // Number of business days in (from, to]; 0 when to <= from.
  int BusinessDaysBetween(Date from, Date to) const;
  // First day of the range the data file claims to list completely.
  Date first_covered() const { return first_covered_; }
  // Last day of the range the data file claims to list completely.
  Date last_covered() const { return last_covered_; }
  // Number of holidays listed (all weekdays).
  std::size_t holiday_count() const { return holidays_.size(); }

 private:
  HolidayCalendar() = default;

  Date first_covered_;
  Date last_covered_;
  std::vector<std::int32_t> holidays_;  // yyyymmdd, strictly ascending, all Monday-Friday
};

}  // namespace vnt::core
