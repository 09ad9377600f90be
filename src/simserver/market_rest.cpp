#include "simserver/market_rest.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

namespace vnt::simserver {

namespace {

// One "Key": value of an item; every value is a JSON string or null (SSI sends numbers as strings), or
// raw JSON (nested arrays).
struct Field {
  const char* key;
  std::optional<std::string> value;
  bool raw = false;
};

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Item(std::initializer_list<Field> fields) {
  std::string out = "{";
  for (const Field& f : fields) {
    if (out.size() > 1) out += ',';
    out += Quote(f.key) + ":";
    out += !f.value ? std::string("null") : f.raw ? *f.value : Quote(*f.value);
  }
  return out + "}";
}

std::string Num(std::int64_t v) { return std::to_string(v); }
std::string Num(Fixed4 v) { return ToString(v); }
std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}
std::string Dmy(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day(), d.month(), d.year());
  return buf;
}
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool ParseDmy(const std::string& s, Date* out) {
  int d = 0, m = 0, y = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%2d/%2d/%4d%c", &d, &m, &y, &tail) != 3) return false;
  if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1990 || y > 2100) return false;
  *out = Date::Of(y, m, d);
  return true;
}

// A list request's paging, date range and order; `error` set when a parameter is invalid.
struct ListQuery {
  int page_index = 1, page_size = 10;
  bool ascending = false;
  Date from, to;
  std::string error;
};

ListQuery ReadQuery(const Params& p, bool dates_required) {
  ListQuery q;
  if (auto v = p.Get("pageIndex")) {
    q.page_index = std::atoi(v->c_str());
    if (q.page_index < 1 || q.page_index > 10 || *v != std::to_string(q.page_index)) {
      q.error = "pageIndex must be 1-10";
    }
  }
  if (auto v = p.Get("pageSize")) {
    q.page_size = std::atoi(v->c_str());
    static const int kSizes[] = {10, 20, 50, 100, 500, 1000};
    if (std::find(std::begin(kSizes), std::end(kSizes), q.page_size) == std::end(kSizes) ||
        *v != std::to_string(q.page_size)) {
      q.error = "pageSize must be one of 10, 20, 50, 100, 500, 1000";
    }
  }
  if (auto v = p.Get("ascending")) q.ascending = Upper(*v) == "TRUE";
  const auto from = p.Get("fromDate"), to = p.Get("toDate");
  if (dates_required && (!from || !to)) q.error = "fromDate and toDate are required (dd/MM/yyyy)";
  if (from && !ParseDmy(*from, &q.from)) q.error = "fromDate must be dd/MM/yyyy";
  if (to && !ParseDmy(*to, &q.to)) q.error = "toDate must be dd/MM/yyyy";
  if (q.error.empty() && q.from.valid() && q.to.valid() && q.to < q.from) q.error = "fromDate is after toDate";
  return q;
}

bool Covers(const ListQuery& q, Date d) {
  return (!q.from.valid() || !(d < q.from)) && (!q.to.valid() || !(q.to < d));
}

// The requested page of items, in the envelope.
std::string Page(const std::vector<std::string>& items, const ListQuery& q) {
  std::string data = "[";
  const std::size_t begin = static_cast<std::size_t>(q.page_index - 1) * static_cast<std::size_t>(q.page_size);
  for (std::size_t i = begin; i < items.size() && i < begin + static_cast<std::size_t>(q.page_size); ++i) {
    if (data.size() > 1) data += ',';
    data += items[i];
  }
  return Envelope(data + "]", static_cast<std::int64_t>(items.size()));
}

}  // namespace

bool MarketRest::Handle(std::string_view name, const Params& params, std::string* body) const {
  if (name == "securities") *body = Securities(params);
  else if (name == "securitiesdetails") *body = SecuritiesDetails(params);
  else if (name == "indexcomponents") *body = IndexComponents(params);
  else if (name == "indexlist") *body = IndexList(params);
  else if (name == "dailyohlc") *body = DailyOhlc(params);
  else if (name == "intradayohlc") *body = IntradayOhlc(params);
  else if (name == "dailyindex") *body = DailyIndex(params);
  else if (name == "dailystockprice") *body = DailyStockPrice(params);
  else return false;
  return true;
}

