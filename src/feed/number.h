#pragma once
// Exact decimal text -> fixed-point conversion for feed numbers (no double round-trip).

#include <string_view>

#include "core/types.h"

namespace vnt::feed {

enum class NumberStatus { kOk, kInvalid, kOutOfRange };

// Parses a JSON number ("22950.0", "-6.099999999999909", "1.018924E4", "140"; RFC 8259 grammar, so
// "+1", "01", ".5" and "1." are kInvalid) into a Fixed4,
// rounding half away from zero at the 4th decimal. Leading/trailing ASCII spaces are ignored.
// Values whose magnitude exceeds what Fixed4 holds (about 9.2e14) give kOutOfRange.
NumberStatus ParseFixed4(std::string_view text, Fixed4* out);

// The fast form only, read in place: -?digits(.digits{1,4})? with at most 14 integer digits (what .NET
// sends nearly always), from p up to the first byte that cannot continue a number. Returns the end of the
// number, or nullptr for any other form (then use ParseFixed4 on the whole token). Reads up to 8 bytes
// past p only when they lie before end.
const char* ParseFixed4Prefix(const char* p, const char* end, Fixed4* out);

// True when text is exactly a JSON number (RFC 8259 grammar: no '+', no leading zeros, no bare '.').
bool IsStrictJsonNumber(std::string_view text);

// "dd/MM/yyyy" -> Date; false when malformed or not a calendar date.
bool ParseFeedDate(std::string_view text, Date* out);
// "HH:mm:ss" (optionally followed by a fraction ".fff") -> TimeOfDay; false when malformed.
bool ParseFeedTime(std::string_view text, TimeOfDay* out);

}  // namespace vnt::feed
