#include "app/store_glue.h"

#include <cstdio>
#include <map>

#include "api/candle_json.h"
#include "api/history_json.h"
#include "api/json_writer.h"
#include "api/market_json.h"
#include "common/log.h"
#include "core/futures.h"

namespace vnt::app {

namespace {

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
Result<std::string> Rows(const store::Result<std::vector<T>>& res, Fn write) {
  if (!res.ok()) return Error{ErrorCode::kIo, res.error};
  std::string out;
  out.reserve(res.value.size() * 160 + 2);
  api::JsonWriter w(&out);
  w.BeginArray();
  for (const T& row : res.value) write(w, row);
  w.EndArray();
  return out;
}

// A rule the engine holds and the store does not (its row deleted behind the tracker's back).
Error NotStored(std::int64_t id) {
  return Error{ErrorCode::kNotFound, "no rule " + std::to_string(id) + " in the store", "id"};
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
static server::HistoryProvider::Rows AlertHistory(store::Reader& reader) {
  return [&reader](const std::string& symbol, const server::HistoryQuery& q) -> Result<std::string> {
    store::AlertFilter filter;
    if (!symbol.empty()) filter.symbol = Symbol::Of(symbol);
    if (!q.type.empty()) filter.type = core::ParseAlertType(q.type);
    store::TimeRange range;
    range.from = ParseRangeBound(q.from, false);
    range.to = ParseRangeBound(q.to, true);
    range.limit = q.limit;
    range.order = store::Order::kOldestFirst;
    const auto alerts = reader.Alerts(range, filter);
    if (!alerts.ok()) return Error{ErrorCode::kIo, alerts.error};
    const auto deliveries = reader.AlertDeliveries(range, filter);
    if (!deliveries.ok()) return Error{ErrorCode::kIo, deliveries.error};
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
  h.candles = [&reader](const std::string& sym, const server::HistoryQuery& q) {
    // Stored 1-minute candles were written when they closed.
    if (q.interval.empty())
      return Rows(reader.Candles(Sym(sym), Range(q)),
                  [](api::JsonWriter& w, const store::CandleRow& c) { api::WriteCandle(w, c, true); });
    // Bars over whole trading dates, aggregated by the store from its 1-minute candles: closed once their
    // interval has ended (Vietnam time).
    const store::CandleInterval interval = *store::ParseCandleInterval(q.interval);
    const std::int32_t seconds = interval == store::CandleInterval::k5m    ? 300
                                 : interval == store::CandleInterval::k15m ? 900
                                 : interval == store::CandleInterval::k1h  ? 3600
                                 : interval == store::CandleInterval::k1d  ? 86400
                                                                           : 60;
    const store::TimeRange r = Range(q);
    return Rows(reader.CandlesAggregated(Sym(sym), interval, r.from.date, r.to.date, q.limit),
                [&q, seconds](api::JsonWriter& w, const store::CandleRow& c) {
                  api::WriteCandle(w, c, api::CandleEnded(c, seconds, q.now));
                });
  };
  h.ticks = [&reader](const std::string& sym, const server::HistoryQuery& q) {
    return Rows(reader.Ticks(Sym(sym), Range(q)), api::WriteTickRow);
  };
  h.foreign = [&reader](const std::string& sym, const server::HistoryQuery& q) {
    return Rows(reader.ForeignHistory(Sym(sym), Range(q)), api::WriteForeignRow);
  };
  h.foreign_daily = [&reader](const std::string& sym, const server::HistoryQuery& q) {
    const store::TimeRange r = Range(q);
    const Date from = r.from.date.valid() ? r.from.date : Date::Of(2000, 1, 1);
    const Date to = r.to.date.valid() ? r.to.date : Date::Of(2200, 1, 1);
    return Rows(reader.ForeignDaily(Sym(sym), from, to), api::WriteForeignRow);
  };
  h.index = [&reader](const std::string& id, const server::HistoryQuery& q) {
    return Rows(reader.IndexHistory(Sym(id), Range(q)), api::WriteIndexRow);
  };
  h.alerts = AlertHistory(reader);  // with each alert's delivery outcomes
  h.derivatives = [&reader](const std::string& krx, const server::HistoryQuery& q) {
    return Rows(reader.BasisHistory(Sym(krx), Range(q)), api::WriteBasisRow);
  };
  return h;
}

server::RuleStore MakeRuleStore(store::Reader& reader) {
  server::RuleStore rs;
  rs.create = [&reader](const core::AlertRule& r) -> Result<std::int64_t> {
    auto res = reader.CreateRule(r);
    if (!res.ok()) return Error{ErrorCode::kIo, res.error};
    return res.value;
  };
  rs.update = [&reader](const core::AlertRule& r) -> Status {
    auto res = reader.UpdateRule(r);
    if (!res.ok()) return Error{ErrorCode::kIo, res.error};
    if (!res.value) return NotStored(r.id);
    return {};
  };
  rs.remove = [&reader](std::int64_t id) -> Status {
    auto res = reader.DeleteRule(id);
    if (!res.ok()) return Error{ErrorCode::kIo, res.error};
    if (!res.value) return NotStored(id);
    return {};
  };
  return rs;
}

Result<int> LoadRules(store::Reader& reader, core::MarketEngine& engine) {
  auto rules = reader.ListRules();
  if (!rules.ok()) return Error{ErrorCode::kIo, rules.error};
  int n = 0;
  for (const store::StoredRule& r : rules.value) {
    if (const auto added = engine.AddRule(r.rule); added) {
      ++n;
    } else {
      // A row that no longer passes validation (older version, edited by hand) is skipped, never served.
      LogWarning("store: rule " + std::to_string(r.rule.id) + " skipped: " + added.error().message);
    }
  }
  return n;
}

}  // namespace vnt::app
