#include "server/market_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <set>

#include "api/candle_json.h"
#include "api/csv.h"
#include "api/json_writer.h"
#include "api/market_json.h"
#include "api/rule_json.h"
#include "api/series_json.h"
#include "core/basket_candles.h"
#include "core/calendar.h"
#include "core/futures.h"
#include "core/market_overview.h"

namespace vnt::server {

bool ToSymbol(const std::string& s, Symbol* out) {
  std::string up = s;
  for (char& c : up)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return Symbol::Make(up, out);
}

namespace {

bool IsDigits(std::string_view s);

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool ValidDateOrDateTime(const std::string& s) {
  auto digits = [&](std::size_t pos, std::size_t n) {
    return pos + n <= s.size() && IsDigits(std::string_view(s).substr(pos, n));
  };
  if (s.size() < 10 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2))
    return false;
  const int y = std::atoi(s.substr(0, 4).c_str());
  const int m = std::atoi(s.substr(5, 2).c_str()), d = std::atoi(s.substr(8, 2).c_str());
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return false;  // 2026-02-30 is no date
  if (s.size() == 10) return true;
  if ((s[10] != 'T' && s[10] != ' ') || !digits(11, 2) || s.size() < 16 || s[13] != ':' || !digits(14, 2))
    return false;
  if (std::atoi(s.substr(11, 2).c_str()) > 23 || std::atoi(s.substr(14, 2).c_str()) > 59) return false;
  if (s.size() == 16) return true;
  return s.size() == 19 && s[16] == ':' && digits(17, 2) && std::atoi(s.substr(17, 2).c_str()) <= 59;
}

std::optional<int> IntParam(const Request& req, const std::string& name, int def, int lo, int hi, bool* bad) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return def;
  const std::string& v = it->second;
  if (!IsDigits(v) || v.size() > 9) {
    *bad = true;
    return std::nullopt;
  }
  const int n = std::atoi(v.c_str());
  if (n < lo || n > hi) {
    *bad = true;
    return std::nullopt;
  }
  return n;
}

namespace {

// /api/market/overview: the VN30 heatmap, contributions, breadth and put-through (core/market_overview.h),
// with today's put-through deals from the trade tape (newest first, at most kMaxDeals).
Response MarketOverviewResponse(const core::MarketEngine& engine, const std::vector<Symbol>& basket,
                                const TradeTape* tape) {
  constexpr std::size_t kMaxDeals = 200;
  const core::MarketOverview o = core::BuildMarketOverview(engine, basket);
  std::vector<const core::ClassifiedTrade*> deals;
  if (tape != nullptr) {
    for (const core::PutThroughRow& row : o.put_through) {
      for (const TapeTrade* t : tape->Latest(row.symbol, TradeTape::kDefaultPerSymbol)) {
        if (t->trade.bucket == core::SessionBucket::kPt) deals.push_back(&t->trade);
      }
    }
    std::sort(deals.begin(), deals.end(), [](const core::ClassifiedTrade* a, const core::ClassifiedTrade* b) {
      return b->time < a->time;
    });
    if (deals.size() > kMaxDeals) deals.resize(kMaxDeals);
  }
  std::string body;
  api::JsonWriter w(&body);
  api::WriteMarketOverview(w, o, deals);
  return JsonResponse(std::move(body));
}

}  // namespace

MarketService::MarketService(core::MarketEngine& engine, HealthInfo health, HistoryProvider history,
                             Registry& metrics)
    : engine_(engine),
      health_(std::move(health)),
      metrics_(metrics),
      history_service_(std::move(history), HistoryContext{[this] { return engine_.trading_date(); },
                                                          [this](Symbol s) {
                                                            return engine_.FindSymbol(s) != nullptr ||
                                                                   std::find(vn30_.begin(), vn30_.end(), s) !=
                                                                       vn30_.end();
                                                          }}) {}

