#pragma once
// Row decoders shared by the SQLite and PostgreSQL readers: `Cols` is anything with ColInt, ColReal, ColText
// and ColIsNull by column index (internal::Stmt, pg::Row), so both stores turn the same columns into the same
// rows, and the history API answers with the same bytes whichever store runs.

#include <cstdint>
#include <optional>
#include <string>

#include "core/alerts.h"
#include "store/reader.h"
#include "store/rows.h"

namespace vnt::store::internal {

// Column lists in the order the decoders read them.
inline constexpr std::string_view kTickCols =
    "symbol,date,time,price,volume,value,unattributed,side,method,session,bid,ask,futures";
inline constexpr std::string_view kCandleCols =
    "symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count";
inline constexpr std::string_view kForeignCols =
    "symbol,date,time,buy_vol,sell_vol,buy_val,sell_val,total_room,current_room,net_speed_vol,net_speed_val,"
    "net_accel_vol,net_accel_val";
inline constexpr std::string_view kIndexCols =
    "index_id,date,time,value,change,change_pct,advances,declines,no_changes,ceilings,floors,total_trade,"
    "total_qtty,total_value,total_qtty_pt,total_value_pt,all_qty,all_value,session";
inline constexpr std::string_view kBasisCols =
    "krx_code,legacy_code,date,time,last,spot,basis,basis_pct,fair_basis,volume";
inline constexpr std::string_view kAlertCols =
    "id,engine_id,type,severity,symbol,rule_id,message,value,threshold,date,time,contract,alias,rule_name,"
    "metric,"
    "unit,direction,comparison,window_sec,details,epoch";
inline constexpr std::string_view kDeliveryCols =
    "epoch,engine_id,date,time,channel,result,attempts,status,error,done_ms";
inline constexpr std::string_view kRuleCols =
    "id,name,metric,symbol,comparison,threshold,cooldown_sec,enabled,severity,created_at,frequency,window_"
    "min,"
    "webhook_url";

template <class Cols>
Symbol SymbolCol(const Cols& s, int i) {
  Symbol out;
  Symbol::Make(s.ColText(i), &out);  // stored symbols come from Symbol values: they fit
  return out;
}
template <class Cols>
ExchangeTime TimeCols(const Cols& s, int date_col) {
  return ExchangeTime{Date{static_cast<std::int32_t>(s.ColInt(date_col))},
                      TimeOfDay{static_cast<std::int32_t>(s.ColInt(date_col + 1))}};
}
template <class Cols>
Price PriceCol(const Cols& s, int i) {
  return Price::FromRaw(s.ColInt(i));
}

// Column decoders: false (with *error) when a stored enum name is unknown to this build.
template <class Cols>
bool Decode(const Cols& s, TickRow* r, std::string* error) {
  r->symbol = SymbolCol(s, 0);
  r->time = TimeCols(s, 1);
  r->price = PriceCol(s, 3);
  r->volume = Volume{s.ColInt(4)};
  r->value = Vnd{s.ColInt(5)};
  r->unattributed = Volume{s.ColInt(6)};
  const auto side = ParseAggressor(s.ColText(7));
  const auto method = ParseClassifyMethod(s.ColText(8));
  if (!side || !method) {
    *error = "unknown side or method in ticks: '" + std::string(s.ColText(7)) + "', '" +
             std::string(s.ColText(8)) + "'";
    return false;
  }
  r->side = *side;
  r->method = *method;
  r->session = ParseSession(s.ColText(9));
  r->bid = PriceCol(s, 10);
  r->ask = PriceCol(s, 11);
  r->futures = s.ColInt(12) != 0;
  return true;
}

template <class Cols>
bool Decode(const Cols& s, CandleRow* r, std::string*) {
  r->symbol = SymbolCol(s, 0);
  r->date = Date{static_cast<std::int32_t>(s.ColInt(1))};
  r->minute = static_cast<std::int32_t>(s.ColInt(2));
  r->open = PriceCol(s, 3);
  r->high = PriceCol(s, 4);
  r->low = PriceCol(s, 5);
  r->close = PriceCol(s, 6);
  r->volume = Volume{s.ColInt(7)};
  r->buy_vol = Volume{s.ColInt(8)};
  r->sell_vol = Volume{s.ColInt(9)};
  r->neutral_vol = Volume{s.ColInt(10)};
  r->value = Vnd{s.ColInt(11)};
  r->trade_count = static_cast<std::int32_t>(s.ColInt(12));
  return true;
}

template <class Cols>
bool Decode(const Cols& s, ForeignRow* r, std::string*) {
  r->symbol = SymbolCol(s, 0);
  r->time = TimeCols(s, 1);
  r->buy_vol = Volume{s.ColInt(3)};
  r->sell_vol = Volume{s.ColInt(4)};
  r->buy_val = Vnd{s.ColInt(5)};
  r->sell_val = Vnd{s.ColInt(6)};
  r->total_room = s.ColIsNull(7) ? std::nullopt : std::optional<Volume>(Volume{s.ColInt(7)});
  r->current_room = s.ColIsNull(8) ? std::nullopt : std::optional<Volume>(Volume{s.ColInt(8)});
  r->net_speed_vol = s.ColReal(9);
  r->net_speed_val = s.ColReal(10);
  r->net_accel_vol = s.ColReal(11);
  r->net_accel_val = s.ColReal(12);
  return true;
}

template <class Cols>
bool Decode(const Cols& s, IndexRow* r, std::string*) {
  r->id = SymbolCol(s, 0);
  r->time = TimeCols(s, 1);
  r->value = PriceCol(s, 3);
  r->change = PriceCol(s, 4);
  r->change_pct = s.ColReal(5);
  r->advances = static_cast<std::int32_t>(s.ColInt(6));
  r->declines = static_cast<std::int32_t>(s.ColInt(7));
  r->no_changes = static_cast<std::int32_t>(s.ColInt(8));
  r->ceilings = static_cast<std::int32_t>(s.ColInt(9));
  r->floors = static_cast<std::int32_t>(s.ColInt(10));
  r->total_trade = s.ColInt(11);
  r->total_qtty = Volume{s.ColInt(12)};
  r->total_value = Vnd{s.ColInt(13)};
  r->total_qtty_pt = Volume{s.ColInt(14)};
  r->total_value_pt = Vnd{s.ColInt(15)};
  r->all_qty = Volume{s.ColInt(16)};
  r->all_value = Vnd{s.ColInt(17)};
  r->session = ParseSession(s.ColText(18));
  return true;
}

template <class Cols>
bool Decode(const Cols& s, BasisRow* r, std::string*) {
  r->krx_code = SymbolCol(s, 0);
  r->legacy_code = SymbolCol(s, 1);
  r->time = TimeCols(s, 2);
  r->last = PriceCol(s, 4);
  r->spot = PriceCol(s, 5);
  r->basis = PriceCol(s, 6);
  r->basis_pct = s.ColReal(7);
  r->fair_basis = s.ColReal(8);
  r->volume = Volume{s.ColInt(9)};
  return true;
}

template <class Cols>
bool Decode(const Cols& s, AlertRow* r, std::string* error) {
  r->id = s.ColInt(0);
  r->engine_id = static_cast<std::uint64_t>(s.ColInt(1));
  const auto type = core::ParseAlertType(s.ColText(2));
  const auto severity = core::ParseSeverity(s.ColText(3));
  if (!type || !severity) {
    *error = "unknown alert type or severity: '" + std::string(s.ColText(2)) + "', '" +
             std::string(s.ColText(3)) + "'";
    return false;
  }
  r->type = *type;
  r->severity = *severity;
  r->symbol = SymbolCol(s, 4);
  r->rule_id = s.ColInt(5);
  r->message = std::string(s.ColText(6));
  r->value = s.ColReal(7);
  r->threshold = s.ColReal(8);
  r->time = TimeCols(s, 9);
  r->contract = SymbolCol(s, 11);
  r->alias = std::string(s.ColText(12));
  r->rule_name = std::string(s.ColText(13));
  r->metric = std::string(s.ColText(14));
  r->unit = ParseAlertUnit(s.ColText(15)).value_or(core::AlertUnit::kNone);
  r->direction = ParseDirection(s.ColText(16)).value_or(core::Direction::kNone);
  r->comparison = std::string(s.ColText(17));
  r->window_sec = static_cast<std::int32_t>(s.ColInt(18));
  r->details = std::string(s.ColText(19));
  r->epoch = s.ColInt(20);
  return true;
}

template <class Cols>
bool Decode(const Cols& s, DeliveryRow* r, std::string*) {
  r->epoch = s.ColInt(0);
  r->engine_id = static_cast<std::uint64_t>(s.ColInt(1));
  r->alert_time = TimeCols(s, 2);
  r->channel = std::string(s.ColText(4));
  r->result = std::string(s.ColText(5));
  r->attempts = static_cast<std::int32_t>(s.ColInt(6));
  r->status = static_cast<std::int32_t>(s.ColInt(7));
  r->error = std::string(s.ColText(8));
  r->done_ms = s.ColInt(9);
  return true;
}

template <class Cols>
bool Decode(const Cols& s, StoredRule* r, std::string* error) {
  core::AlertRule& rule = r->rule;
  rule.id = s.ColInt(0);
  rule.name = std::string(s.ColText(1));
  const auto metric = core::ParseMetric(s.ColText(2));
  const auto cmp = core::ParseComparison(s.ColText(4));
  const auto severity = core::ParseSeverity(s.ColText(8));
  if (!metric || !cmp || !severity) {
    *error = "rule " + std::to_string(rule.id) + " has an unknown metric, comparison or severity";
    return false;
  }
  rule.metric = *metric;
  rule.symbol = std::string(s.ColText(3));
  rule.comparison = *cmp;
  rule.threshold = s.ColReal(5);
  rule.cooldown_sec = static_cast<int>(s.ColInt(6));
  rule.enabled = s.ColInt(7) != 0;
  rule.severity = *severity;
  r->created_at = std::string(s.ColText(9));
  const auto frequency = core::ParseFrequency(s.ColText(10));
  if (!frequency) {
    *error = "rule " + std::to_string(rule.id) + " has an unknown frequency";
    return false;
  }
  rule.frequency = *frequency;
  rule.window_min = static_cast<int>(s.ColInt(11));
  rule.webhook_url = std::string(s.ColText(12));
  return true;
}

}  // namespace vnt::store::internal
