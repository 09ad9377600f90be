#include "core/futures.h"

#include <cassert>

namespace vnt::core {

namespace {

// KRX year characters: digits then letters without I, O and U (easily confused with 1, 0 and V).
constexpr std::string_view kKrxYearChars = "0123456789ABCDEFGHJKLMNPQRSTVW";
constexpr int kKrxBaseYear = 2010;
constexpr std::string_view kKrxMonthChars = "123456789ABC";
constexpr std::string_view kKrxVn30Prefix = "41I1";  // derivative, future, VN30
constexpr std::string_view kKrxSuffix = "000";
constexpr std::string_view kLegacyPrefix = "VN30F";
char Upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Upper(a[i]) != Upper(b[i])) return false;
  }
  return true;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool ValidMonth(ContractMonth m) {
  return m.month >= 1 && m.month <= 12;
}

ContractMonth AddMonths(ContractMonth m, int n) {
  const int index = m.year * 12 + (m.month - 1) + n;
  return ContractMonth{index / 12, index % 12 + 1};
}

// The first quarter month (Mar/Jun/Sep/Dec) strictly after m.
ContractMonth NextQuarterMonthAfter(ContractMonth m) {
  ContractMonth q = AddMonths(m, 1);
  while (q.month % 3 != 0) q = AddMonths(q, 1);
  return q;
}

std::optional<ContractMonth> ParseKrx(std::string_view code) {
  if (code.size() != 9 || !IEquals(code.substr(0, 4), kKrxVn30Prefix) || code.substr(6) != kKrxSuffix) {
    return std::nullopt;
  }
  const std::size_t year = kKrxYearChars.find(Upper(code[4]));
  const std::size_t month = kKrxMonthChars.find(Upper(code[5]));
  if (year == std::string_view::npos || month == std::string_view::npos) return std::nullopt;
  return ContractMonth{kKrxBaseYear + static_cast<int>(year), static_cast<int>(month) + 1};
}

std::optional<ContractMonth> ParseLegacy(std::string_view code) {
  if (code.size() != 9 || !IEquals(code.substr(0, 5), kLegacyPrefix)) return std::nullopt;
  for (std::size_t i = 5; i < 9; ++i) {
    if (!IsDigit(code[i])) return std::nullopt;
  }
  const int yy = (code[5] - '0') * 10 + (code[6] - '0');
  const int mm = (code[7] - '0') * 10 + (code[8] - '0');
  if (mm < 1 || mm > 12) return std::nullopt;
  return ContractMonth{2000 + yy, mm};
}

}  // namespace

std::string_view ToString(ContractAlias alias) {
  return kContractAliasNames.Name(alias);
}

std::optional<ContractAlias> ParseAlias(std::string_view s) {
  return kContractAliasNames.Parse(s);
}

std::optional<ContractMonth> ParseFuturesCode(std::string_view code) {
  if (std::optional<ContractMonth> m = ParseKrx(code)) return m;
  return ParseLegacy(code);
}

Symbol KrxCode(ContractMonth month) {
  const int year_index = month.year - kKrxBaseYear;
  if (!ValidMonth(month) || year_index < 0 || year_index >= static_cast<int>(kKrxYearChars.size())) return {};
  char buf[9];
  kKrxVn30Prefix.copy(buf, 4);
  buf[4] = kKrxYearChars[static_cast<std::size_t>(year_index)];
  buf[5] = kKrxMonthChars[static_cast<std::size_t>(month.month - 1)];
  kKrxSuffix.copy(buf + 6, 3);
  return Symbol::Of(std::string_view(buf, sizeof buf));
}

Symbol LegacyCode(ContractMonth month) {
  if (!ValidMonth(month) || month.year < 2000 || month.year > 2099) return {};
  const int yy = month.year % 100;
  char buf[9];
  kLegacyPrefix.copy(buf, 5);
  buf[5] = static_cast<char>('0' + yy / 10);
  buf[6] = static_cast<char>('0' + yy % 10);
  buf[7] = static_cast<char>('0' + month.month / 10);
  buf[8] = static_cast<char>('0' + month.month % 10);
  return Symbol::Of(std::string_view(buf, sizeof buf));
}

Date LastTradingDay(ContractMonth month, const HolidayCalendar& calendar) {
  assert(ValidMonth(month) && "contract month must be 1-12");
  const Date first = Date::Of(month.year, month.month, 1);
  const int first_thursday = 1 + (3 - Weekday(first) + 7) % 7;  // Weekday: 0 = Monday, 3 = Thursday
  const Date third_thursday = Date::Of(month.year, month.month, first_thursday + 14);
  return calendar.IsBusinessDay(third_thursday) ? third_thursday
                                                : calendar.PreviousBusinessDay(third_thursday);
}

FuturesContract MakeContract(ContractMonth month, const HolidayCalendar& calendar) {
  return FuturesContract{month, KrxCode(month), LegacyCode(month), LastTradingDay(month, calendar)};
}

std::array<ListedContract, 4> ListedContracts(Date d, const HolidayCalendar& calendar) {
  ContractMonth front{d.year(), d.month()};
  // The front month rolls the day after its last trading day, not at the start of the calendar month.
  if (d > LastTradingDay(front, calendar)) front = AddMonths(front, 1);
  const ContractMonth second = AddMonths(front, 1);
  const ContractMonth q1 = NextQuarterMonthAfter(second);
  const ContractMonth q2 = AddMonths(q1, 3);
  return {ListedContract{MakeContract(front, calendar), ContractAlias::k1M},
          ListedContract{MakeContract(second, calendar), ContractAlias::k2M},
          ListedContract{MakeContract(q1, calendar), ContractAlias::k1Q},
          ListedContract{MakeContract(q2, calendar), ContractAlias::k2Q}};
}

std::optional<ListedContract> ResolveContract(std::string_view code_or_alias, Date d,
                                              const HolidayCalendar& calendar) {
  const std::array<ListedContract, 4> listed = ListedContracts(d, calendar);
  if (std::optional<ContractAlias> alias = ParseAlias(code_or_alias)) {
    return listed[static_cast<std::size_t>(*alias)];
  }
  const std::optional<ContractMonth> month = ParseFuturesCode(code_or_alias);
  if (!month) return std::nullopt;
  for (const ListedContract& c : listed) {
    if (c.contract.month == *month) return c;
  }
  return std::nullopt;  // a well-formed code, but expired or not yet listed on d
}

int CalendarDaysToExpiry(const FuturesContract& contract, Date d) {
  return static_cast<int>(DayNumber(contract.last_trading_day) - DayNumber(d));
}

}  // namespace vnt::core