void MarketService::Register(Router& r) {
  // Probes and scrapers reach these without the API token (they carry no market data or writes).
  r.Add(
      "GET", "/health", [this](const Request&, const PathParams&) { return Health(); }, Access::kPublic);
  r.Add(
      "GET", "/metrics",
      [this](const Request&, const PathParams&) {
        Response resp;
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
        resp.body = metrics_.Render();
        return resp;
      },
      Access::kPublic);
  r.Add("GET", "/api/vn30-components", [this](const Request&, const PathParams&) {
    std::string body;
    api::JsonWriter w(&body);
    w.BeginObject().Key("symbols").BeginArray();
    for (const Symbol& s : vn30_) w.String(s.view());
    w.EndArray().EndObject();
    return JsonResponse(std::move(body));
  });
  r.Add("GET", "/api/market/snapshot",
        Csv("board", "symbols", [this](const Request& q, const PathParams&) { return Snapshot(q); }));
  r.Add("GET", "/api/market/symbol/{symbol}",
        [this](const Request&, const PathParams& p) { return Symbol1(p.at("symbol")); });
  r.Add("GET", "/api/market/foreign-detail",
        Csv("foreign", "stocks", [this](const Request&, const PathParams&) { return ForeignDetail(); }));
  r.Add("GET", "/api/market/volume-stats",
        Csv("volume", "stats", [this](const Request& q, const PathParams&) { return VolumeStats(q); }));
  r.Add("GET", "/api/market/basis-trend",
        [this](const Request& q, const PathParams&) { return BasisTrend(q); });
  r.Add("GET", "/api/market/trades/{symbol}",
        Csv("trades", "trades",
            [this](const Request& q, const PathParams& p) { return Trades(q, p.at("symbol")); }));
  r.Add("GET", "/api/market/alerts",
        Csv("alerts", "", [this](const Request& q, const PathParams&) { return Alerts(q); }));
  r.Add("GET", "/api/market/orderbook/{symbol}",
        [this](const Request&, const PathParams& p) { return OrderBook(p.at("symbol")); });
  r.Add("GET", "/api/market/futures", [this](const Request&, const PathParams&) { return Futures(); });
  r.Add("GET", "/api/market/volume-profile/{symbol}",
        [this](const Request&, const PathParams& p) { return VolumeProfile(p.at("symbol")); });
  r.Add("GET", "/api/market/session", [this](const Request&, const PathParams&) { return SessionState(); });
  r.Add("GET", "/api/market/candles/{symbol}",
        [this](const Request&, const PathParams& p) { return Candles(p.at("symbol")); });
  r.Add("GET", "/api/market/sparklines", [this](const Request&, const PathParams&) { return Sparklines(); });
  r.Add("GET", "/api/market/foreign-series",
        [this](const Request&, const PathParams&) { return ForeignSeries(); });
  r.Add("GET", "/api/market/overview",
        [this](const Request&, const PathParams&) { return MarketOverviewResponse(engine_, vn30_, tape_); });
  r.Add("GET", "/api/alerts/rules", [this](const Request&, const PathParams&) { return RulesList(); });
  r.Add("POST", "/api/alerts/rules", [this](const Request& q, const PathParams&) { return RuleCreate(q); });
  r.Add("PUT", "/api/alerts/rules/{id}",
        [this](const Request& q, const PathParams& p) { return RuleUpdate(q, p.at("id")); });
  r.Add("DELETE", "/api/alerts/rules/{id}",
        [this](const Request&, const PathParams& p) { return RuleDelete(p.at("id")); });
  history_service_.Register(r);
}

Handler MarketService::Csv(std::string what, std::string rows_key, Handler json) const {
  return CsvExport(std::move(what), std::move(rows_key), std::move(json),
                   [this] { return engine_.trading_date(); });
}

Response MarketService::Health() const {
  std::string body;
  api::JsonWriter w(&body);
  const std::string feed = health_.feed_state ? health_.feed_state() : "unknown";
  const std::string store = health_.store_state ? health_.store_state() : "none";
  const bool ok = store == "ok" || store == "none";
  w.BeginObject();
  w.Field("status", ok ? "ok" : "degraded");
  w.Key("feed").BeginObject();
  w.Field("state", feed);
  w.Field("frames", static_cast<std::int64_t>(health_.frames_received ? health_.frames_received() : 0));
  const double lag = health_.feed_lag_ms ? health_.feed_lag_ms() : -1;
  w.Key("lag_ms");
  if (lag >= 0)
    w.Double(lag, 0);
  else
    w.Null();
  api::WriteMarketClock(w, engine_);
  w.EndObject();
  w.Key("store").BeginObject().Field("state", store).EndObject();
  w.Field("database", store == "none" ? "none" : ok ? "connected" : "unavailable");
  w.EndObject();
  return JsonResponse(std::move(body), 200);
}

