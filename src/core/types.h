#pragma once
// Strong value types shared by the decoder, the engine and the sinks. Standard library only.

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace vnt {

// Fixed-point decimal with 4 places: prices (VND or index points), index values, ratios.
// Integers only, so sums and comparisons are exact; 4 places cover every figure SSI sends
// (VWAP 22927.93, futures 1283.9, index 1268.41) after rounding the .NET float noise away.
struct Fixed4 {
  static constexpr std::int64_t kScale = 10'000;
  std::int64_t raw = 0;

  static constexpr Fixed4 FromRaw(std::int64_t r) { return Fixed4{r}; }
  static constexpr Fixed4 FromInt(std::int64_t v) { return Fixed4{v * kScale}; }
  // Rounds half away from zero to the nearest whole unit (VND, shares).
  constexpr std::int64_t RoundToInt() const {
    return raw >= 0 ? (raw + kScale / 2) / kScale : -((-raw + kScale / 2) / kScale);
  }
  constexpr double ToDouble() const { return static_cast<double>(raw) / kScale; }
  constexpr bool IsZero() const { return raw == 0; }
  friend constexpr auto operator<=>(Fixed4, Fixed4) = default;
  friend constexpr Fixed4 operator+(Fixed4 a, Fixed4 b) { return Fixed4{a.raw + b.raw}; }
  friend constexpr Fixed4 operator-(Fixed4 a, Fixed4 b) { return Fixed4{a.raw - b.raw}; }
};

using Price = Fixed4;  // VND for stocks/ETF/CW, index points for futures and indices

// Shares (stocks) or contracts (futures). Always an integer. A distinct type: it does not mix with Vnd or
// with a raw integer (construct explicitly at the edges, unwrap with raw() at the sinks).
class Volume {
 public:
  constexpr Volume() = default;
  constexpr explicit Volume(std::int64_t v) : v_(v) {}
  constexpr std::int64_t raw() const { return v_; }
  constexpr double ToDouble() const { return static_cast<double>(v_); }
  friend constexpr auto operator<=>(Volume, Volume) = default;
  friend constexpr bool operator==(Volume, Volume) = default;
  constexpr Volume operator-() const { return Volume{-v_}; }
  friend constexpr Volume operator+(Volume a, Volume b) { return Volume{a.v_ + b.v_}; }
  friend constexpr Volume operator-(Volume a, Volume b) { return Volume{a.v_ - b.v_}; }
  constexpr Volume& operator+=(Volume b) {
    v_ += b.v_;
    return *this;
  }
  constexpr Volume& operator-=(Volume b) {
    v_ -= b.v_;
    return *this;
  }
  // Scaling by a count: n lots of v (n x kHoseLot).
  friend constexpr Volume operator*(std::int64_t n, Volume v) { return Volume{n * v.v_}; }

 private:
  std::int64_t v_ = 0;
};

// Money in whole VND. Always an integer (values are never accumulated as double). A distinct type, like
// Volume.
class Vnd {
 public:
  constexpr Vnd() = default;
  constexpr explicit Vnd(std::int64_t v) : v_(v) {}
  constexpr std::int64_t raw() const { return v_; }
  constexpr double ToDouble() const { return static_cast<double>(v_); }
  friend constexpr auto operator<=>(Vnd, Vnd) = default;
  friend constexpr bool operator==(Vnd, Vnd) = default;
  constexpr Vnd operator-() const { return Vnd{-v_}; }
  friend constexpr Vnd operator+(Vnd a, Vnd b) { return Vnd{a.v_ + b.v_}; }
  friend constexpr Vnd operator-(Vnd a, Vnd b) { return Vnd{a.v_ - b.v_}; }
  constexpr Vnd& operator+=(Vnd b) {
    v_ += b.v_;
    return *this;
  }
  constexpr Vnd& operator-=(Vnd b) {
    v_ -= b.v_;
    return *this;
  }

 private:
  std::int64_t v_ = 0;
};

static_assert(sizeof(Volume) == 8 && std::is_trivially_copyable_v<Volume>);
static_assert(sizeof(Vnd) == 8 && std::is_trivially_copyable_v<Vnd>);

// Writes a Fixed4 as the shortest decimal text ("22950", "1283.9", "-6.1"). Returns chars written (<= 24).
int FormatFixed4(Fixed4 v, char* out);
std::string ToString(Fixed4 v);

// A ticker, index id or futures code, stored inline (SSI ids are at most 13 chars: "HNXUpcomIndex").
class Symbol {
 public:
  static constexpr std::size_t kMax = 15;
  Symbol() = default;
  // Returns false (and leaves *out unchanged) when s is empty or longer than kMax.
  static bool Make(std::string_view s, Symbol* out) {
    if (s.empty() || s.size() > kMax) return false;
    Symbol r;
    std::memcpy(r.buf_.data(), s.data(), s.size());
    r.len_ = static_cast<std::uint8_t>(s.size());
    *out = r;
    return true;
  }
  // For literals and tests; truncates silently beyond kMax.
  static Symbol Of(std::string_view s) {
    Symbol r;
    Make(s.substr(0, kMax), &r);
    return r;
  }
  std::string_view view() const { return {buf_.data(), len_}; }
  std::string str() const { return std::string(view()); }
  bool empty() const { return len_ == 0; }
  friend bool operator==(const Symbol& a, const Symbol& b) { return a.view() == b.view(); }
  friend auto operator<=>(const Symbol& a, const Symbol& b) { return a.view() <=> b.view(); }

 private:
  std::array<char, kMax> buf_{};
  std::uint8_t len_ = 0;
};

struct SymbolHash {
  std::size_t operator()(const Symbol& s) const noexcept { return std::hash<std::string_view>{}(s.view()); }
};

// A trading date (the feed's TradingDate, Vietnam local). Stored as yyyymmdd; 0 = unknown.
struct Date {
  std::int32_t ymd = 0;
  static constexpr Date Of(int y, int m, int d) { return Date{y * 10000 + m * 100 + d}; }
  constexpr int year() const { return ymd / 10000; }
  constexpr int month() const { return ymd / 100 % 100; }
  constexpr int day() const { return ymd % 100; }
  constexpr bool valid() const { return ymd != 0; }
  friend constexpr auto operator<=>(Date, Date) = default;
};
// "YYYY-MM-DD"
std::string ToString(Date d);
// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic without a clock.
std::int64_t DaysFromCivil(int y, int m, int d);
inline std::int64_t DayNumber(Date d) {
  return DaysFromCivil(d.year(), d.month(), d.day());
}
Date DateFromDayNumber(std::int64_t days);
// 0 = Monday ... 6 = Sunday.
int Weekday(Date d);

// Exchange time of day (Vietnam local, the feed's Time), seconds since midnight; -1 = unknown.
struct TimeOfDay {
  std::int32_t sec = -1;
  static constexpr TimeOfDay Of(int h, int m, int s) { return TimeOfDay{h * 3600 + m * 60 + s}; }
  constexpr bool valid() const { return sec >= 0; }
  friend constexpr auto operator<=>(TimeOfDay, TimeOfDay) = default;
};
// "HH:MM:SS"
std::string ToString(TimeOfDay t);

// Exchange timestamp: trading date + time of day, as seconds since the Unix epoch of the *local* clock
// (no time zone arithmetic needed: everything is Asia/Ho_Chi_Minh).
struct ExchangeTime {
  Date date;
  TimeOfDay time;
  std::int64_t LocalEpochSeconds() const { return DayNumber(date) * 86400 + (time.valid() ? time.sec : 0); }
  friend constexpr auto operator<=>(const ExchangeTime&, const ExchangeTime&) = default;
};

// Vietnam local date and time (UTC+7, no DST) of a Unix time: for the edges that read a wall clock (the
// engine itself never does).
ExchangeTime VietnamTimeOf(std::int64_t unix_seconds);

// ASCII case-insensitive equality (feed names: "x-trade", "VNIndex", hub and method names).
bool IEquals(std::string_view a, std::string_view b);

// Appends s as a quoted, escaped JSON string literal to *out. Bytes that are not valid UTF-8 become
// U+FFFD, so the output is valid UTF-8 JSON whatever the input (a path, a feed field, a user's name).
void AppendJsonString(std::string_view s, std::string* out);
// Length of the valid UTF-8 sequence starting at s[i] (1-4), or 0 when the bytes there are not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);
bool IsValidUtf8(std::string_view s);
// Characters (code points) in valid UTF-8 text.
std::size_t Utf8Length(std::string_view s);
// At most max_bytes of s, cut at a character boundary, with "…" appended when cut.
std::string TruncateUtf8(std::string_view s, std::size_t max_bytes);

// Trading session as announced by the feed (TradingSession, channel F).
enum class Session : std::uint8_t { kUnknown, kAto, kLo, kBreak, kAtc, kPt, kClosed, kHalt };
std::string_view ToString(Session s);  // "ATO", "LO", ..., "" for unknown
// Case-insensitive; returns kUnknown for anything else.
Session ParseSession(std::string_view s);

// The exchange-reported aggressor side of a trade (X-TRADE `Side`: BU / SD).
enum class Side : std::uint8_t { kUnknown, kBuy, kSell };
std::string_view ToString(Side s);  // "buy", "sell", ""

}  // namespace vnt
