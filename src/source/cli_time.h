#pragma once
// Command-line dates and times (YYYY-MM-DD, HH:MM[:SS]) for the simulator options of serve and record.

#include <cstdio>
#include <ctime>
#include <string>
#include <utility>

#include "common/result.h"
#include "core/calendar.h"
#include "core/types.h"

namespace vnt::source {

// "YYYY-MM-DD" -> Date; false when malformed.
inline bool ParseCliDate(const std::string& s, Date* out) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  *out = Date::Of(y, m, d);
  return true;
}

// "HH:MM" or "HH:MM:SS" -> TimeOfDay; false when malformed.
inline bool ParseCliTime(const std::string& s, TimeOfDay* out) {
  int h = 0, m = 0, sec = 0;
  if (std::sscanf(s.c_str(), "%2d:%2d:%2d", &h, &m, &sec) < 2 || h > 23 || m > 59 || sec > 59) return false;
  *out = TimeOfDay::Of(h, m, sec);
  return true;
}

// Vietnam local date and time of day now (UTC+7, no DST). Only the app layer reads the wall clock (to
// choose the simulator's day, the listed futures of the live feed); the engine runs on exchange timestamps.
inline std::pair<Date, TimeOfDay> VietnamNow() {
  const std::time_t t = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {Date::Of(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
          TimeOfDay::Of(tm.tm_hour, tm.tm_min, tm.tm_sec)};
}

// The simulated day and its first second.
struct SimDay {
  Date date;
  TimeOfDay start;
};

// The simulated day of `serve --feed sim` and `sim-server` from --sim-date and --sim-start (either may be
// empty): by default today in Vietnam (the last business day on a weekend or holiday), starting now when
// that is within trading hours (09:00-11:30, 13:00-14:45) and at 09:14:30 otherwise. An error
// (kInvalidArgument, field = the option) naming the malformed option.
inline Result<SimDay> ChooseSimDay(const std::string& sim_date, const std::string& sim_start) {
  const auto [today, now] = VietnamNow();
  SimDay day{today, TimeOfDay::Of(9, 14, 30)};
  if (!sim_date.empty() && !ParseCliDate(sim_date, &day.date)) {
    return Error{ErrorCode::kInvalidArgument, "--sim-date must be YYYY-MM-DD", "--sim-date"};
  }
  const core::HolidayCalendar& cal = core::HolidayCalendar::Vietnam();
  if (sim_date.empty() && !cal.IsBusinessDay(day.date)) day.date = cal.PreviousBusinessDay(day.date);
  if (!sim_start.empty()) {
    if (!ParseCliTime(sim_start, &day.start)) {
      return Error{ErrorCode::kInvalidArgument, "--sim-start must be HH:MM[:SS]", "--sim-start"};
    }
  } else if (sim_date.empty() && day.date == today &&
             ((now >= TimeOfDay::Of(9, 0, 0) && now < TimeOfDay::Of(11, 30, 0)) ||
              (now >= TimeOfDay::Of(13, 0, 0) && now < TimeOfDay::Of(14, 45, 0)))) {
    day.start = now;  // trading hours in Vietnam: follow the clock (outside them a demo starts at the open)
  }
  return day;
}

}  // namespace vnt::source