Response MarketService::Snapshot(const Request& req) const {
  const bool unfiltered = req.query.find("symbols") == req.query.end();
  const auto now = std::chrono::steady_clock::now();
  if (unfiltered && snapshot_cache_ &&
      (snapshot_events_ == engine_.counters().events || now - snapshot_at_ < kSnapshotMaxAge)) {
    Response r;
    r.shared_body = snapshot_cache_;
    return r;
  }
  std::string body;
  body.reserve(64 << 10);
  api::JsonWriter w(&body);
  const auto symbols = ParseSymbolList(req);
  if (!symbols) return ErrorResponse(400, "bad_parameter", symbols.error());
  const std::vector<Symbol>& filter = *symbols;
  w.BeginObject();
  api::WriteMarketClock(w, engine_);
  w.Key("symbols").BeginObject();
  for (const core::SymbolState& s : engine_.symbols()) {
    if (s.kind == core::SymbolKind::kFutures) continue;
    if (!filter.empty() && std::find(filter.begin(), filter.end(), s.symbol) == filter.end()) continue;
    w.Key(s.symbol.view());
    api::WriteSymbol(w, s);
  }
  w.EndObject();
  w.Key("indices").BeginObject();
  for (const core::IndexState& i : engine_.indices()) {
    w.Key(i.id.view());
    api::WriteIndex(w, i);
  }
  w.EndObject();
  w.Key("futures").BeginArray();
  for (const core::FuturesState& f : engine_.futures()) api::WriteFutures(w, f);
  w.EndArray();
  w.Key("derivatives");
  if (const core::FuturesState* front = engine_.FrontContract())
    api::WriteFutures(w, *front);
  else
    w.Null();
  w.Key("foreign");
  api::WriteForeignSummary(w, engine_, 10);
  w.EndObject();
  if (!unfiltered) return JsonResponse(std::move(body));
  snapshot_cache_ = std::make_shared<const std::string>(std::move(body));
  snapshot_events_ = engine_.counters().events;
  snapshot_at_ = now;
  Response r;
  r.shared_body = snapshot_cache_;
  return r;
}

