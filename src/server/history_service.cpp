#include "server/history_service.h"

#include <algorithm>
#include <chrono>

#include "api/csv.h"
#include "core/alerts.h"
#include "core/calendar.h"
#include "core/futures.h"

namespace vnt::server {

// from/to (or start/end) of a history query into q; a 400 naming the parameter when one is malformed or
// from is after to.
Status ParseHistoryRange(const Request& req, HistoryQuery* q) {
  for (const char* name : {"from", "to", "start", "end"}) {
    auto it = req.query.find(name);
    if (it == req.query.end() || it->second.empty()) continue;
    if (!ValidDateOrDateTime(it->second))
      return Error{ErrorCode::kInvalidArgument,
                   std::string(name) + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS", name};
    (std::string(name) == "from" || std::string(name) == "start" ? q->from : q->to) = it->second;
  }
  if (!q->from.empty() && !q->to.empty() && q->from > q->to)
    return Error{ErrorCode::kInvalidArgument, "from must not be after to", "from"};
  return {};
}

Date HistoryService::Today() const {
  const Date d = ctx_.trading_date ? ctx_.trading_date() : Date{};
  return d.valid() ? d : Date::Of(2026, 1, 2);
}

ExchangeTime HistoryService::Now() const {
  const auto unix_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return VietnamTimeOf(unix_s);
}

Handler HistoryService::Csv(std::string what, std::string rows_key, Handler json) const {
  return CsvExport(std::move(what), std::move(rows_key), std::move(json), ctx_.trading_date);
}

void HistoryService::Register(Router& r) const {
  r.Add("GET", "/api/history/alerts",
        Csv("alerts-history", "", [this](const Request& q, const PathParams&) { return Alerts(q); }));
  r.Add("GET", "/api/history/index/{name}",
        [this](const Request& q, const PathParams& p) { return History(q, "index", p.at("name")); });
  r.Add("GET", "/api/history/derivatives/{contract}", [this](const Request& q, const PathParams& p) {
    return History(q, "derivatives", p.at("contract"));
  });
  r.Add("GET", "/api/history/{symbol}/candles",
        Csv("candles", "",
            [this](const Request& q, const PathParams& p) { return History(q, "candles", p.at("symbol")); }));
  r.Add("GET", "/api/history/{symbol}/ticks", Csv("ticks", "", [this](const Request& q, const PathParams& p) {
          return History(q, "ticks", p.at("symbol"));
        }));
  r.Add("GET", "/api/history/{symbol}/foreign",
        Csv("foreign", "",
            [this](const Request& q, const PathParams& p) { return History(q, "foreign", p.at("symbol")); }));
  r.Add("GET", "/api/history/{symbol}/foreign/daily",
        Csv("foreign-daily", "", [this](const Request& q, const PathParams& p) {
          return History(q, "foreign_daily", p.at("symbol"));
        }));
}

Response HistoryService::Alerts(const Request& req) const {
  bool bad = false;
  const auto limit = IntParam(req, "limit", 1000, 1, 10000, &bad);
  if (bad) return ErrorResponse(400, "bad_parameter", "limit must be an integer in [1, 10000]", "limit");
  HistoryQuery q;
  q.limit = *limit;
  if (auto range = ParseHistoryRange(req, &q); !range)
    return ErrorResponse(400, "bad_parameter", range.error());
  if (auto it = req.query.find("type"); it != req.query.end() && !it->second.empty()) {
    if (!core::ParseAlertType(it->second))
      return ErrorResponse(400, "bad_parameter", "unknown alert type '" + it->second + "'", "type");
    q.type = it->second;
  }
  std::string symbol;
  if (auto it = req.query.find("symbol"); it != req.query.end() && !it->second.empty()) {
    Symbol s;
    if (!ToSymbol(it->second, &s))
      return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
    symbol = s.str();
  }
  if (!history_.alerts) return ErrorResponse(503, "store_unavailable", "no history store is configured");
  auto rows = history_.alerts(symbol, q);
  if (!rows) return ErrorResponse(503, "store_unavailable", rows.error().message);
  return JsonResponse(std::move(*rows));
}

Response HistoryService::History(const Request& req, const std::string& kind, const std::string& key) const {
  HistoryQuery q;
  bool bad = false;
  const int max_limit = kind == "ticks" ? 50000 : 10000;
  const auto limit = IntParam(req, "limit", kind == "ticks" ? 10000 : 1000, 1, max_limit, &bad);
  if (bad)
    return ErrorResponse(400, "bad_parameter",
                         "limit must be an integer in [1, " + std::to_string(max_limit) + "]", "limit");
  q.limit = *limit;
  if (auto range = ParseHistoryRange(req, &q); !range)
    return ErrorResponse(400, "bad_parameter", range.error());
  if (kind == "candles") q.now = Now();
  if (auto it = req.query.find("interval"); it != req.query.end() && kind == "candles") {
    static constexpr std::string_view kIntervals[] = {"1m", "5m", "15m", "1h", "1d"};
    if (std::find(std::begin(kIntervals), std::end(kIntervals), it->second) == std::end(kIntervals))
      return ErrorResponse(400, "bad_parameter", "interval must be 1m, 5m, 15m, 1h or 1d", "interval");
    q.interval = it->second;
  }
  std::string k = key;
  for (char& c : k)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  if (k.empty() || k.size() > 15)
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  if (kind == "derivatives") {
    // Accepts KRX code, VN30FYYMM or an alias; the store keys contracts by KRX code.
    if (auto listed = core::ResolveContract(k, Today(), core::HolidayCalendar::Vietnam())) {
      k = std::string(listed->contract.krx_code.view());
    } else if (auto month = core::ParseFuturesCode(k)) {
      k = std::string(core::KrxCode(*month).view());
    } else {
      return ErrorResponse(404, "unknown_contract", "not a VN30 futures code or alias: " + key, "contract");
    }
  }
  if (kind != "derivatives" && kind != "index") {
    // Futures history by alias or legacy code: the store keys trades by the code the feed sent (KRX).
    if (auto listed = core::ResolveContract(k, Today(), core::HolidayCalendar::Vietnam())) {
      k = std::string(listed->contract.krx_code.view());
    }
  }
  const auto* fn = kind == "candles"         ? &history_.candles
                   : kind == "ticks"         ? &history_.ticks
                   : kind == "foreign"       ? &history_.foreign
                   : kind == "foreign_daily" ? &history_.foreign_daily
                   : kind == "index"         ? &history_.index
                                             : &history_.derivatives;
  if (!*fn) return ErrorResponse(503, "store_unavailable", "no history store is configured");
  auto rows = (*fn)(k, q);
  if (!rows) return ErrorResponse(503, "store_unavailable", rows.error().message);
  if (*rows == "[]" && kind != "index" && kind != "derivatives") {
    // Nothing stored: an unknown symbol is a 404, a known one with no rows in the range is an empty list.
    Symbol s;
    const bool known = Symbol::Make(k, &s) && ctx_.known_symbol && ctx_.known_symbol(s);
    if (!known) return ErrorResponse(404, "unknown_symbol", "no data for symbol " + key, "symbol");
  }
  return JsonResponse(std::move(*rows));
}

Handler CsvExport(std::string what, std::string rows_key, Handler json, std::function<Date()> trading_date) {
  return [trading_date = std::move(trading_date), what = std::move(what), rows_key = std::move(rows_key),
          json = std::move(json)](const Request& q, const PathParams& p) -> Response {
    const auto it = q.query.find("format");
    if (it == q.query.end() || it->second.empty() || it->second == "json") return json(q, p);
    if (it->second != "csv")
      return ErrorResponse(400, "bad_parameter", "format must be json or csv", "format");
    Response r = json(q, p);
    if (r.status != 200) return r;  // errors stay JSON
    auto text = api::JsonToCsv(r.Body(), rows_key);
    if (!text) return ErrorResponse(500, "internal", "CSV export failed: " + text.error().message);
    Response out;
    out.content_type = "text/csv; charset=utf-8";
    out.body = std::move(*text);
    std::string name = "vnt-" + what;
    if (const auto s = p.find("symbol"); s != p.end()) name += "-" + s->second;
    const Date d = trading_date ? trading_date() : Date{};
    if (d.valid()) name += "-" + ToString(d);
    out.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"" + api::SafeFileName(name) + ".csv\"");
    return out;
  };
}

}  // namespace vnt::server
