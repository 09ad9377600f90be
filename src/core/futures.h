#pragma once
// VN30 index futures contract master: KRX and legacy codes, aliases, last trading days, listed contracts.
// Standard library only.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/enum_names.h"
#include "core/calendar.h"
#include "core/types.h"

namespace vnt::core {

// An expiry month (month 1-12).
struct ContractMonth {
  int year;
  int month;
  friend auto operator<=>(const ContractMonth&, const ContractMonth&) = default;
};

// The four rolling aliases of the listed VN30 futures: front, second, and the next two quarter months.
enum class ContractAlias : std::uint8_t { k1M, k2M, k1Q, k2Q };
inline constexpr auto kContractAliasNames = MakeEnumNames<ContractAlias>(
    {
        {ContractAlias::k1M, "VN30F1M"},
        {ContractAlias::k2M, "VN30F2M"},
        {ContractAlias::k1Q, "VN30F1Q"},
        {ContractAlias::k2Q, "VN30F2Q"},
    },
    NameCase::kInsensitive);
static_assert(kContractAliasNames.Unique() && kContractAliasNames.size() == 4);

// "VN30F1M", "VN30F2M", "VN30F1Q", "VN30F2Q".
std::string_view ToString(ContractAlias alias);
// Case-insensitive inverse of ToString; nullopt for anything else.
std::optional<ContractAlias> ParseAlias(std::string_view s);

// Expiry month of a VN30 futures code: KRX "41I1G3000" ('4' derivative, '1' future, "I1" VN30, year char,
// month char, "000") or legacy "VN30F2603", case-insensitive; nullopt for anything else (other underlyings).
std::optional<ContractMonth> ParseFuturesCode(std::string_view code);
// KRX code "41I1" + year char (0-9 then A-W without I, O, U; 2010 = '0') + month char (1-9, A, B, C) + "000";
// empty for years outside 2010-2039 or an invalid month.
Symbol KrxCode(ContractMonth month);
// Legacy code "VN30FYYMM"; empty for years outside 2000-2099 or an invalid month.
Symbol LegacyCode(ContractMonth month);
// Third Thursday of the month; if that is not a business day, the business day before it.
Date LastTradingDay(ContractMonth month, const HolidayCalendar& calendar);

// One VN30 futures contract with both codes and its last trading day.
struct FuturesContract {
  ContractMonth month;
  Symbol krx_code;
  Symbol legacy_code;
  Date last_trading_day;
};

// Builds the contract of an expiry month.
FuturesContract MakeContract(ContractMonth month, const HolidayCalendar& calendar);

// A contract listed on a given day, with its alias there.
struct ListedContract {
  FuturesContract contract;
  ContractAlias alias;
};

// The four contracts listed on trading date d, in alias order: 1M = this month while d <= its last trading
// day (else next month), 2M = the month after 1M, 1Q and 2Q = the next two quarter months (Mar/Jun/Sep/Dec)
// after 2M.
std::array<ListedContract, 4> ListedContracts(Date d, const HolidayCalendar& calendar);
// Resolves a KRX code, VN30FYYMM or alias (VN30F1M...) on date d; nullopt when unknown or not listed on d.
std::optional<ListedContract> ResolveContract(std::string_view code_or_alias, Date d,
                                              const HolidayCalendar& calendar);
// Calendar days from d to the contract's last trading day (0 on that day, negative after it).
int CalendarDaysToExpiry(const FuturesContract& contract, Date d);

}  // namespace vnt::core
