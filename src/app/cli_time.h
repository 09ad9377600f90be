#pragma once
// Command-line dates and times (YYYY-MM-DD, HH:MM[:SS]) for the simulator options of serve and record.

#include <cstdio>
#include <ctime>
#include <string>
#include <utility>

#include "core/types.h"

namespace vnt::app {

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
  return {Date::Of(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), TimeOfDay::Of(tm.tm_hour, tm.tm_min, tm.tm_sec)};
}

}  // namespace vnt::app
