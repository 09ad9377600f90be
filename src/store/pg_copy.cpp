#include "store/pg_copy.h"

#include <type_traits>

namespace vnt::store::pg {
namespace {

constexpr const char* kCopySql[kTableCount] = {
    "COPY ticks(symbol,date,time,price,volume,value,unattributed,side,method,session,bid,ask,futures) "
    "FROM STDIN (FORMAT binary)",
    "COPY candles_stage(symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,"
    "trade_count) FROM STDIN (FORMAT binary)",
    "COPY foreign_snapshots(symbol,date,time,buy_vol,sell_vol,buy_val,sell_val,total_room,current_room,"
    "net_speed_vol,net_speed_val,net_accel_vol,net_accel_val) FROM STDIN (FORMAT binary)",
    "COPY index_snapshots(index_id,date,time,value,change,change_pct,advances,declines,no_changes,ceilings,"
    "floors,total_trade,total_qtty,total_value,total_qtty_pt,total_value_pt,all_qty,all_value,session) "
    "FROM STDIN (FORMAT binary)",
    "COPY futures_basis(krx_code,legacy_code,date,time,last,spot,basis,basis_pct,fair_basis,volume) "
    "FROM STDIN (FORMAT binary)",
    "COPY "
    "alerts(engine_id,type,severity,symbol,rule_id,message,value,threshold,date,time,contract,alias,rule_"
    "name,"
    "metric,unit,direction,comparison,window_sec,details,epoch) FROM STDIN (FORMAT binary)",
    "COPY frame_batches(date,first_seq,count,raw_bytes,data) FROM STDIN (FORMAT binary)",
    "COPY alert_deliveries(epoch,engine_id,date,time,channel,result,attempts,status,error,done_ms) "
    "FROM STDIN (FORMAT binary)",
};

void Encode(CopyEncoder& e, const TickRow& r) {
  e.BeginRow(13);
  e.Text(r.symbol.view());
  e.Int4(r.time.date.ymd);
  e.Int4(r.time.time.sec);
  e.Int8(r.price.raw);
  e.Int8(r.volume.raw());
  e.Int8(r.value.raw());
  e.Int8(r.unattributed.raw());
  e.Text(core::ToString(r.side));
  e.Text(core::ToString(r.method));
  e.Text(ToString(r.session));
  e.Int8(r.bid.raw);
  e.Int8(r.ask.raw);
  e.Int4(r.futures ? 1 : 0);
}

void Encode(CopyEncoder& e, const CandleRow& r) {
  e.BeginRow(13);
  e.Text(r.symbol.view());
  e.Int4(r.date.ymd);
  e.Int4(r.minute);
  e.Int8(r.open.raw);
  e.Int8(r.high.raw);
  e.Int8(r.low.raw);
  e.Int8(r.close.raw);
  e.Int8(r.volume.raw());
  e.Int8(r.buy_vol.raw());
  e.Int8(r.sell_vol.raw());
  e.Int8(r.neutral_vol.raw());
  e.Int8(r.value.raw());
  e.Int8(r.trade_count);
}

void OptionalInt8(CopyEncoder& e, const std::optional<Volume>& v) {
  if (v)
    e.Int8(v->raw());
  else
    e.Null();
}

void Encode(CopyEncoder& e, const ForeignRow& r) {
  e.BeginRow(13);
  e.Text(r.symbol.view());
  e.Int4(r.time.date.ymd);
  e.Int4(r.time.time.sec);
  e.Int8(r.buy_vol.raw());
  e.Int8(r.sell_vol.raw());
  e.Int8(r.buy_val.raw());
  e.Int8(r.sell_val.raw());
  OptionalInt8(e, r.total_room);
  OptionalInt8(e, r.current_room);
  e.Float8(r.net_speed_vol);
  e.Float8(r.net_speed_val);
  e.Float8(r.net_accel_vol);
  e.Float8(r.net_accel_val);
}

void Encode(CopyEncoder& e, const IndexRow& r) {
  e.BeginRow(19);
  e.Text(r.id.view());
  e.Int4(r.time.date.ymd);
  e.Int4(r.time.time.sec);
  e.Int8(r.value.raw);
  e.Int8(r.change.raw);
  e.Float8(r.change_pct);
  e.Int8(r.advances);
  e.Int8(r.declines);
  e.Int8(r.no_changes);
  e.Int8(r.ceilings);
  e.Int8(r.floors);
  e.Int8(r.total_trade);
  e.Int8(r.total_qtty.raw());
  e.Int8(r.total_value.raw());
  e.Int8(r.total_qtty_pt.raw());
  e.Int8(r.total_value_pt.raw());
  e.Int8(r.all_qty.raw());
  e.Int8(r.all_value.raw());
  e.Text(ToString(r.session));
}

void Encode(CopyEncoder& e, const BasisRow& r) {
  e.BeginRow(10);
  e.Text(r.krx_code.view());
  e.Text(r.legacy_code.view());
  e.Int4(r.time.date.ymd);
  e.Int4(r.time.time.sec);
  e.Int8(r.last.raw);
  e.Int8(r.spot.raw);
  e.Int8(r.basis.raw);
  e.Float8(r.basis_pct);
  e.Float8(r.fair_basis);
  e.Int8(r.volume.raw());
}

void Encode(CopyEncoder& e, const AlertRow& r) {
  e.BeginRow(20);
  e.Int8(static_cast<std::int64_t>(r.engine_id));
  e.Text(core::ToString(r.type));
  e.Text(core::ToString(r.severity));
  e.Text(r.symbol.view());
  e.Int8(r.rule_id);
  e.Text(r.message);
  e.Float8(r.value);
  e.Float8(r.threshold);
  e.Int4(r.time.date.ymd);
  e.Int4(r.time.time.sec);
  e.Text(r.contract.view());
  e.Text(r.alias);
  e.Text(r.rule_name);
  e.Text(r.metric);
  e.Text(core::ToString(r.unit));
  e.Text(core::ToString(r.direction));
  e.Text(r.comparison);
  e.Int4(r.window_sec);
  e.Text(r.details);
  e.Int8(r.epoch);
}

void Encode(CopyEncoder& e, const DeliveryRow& r) {
  e.BeginRow(10);
  e.Int8(r.epoch);
  e.Int8(static_cast<std::int64_t>(r.engine_id));
  e.Int4(r.alert_time.date.ymd);
  e.Int4(r.alert_time.time.sec);
  e.Text(r.channel);
  e.Text(r.result);
  e.Int4(r.attempts);
  e.Int4(r.status);
  e.Text(r.error);
  e.Int8(r.done_ms);
}

}  // namespace

const char* CopySql(Table t) {
  return kCopySql[static_cast<std::size_t>(t)];
}

void EncodeRow(CopyEncoder& e, const store::Row& row) {
  std::visit(
      [&](const auto& r) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(r)>, FrameRow>) Encode(e, r);
      },
      row);
}

void EncodePacked(CopyEncoder& e, const PackedFrames& p) {
  e.BeginRow(5);
  e.Int4(p.date.ymd);
  e.Int8(p.first_seq);
  e.Int8(p.count);
  e.Int8(p.raw_bytes);
  e.Bytes(p.blob);
}

}  // namespace vnt::store::pg
