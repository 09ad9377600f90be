#include "store/rows.h"

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
  for (auto m : {core::ClassifyMethod::kAuction, core::ClassifyMethod::kExchange,
                 core::ClassifyMethod::kQuote, core::ClassifyMethod::kTick, core::ClassifyMethod::kPutThrough}) {
    if (core::ToString(m) == s) return m;
  }
  return std::nullopt;
}

std::optional<core::AlertType> ParseAlertType(std::string_view s) {
  for (int i = 0; i < static_cast<int>(core::AlertType::kCount); ++i) {
    const auto t = static_cast<core::AlertType>(i);
    if (core::ToString(t) == s) return t;
  }
  return std::nullopt;
}

}  // namespace vnt::store
