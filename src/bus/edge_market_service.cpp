#include "bus/edge_market_service.h"

#include <algorithm>
#include <cstdlib>

#include "api/json_patch.h"
#include "core/alerts.h"
#include "server/history_service.h"
#include "server/market_service.h"

namespace vnt::bus {

using server::ErrorResponse;
using server::JsonResponse;
using server::PathParams;
using server::Request;
using server::Response;
using server::WsChannel;
using Members = std::vector<std::pair<std::string_view, std::string_view>>;

namespace {

std::string_view Unquote(std::string_view v) {
  return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : std::string_view();
}

std::string_view Member(const Members& m, std::string_view key) {
  for (const auto& [k, v] : m)
    if (k == key) return v;
  return {};
}

void Key(std::string* out, std::string_view k) {
  out->push_back('"');
  out->append(k);
  out->append("\":");
}

Response EngineOnlyResponse(const std::string& path) {
  return ErrorResponse(503, "engine_only",
                       path +
                           " is answered by the engine node (vntracker serve), not by an edge: the channels "
                           "an edge follows do not carry it");
}

Response Unsynced(WsChannel c) {
  return ErrorResponse(503, "unavailable",
                       "this edge holds no state of the " + std::string(server::ToString(c)) +
                           " channel yet (following the engine); retry, or ask the engine node");
}

}  // namespace

const std::vector<std::string>& EdgeMarketService::EngineOnly() {
  static const std::vector<std::string> kPaths = {
      "candles/{symbol}", "sparklines", "volume-profile/{symbol}", "volume-stats", "basis-trend",
      "foreign-series",   "overview"};
  return kPaths;
}

EdgeMarketService::EdgeMarketService(EdgeSource& source, std::vector<Symbol> vn30, EdgeState::Limits limits)
    : source_(source), vn30_(std::move(vn30)), state_(limits) {}

void EdgeMarketService::Register(server::Router& r) {
  const auto date = [this] { return TradingDate(); };
  r.Add("GET", "/api/market/snapshot",
        server::CsvExport(
            "board", "symbols", [this](const Request& q, const PathParams&) { return Snapshot(q); }, date));
  r.Add("GET", "/api/market/symbol/{symbol}",
        [this](const Request&, const PathParams& p) { return Symbol1(p.at("symbol")); });
  r.Add(
      "GET", "/api/market/foreign-detail",
      server::CsvExport(
          "foreign", "stocks", [this](const Request&, const PathParams&) { return ForeignDetail(); }, date));
  r.Add("GET", "/api/market/trades/{symbol}",
        server::CsvExport(
            "trades", "trades",
            [this](const Request& q, const PathParams& p) { return Trades(q, p.at("symbol")); }, date));
  r.Add("GET", "/api/market/alerts",
        server::CsvExport(
            "alerts", "", [this](const Request& q, const PathParams&) { return Alerts(q); }, date));
  r.Add("GET", "/api/market/orderbook/{symbol}",
        [this](const Request&, const PathParams& p) { return OrderBook(p.at("symbol")); });
  r.Add("GET", "/api/market/futures", [this](const Request&, const PathParams&) { return Futures(); });
  r.Add("GET", "/api/market/session", [this](const Request&, const PathParams&) { return Session(); });
  for (const std::string& p : EngineOnly()) {
    const std::string path = "/api/market/" + p.substr(0, p.find('/'));
    r.Add("GET", "/api/market/" + p,
          [path](const Request&, const PathParams&) { return EngineOnlyResponse(path); });
  }
}

std::optional<Response> EdgeMarketService::Need(std::initializer_list<WsChannel> channels) {
  state_.Follow(source_);
  for (WsChannel c : channels)
    if (!state_.ready(c)) return Unsynced(c);
  return std::nullopt;
}

Date EdgeMarketService::TradingDate() const {
  const std::string_view d = Unquote(state_.header().trading_date);
  if (d.size() != 10) return Date{};
  return Date::Of(std::atoi(std::string(d.substr(0, 4)).c_str()),
                  std::atoi(std::string(d.substr(5, 2)).c_str()),
                  std::atoi(std::string(d.substr(8, 2)).c_str()));
}

void EdgeMarketService::AppendForeignSummary(std::string* out) const {
  // As api::WriteForeignSummary(engine, 10): the VN30 totals (the foreign channel's, plus how many basket
  // symbols have foreign data), the top 10 net buyers and sellers among the VN30 (core:
  // foreign_top_vn30_only) and every symbol's foreign flow in engine order.
  struct Rank {
    std::string symbol;
    std::string_view net_vol, net_val;
    std::int64_t val = 0;
  };
  std::vector<Rank> rows;
  int vn30_symbols = 0;
  Members m;
  for (const auto& [sym, text] : state_.foreign_symbols().members()) {
    const std::string* market = state_.symbols().Find(sym);
    if (market == nullptr || market->find("\"kind\":\"vn30\"") == std::string::npos) continue;
    ++vn30_symbols;
    if (!api::SplitMembers(text, &m)) continue;
    Rank r{sym, Member(m, "net_vol"), Member(m, "net_val"), 0};
    r.val = std::strtoll(std::string(r.net_val).c_str(), nullptr, 10);
    rows.push_back(r);
  }
  const auto ranks = [&](std::string_view key, bool buyers) {
    std::vector<const Rank*> v;
    for (const Rank& r : rows)
      if (buyers ? r.val > 0 : r.val < 0) v.push_back(&r);
    std::sort(v.begin(), v.end(), [buyers](const Rank* a, const Rank* b) {
      if (a->val != b->val) return buyers ? a->val > b->val : a->val < b->val;
      return a->symbol < b->symbol;
    });
    if (v.size() > 10) v.resize(10);
    Key(out, key);
    out->push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out->push_back(',');
      out->append("{\"symbol\":\"").append(v[i]->symbol).append("\",\"net_vol\":");
      out->append(v[i]->net_vol).append(",\"net_val\":").append(v[i]->net_val).push_back('}');
    }
    out->push_back(']');
  };
  out->push_back('{');
  Key(out, "vn30");
  const std::string& vn30 = state_.foreign_vn30();
  out->append(vn30, 0, vn30.size() - 1);
  out->append(",\"symbols\":").append(std::to_string(vn30_symbols)).append("},");
  ranks("top_buyers", true);
  out->push_back(',');
  ranks("top_sellers", false);
  out->push_back(',');
  Key(out, "symbols");
  state_.foreign_symbols().AppendText(out);
  out->push_back('}');
}

