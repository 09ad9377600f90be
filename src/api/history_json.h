#pragma once
// The rows of the history store as /api/history/* sends them (one JSON object per row; store/rows.h holds
// plain values, so this needs only its header). Candles use the one candle shape (api/candle_json.h), ticks
// the live trade shape (WriteTrade without "seq"), times the exchange instant of api/market_json.h.

#include <cstdint>

#include "api/json_writer.h"
#include "store/rows.h"

namespace vnt::api {

// A stored trade, in the shape of a live one: {"symbol", "time", "price", "volume", "value", "side",
// "method", "session", "bid", "ask"} (+ "unattributed_vol" when some); bid/ask null when there was none.
void WriteTickRow(JsonWriter& w, const store::TickRow& t);
// {"symbol", "time", "buy_vol", "sell_vol", "net_vol", "buy_val", "sell_val", "net_val", "total_room",
//  "current_room", "net_speed_vol", "net_speed_val", "net_accel_vol", "net_accel_val"}
void WriteForeignRow(JsonWriter& w, const store::ForeignRow& f);
// {"index", "time", "value", "change", "change_pct", "advances", "declines", "no_changes", "ceilings",
//  "floors", "total_qtty", "total_value", "total_qtty_pt", "total_value_pt", "all_qty", "all_value"}
void WriteIndexRow(JsonWriter& w, const store::IndexRow& i);
// {"contract", "krx_code", "time", "price", "spot", "basis", "basis_pct", "fair_basis", "volume"}
void WriteBasisRow(JsonWriter& w, const store::BasisRow& b);

}  // namespace vnt::api
