#include "store/store_sink.h"

#include <limits>
#include <utility>

namespace vnt::store {

void StoreSink::Offer(Row row) {
  ++stats_.rows_offered;
  if (!writer_.Enqueue(std::move(row))) ++stats_.rows_refused;
}

ExchangeTime StoreSink::Stamp(ExchangeTime t) const {
  // A frame without a time (or date) of its own is placed at the engine's current market time.
  if (!t.date.valid()) t.date = engine_.trading_date();
  if (!t.time.valid())
    t.time = engine_.market_time().date == t.date ? engine_.market_time().time : TimeOfDay{0};
  if (!t.time.valid()) t.time = TimeOfDay{0};
  return t;
}

void StoreSink::OnTrade(const core::ClassifiedTrade& t) {
  TickRow r;
  r.symbol = t.symbol;
  r.time = Stamp(t.time);
  r.price = t.price;
  r.volume = t.volume;
  r.value = t.value;
  r.unattributed = t.unattributed;
  r.side = t.side;
  r.method = t.method;
  r.session = t.session;
  r.bid = t.bid;
  r.ask = t.ask;
  r.futures = t.futures;
  Offer(std::move(r));
  Sweep();
}

void StoreSink::OnCandleClosed(const core::Candle& c) {
  Offer(c);
  Sweep();
}

void StoreSink::OnAlert(const core::Alert& a) {
  AlertRow r = ToAlertRow(a);
  r.time = Stamp(a.time);
  r.epoch = epoch_;
  Offer(std::move(r));
}

void StoreSink::OnForeignChanged(Symbol symbol) {
  const core::SymbolState* s = engine_.FindSymbol(symbol);
  if (s == nullptr || !s->foreign.state().has_data) return;
  const core::ForeignState& f = s->foreign.state();
  ForeignRow r;
  r.symbol = symbol;
  r.time = Stamp(f.updated);
  r.buy_vol = f.buy_vol;
  r.sell_vol = f.sell_vol;
  r.buy_val = f.buy_val;
  r.sell_val = f.sell_val;
  r.total_room = f.total_room;
  r.current_room = f.current_room;
  r.net_speed_vol = f.net_speed_vol;
  r.net_speed_val = f.net_speed_val;
  r.net_accel_vol = f.net_accel_vol;
  r.net_accel_val = f.net_accel_val;
  const ExchangeTime t = r.time;
  Hold(foreign_, symbol, t, std::move(r));
}

void StoreSink::OnIndexChanged(Symbol id) {
  const core::IndexState* x = engine_.FindIndex(id.view());
  if (x == nullptr) return;
  IndexRow r;
  r.id = x->id;
  r.time = Stamp(x->updated);
  r.value = x->value;
  r.change = x->change;
  r.change_pct = x->change_pct;
  r.advances = x->advances;
  r.declines = x->declines;
  r.no_changes = x->no_changes;
  r.ceilings = x->ceilings;
  r.floors = x->floors;
  r.total_trade = x->total_trade;
  r.total_qtty = x->total_qtty;
  r.total_value = x->total_value;
  r.total_qtty_pt = x->total_qtty_pt;
  r.total_value_pt = x->total_value_pt;
  r.all_qty = x->all_qty;
  r.all_value = x->all_value;
  r.session = x->session;
  const ExchangeTime t = r.time;
  Hold(index_, x->id, t, std::move(r));
}

void StoreSink::OnFuturesChanged(const core::FuturesState& f) {
  if (!f.has_basis) {  // a price without a VN30 to compare with is not a basis point
    Sweep();
    return;
  }
  BasisRow r;
  r.krx_code = f.contract.krx_code;
  r.legacy_code = f.contract.legacy_code;
  r.time = Stamp(f.updated);
  r.last = f.last;
  r.spot = f.spot;
  r.basis = f.basis;
  r.basis_pct = f.basis_pct;
  r.fair_basis = f.fair_basis;
  r.volume = f.volume;
  const ExchangeTime t = r.time;
  Hold(basis_, f.contract.krx_code, t, std::move(r));
}

void StoreSink::OnDayStarted(Date) {
  FlushPending();
  swept_sec_ = 0;
}

void StoreSink::FlushPending() {
  constexpr std::int64_t kAll = std::numeric_limits<std::int64_t>::max();
  Release(foreign_, kAll);
  Release(index_, kAll);
  Release(basis_, kAll);
}

void StoreSink::Hold(HeldMap& map, Symbol key, ExchangeTime t, Row row) {
  if (!t.date.valid()) {
    ++stats_.undated;
    return;
  }
  const std::int64_t sec = t.LocalEpochSeconds();
  Held& h = map[key];
  if (h.has) {
    if (h.sec == sec) {
      ++stats_.superseded;  // the same second: keep only its last state
    } else {
      Offer(std::move(h.row));  // an earlier second is complete
    }
  }
  h.sec = sec;
  h.has = true;
  h.row = std::move(row);
  Sweep();
}

void StoreSink::Sweep() {
  const ExchangeTime now = engine_.market_time();
  if (!now.date.valid() || !now.time.valid()) return;
  const std::int64_t sec = now.LocalEpochSeconds();
  if (sec <= swept_sec_) return;  // at most one pass over the held rows per market second
  swept_sec_ = sec;
  Release(foreign_, sec);
  Release(index_, sec);
  Release(basis_, sec);
}

void StoreSink::Release(HeldMap& map, std::int64_t before_sec) {
  for (auto& [key, h] : map) {
    if (h.has && h.sec < before_sec) {
      Offer(std::move(h.row));
      h.has = false;
    }
  }
}

}  // namespace vnt::store
