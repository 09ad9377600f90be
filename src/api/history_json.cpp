#include "api/history_json.h"

#include "api/market_json.h"

namespace vnt::api {

void WriteTickRow(JsonWriter& w, const store::TickRow& t) {
  core::ClassifiedTrade c;
  c.symbol = t.symbol;
  c.time = t.time;
  c.price = t.price;
  c.volume = t.volume;
  c.value = t.value;
  c.unattributed = t.unattributed;
  c.side = t.side;
  c.method = t.method;
  c.session = t.session;
  c.bid = t.bid;
  c.ask = t.ask;
  c.futures = t.futures;
  WriteTrade(w, c);
}

void WriteForeignRow(JsonWriter& w, const store::ForeignRow& f) {
  w.BeginObject().Field("symbol", f.symbol.view());
  WriteTime(w, "time", f.time);
  w.Field("buy_vol", f.buy_vol).Field("sell_vol", f.sell_vol).Field("net_vol", f.buy_vol - f.sell_vol);
  w.Field("buy_val", f.buy_val).Field("sell_val", f.sell_val).Field("net_val", f.buy_val - f.sell_val);
  w.Key("total_room").Optional(f.total_room);
  w.Key("current_room").Optional(f.current_room);
  w.Field("net_speed_vol", f.net_speed_vol).Field("net_speed_val", f.net_speed_val);
  w.Field("net_accel_vol", f.net_accel_vol).Field("net_accel_val", f.net_accel_val);
  w.EndObject();
}

void WriteIndexRow(JsonWriter& w, const store::IndexRow& i) {
  w.BeginObject().Field("index", i.id.view());
  WriteTime(w, "time", i.time);
  w.Field("value", i.value).Field("change", i.change).Field("change_pct", i.change_pct);
  w.Field("advances", i.advances).Field("declines", i.declines).Field("no_changes", i.no_changes);
  w.Field("ceilings", i.ceilings).Field("floors", i.floors);
  w.Field("total_qtty", i.total_qtty).Field("total_value", i.total_value);
  w.Field("total_qtty_pt", i.total_qtty_pt).Field("total_value_pt", i.total_value_pt);
  w.Field("all_qty", i.all_qty).Field("all_value", i.all_value);
  w.EndObject();
}

void WriteBasisRow(JsonWriter& w, const store::BasisRow& b) {
  w.BeginObject().Field("contract", b.legacy_code.view()).Field("krx_code", b.krx_code.view());
  WriteTime(w, "time", b.time);
  w.Field("price", b.last).Field("spot", b.spot).Field("basis", b.basis).Field("basis_pct", b.basis_pct);
  w.Field("fair_basis", b.fair_basis).Field("volume", b.volume);
  w.EndObject();
}

}  // namespace vnt::api
