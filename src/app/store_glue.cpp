#include "app/store_glue.h"

#include <cstdio>
#include <map>

#include "api/json_writer.h"
#include "api/market_json.h"
#include "common/log.h"
#include "core/futures.h"

namespace vnt::app {

namespace {

void Time(api::JsonWriter& w, const ExchangeTime& t) {
  w.Key("time").String(ToString(t.date) + "T" + ToString(t.time));
}

store::TimeRange Range(const server::HistoryQuery& q) {
  store::TimeRange r;
  r.from = ParseRangeBound(q.from, false);
  r.to = ParseRangeBound(q.to, true);
  r.limit = q.limit;
  r.order = store::Order::kOldestFirst;
  return r;
}

Symbol Sym(const std::string& s) {
  return Symbol::Of(s);
}

template <typename T, typename Fn>
std::optional<std::string> Rows(const store::Result<std::vector<T>>& res, std::string* err, Fn write) {
  if (!res.ok()) {
    *err = res.error;
    return std::nullopt;
  }
  std::string out;
  out.reserve(res.value.size() * 160 + 2);
  api::JsonWriter w(&out);
  w.BeginArray();
  for (const T& row : res.value) {
    w.BeginObject();
    write(w, row);
    w.EndObject();
  }
  w.EndArray();
  return out;
}

}  // namespace

ExchangeTime ParseRangeBound(const std::string& s, bool end_of_day) {
  ExchangeTime t;
  if (s.size() < 10) return t;
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return t;
  t.date = Date::Of(y, m, d);
  if (s.size() >= 16) {
    std::sscanf(s.c_str() + 11, "%2d:%2d", &hh, &mm);
    if (s.size() >= 19)
      std::sscanf(s.c_str() + 17, "%2d", &ss);
    else if (end_of_day)
      ss = 59;
    t.time = TimeOfDay::Of(hh, mm, ss);
  } else {
    t.time = end_of_day ? TimeOfDay::Of(23, 59, 59) : TimeOfDay::Of(0, 0, 0);
  }
  return t;
}

// /api/history/alerts: the stored alerts, each with the deliveries stored for it (joined on the process
// epoch and the engine's alert id). Same rows and order from either store, so the same bytes.
static std::function<std::optional<std::string>(const std::string&, const server::HistoryQuery&,
                                                std::string*)>
AlertHistory(store::Reader& reader) {
  return [&reader](const std::string& symbol, const server::HistoryQuery& q,
                   std::string* err) -> std::optional<std::string> {
    store::AlertFilter filter;
    if (!symbol.empty()) filter.symbol = Symbol::Of(symbol);
    if (!q.type.empty()) filter.type = core::ParseAlertType(q.type);
    store::TimeRange range;
    range.from = ParseRangeBound(q.from, false);
    range.to = ParseRangeBound(q.to, true);
    range.limit = q.limit;
    range.order = store::Order::kOldestFirst;
    const auto alerts = reader.Alerts(range, filter);
    if (!alerts.ok()) {
      *err = alerts.error;
      return std::nullopt;
    }
    const auto deliveries = reader.AlertDeliveries(range, filter);
    if (!deliveries.ok()) {
      *err = deliveries.error;
      return std::nullopt;
    }
    std::map<std::pair<std::int64_t, std::uint64_t>, std::vector<api::AlertDeliveryJson>> by_alert;
    for (const store::DeliveryRow& d : deliveries.value)
      by_alert[{d.epoch, d.engine_id}].push_back(
          {d.channel, d.result, d.attempts, d.status, d.error, d.done_ms});
    const std::vector<api::AlertDeliveryJson> none;
    std::string out;
    api::JsonWriter w(&out);
    w.BeginArray();
    for (const store::AlertRow& row : alerts.value) {
      const auto it = row.epoch != 0 ? by_alert.find({row.epoch, row.engine_id}) : by_alert.end();
      api::WriteAlert(w, store::ToAlert(row), it == by_alert.end() ? none : it->second);
    }
    w.EndArray();
    return out;
  };
}

server::HistoryProvider MakeHistoryProvider(store::Reader& reader) {
  server::HistoryProvider h;
  h.candles = [&reader](const std::string& sym, const server::HistoryQuery& q, std::string* err) {
    const auto candle = [](api::JsonWriter& w, const store::CandleRow& c) {
      w.Field("symbol", c.symbol.view());
      w.Key("time").String(ToString(c.date) + "T" + ToString(TimeOfDay{c.minute}));
      w.Field("open", c.open).Field("high", c.high).Field("low", c.low).Field("close", c.close);
      w.Field("volume", c.volume).Field("active_buy_vol", c.buy_vol).Field("active_sell_vol", c.sell_vol);
      w.Field("neutral_vol", c.neutral_vol).Field("value", c.value).Field("trade_count", c.trade_count);
    };
    if (q.interval.empty()) return Rows(reader.Candles(Sym(sym), Range(q)), err, candle);
    // Bars over whole trading dates, aggregated by the store from its 1-minute candles.
    const store::TimeRange r = Range(q);
    return Rows(reader.CandlesAggregated(Sym(sym), *store::ParseCandleInterval(q.interval), r.from.date,
                                         r.to.date, q.limit),
                err, candle);
  };
  h.ticks = [&reader](const std::string& sym, const server::HistoryQuery& q, std::string* err) {
    return Rows(reader.Ticks(Sym(sym), Range(q)), err, [](api::JsonWriter& w, const store::TickRow& t) {
      w.Field("symbol", t.symbol.view());
      Time(w, t.time);
      w.Field("price", t.price).Field("volume", t.volume).Field("value", t.value);
      w.Field("side", core::ToString(t.side)).Field("method", core::ToString(t.method));
      w.Key("session").StringOrNull(ToString(t.session));
      w.Field("bid", t.bid).Field("ask", t.ask);
    });
  };
  const auto foreign_row = [](api::JsonWriter& w, const store::ForeignRow& f) {
    w.Field("symbol", f.symbol.view());
    Time(w, f.time);
    w.Field("buy_vol", f.buy_vol).Field("sell_vol", f.sell_vol).Field("net_vol", f.buy_vol - f.sell_vol);
    w.Field("buy_val", f.buy_val).Field("sell_val", f.sell_val).Field("net_val", f.buy_val - f.sell_val);
    w.Key("total_room").Optional(f.total_room);
    w.Key("current_room").Optional(f.current_room);
    w.Field("net_speed_vol", f.net_speed_vol).Field("net_speed_val", f.net_speed_val);
    w.Field("net_accel_vol", f.net_accel_vol).Field("net_accel_val", f.net_accel_val);
  };
  h.foreign = [&reader, foreign_row](const std::string& sym, const server::HistoryQuery& q,
                                     std::string* err) {
    return Rows(reader.ForeignHistory(Sym(sym), Range(q)), err, foreign_row);
  };
  h.foreign_daily = [&reader, foreign_row](const std::string& sym, const server::HistoryQuery& q,
                                           std::string* err) {
    const store::TimeRange r = Range(q);
    const Date from = r.from.date.valid() ? r.from.date : Date::Of(2000, 1, 1);
    const Date to = r.to.date.valid() ? r.to.date : Date::Of(2200, 1, 1);
    return Rows(reader.ForeignDaily(Sym(sym), from, to), err, foreign_row);
  };
  h.index = [&reader](const std::string& id, const server::HistoryQuery& q, std::string* err) {
    return Rows(
        reader.IndexHistory(Sym(id), Range(q)), err, [](api::JsonWriter& w, const store::IndexRow& i) {
          w.Field("index", i.id.view());
          Time(w, i.time);
          w.Field("value", i.value).Field("change", i.change).Field("change_pct", i.change_pct);
          w.Field("advances", i.advances).Field("declines", i.declines).Field("no_changes", i.no_changes);
          w.Field("ceilings", i.ceilings).Field("floors", i.floors);
          w.Field("total_qtty", i.total_qtty).Field("total_value", i.total_value);
          w.Field("total_qtty_pt", i.total_qtty_pt).Field("total_value_pt", i.total_value_pt);
          w.Field("all_qty", i.all_qty).Field("all_value", i.all_value);
        });
  };
  h.alerts = AlertHistory(reader);  // with each alert's delivery outcomes
  h.derivatives = [&reader](const std::string& krx, const server::HistoryQuery& q, std::string* err) {
    return Rows(reader.BasisHistory(Sym(krx), Range(q)), err,
                [](api::JsonWriter& w, const store::BasisRow& b) {
                  w.Field("contract", b.legacy_code.view()).Field("krx_code", b.krx_code.view());
                  Time(w, b.time);
                  w.Field("price", b.last)
                      .Field("spot", b.spot)
                      .Field("basis", b.basis)
                      .Field("basis_pct", b.basis_pct);
                  w.Field("fair_basis", b.fair_basis).Field("volume", b.volume);
                });
  };
  return h;
}

server::RuleStore MakeRuleStore(store::Reader& reader) {
  server::RuleStore rs;
  rs.create = [&reader](const core::AlertRule& r, std::string* err) -> std::optional<std::int64_t> {
    auto res = reader.CreateRule(r);
    if (!res.ok()) {
      *err = res.error;
      return std::nullopt;
    }
    return res.value;
  };
  rs.update = [&reader](const core::AlertRule& r, std::string* err) {
    auto res = reader.UpdateRule(r);
    if (!res.ok()) *err = res.error;
    return res.ok() && res.value;
  };
  rs.remove = [&reader](std::int64_t id, std::string* err) {
    auto res = reader.DeleteRule(id);
    if (!res.ok()) *err = res.error;
    return res.ok() && res.value;
  };
  return rs;
}

int LoadRules(store::Reader& reader, core::MarketEngine& engine, std::string* error) {
  auto rules = reader.ListRules();
  if (!rules.ok()) {
    *error = rules.error;
    return -1;
  }
  int n = 0;
  for (const store::StoredRule& r : rules.value) {
    std::string err;
    if (engine.AddRule(r.rule, &err)) {
      ++n;
    } else {
      // A row that no longer passes validation (older version, edited by hand) is skipped, never served.
      LogWarning("store: rule " + std::to_string(r.rule.id) + " skipped: " + err);
    }
  }
  return n;
}

}  // namespace vnt::app
