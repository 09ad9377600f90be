#pragma once
// Shared fixtures of the engine tests (engine_test.cpp, engine_trades_test.cpp, engine_futures_test.cpp,
// engine_alerts_test.cpp): event builders at exchange times of 2026-03-10 and a sink that records.
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/engine.h"

namespace vnt::core::engine_test {

// 2026-03-10 is a Tuesday; the March 2026 contract (41I1G3000 / VN30F2603) expires Thursday 2026-03-19.
inline constexpr Date kDay = Date::Of(2026, 3, 10);
inline constexpr Date kNextDay = Date::Of(2026, 3, 11);
inline const Symbol kFpt = Symbol::Of("FPT");
inline const Symbol kVnm = Symbol::Of("VNM");
inline const Symbol kHpg = Symbol::Of("HPG");
inline const Symbol kSsi = Symbol::Of("SSI");
inline const Symbol kF1 = Symbol::Of("41I1G3000");  // March 2026
inline const Symbol kF2 = Symbol::Of("41I1G4000");  // April 2026

inline Price Px(double v) {
  return Price::FromRaw(std::llround(v * 10000));
}
inline ExchangeTime At(int h, int m, int s, Date d = kDay) {
  return ExchangeTime{d, TimeOfDay::Of(h, m, s)};
}

inline core::Header Hdr(core::Channel ch, Symbol sym, ExchangeTime t, Session session) {
  core::Header h;
  h.channel = ch;
  h.symbol = sym;
  h.time = t;
  h.session = session;
  return h;
}

inline core::TradeEvent XTrade(Symbol sym, ExchangeTime t, double price, std::int64_t last_vol,
                               std::optional<std::int64_t> total_vol, Side side = Side::kUnknown,
                               Session session = Session::kLo) {
  core::TradeEvent e;
  e.h = Hdr(core::Channel::kTrade, sym, t, session);
  e.t.last_price = Px(price);
  e.t.last_vol = Volume{last_vol};
  if (total_vol) e.t.total_vol = Volume{*total_vol};
  e.t.side = side;
  return e;
}

inline core::Book BookOf(double bid, double ask, std::int64_t vol = 1000) {
  core::Book b;
  if (bid > 0) b.bids[b.bid_count++] = core::Level{Px(bid), Volume{vol}};
  if (ask > 0) b.asks[b.ask_count++] = core::Level{Px(ask), Volume{vol}};
  return b;
}

inline core::QuoteEvent XQuote(Symbol sym, ExchangeTime t, double bid, double ask,
                               Session session = Session::kLo) {
  core::QuoteEvent e;
  e.h = Hdr(core::Channel::kQuote, sym, t, session);
  e.book = BookOf(bid, ask);
  return e;
}

inline core::SnapshotEvent XSnap(Symbol sym, ExchangeTime t, double last, std::int64_t last_vol,
                                 std::int64_t total_vol, double bid, double ask,
                                 Session session = Session::kLo) {
  core::SnapshotEvent e;
  e.h = Hdr(core::Channel::kSnapshot, sym, t, session);
  e.t.last_price = Px(last);
  e.t.last_vol = Volume{last_vol};
  e.t.total_vol = Volume{total_vol};
  e.book = BookOf(bid, ask);
  return e;
}

inline core::IndexEvent Mi(std::string_view id, ExchangeTime t, double value, double prior = 0,
                           Session session = Session::kUnknown) {
  core::IndexEvent e;
  e.h = Hdr(core::Channel::kIndex, Symbol::Of(id), t, session);
  e.value = Px(value);
  if (prior > 0) e.prior_value = Px(prior);
  return e;
}

inline core::ForeignRoomEvent R(Symbol sym, ExchangeTime t, std::int64_t buy, std::int64_t sell,
                                std::int64_t buy_val, std::int64_t sell_val) {
  core::ForeignRoomEvent e;
  e.h = Hdr(core::Channel::kForeign, sym, t, Session::kUnknown);
  e.buy_vol = Volume{buy};
  e.sell_vol = Volume{sell};
  e.buy_val = Vnd{buy_val};
  e.sell_val = Vnd{sell_val};
  return e;
}

inline EngineConfig Config() {
  EngineConfig c;
  c.vn30 = {kFpt, kVnm, kHpg, kSsi};
  return c;
}

inline void ExpectConserved(const SymbolState& s) {
  EXPECT_EQ(s.total.buy_vol + s.total.sell_vol + s.total.neutral_vol, s.volume());
  Volume sum{};
  Vnd val{};
  std::int64_t trades = 0;
  for (const FlowStats& b : s.buckets) {
    sum += b.volume();
    val += b.value();
    trades += b.trade_count;
  }
  EXPECT_EQ(sum, s.volume());
  EXPECT_EQ(val, s.total.value());
  EXPECT_EQ(trades, s.total.trade_count);
}

struct RecordingSink : MarketSink {
  std::vector<ClassifiedTrade> trades;
  std::vector<Alert> alerts;
  std::vector<Candle> candles;
  std::vector<Symbol> indices;
  std::vector<std::pair<Symbol, Session>> sessions;
  std::vector<Date> days;
  int futures_changes = 0;
  int foreign_changes = 0;
  void OnTrade(const ClassifiedTrade& t) override { trades.push_back(t); }
  void OnAlert(const Alert& a) override { alerts.push_back(a); }
  void OnCandleClosed(const Candle& c) override { candles.push_back(c); }
  void OnIndexChanged(Symbol s) override { indices.push_back(s); }
  void OnSessionChanged(Symbol s, Session x) override { sessions.emplace_back(s, x); }
  void OnDayStarted(Date d) override { days.push_back(d); }
  void OnFuturesChanged(const FuturesState&) override { ++futures_changes; }
  void OnForeignChanged(Symbol) override { ++foreign_changes; }
  int CountAlerts(AlertType t) const {
    int n = 0;
    for (const Alert& a : alerts) n += a.type == t;
    return n;
  }
};

}  // namespace vnt::core::engine_test
