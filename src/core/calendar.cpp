#include "core/calendar.h"

#include <algorithm>
#include <stdexcept>

namespace vnt::core {

namespace internal {
// Defined in the build-generated vn_holidays_data.cpp (see src/core/CMakeLists.txt).
std::string_view VietnamHolidaysText();
}  // namespace internal

namespace {

constexpr std::string_view kWeekdayNames[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                               "Friday", "Saturday", "Sunday"};

bool IsWeekend(Date d) {
  return Weekday(d) >= 5;
}

Date AddDays(Date d, std::int64_t n) {
  return DateFromDayNumber(DayNumber(d) + n);
}

// Floor division for possibly negative day numbers.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Monday-Friday days with day number <= n, counted from the Monday 1970-01-05 (day 4); only differences
// matter.
std::int64_t WeekdaysThrough(std::int64_t n) {
  const std::int64_t k = n - 4;
  const std::int64_t weeks = FloorDiv(k, 7);
  const std::int64_t rem = k - weeks * 7;  // 0 = Monday ... 6 = Sunday
  return weeks * 5 + std::min<std::int64_t>(rem + 1, 5);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits off the first whitespace-delimited token of s (s must be trimmed).
std::string_view NextToken(std::string_view* s) {
  std::size_t end = 0;
  while (end < s->size() && (*s)[end] != ' ' && (*s)[end] != '\t') ++end;
  std::string_view token = s->substr(0, end);
  *s = Trim(s->substr(end));
  return token;
}

// Strict "YYYY-MM-DD" with a real calendar day; nullopt otherwise.
std::optional<Date> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (std::size_t i = starts[f]; i < starts[f] + lengths[f]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (s[i] - '0');
    }
  }
  if (fields[0] < 1900 || fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31)
    return std::nullopt;
  const Date d = Date::Of(fields[0], fields[1], fields[2]);
  // Rejects 2025-02-29, 2024-04-31 and the like: a real day survives the round trip.
  if (DateFromDayNumber(DayNumber(d)) != d) return std::nullopt;
  return d;
}

}  // namespace

Result<HolidayCalendar> HolidayCalendar::Parse(std::string_view text) {
  HolidayCalendar cal;
  bool have_covers = false;
  int line_no = 0;
  auto fail = [](int line, std::string reason) -> Result<HolidayCalendar> {
    return Error{ErrorCode::kParse, "line " + std::to_string(line) + ": " + std::move(reason),
                 "line " + std::to_string(line)};
  };

  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_no;

    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;

    std::string_view rest = line;
    const std::string_view first = NextToken(&rest);
    if (first == "covers") {
      if (have_covers) return fail(line_no, "duplicate 'covers' line");
      if (!cal.holidays_.empty()) return fail(line_no, "'covers' must come before the first date");
      const std::string_view from_text = NextToken(&rest);
      const std::string_view to_text = NextToken(&rest);
      if (from_text.empty() || to_text.empty() || !rest.empty()) {
        return fail(line_no, "expected 'covers YYYY-MM-DD YYYY-MM-DD'");
      }
      const std::optional<Date> from = ParseIsoDate(from_text);
      if (!from) return fail(line_no, "bad date '" + std::string(from_text) + "'");
      const std::optional<Date> to = ParseIsoDate(to_text);
      if (!to) return fail(line_no, "bad date '" + std::string(to_text) + "'");
      if (*to < *from) return fail(line_no, "covered range ends before it starts");
      cal.first_covered_ = *from;
      cal.last_covered_ = *to;
      have_covers = true;
      continue;
    }

    const std::optional<Date> d = ParseIsoDate(first);
    if (!d)
      return fail(line_no, "expected 'YYYY-MM-DD  name' or 'covers ...', got '" + std::string(first) + "'");
    if (rest.empty()) return fail(line_no, "missing holiday name after " + std::string(first));
    if (!have_covers) return fail(line_no, "'covers' line must come before the first date");
    if (*d < cal.first_covered_ || *d > cal.last_covered_) {
      return fail(line_no, std::string(first) + " is outside the covered range");
    }
    if (IsWeekend(*d)) {
      return fail(line_no, std::string(first) + " is a " + std::string(kWeekdayNames[Weekday(*d)]) +
                               "; list the observed weekday instead");
    }
    if (!cal.holidays_.empty() && d->ymd <= cal.holidays_.back()) {
      return fail(line_no, d->ymd == cal.holidays_.back() ? "duplicate date " + std::string(first)
                                                          : std::string(first) + " is out of order");
    }
    cal.holidays_.push_back(d->ymd);
  }
  if (!have_covers) return fail(std::max(line_no, 1), "missing 'covers YYYY-MM-DD YYYY-MM-DD' line");
  return cal;
}

