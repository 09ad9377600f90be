#include "core/index_state.h"

#include <array>

#include "core/candles.h"

namespace vnt::core {

Symbol NormalizeIndexId(Symbol id) {
  std::array<char, Symbol::kMax> buf{};
  const std::string_view v = id.view();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    buf[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  }
  return Symbol::Of(std::string_view(buf.data(), v.size()));
}

bool IndexState::Apply(const core::IndexEvent& e, ExchangeTime time) {
  // An MI frame is a whole-index snapshot: an older one would move value and cumulative volumes backwards.
  if (updated.date.valid() && time.time.valid() && time < updated) return false;
  if (e.value) value = *e.value;
  if (e.prior_value) prior_value = *e.prior_value;
  if (value.raw > 0 && prior_value.raw > 0) {
    change = value - prior_value;
    change_pct = static_cast<double>(change.raw) * 100.0 / static_cast<double>(prior_value.raw);
  } else {
    if (e.change) change = *e.change;
    if (e.ratio_change) change_pct = e.ratio_change->ToDouble();
  }
  if (e.advances) advances = *e.advances;
  if (e.declines) declines = *e.declines;
  if (e.no_changes) no_changes = *e.no_changes;
  if (e.ceilings) ceilings = *e.ceilings;
  if (e.floors) floors = *e.floors;
  if (e.total_trade) total_trade = *e.total_trade;
  if (e.total_qtty) total_qtty = *e.total_qtty;
  if (e.total_qtty_pt) total_qtty_pt = *e.total_qtty_pt;
  if (e.total_qtty_od) total_qtty_od = *e.total_qtty_od;
  if (e.total_value) total_value = *e.total_value;
  if (e.total_value_pt) total_value_pt = *e.total_value_pt;
  if (e.total_value_od) total_value_od = *e.total_value_od;
  // AllQty/AllValue = matched + put-through (ssi §4.6); derive them when the frame omits them.
  if (e.all_qty) {
    all_qty = *e.all_qty;
  } else if (e.total_qtty || e.total_qtty_pt) {
    all_qty = total_qtty + total_qtty_pt;
  }
  if (e.all_value) {
    all_value = *e.all_value;
  } else if (e.total_value || e.total_value_pt) {
    all_value = total_value + total_value_pt;
  }
  if (e.h.session != Session::kUnknown) session = e.h.session;
  if (time.time.valid() || !updated.date.valid()) updated = time;

  const std::int32_t minute = MinuteOf(time.time);
  if (value.raw <= 0 || minute < 0) return true;
  if (!series.empty() && series.back().minute == minute) {
    IndexPoint& p = series.back();
    p.value = value;  // the last value of a minute wins
    if (value > p.high) p.high = value;
    if (value < p.low) p.low = value;
  } else if (series.empty() || series.back().minute < minute) {
    series.push_back(IndexPoint{minute, value, value, value, value});
  }
  return true;
}

}  // namespace vnt::core
