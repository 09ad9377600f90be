#include "feed/number.h"

#include <cstdint>
#include <cstring>
#include <limits>

namespace vnt::feed {

namespace {
constexpr std::uint64_t kPow10[] = {1ULL,
                                    10ULL,
                                    100ULL,
                                    1000ULL,
                                    10000ULL,
                                    100000ULL,
                                    1000000ULL,
                                    10000000ULL,
                                    100000000ULL,
                                    1000000000ULL,
                                    10000000000ULL,
                                    100000000000ULL,
                                    1000000000000ULL,
                                    10000000000000ULL,
                                    100000000000000ULL,
                                    1000000000000000ULL,
                                    10000000000000000ULL,
                                    100000000000000000ULL,
                                    1000000000000000000ULL};
constexpr int kMaxDigits = 18;  // mantissa stays below 1e18, so scaling by 1e4 can be checked exactly

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
}  // namespace

const char* ParseFixed4Prefix(const char* p, const char* end, Fixed4* out) {
  const bool neg = p < end && *p == '-';
  if (neg) ++p;
  const char* int_start = p;
  std::uint64_t v = 0;
  if (end - p >= 8) {
    // Up to eight digits at once (SWAR): flag the bytes that are not '0'..'9' (the lowest flag is exact:
    // borrows and carries only move upwards), then convert the leading digits in one go.
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t d = w - 0x3030303030303030ULL;
    const std::uint64_t non_digit = (d | (d + 0x7676767676767676ULL)) & 0x8080808080808080ULL;
    const int n = non_digit == 0 ? 8 : __builtin_ctzll(non_digit) >> 3;
    if (n > 0) {
      std::uint64_t x = n == 8 ? d : d << (8 * (8 - n));  // leading zero digits fill the gap
      x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
      x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
      x = (x * 10000 + (x >> 32)) & 0xFFFFFFFFULL;
      v = x;
      p += n;
    }
  }
  while (p < end && IsDigit(*p)) v = v * 10 + static_cast<unsigned>(*p++ - '0');
  const std::ptrdiff_t int_digits = p - int_start;
  if (int_digits == 0 || int_digits > 14 || (int_digits > 1 && *int_start == '0')) return nullptr;
  int frac = 0;
  if (p < end && *p == '.') {
    ++p;
    while (p < end && IsDigit(*p) && frac < 5) {
      v = v * 10 + static_cast<unsigned>(*p++ - '0');
      ++frac;
    }
    if (frac < 1 || frac > 4) return nullptr;
  }
  if (p < end && (IsDigit(*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-'))
    return nullptr;  // an exponent, a 5th decimal, ...: not the fast form
  v *= kPow10[4 - frac];
  out->raw = neg ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  return p;
}

NumberStatus ParseFixed4(std::string_view text, Fixed4* out) {
  // Fast path for what .NET sends nearly always; anything else takes the general path below.
  if (!text.empty() && text.size() <= 20) {
    const char* end = text.data() + text.size();
    Fixed4 v;
    if (ParseFixed4Prefix(text.data(), end, &v) == end) {
      *out = v;
      return NumberStatus::kOk;
    }
  }
  std::string_view s = Trim(text);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') negative = s[i++] == '-';
  // JSON grammar: no '+', no leading zeros ("01"), digits before any '.'.
  if (i + 1 < s.size() && s[i] == '0' && IsDigit(s[i + 1])) return NumberStatus::kInvalid;
  if (i < s.size() && !IsDigit(s[i])) return NumberStatus::kInvalid;
  std::uint64_t mantissa = 0;
  int digits = 0;      // significant digits kept in mantissa
  int exponent10 = 0;  // value = mantissa * 10^exponent10
  bool any_digit = false;
  bool round_up = false;  // first dropped digit >= 5
  bool dropped = false;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    any_digit = true;
    if (digits < kMaxDigits) {
      if (mantissa != 0 || s[i] != '0') {
        mantissa = mantissa * 10 + static_cast<unsigned>(s[i] - '0');
        ++digits;
      }
    } else {
      if (!dropped) round_up = s[i] >= '5';
      dropped = true;
      ++exponent10;  // integer digit beyond what we keep
    }
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    bool frac_digit = false;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      frac_digit = true;
      if (digits < kMaxDigits) {
        mantissa = mantissa * 10 + static_cast<unsigned>(s[i] - '0');
        if (mantissa != 0) ++digits;
        --exponent10;
      } else if (!dropped) {
        round_up = s[i] >= '5';
        dropped = true;
      }
    }
    if (!frac_digit) return NumberStatus::kInvalid;
  }
  if (!any_digit) return NumberStatus::kInvalid;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) exp_negative = s[i++] == '-';
    if (i >= s.size() || !IsDigit(s[i])) return NumberStatus::kInvalid;
    int e = 0;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (e < 10000) e = e * 10 + (s[i] - '0');
    }
    exponent10 += exp_negative ? -e : e;
  }
  if (i != s.size()) return NumberStatus::kInvalid;
  if (dropped && round_up && mantissa < std::numeric_limits<std::uint64_t>::max()) {
    ++mantissa;  // rounding of the digits beyond 18 significant ones
  }

  // raw = mantissa * 10^(exponent10 + 4), rounded half away from zero.
  const int shift = exponent10 + 4;
  std::uint64_t raw = 0;
  if (mantissa == 0) {
    raw = 0;
  } else if (shift >= 0) {
    if (shift > kMaxDigits) return NumberStatus::kOutOfRange;
    const std::uint64_t p = kPow10[shift];
    if (mantissa > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / p)
      return NumberStatus::kOutOfRange;
    raw = mantissa * p;
  } else {
    const int down = -shift;
    if (down > kMaxDigits) {
      raw = 0;  // far below 0.0001
    } else {
      const std::uint64_t p = kPow10[down];
      raw = mantissa / p;
      if (mantissa % p >= (p + 1) / 2) ++raw;
    }
  }
  if (raw > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return NumberStatus::kOutOfRange;
  out->raw = negative ? -static_cast<std::int64_t>(raw) : static_cast<std::int64_t>(raw);
  return NumberStatus::kOk;
}