namespace {
std::optional<HolidayCalendar>& InstalledVietnam() {
  static std::optional<HolidayCalendar> installed;
  return installed;
}
}  // namespace

void HolidayCalendar::InstallVietnam(HolidayCalendar cal) {
  InstalledVietnam() = std::move(cal);
}

Result<HolidayCalendar> HolidayCalendar::ExtendedWith(const HolidayCalendar& extra) const {
  if (DayNumber(extra.first_covered_) > DayNumber(last_covered_) + 1 ||
      DayNumber(extra.last_covered_) + 1 < DayNumber(first_covered_)) {
    return Error{ErrorCode::kInvalidArgument,
                 "covers " + ToString(extra.first_covered_) + " .. " + ToString(extra.last_covered_) +
                     ", which leaves a gap next to the built-in " + ToString(first_covered_) + " .. " +
                     ToString(last_covered_),
                 "covers"};
  }
  HolidayCalendar out;
  out.first_covered_ = extra.first_covered_ < first_covered_ ? extra.first_covered_ : first_covered_;
  out.last_covered_ = last_covered_ < extra.last_covered_ ? extra.last_covered_ : last_covered_;
  for (std::int32_t ymd : holidays_)
    if (ymd < extra.first_covered_.ymd || ymd > extra.last_covered_.ymd) out.holidays_.push_back(ymd);
  out.holidays_.insert(out.holidays_.end(), extra.holidays_.begin(), extra.holidays_.end());
  std::sort(out.holidays_.begin(), out.holidays_.end());
  return out;
}

const HolidayCalendar& HolidayCalendar::Vietnam() {
  if (const auto& installed = InstalledVietnam()) return *installed;
  // The data is compiled in, so a parse failure is a build defect: fail loudly at first use (the
  // calendar test parses it too, so this never reaches a running tracker).
  static const HolidayCalendar kCalendar = [] {
    Result<HolidayCalendar> cal = Parse(internal::VietnamHolidaysText());
    if (!cal) throw std::logic_error("embedded src/core/data/vn_holidays.txt: " + cal.error().message);
    return std::move(cal).value();
  }();
  return kCalendar;
}

bool HolidayCalendar::IsHoliday(Date d) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), d.ymd);
}

bool HolidayCalendar::IsBusinessDay(Date d) const {
  return !IsWeekend(d) && !IsHoliday(d);
}

Date HolidayCalendar::PreviousBusinessDay(Date d) const {
  // Terminates within a few steps: holidays are finite and at most a handful are consecutive.
  Date p = AddDays(d, -1);
  while (!IsBusinessDay(p)) p = AddDays(p, -1);
  return p;
}

Date HolidayCalendar::NextBusinessDay(Date d) const {
  Date n = AddDays(d, 1);
  while (!IsBusinessDay(n)) n = AddDays(n, 1);
  return n;
}

int HolidayCalendar::BusinessDaysBetween(Date from, Date to) const {
  if (to <= from) return 0;
  const std::int64_t weekdays = WeekdaysThrough(DayNumber(to)) - WeekdaysThrough(DayNumber(from));
  // Every listed holiday is a weekday, so subtract those in (from, to].
  const auto lo = std::upper_bound(holidays_.begin(), holidays_.end(), from.ymd);
  const auto hi = std::upper_bound(holidays_.begin(), holidays_.end(), to.ymd);
  return static_cast<int>(weekdays - (hi - lo));
}

}  // namespace vnt::core