Response EdgeMarketService::Snapshot(const Request& req) {
  if (auto bad = Need({WsChannel::kMarket, WsChannel::kForeign})) return *bad;
  const bool unfiltered = req.query.find("symbols") == req.query.end();
  if (unfiltered && snapshot_version_ == state_.version()) return JsonResponse(snapshot_cache_);
  const auto symbols = server::ParseSymbolList(req);
  if (!symbols) return ErrorResponse(400, "bad_parameter", symbols.error());
  const std::vector<Symbol>& filter = *symbols;
  std::string body;
  body.reserve(64 << 10);
  const EdgeHeader& h = state_.header();
  body.append("{\"trading_date\":").append(h.trading_date);
  body.append(",\"exchange_time\":").append(h.exchange_time);
  body.append(",\"session\":").append(h.session);
  body.append(",\"symbols\":{");
  bool first = true;
  for (const auto& [sym, text] : state_.symbols().members()) {
    if (!filter.empty() && std::find_if(filter.begin(), filter.end(), [&sym = sym](const Symbol& s) {
                             return s.view() == sym;
                           }) == filter.end())
      continue;
    if (!first) body.push_back(',');
    first = false;
    Key(&body, sym);
    body.append(text);  // current at every tick: foreign changes re-send the symbol too
  }
  body.append("},\"indices\":");
  state_.indices().AppendText(&body);
  body.append(",\"futures\":[");
  const std::string* front = nullptr;
  for (std::size_t i = 0; i < state_.futures().size(); ++i) {
    if (i) body.push_back(',');
    body.append(state_.futures()[i]);
    if (!front && state_.futures()[i].find("\"front\":true") != std::string::npos)
      front = &state_.futures()[i];
  }
  body.append("],\"derivatives\":").append(front ? *front : "null");
  body.append(",\"foreign\":");
  AppendForeignSummary(&body);
  body.push_back('}');
  if (!unfiltered) return JsonResponse(std::move(body));
  snapshot_cache_ = body;
  snapshot_version_ = state_.version();
  return JsonResponse(std::move(body));
}

