#include "store/rows.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace vnt::store {

std::string_view TableName(Table t) {
  switch (t) {
    case Table::kTicks:
      return "ticks";
    case Table::kCandles:
      return "candles_1m";
    case Table::kForeign:
      return "foreign_snapshots";
    case Table::kIndex:
      return "index_snapshots";
    case Table::kBasis:
      return "futures_basis";
    case Table::kAlerts:
      return "alerts";
    case Table::kFrames:
      return "frames";
    case Table::kAlertDeliveries:
      return "alert_deliveries";
    case Table::kCount:
      break;
  }
  return "";
}

std::optional<core::Aggressor> ParseAggressor(std::string_view s) {
  for (auto a : {core::Aggressor::kNeutral, core::Aggressor::kBuy, core::Aggressor::kSell}) {
    if (core::ToString(a) == s) return a;
  }
  return std::nullopt;
}

std::optional<core::ClassifyMethod> ParseClassifyMethod(std::string_view s) {
  for (auto m :
       {core::ClassifyMethod::kAuction, core::ClassifyMethod::kExchange, core::ClassifyMethod::kQuote,
        core::ClassifyMethod::kTick, core::ClassifyMethod::kPutThrough}) {
    if (core::ToString(m) == s) return m;
  }
  return std::nullopt;
}

std::optional<core::AlertUnit> ParseAlertUnit(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(core::AlertUnit::kCount_); ++i) {
    const auto u = static_cast<core::AlertUnit>(i);
    if (core::ToString(u) == s) return u;
  }
  return std::nullopt;
}

std::optional<core::Direction> ParseDirection(std::string_view s) {
  for (auto d : {core::Direction::kNone, core::Direction::kUp, core::Direction::kDown}) {
    if (core::ToString(d) == s) return d;
  }
  return std::nullopt;
}

AlertRow ToAlertRow(const core::Alert& a) {
  AlertRow r;
  r.engine_id = a.id;
  r.type = a.type;
  r.severity = a.severity;
  r.symbol = a.symbol;
  r.rule_id = a.rule_id;
  r.message = a.message;
  r.value = a.value;
  r.threshold = a.threshold;
  r.time = a.time;
  r.contract = a.contract;
  r.alias = a.alias;
  r.rule_name = a.rule_name;
  r.metric = a.metric;
  r.unit = a.unit;
  r.direction = a.direction;
  r.comparison = a.comparison;
  r.window_sec = a.window_sec;
  for (std::size_t i = 0; i < a.n_details; ++i) {
    if (i > 0) r.details += ';';
    char num[40];
    // %.17g keeps the double exact; the keys and units are fixed identifiers without '=' or ';'.
    std::snprintf(num, sizeof num, "%.17g", a.details[i].value);
    r.details +=
        std::string(a.details[i].key) + "=" + num + "=" + std::string(core::ToString(a.details[i].unit));
  }
  return r;
}

core::Alert ToAlert(const AlertRow& r) {
  core::Alert a;
  a.id = r.engine_id;
  a.type = r.type;
  a.severity = r.severity;
  a.symbol = r.symbol;
  a.rule_id = r.rule_id;
  a.message = r.message;
  a.value = r.value;
  a.threshold = r.threshold;
  a.time = r.time;
  a.contract = r.contract;
  a.alias = r.alias;
  a.rule_name = r.rule_name;
  a.metric = r.metric;
  a.unit = r.unit;
  a.direction = r.direction;
  a.comparison = r.comparison;
  a.window_sec = r.window_sec;
  std::string_view rest = r.details;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find(';'), rest.size());
    const std::string_view item = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    const std::size_t eq1 = item.find('='), eq2 = item.rfind('=');
    if (eq1 == std::string_view::npos || eq2 == eq1) continue;
    const std::string_view key = core::InternDetailKey(item.substr(0, eq1));
    if (key.empty()) continue;  // a key this build does not know: dropped, never invented
    const std::string num(item.substr(eq1 + 1, eq2 - eq1 - 1));
    a.AddDetail(key, std::strtod(num.c_str(), nullptr),
                ParseAlertUnit(item.substr(eq2 + 1)).value_or(core::AlertUnit::kNone));
  }
  return a;
}

}  // namespace vnt::store