const core::SymbolState* MarketRest::Find(std::string_view symbol) const {
  std::string sym = Upper(symbol);
  // Continuous aliases (VN30F1M ...) resolve to today's contract, as SSI's own examples use them.
  for (const sim::FuturesInfo& f : sim_.futures()) {
    if (sym == ToString(f.listed.alias) || sym == f.listed.contract.legacy_code.str()) sym = f.symbol.str();
  }
  Symbol s;
  if (!Symbol::Make(sym, &s)) return nullptr;
  return engine_.FindSymbol(s);
}

std::string MarketRest::Securities(const Params& p) const {
  ListQuery q = ReadQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string market = Upper(p.Get("market").value_or(""));
  std::vector<std::string> items;
  if (market.empty() || market == "HOSE") {
    for (const sim::StockInfo& s : sim_.stocks()) {
      items.push_back(Item({{"Market", "HOSE"}, {"Symbol", s.symbol.str()}, {"StockName", s.name},
                            {"StockEnName", s.en_name}}));
    }
  }
  if (market.empty() || market == "DER") {
    for (const sim::FuturesInfo& f : sim_.futures()) {
      items.push_back(Item({{"Market", "DER"}, {"Symbol", f.symbol.str()}, {"StockName", f.name},
                            {"StockEnName", f.name}}));
    }
  }
  return Page(items, q);
}

std::string MarketRest::SecuritiesDetails(const Params& p) const {
  ListQuery q = ReadQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string market = Upper(p.Get("market").value_or(""));
  const std::string symbol = Upper(p.Get("symbol").value_or(""));
  std::vector<std::string> infos;
  const Date day = sim_.config().date;
  if (market.empty() || market == "HOSE") {
    for (const sim::StockInfo& s : sim_.stocks()) {
      if (!symbol.empty() && symbol != s.symbol.str()) continue;
      infos.push_back(Item({{"Isin", s.symbol.str()}, {"Symbol", s.symbol.str()}, {"SymbolName", s.name},
                            {"SymbolEngName", s.en_name}, {"SecType", "S"}, {"MarketId", "HOSE"},
                            {"Exchange", "HOSE"}, {"Issuer", std::nullopt}, {"LotSize", "100"},
                            {"IssueDate", std::nullopt}, {"MaturityDate", std::nullopt},
                            {"FirstTradingDate", std::nullopt}, {"LastTradingDate", std::nullopt},
                            {"ContractMultiplier", std::nullopt}, {"SettlMethod", std::nullopt},
                            {"Underlying", std::nullopt}, {"PutOrCall", std::nullopt},
                            {"ExercisePrice", std::nullopt}, {"ExerciseStyle", std::nullopt},
                            {"ExcerciseRatio", std::nullopt}, {"ListedShare", Num(s.shares)},
                            {"TickPrice1", "0"}, {"TickIncrement1", "10"}, {"TickPrice2", "10000"},
                            {"TickIncrement2", "50"}, {"TickPrice3", "50000"}, {"TickIncrement3", "100"},
                            {"TickPrice4", std::nullopt}, {"TickIncrement4", std::nullopt}}));
    }
  }
  if (market.empty() || market == "DER") {
    for (const sim::FuturesInfo& f : sim_.futures()) {
      if (!symbol.empty() && symbol != f.symbol.str()) continue;
      const std::string ltd = Dmy(f.listed.contract.last_trading_day);
      infos.push_back(Item({{"Isin", f.symbol.str()}, {"Symbol", f.symbol.str()}, {"SymbolName", f.name},
                            {"SymbolEngName", f.name}, {"SecType", "FU"}, {"MarketId", "DER"},
                            {"Exchange", "HNX"}, {"Issuer", std::nullopt}, {"LotSize", "1"},
                            {"IssueDate", std::nullopt}, {"MaturityDate", ltd}, {"FirstTradingDate", std::nullopt},
                            {"LastTradingDate", ltd}, {"ContractMultiplier", "100000"}, {"SettlMethod", "C"},
                            {"Underlying", "VN30"}, {"PutOrCall", std::nullopt}, {"ExercisePrice", std::nullopt},
                            {"ExerciseStyle", std::nullopt}, {"ExcerciseRatio", std::nullopt},
                            {"ListedShare", std::nullopt}, {"TickPrice1", "0"}, {"TickIncrement1", "0.1"},
                            {"TickPrice2", std::nullopt}, {"TickIncrement2", std::nullopt},
                            {"TickPrice3", std::nullopt}, {"TickIncrement3", std::nullopt},
                            {"TickPrice4", std::nullopt}, {"TickIncrement4", std::nullopt}}));
    }
  }
  std::vector<std::string> page;
  const std::size_t begin = static_cast<std::size_t>(q.page_index - 1) * static_cast<std::size_t>(q.page_size);
  std::string repeated = "[";
  for (std::size_t i = begin; i < infos.size() && i < begin + static_cast<std::size_t>(q.page_size); ++i) {
    repeated += (repeated.size() > 1 ? "," : "") + infos[i];
  }
  repeated += "]";
  const std::string item = Item({{"RType", "y"}, {"ReportDate", Dmy(day)}, {"TotalNoSym", Num(std::int64_t(infos.size()))},
                                 {"RepeatedInfo", repeated, true}});
  return Envelope("[" + item + "]", 1);
}

