#pragma once
// Command-line dates and times (YYYY-MM-DD, HH:MM[:SS]) for the simulator options of serve and record.

#include <cstdio>
#include <string>

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

}  // namespace vnt::app