bool IsStrictJsonNumber(std::string_view w) {
  std::size_t k = 0;
  if (k < w.size() && w[k] == '-') ++k;
  if (k >= w.size()) return false;
  if (w[k] == '0') {
    ++k;
  } else if (w[k] >= '1' && w[k] <= '9') {
    while (k < w.size() && IsDigit(w[k])) ++k;
  } else {
    return false;
  }
  if (k < w.size() && w[k] == '.') {
    ++k;
    if (k >= w.size() || !IsDigit(w[k])) return false;
    while (k < w.size() && IsDigit(w[k])) ++k;
  }
  if (k < w.size() && (w[k] == 'e' || w[k] == 'E')) {
    ++k;
    if (k < w.size() && (w[k] == '+' || w[k] == '-')) ++k;
    if (k >= w.size() || !IsDigit(w[k])) return false;
    while (k < w.size() && IsDigit(w[k])) ++k;
  }
  return k == w.size();
}

namespace {
bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[pos + k];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}
int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}
}  // namespace

bool ParseFeedDate(std::string_view text, Date* out) {
  std::string_view s = Trim(text);
  int d = 0, m = 0, y = 0;
  if (s.size() != 10 || s[2] != '/' || s[5] != '/') return false;
  if (!ReadDigits(s, 0, 2, &d) || !ReadDigits(s, 3, 2, &m) || !ReadDigits(s, 6, 4, &y)) return false;
  if (y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  *out = Date::Of(y, m, d);
  return true;
}

bool ParseFeedTime(std::string_view text, TimeOfDay* out) {
  std::string_view s = Trim(text);
  int h = 0, m = 0, sec = 0;
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return false;
  if (!ReadDigits(s, 0, 2, &h) || !ReadDigits(s, 3, 2, &m) || !ReadDigits(s, 6, 2, &sec)) return false;
  if (s.size() > 8) {  // fractional seconds are accepted and dropped
    if (s[8] != '.' || s.size() == 9) return false;
    for (std::size_t k = 9; k < s.size(); ++k)
      if (!IsDigit(s[k])) return false;
  }
  if (h > 23 || m > 59 || sec > 59) return false;
  *out = TimeOfDay::Of(h, m, sec);
  return true;
}

}  // namespace vnt::feed