std::string MarketRest::IndexComponents(const Params& p) const {
  ListQuery q = ReadQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const auto code = p.Get("indexCode");
  if (!code || code->empty()) return ErrorEnvelope("indexCode is required");
  std::vector<std::string> items;
  for (const sim::IndexInfo& idx : sim_.indices()) {
    if (Upper(*code) != Upper(idx.id.view())) continue;
    std::string comps = "[";
    for (const Symbol& s : idx.components) {
      comps += (comps.size() > 1 ? "," : "") + Item({{"Isin", s.str()}, {"StockSymbol", s.str()}});
    }
    comps += "]";
    items.push_back(Item({{"IndexCode", idx.id.str()}, {"IndexName", idx.name}, {"Exchange", idx.exchange},
                          {"TotalSymbolNo", Num(std::int64_t(idx.components.size()))},
                          {"IndexComponent", comps, true}}));
  }
  return Page(items, q);
}

std::string MarketRest::IndexList(const Params& p) const {
  ListQuery q = ReadQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string exchange = Upper(p.Get("exchange").value_or(""));
  std::vector<std::string> items;
  for (const sim::IndexInfo& idx : sim_.indices()) {
    if (!exchange.empty() && exchange != Upper(idx.exchange)) continue;
    items.push_back(Item({{"IndexCode", idx.id.str()}, {"IndexName", idx.name}, {"Exchange", idx.exchange}}));
  }
  return Page(items, q);
}

std::string MarketRest::DailyOhlc(const Params& p) const {
  ListQuery q = ReadQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const auto symbol = p.Get("symbol");
  if (!symbol || symbol->empty()) return ErrorEnvelope("symbol is required");
  std::vector<std::string> items;
  const core::SymbolState* s = Find(*symbol);
  const Date day = engine_.trading_date();
  if (s && s->open.raw > 0 && Covers(q, day)) {
    items.push_back(Item({{"Symbol", s->symbol.str()},
                          {"Market", s->kind == core::SymbolKind::kFutures ? "DER" : "HOSE"},
                          {"TradingDate", Dmy(day)}, {"Time", std::nullopt}, {"Open", Num(s->open)},
                          {"High", Num(s->high)}, {"Low", Num(s->low)}, {"Close", Num(s->last)},
                          {"Volume", Num(s->total.volume())}, {"Value", Num(s->total.value())}}));
  }
  return Page(items, q);
}

std::string MarketRest::IntradayOhlc(const Params& p) const {
  ListQuery q = ReadQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const auto symbol = p.Get("symbol");
  if (!symbol || symbol->empty()) return ErrorEnvelope("symbol is required");
  std::vector<std::string> items;
  const core::SymbolState* s = Find(*symbol);
  if (s) {
    for (const core::Candle& c : candles_.candles()) {
      if (c.symbol != s->symbol || !Covers(q, c.date)) continue;
      // As in SSI's samples, Value carries the bar's price and Time the bar's last second.
      items.push_back(Item({{"Symbol", c.symbol.str()}, {"Value", Num(c.close)}, {"TradingDate", Dmy(c.date)},
                            {"Time", ToString(TimeOfDay{c.minute + 59})}, {"Open", Num(c.open)},
                            {"High", Num(c.high)}, {"Low", Num(c.low)}, {"Close", Num(c.close)},
                            {"Volume", Num(c.volume)}}));
    }
  }
  if (!q.ascending) std::reverse(items.begin(), items.end());  // newest first, like the samples
  return Page(items, q);
}

