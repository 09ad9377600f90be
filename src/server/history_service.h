#pragma once
// The /api/history/* endpoints over the history store, for the engine node (inside MarketService) and for
// `vntracker edge --db ...`, which has no engine: what they need of the live market comes in through
// HistoryContext. Shapes are documented in the README.

#include <functional>
#include <optional>
#include <string>

#include "core/types.h"
#include "server/router.h"

namespace vnt::server {

// History queries the store answers (nullptr members = no store): each returns a JSON array text or an
// error message. `from`/`to` are "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (Vietnam exchange time).
struct HistoryQuery {
  std::string from, to;
  int limit = 1000;
  std::string
      interval;      // candles only: 1m|5m|15m|1h|1d bars over whole trading dates; empty = stored 1m rows
  std::string type;  // alerts only: one alert type (empty = all)
  ExchangeTime now;  // Vietnam time when asked (candles: whether an aggregated bar has closed)
};
struct HistoryProvider {
  // The rows as a JSON array, or why the store could not read them (a 503).
  using Rows = std::function<Result<std::string>(const std::string& key, const HistoryQuery&)>;
  Rows candles, ticks, foreign, foreign_daily, index, derivatives, alerts;
};

// What the history endpoints need of the live market (unset members: not known).
struct HistoryContext {
  std::function<Date()> trading_date;        // resolves futures aliases; names CSV files
  std::function<bool(Symbol)> known_symbol;  // a symbol with no stored rows: known -> [], unknown -> 404
};

class HistoryService {
 public:
  HistoryService(HistoryProvider history, HistoryContext ctx)
      : history_(std::move(history)), ctx_(std::move(ctx)) {}
  // Registers /api/history/alerts, /index/{name}, /derivatives/{contract}, /{symbol}/candles|ticks|foreign|
  // foreign/daily.
  void Register(Router& r) const;

 private:
  Response History(const Request& req, const std::string& kind, const std::string& key) const;
  // Stored alerts of past days (and today's): /api/history/alerts?from&to&type&symbol&limit.
  Response Alerts(const Request& req) const;
  Handler Csv(std::string what, std::string rows_key, Handler json) const;
  // The trading date for alias resolution: the live one, else a listed-futures era date.
  Date Today() const;
  // The Vietnam wall clock: the engine node and an edge (which has no engine) answer alike.
  ExchangeTime Now() const;

  HistoryProvider history_;
  HistoryContext ctx_;
};

// `?format=csv` on an endpoint a trader exports: its JSON answer as a CSV download (api/csv.h), rows from
// `rows_key` ("" = the top-level array); the file is named vnt-<what>[-<symbol>]-<date>.csv.
Handler CsvExport(std::string what, std::string rows_key, Handler json, std::function<Date()> trading_date);

// Request parameters shared by the REST services.
// Validates an optional integer query parameter in [lo, hi]; nullopt (and *bad) when malformed or out of
// range.
std::optional<int> IntParam(const Request& req, const std::string& name, int def, int lo, int hi, bool* bad);
// Validates "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]".
bool ValidDateOrDateTime(const std::string& s);
// A ticker in any case -> Symbol; false when it is not 1-15 characters.
bool ToSymbol(const std::string& s, Symbol* out);
// from/to (or start/end) of a history query into q; the error (a 400) names the parameter when one is
// malformed or from is after to.
Status ParseHistoryRange(const Request& req, HistoryQuery* q);

}  // namespace vnt::server
