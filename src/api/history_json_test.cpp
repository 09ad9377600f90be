#include "api/history_json.h"

#include <gtest/gtest.h>

#include "api/json_text.h"

namespace vnt::api {
namespace {

const ExchangeTime kT{Date::Of(2026, 3, 18), TimeOfDay::Of(9, 20, 5)};

// A stored trade has the live trade's shape: null for a quote the engine did not have, not 0.
TEST(HistoryJson, TickRowIsTheTradeShape) {
  store::TickRow t;
  t.symbol = Symbol::Of("ACB");
  t.time = kT;
  t.price = Price::FromRaw(244000000);
  t.volume = Volume{1000};
  t.value = Vnd{24400000};
  t.side = core::Aggressor::kSell;
  t.method = core::ClassifyMethod::kTick;
  t.session = Session::kLo;
  t.ask = Price::FromRaw(244500000);
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteTickRow(w, t); }),
      R"({"symbol":"ACB","time":"2026-03-18T09:20:05+07:00","price":24400,"volume":1000,"value":24400000,)"
      R"("side":"sell","method":"tick","session":"LO","bid":null,"ask":24450})");
}

TEST(HistoryJson, ForeignRow) {
  store::ForeignRow f;
  f.symbol = Symbol::Of("ACB");
  f.time = kT;
  f.buy_vol = Volume{500};
  f.sell_vol = Volume{200};
  f.buy_val = Vnd{12200000};
  f.sell_val = Vnd{4880000};
  f.current_room = Volume{1000};
  f.net_speed_vol = 1.5;
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteForeignRow(w, f); }),
      R"({"symbol":"ACB","time":"2026-03-18T09:20:05+07:00","buy_vol":500,"sell_vol":200,"net_vol":300,)"
      R"("buy_val":12200000,"sell_val":4880000,"net_val":7320000,"total_room":null,"current_room":1000,)"
      R"("net_speed_vol":1.5,"net_speed_val":0,"net_accel_vol":0,"net_accel_val":0})");
}

TEST(HistoryJson, IndexRow) {
  store::IndexRow i;
  i.id = Symbol::Of("VN30");
  i.time = kT;
  i.value = Price::FromRaw(19025000);
  i.change = Price::FromRaw(170800);
  i.change_pct = 0.9059;
  i.advances = 21;
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteIndexRow(w, i); }),
      R"({"index":"VN30","time":"2026-03-18T09:20:05+07:00","value":1902.5,"change":17.08,)"
      R"("change_pct":0.9059,"advances":21,"declines":0,"no_changes":0,"ceilings":0,"floors":0,)"
      R"("total_qtty":0,"total_value":0,"total_qtty_pt":0,"total_value_pt":0,"all_qty":0,"all_value":0})");
}

TEST(HistoryJson, BasisRow) {
  store::BasisRow b;
  b.krx_code = Symbol::Of("41I1G3000");
  b.legacy_code = Symbol::Of("VN30F2603");
  b.time = kT;
  b.last = Price::FromRaw(18992000);
  b.spot = Price::FromRaw(18992200);
  b.basis = Price::FromRaw(-200);
  b.basis_pct = -0.0011;
  b.fair_basis = 3.25;
  b.volume = Volume{118};
  EXPECT_EQ(
      Json([&](JsonWriter& w) { WriteBasisRow(w, b); }),
      R"({"contract":"VN30F2603","krx_code":"41I1G3000","time":"2026-03-18T09:20:05+07:00","price":1899.2,)"
      R"("spot":1899.22,"basis":-0.02,"basis_pct":-0.0011,"fair_basis":3.25,"volume":118})");
}

}  // namespace
}  // namespace vnt::api
