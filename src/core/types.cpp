#include "core/types.h"

#include <cstdio>

#include "core/type_names.h"

namespace vnt {

int FormatFixed4(Fixed4 v, char* out) {
  char* p = out;
  std::uint64_t mag;
  if (v.raw < 0) {
    *p++ = '-';
    mag = static_cast<std::uint64_t>(-(v.raw + 1)) + 1;  // safe for INT64_MIN
  } else {
    mag = static_cast<std::uint64_t>(v.raw);
  }
  std::uint64_t whole = mag / Fixed4::kScale;
  std::uint64_t frac = mag % Fixed4::kScale;
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  while (n > 0) *p++ = tmp[--n];
  if (frac != 0) {
    *p++ = '.';
    char digits[4];
    for (int i = 3; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    int last = 3;
    while (digits[last] == '0') --last;
    for (int i = 0; i <= last; ++i) *p++ = digits[i];
  }
  return static_cast<int>(p - out);
}

std::string ToString(Fixed4 v) {
  char buf[32];
  return std::string(buf, static_cast<std::size_t>(FormatFixed4(v, buf)));
}

std::string ToString(Date d) {
  if (!d.valid()) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return buf;
}

std::string ToString(TimeOfDay t) {
  if (!t.valid()) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", t.sec / 3600, t.sec / 60 % 60, t.sec % 60);
  return buf;
}

// Howard Hinnant's days_from_civil algorithm.
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

ExchangeTime VietnamTimeOf(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds + 7 * 3600;
  std::int64_t day = local / 86400, sec = local % 86400;
  if (sec < 0) {
    sec += 86400;
    --day;
  }
  return ExchangeTime{DateFromDayNumber(day), TimeOfDay{static_cast<std::int32_t>(sec)}};
}

Date DateFromDayNumber(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date::Of(static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d));
}

int Weekday(Date d) {
  // 1970-01-01 was a Thursday (3 when Monday = 0).
  const std::int64_t n = DayNumber(d);
  return static_cast<int>(((n % 7) + 7 + 3) % 7);
}

std::string_view ToString(Session s) {
  return kSessionNames.Name(s);
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

Session ParseSession(std::string_view s) {
  return kSessionNames.Parse(s).value_or(Session::kUnknown);
}

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // UTF-16 surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string TruncateUtf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";                         // U+2026
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const std::size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        *out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid character
        ++i;
      } else {
        out->append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          const char esc[6] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
          out->append(esc, sizeof esc);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string_view ToString(Side s) {
  return kSideNames.Name(s);
}

}  // namespace vnt