Response MarketService::Symbol1(const std::string& sym) const {
  Symbol s;
  if (!ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  const core::SymbolState* st = engine_.FindSymbol(s);
  if (!st)
    return ErrorResponse(404, "unknown_symbol", "no data for symbol " + std::string(s.view()) + " today",
                         "symbol");
  std::string body;
  api::JsonWriter w(&body);
  api::WriteSymbol(w, *st);
  return JsonResponse(std::move(body));
}

Response MarketService::ForeignDetail() const {
  std::string body;
  api::JsonWriter w(&body);
  w.BeginObject().Key("summary");
  api::WriteForeignSummary(w, engine_, 10);
  w.Key("stocks").BeginArray();
  for (const core::SymbolState& s : engine_.symbols()) {
    if (!s.foreign.state().has_data) continue;
    w.BeginObject().Field("symbol", s.symbol.view()).Key("foreign");
    api::WriteForeignState(w, s.foreign.state());
    w.EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(std::move(body));
}

Response MarketService::VolumeStats(const Request&) const {
  std::string body;
  api::JsonWriter w(&body);
  w.BeginObject().Key("stats").BeginArray();
  for (const core::SymbolState& s : engine_.symbols()) {
    w.BeginObject().Field("symbol", s.symbol.view()).Field("kind", core::ToString(s.kind)).Key("total");
    api::WriteFlow(w, s.total, s.multiplier);
    w.Key("sessions").BeginObject();
    for (std::size_t b = 0; b < core::kSessionBuckets; ++b) {
      w.Key(core::ToString(static_cast<core::SessionBucket>(b)));
      api::WriteFlow(w, s.buckets[b], s.multiplier);
    }
    w.EndObject().EndObject();
  }
  w.EndArray();
  w.Key("vn30");
  api::WriteFlow(w, engine_.Vn30Flow(), 1);
  w.EndObject();
  return JsonResponse(std::move(body));
}

Response MarketService::BasisTrend(const Request& req) const {
  bool bad = false;
  const auto minutes = IntParam(req, "minutes", 30, 1, 400, &bad);
  if (bad) return ErrorResponse(400, "bad_parameter", "minutes must be an integer in [1, 400]", "minutes");
  const core::FuturesState* f = engine_.FrontContract();
  auto it = req.query.find("contract");
  if (it != req.query.end() && !it->second.empty()) {
    f = engine_.FindContract(it->second);
    if (!f) return ErrorResponse(404, "unknown_contract", "no contract " + it->second + " today", "contract");
  }
  std::string body;
  api::JsonWriter w(&body);
  api::WriteBasisTrend(w, f, engine_.trading_date(), *minutes);
  return JsonResponse(std::move(body));
}

Result<AlertQuery> AlertQuery::Parse(const Request& req) {
  const auto bad_parameter = [](std::string message, std::string field) {
    return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
  };
  AlertQuery q;
  bool bad = false;
  const auto limit = IntParam(req, "limit", 50, 1, 500, &bad);
  if (bad) return bad_parameter("limit must be an integer in [1, 500]", "limit");
  q.limit = *limit;
  const auto qv = [&](const char* k) {
    auto it = req.query.find(k);
    return it == req.query.end() ? std::string() : it->second;
  };
  const std::string type = qv("type"), symbol = qv("symbol");
  std::string from = qv("from"), to = qv("to");
  for (std::string* b : {&from, &to})
    if (b->size() > 10 && (*b)[10] == ' ') (*b)[10] = 'T';
  if (!type.empty()) {
    q.type = core::ParseAlertType(type);
    if (!q.type)
      return bad_parameter(
          "type must be volume_spike, price_breakout, foreign_acceleration, basis_divergence, "
          "velocity_divergence, imbalance_extreme or user_rule",
          "type");
  }
  for (auto [name, level] :
       {std::pair{"severity", &q.severity}, std::pair{"min_severity", &q.min_severity}}) {
    const std::string v = qv(name);
    if (v.empty()) continue;
    *level = core::ParseSeverity(v);
    if (!*level) return bad_parameter(std::string(name) + " must be info, warning or critical", name);
  }
  for (auto [name, id] : {std::pair{"rule_id", &q.rule_id}, std::pair{"before_id", &q.before_id}}) {
    const std::string v = qv(name);
    if (v.empty()) continue;
    if (!IsDigits(v) || v.size() > 18)
      return bad_parameter(std::string(name) + " must be a non-negative integer", name);
    *id = std::atoll(v.c_str());
  }
  for (auto [name, v] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (!v->empty() && !ValidDateOrDateTime(*v))
      return bad_parameter(std::string(name) + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]", name);
  }
  q.symbol = symbol;
  for (char& c : q.symbol)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  q.from = from;
  q.to_bound = to.size() == 10 ? to + "T23:59:59" : to.size() == 16 ? to + ":59" : to;
  return q;
}

bool AlertQuery::Matches(std::uint64_t id, core::AlertType type_, core::Severity severity_,
                         std::int64_t rule_id_, std::string_view symbol_, std::string_view contract,
                         std::string_view alias, const std::function<std::string()>& iso_time) const {
  if (before_id > 0 && id >= static_cast<std::uint64_t>(before_id)) return false;
  if (type && type_ != *type) return false;
  if (severity && severity_ != *severity) return false;
  if (min_severity && severity_ < *min_severity) return false;
  if (rule_id >= 0 && rule_id_ != rule_id) return false;
  // A contract matches by KRX code, VN30FYYMM code or alias.
  if (!symbol.empty() && symbol_ != symbol && contract != symbol && alias != symbol) return false;
  if (!from.empty() || !to_bound.empty()) {
    // Exchange-time bounds as "YYYY-MM-DDTHH:MM:SS" text: the ISO form orders like the time itself.
    const std::string t = iso_time();
    if (!from.empty() && t < from) return false;
    if (!to_bound.empty() && t > to_bound) return false;
  }
  return true;
}

Response MarketService::Alerts(const Request& req) const {
  const auto parsed = AlertQuery::Parse(req);
  if (!parsed) return ErrorResponse(400, "bad_parameter", parsed.error());
  const AlertQuery& q = *parsed;
  std::string body;
  api::JsonWriter w(&body);
  w.BeginArray();
  const auto& alerts = engine_.recent_alerts();
  int n = 0;
  for (std::size_t i = alerts.size(); i-- > 0 && n < q.limit;) {  // newest first
    const core::Alert& a = alerts[i];
    if (!q.Matches(a.id, a.type, a.severity, a.rule_id, a.symbol.view(), a.contract.view(), a.alias,
                   [&a] { return api::ExchangeTimeText(a.time).substr(0, 19); }))
      continue;
    if (alert_deliveries_)
      api::WriteAlert(w, a, alert_deliveries_(a.id));
    else
      api::WriteAlert(w, a);
    ++n;
  }
  w.EndArray();
  return JsonResponse(std::move(body));
}

Result<std::vector<Symbol>> ParseSymbolList(const Request& req) {
  std::vector<Symbol> out;
  auto it = req.query.find("symbols");
  if (it == req.query.end() || it->second.empty()) return out;
  std::size_t start = 0;
  const std::string& list = it->second;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    Symbol s;
    if (comma > start && !ToSymbol(list.substr(start, comma - start), &s))
      return Error{ErrorCode::kInvalidArgument, "symbols: each symbol is 1-15 characters", "symbols"};
    if (comma > start) out.push_back(s);
    start = comma + 1;
  }
  return out;
}

Result<TradesQuery> TradesQuery::Parse(const Request& req) {
  bool bad = false;
  const auto limit = IntParam(req, "limit", 200, 1, static_cast<int>(TradeTape::kDefaultPerSymbol), &bad);
  if (bad) return Error{ErrorCode::kInvalidArgument, "limit must be an integer in [1, 5000]", "limit"};
  const auto min_volume = IntParam(req, "min_volume", 0, 0, 1'000'000'000, &bad);
  if (bad) return Error{ErrorCode::kInvalidArgument, "min_volume must be an integer >= 0", "min_volume"};
  TradesQuery q;
  q.limit = *limit;
  q.min_volume = *min_volume;
  if (auto it = req.query.find("before_seq"); it != req.query.end() && !it->second.empty()) {
    if (!IsDigits(it->second) || it->second.size() > 18)
      return Error{ErrorCode::kInvalidArgument, "before_seq must be a non-negative integer", "before_seq"};
    q.before_seq = std::strtoull(it->second.c_str(), nullptr, 10);
  }
  return q;
}

Response MarketService::Trades(const Request& req, const std::string& sym) const {
  const auto parsed = TradesQuery::Parse(req);
  if (!parsed) return ErrorResponse(400, "bad_parameter", parsed.error());
  const TradesQuery& q = *parsed;
  Symbol s;
  if (!ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  if (!tape_) return ErrorResponse(503, "unavailable", "no trade tape in this server");
  // A contract by KRX code, VN30FYYMM or alias: its trades are under the code the feed sent.
  std::vector<Symbol> keys{s};
  if (const core::FuturesState* f = engine_.FindContract(s.view())) {
    keys = {f->contract.krx_code, f->contract.legacy_code};
  }
  std::vector<const TapeTrade*> trades;
  bool known = engine_.FindSymbol(s) != nullptr || keys.size() > 1;
  for (const Symbol& k : keys) {
    auto part = tape_->Latest(k, static_cast<std::size_t>(q.limit), q.before_seq, Volume{q.min_volume});
    known |= !part.empty() || engine_.FindSymbol(k) != nullptr;
    trades.insert(trades.end(), part.begin(), part.end());
  }
  if (!known && std::find(vn30_.begin(), vn30_.end(), s) == vn30_.end())
    return ErrorResponse(404, "unknown_symbol", "no data for symbol " + sym + " today", "symbol");
  std::sort(trades.begin(), trades.end(),
            [](const TapeTrade* a, const TapeTrade* b) { return a->seq > b->seq; });
  if (trades.size() > static_cast<std::size_t>(q.limit)) trades.resize(static_cast<std::size_t>(q.limit));
  std::string body;
  api::JsonWriter w(&body);
  w.BeginObject().Field("symbol", keys.front().view()).Key("trades").BeginArray();
  for (const TapeTrade* t : trades) api::WriteTrade(w, t->trade, t->seq);
  w.EndArray().EndObject();
  return JsonResponse(std::move(body));
}

Response MarketService::OrderBook(const std::string& sym) const {
  Symbol s;
  if (!ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  const core::SymbolState* st = engine_.FindSymbol(s);
  if (!st) {
    if (const core::FuturesState* f = engine_.FindContract(sym))
      st = engine_.FindSymbol(f->contract.krx_code);
  }
  if (!st) return ErrorResponse(404, "unknown_symbol", "no data for symbol " + sym + " today", "symbol");
  std::string body;
  api::JsonWriter w(&body);
  api::WriteOrderBook(w, *st);
  return JsonResponse(std::move(body));
}

Response MarketService::Futures() const {
  std::string body;
  api::JsonWriter w(&body);
  w.BeginArray();
  for (const core::FuturesState& f : engine_.futures()) api::WriteFutures(w, f);
  w.EndArray();
  return JsonResponse(std::move(body));
}

Response MarketService::VolumeProfile(const std::string& sym) const {
  Symbol s;
  if (!ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  const core::SymbolState* st = engine_.FindSymbol(s);
  if (!st) return ErrorResponse(404, "unknown_symbol", "no data for symbol " + sym + " today", "symbol");
  std::string body;
  api::JsonWriter w(&body);
  api::WriteVolumeProfile(w, *st);
  return JsonResponse(std::move(body));
}

Response MarketService::Candles(const std::string& sym) const {
  Symbol s;
  if (!ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  std::string body;
  api::JsonWriter w(&body);
  if (s.view() == "VN30") {
    // Prices from the index's own minute series, flow summed over the basket (core/basket_candles.h).
    const std::vector<core::Candle> candles = core::Vn30BasketCandles(engine_);
    const auto open_minute = core::MinuteOf(engine_.market_time().time);
    w.BeginObject().Field("symbol", "VN30").Key("candles").BeginArray();
    for (const core::Candle& c : candles) api::WriteCandle(w, c, c.minute < open_minute);
    w.EndArray().EndObject();
    return JsonResponse(std::move(body));
  }
  const core::SymbolState* st = engine_.FindSymbol(s);
  if (!st) {
    if (const core::FuturesState* f = engine_.FindContract(sym))
      st = engine_.FindSymbol(f->contract.krx_code);
  }
  if (!st) return ErrorResponse(404, "unknown_symbol", "no data for symbol " + sym + " today", "symbol");
  w.BeginObject().Field("symbol", st->symbol.view()).Key("candles").BeginArray();
  for (std::size_t i = 0; i < st->candles.closed().size(); ++i)
    api::WriteCandle(w, st->candles.closed()[i], true);
  if (st->candles.open_candle()) api::WriteCandle(w, *st->candles.open_candle(), false);
  w.EndArray().EndObject();
  return JsonResponse(std::move(body));
}

Response MarketService::Sparklines() const {
  std::string body;
  api::JsonWriter w(&body);
  api::WriteSparklines(w, engine_);
  return JsonResponse(std::move(body));
}

// Cumulative VN30 foreign flow per minute today, kept by the engine (rebuilt with the day on a restart).
Response MarketService::ForeignSeries() const {
  std::string body;
  api::JsonWriter w(&body);
  api::WriteForeignSeries(w, engine_);
  return JsonResponse(std::move(body));
}

Response MarketService::SessionState() const {
  std::string body;
  api::JsonWriter w(&body);
  w.BeginObject();
  api::WriteMarketClock(w, engine_);
  w.EndObject();
  return JsonResponse(std::move(body));
}

std::optional<Response> MarketService::CheckWebhook(const core::AlertRule& r) const {
  if (r.webhook_url.empty() || !webhook_check_) return std::nullopt;
  const Status checked = webhook_check_(r.webhook_url);
  if (checked) return std::nullopt;
  return ErrorResponse(400, "bad_parameter", "webhook_url: " + checked.error().message, "webhook_url");
}

bool MarketService::KnownRuleSymbol(std::string_view sym) const {
  if (sym == "*") return true;
  std::string up(sym);
  for (char& c : up)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  Symbol s;
  if (!Symbol::Make(up, &s)) return false;
  if (engine_.FindSymbol(s) != nullptr || engine_.FindIndex(up) != nullptr ||
      engine_.FindContract(up) != nullptr)
    return true;
  if (std::find(vn30_.begin(), vn30_.end(), s) != vn30_.end()) return true;
  // The exchanges' index ids, before their first frame of the day.
  static constexpr std::string_view kIndexIds[] = {"VN30",       "VNINDEX",       "VN100",       "VNMIDCAP",
                                                   "VNSMALLCAP", "VNALLSHARE",    "VNXALLSHARE", "HNXINDEX",
                                                   "HNX30",      "HNXUPCOMINDEX", "UPCOMINDEX"};
  if (std::find(std::begin(kIndexIds), std::end(kIndexIds), std::string_view(up)) != std::end(kIndexIds))
    return true;
  // A futures contract listed today (KRX code, VN30FYYMM or alias), before its first frame.
  Date d = engine_.trading_date();
  if (!d.valid()) {
    const auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    d = VietnamTimeOf(now_s).date;
  }
  return core::ResolveContract(up, d, core::HolidayCalendar::Vietnam()).has_value();
}

Response MarketService::UnknownRuleSymbol(std::string_view sym) const {
  return ErrorResponse(
      400, "unknown_symbol",
      "symbol '" + std::string(sym) +
          "' is not a VN30 stock, a symbol traded today, an index id, a listed futures code or "
          "alias (VN30F1M, VN30F2M, VN30F1Q, VN30F2Q), or \"*\"",
      "symbol");
}

Response MarketService::RulesList() const {
  std::string body;
  api::JsonWriter w(&body);
  w.BeginArray();
  for (const core::AlertRule& r : engine_.Rules()) api::WriteRule(w, r);
  w.EndArray();
  return JsonResponse(std::move(body));
}

Response MarketService::RuleCreate(const Request& req) {
  auto rule = ParseRuleJson(req.body);
  if (!rule) return ErrorResponse(400, "bad_parameter", rule.error());
  if (!KnownRuleSymbol(rule->symbol)) return UnknownRuleSymbol(rule->symbol);
  if (auto bad = CheckWebhook(*rule)) return *bad;
  if (engine_.Rules().size() >= max_rules_)
    return ErrorResponse(409, "rule_limit",
                         "at most " + std::to_string(max_rules_) + " rules (--max-rules); delete one first");
  rule->id = 0;
  if (rules_.create) {
    // Persist first: the store assigns the id the engine keeps (rules survive a restart).
    const auto stored = rules_.create(*rule);
    if (!stored) return ErrorResponse(503, "store_unavailable", "rule not saved: " + stored.error().message);
    rule->id = *stored;
  }
  const auto id = engine_.AddRule(*rule);
  if (!id) {
    // The engine refused what the store kept: take it back out (best effort, the answer is the refusal).
    if (rules_.remove) static_cast<void>(rules_.remove(rule->id));
    return ErrorResponse(400, "bad_parameter", id.error().message, "rule");
  }
  for (const core::AlertRule& r : engine_.Rules()) {
    if (r.id != *id) continue;
    std::string body;
    api::JsonWriter w(&body);
    api::WriteRule(w, r);
    return JsonResponse(std::move(body), 201);
  }
  return ErrorResponse(500, "internal", "rule vanished");
}

Response MarketService::RuleUpdate(const Request& req, const std::string& id) {
  if (!IsDigits(id) || id.size() > 15)
    return ErrorResponse(400, "bad_parameter", "id must be a positive integer", "id");
  auto rule = ParseRuleJson(req.body);
  if (!rule) return ErrorResponse(400, "bad_parameter", rule.error());
  if (!KnownRuleSymbol(rule->symbol)) return UnknownRuleSymbol(rule->symbol);
  if (auto bad = CheckWebhook(*rule)) return *bad;
  rule->id = std::atoll(id.c_str());
  bool exists = false;
  for (const core::AlertRule& r : engine_.Rules()) exists |= r.id == rule->id;
  if (!exists) return ErrorResponse(404, "unknown_rule", "no rule " + id, "id");
  if (const Status updated = engine_.UpdateRule(*rule); !updated)
    return ErrorResponse(400, "bad_parameter", updated.error().message, "rule");
  // The engine's copy is the normalised one (upper-case symbol): store and answer that.
  for (const core::AlertRule& r : engine_.Rules()) {
    if (r.id == rule->id) *rule = r;
  }
  if (rules_.update) {
    if (const Status saved = rules_.update(*rule); !saved)
      return ErrorResponse(503, "store_unavailable", "rule not saved: " + saved.error().message);
  }
  std::string body;
  api::JsonWriter w(&body);
  api::WriteRule(w, *rule);
  return JsonResponse(std::move(body));
}

Response MarketService::RuleDelete(const std::string& id) {
  if (!IsDigits(id) || id.size() > 15)
    return ErrorResponse(400, "bad_parameter", "id must be a positive integer", "id");
  if (!engine_.RemoveRule(std::atoll(id.c_str())))
    return ErrorResponse(404, "unknown_rule", "no rule " + id, "id");
  if (rules_.remove) {
    if (const Status removed = rules_.remove(std::atoll(id.c_str())); !removed)
      return ErrorResponse(503, "store_unavailable",
                           "rule not deleted from the store: " + removed.error().message);
  }
  Response r;
  r.status = 204;
  return r;
}

}  // namespace vnt::server