Response EdgeMarketService::Symbol1(const std::string& sym) {
  Symbol s;
  if (!server::ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  if (auto bad = Need({WsChannel::kMarket, WsChannel::kForeign})) return *bad;
  const std::string key(s.view());
  if (const std::string* text = state_.symbols().Find(key)) return JsonResponse(*text);
  // Futures symbols (the feed's code of a contract) are not on the market channel (their contracts are); an
  // alias names no symbol on the engine either.
  if (state_.FindContract(key, false) >= 0) return EngineOnlyResponse("/api/market/symbol/" + key);
  return ErrorResponse(404, "unknown_symbol", "no data for symbol " + key + " today", "symbol");
}

Response EdgeMarketService::Futures() {
  if (auto bad = Need({WsChannel::kMarket})) return *bad;
  std::string body = "[";
  for (std::size_t i = 0; i < state_.futures().size(); ++i) {
    if (i) body.push_back(',');
    body.append(state_.futures()[i]);
  }
  body.push_back(']');
  return JsonResponse(std::move(body));
}

Response EdgeMarketService::ForeignDetail() {
  if (auto bad = Need({WsChannel::kMarket, WsChannel::kForeign})) return *bad;
  std::string body = "{\"summary\":";
  AppendForeignSummary(&body);
  body.append(",\"stocks\":[");
  bool first = true;
  for (const auto& [sym, text] : state_.foreign_symbols().members()) {
    if (!first) body.push_back(',');
    first = false;
    body.append("{\"symbol\":\"").append(sym).append("\",\"foreign\":").append(text).push_back('}');
  }
  body.append("]}");
  return JsonResponse(std::move(body));
}

Response EdgeMarketService::Alerts(const Request& req) {
  const auto parsed = server::AlertQuery::Parse(req);  // the engine node's parameters, errors and matching
  if (!parsed) return ErrorResponse(400, "bad_parameter", parsed.error());
  const server::AlertQuery& q = *parsed;
  if (auto unsynced = Need({WsChannel::kAlerts})) return *unsynced;
  std::string body = "[";
  const auto& alerts = state_.alerts();
  int n = 0;
  for (std::size_t i = alerts.size(); i-- > 0 && n < q.limit;) {  // newest first
    const EdgeState::Alert& a = alerts[i];
    const auto type = core::ParseAlertType(a.type);
    const auto severity = core::ParseSeverity(a.severity);
    if (!type || !severity) continue;
    if (!q.Matches(a.id, *type, *severity, a.rule_id, a.symbol, a.contract, a.alias, [&a] { return a.time; }))
      continue;
    if (n > 0) body.push_back(',');
    // The engine node adds the deliveries it knows of; none reach an edge.
    body.append(a.text, 0, a.text.size() - 1).append(",\"deliveries\":[]}");
    ++n;
  }
  body.push_back(']');
  return JsonResponse(std::move(body));
}

Response EdgeMarketService::Trades(const Request& req, const std::string& sym) {
  const auto parsed = server::TradesQuery::Parse(req);
  if (!parsed) return ErrorResponse(400, "bad_parameter", parsed.error());
  const server::TradesQuery& q = *parsed;
  Symbol s;
  if (!server::ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  if (auto unsynced = Need({WsChannel::kMarket, WsChannel::kTrades})) return *unsynced;
  // A contract by KRX code, VN30FYYMM or alias: its trades are under the code the feed sent.
  std::vector<std::string> keys{std::string(s.view())};
  if (const int f = state_.FindContract(s.view()); f >= 0) {
    Members m;
    api::SplitMembers(state_.futures()[static_cast<std::size_t>(f)], &m);
    keys = {std::string(Unquote(Member(m, "krx_code"))), std::string(Unquote(Member(m, "symbol")))};
  }
  std::vector<const EdgeState::Trade*> trades;
  bool known = state_.symbols().Find(keys.front()) != nullptr || keys.size() > 1;
  for (const std::string& k : keys) {
    bool exact = true;
    auto part = state_.Latest(k, static_cast<std::size_t>(q.limit), q.before_seq, q.min_volume, &exact);
    if (!exact)
      return ErrorResponse(503, "unavailable",
                           "this edge holds the newest trades of " + k +
                               " only (since it started following); ask the engine node for older ones");
    known |= !part.empty() || state_.symbols().Find(k) != nullptr;
    trades.insert(trades.end(), part.begin(), part.end());
  }
  if (!known && std::find(vn30_.begin(), vn30_.end(), s) == vn30_.end())
    return ErrorResponse(404, "unknown_symbol", "no data for symbol " + sym + " today", "symbol");
  std::sort(trades.begin(), trades.end(),
            [](const EdgeState::Trade* a, const EdgeState::Trade* b) { return a->seq > b->seq; });
  if (trades.size() > static_cast<std::size_t>(q.limit)) trades.resize(static_cast<std::size_t>(q.limit));
  std::string body = "{\"symbol\":\"" + keys.front() + "\",\"trades\":[";
  for (std::size_t i = 0; i < trades.size(); ++i) {
    if (i) body.push_back(',');
    body.append(trades[i]->text);
  }
  body.append("]}");
  return JsonResponse(std::move(body));
}

Response EdgeMarketService::OrderBook(const std::string& sym) {
  Symbol s;
  if (!server::ToSymbol(sym, &s))
    return ErrorResponse(400, "bad_parameter", "symbol must be 1-15 characters", "symbol");
  if (auto bad = Need({WsChannel::kMarket})) return *bad;
  const std::string* text = state_.symbols().Find(s.view());
  if (text == nullptr) {
    // A contract's book is the engine's futures symbol, which the market channel does not carry.
    if (state_.FindContract(s.view()) >= 0) return EngineOnlyResponse("/api/market/orderbook/" + sym);
    return ErrorResponse(404, "unknown_symbol", "no data for symbol " + sym + " today", "symbol");
  }
  Members m;
  if (!api::SplitMembers(*text, &m)) return ErrorResponse(500, "internal", "unreadable market state");
  // api::WriteOrderBook: the symbol's own "symbol", "time", "bid" and "ask".
  std::string body = "{";
  for (const char* key : {"symbol", "time", "bid", "ask"}) {
    if (body.size() > 1) body.push_back(',');
    Key(&body, key);
    body.append(Member(m, key));
  }
  body.push_back('}');
  return JsonResponse(std::move(body));
}

Response EdgeMarketService::Session() {
  if (auto bad = Need({WsChannel::kMarket})) return *bad;
  const EdgeHeader& h = state_.header();
  return JsonResponse("{\"trading_date\":" + h.trading_date + ",\"exchange_time\":" + h.exchange_time +
                      ",\"session\":" + h.session + "}");
}

}  // namespace vnt::bus