std::string MarketRest::DailyIndex(const Params& p) const {
  ListQuery q = ReadQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const auto id = p.Get("indexId");
  if (!id || id->empty()) return ErrorEnvelope("indexId is required");
  std::vector<std::string> items;
  const core::IndexState* idx = engine_.FindIndex(Upper(*id));
  const Date day = engine_.trading_date();
  if (idx && idx->value.raw > 0 && Covers(q, day)) {
    std::string name = idx->feed_id.str();
    for (const sim::IndexInfo& info : sim_.indices()) {
      if (info.id == idx->id) name = info.name;
    }
    items.push_back(Item({{"IndexId", idx->feed_id.str()}, {"IndexValue", Num(idx->value)}, {"TradingDate", Dmy(day)},
                          {"Time", ToString(idx->updated.time)}, {"Change", Num(idx->change)},
                          {"RatioChange", Pct(idx->change_pct)}, {"TotalTrade", Num(idx->total_trade)},
                          {"TotalMatchVol", Num(idx->total_qtty)}, {"TotalMatchVal", Num(idx->total_value)},
                          {"TypeIndex", "Main"}, {"IndexName", name}, {"Advances", Num(std::int64_t(idx->advances))},
                          {"NoChanges", Num(std::int64_t(idx->no_changes))},
                          {"Declines", Num(std::int64_t(idx->declines))}, {"Ceilings", Num(std::int64_t(idx->ceilings))},
                          {"Floors", Num(std::int64_t(idx->floors))}, {"TotalDealVol", Num(idx->total_qtty_pt)},
                          {"TotalDealVal", Num(idx->total_value_pt)},
                          {"TotalVol", Num(idx->total_qtty + idx->total_qtty_pt)},
                          {"TotalVal", Num(idx->total_value + idx->total_value_pt)},
                          {"TradingSession", std::string(ToString(idx->session))}}));
  }
  return Page(items, q);
}

std::string MarketRest::DailyStockPrice(const Params& p) const {
  ListQuery q = ReadQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string symbol = p.Get("symbol").value_or("");
  const std::string market = Upper(p.Get("market").value_or(""));
  const Date day = engine_.trading_date();
  std::vector<std::string> items;
  if (!Covers(q, day)) return Page(items, q);
  const core::SymbolState* only = symbol.empty() ? nullptr : Find(symbol);
  if (!symbol.empty() && !only) return Page(items, q);
  for (const core::SymbolState& s : engine_.symbols()) {
    if (only && &s != only) continue;
    const bool fut = s.kind == core::SymbolKind::kFutures;
    if (!market.empty() && market != (fut ? "DER" : "HOSE")) continue;
    if (s.ref.raw <= 0) continue;
    const core::ForeignState& f = s.foreign.state();
    const Fixed4 change = s.last.raw > 0 ? s.change() : Fixed4{};
    const double pct = s.last.raw > 0 ? s.change_pct() : 0.0;
    items.push_back(Item(
        {{"TradingDate", Dmy(day)}, {"PriceChange", Num(change)}, {"PerPriceChange", Pct(pct)},
         {"CeilingPrice", Num(s.ceiling)}, {"FloorPrice", Num(s.floor)}, {"RefPrice", Num(s.ref)},
         {"OpenPrice", Num(s.open)}, {"HighestPrice", Num(s.high)}, {"LowestPrice", Num(s.low)},
         {"ClosePrice", Num(s.last)}, {"AveragePrice", Num(s.vwap())}, {"ClosePriceAdjusted", Num(s.last)},
         {"TotalMatchVol", Num(s.total.volume())}, {"TotalMatchVal", Num(s.total.value())}, {"TotalDealVal", "0"},
         {"TotalDealVol", "0"}, {"ForeignBuyVolTotal", Num(f.buy_vol)},
         {"ForeignCurrentRoom", f.current_room ? std::optional<std::string>(Num(*f.current_room)) : std::nullopt},
         {"ForeignSellVolTotal", Num(f.sell_vol)}, {"ForeignBuyValTotal", Num(f.buy_val)},
         {"ForeignSellValTotal", Num(f.sell_val)}, {"TotalBuyTrade", std::nullopt},
         {"TotalBuyTradeVol", Num(s.total.buy_vol)}, {"TotalSellTrade", std::nullopt},
         {"TotalSellTradeVol", Num(s.total.sell_vol)}, {"NetBuySellVol", Num(f.net_vol())},
         {"NetBuySellVal", Num(f.net_val())}, {"TotalTradedVol", Num(s.total.volume())},
         {"TotalTradedValue", Num(s.total.value())}, {"Symbol", s.symbol.str()}, {"Time", std::nullopt}}));
  }
  return Page(items, q);
}

}  // namespace vnt::simserver
