#include "simserver/market_rest.h"

#include <algorithm>
#include <cstdio>

#include "simserver/ascii.h"

namespace vnt::simserver {

namespace {

std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool IsFutures(const core::SymbolState& s) {
  return s.kind == core::SymbolKind::kFutures;
}

// The day's matched volume and value: the feed's cumulative figures (they include what traded before the
// engine first saw the symbol), else the engine's own count.
Volume DayVolume(const core::SymbolState& s) {
  return s.feed_total_vol > Volume{} ? s.feed_total_vol : s.volume();
}
Vnd DayValue(const core::SymbolState& s) {
  return s.feed_total_val > Vnd{} ? s.feed_total_val : s.total.value();
}

}  // namespace

bool MarketRest::Handle(std::string_view name, const Params& params, std::string* body) const {
  using Handler = std::string (MarketRest::*)(const Params&) const;
  static constexpr std::pair<std::string_view, Handler> kEndpoints[] = {
      {"Securities", &MarketRest::Securities},
      {"SecuritiesDetails", &MarketRest::SecuritiesDetails},
      {"IndexComponents", &MarketRest::IndexComponents},
      {"IndexList", &MarketRest::IndexList},
      {"DailyOhlc", &MarketRest::DailyOhlc},
      {"IntradayOhlc", &MarketRest::IntradayOhlc},
      {"DailyIndex", &MarketRest::DailyIndex},
      {"DailyStockPrice", &MarketRest::DailyStockPrice}};
  for (const auto& [endpoint, handler] : kEndpoints) {
    if (IEquals(name, endpoint)) {
      *body = (this->*handler)(params);
      return true;
    }
  }
  return false;
}

const core::SymbolState* MarketRest::Find(std::string_view symbol) const {
  const std::string sym = AsciiUpper(TrimSpaces(symbol));
  if (const core::FuturesState* f = engine_.FindContract(sym))
    return engine_.FindSymbol(f->contract.krx_code);
  Symbol s;
  return Symbol::Make(sym, &s) ? engine_.FindSymbol(s) : nullptr;
}

std::string MarketRest::Securities(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string market = AsciiUpper(p.Get("market").value_or(""));
  std::vector<std::string> items;
  auto add = [&](std::string_view mkt, const Symbol& symbol, std::string_view name,
                 std::string_view en_name) {
    if (!market.empty() && market != mkt) return;
    items.push_back(ItemWriter()
                        .Field("Market", mkt)
                        .Field("Symbol", symbol.view())
                        .Field("StockName", name)
                        .Field("StockEnName", en_name)
                        .Done());
  };
  for (const sim::StockInfo& s : sim_.stocks()) add("HOSE", s.symbol, s.name, s.en_name);
  for (const sim::FuturesInfo& f : sim_.futures()) add("DER", f.symbol, f.name, f.name);
  return PageEnvelope(items, q);
}

std::string MarketRest::SecuritiesDetails(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string market = AsciiUpper(p.Get("market").value_or(""));
  const std::string symbol = AsciiUpper(p.Get("symbol").value_or(""));
  std::vector<std::string> infos;
  auto wanted = [&](std::string_view mkt, const Symbol& sym) {
    return (market.empty() || market == mkt) && (symbol.empty() || symbol == sym.view());
  };
  // The fields every security has, then the ones SSI leaves null for stocks and futures alike.
  auto head = [](const Symbol& sym, std::string_view name, std::string_view en_name,
                 std::string_view sec_type, std::string_view market_id, std::string_view exchange) {
    ItemWriter w;
    w.Field("Isin", sym.view())
        .Field("Symbol", sym.view())
        .Field("SymbolName", name)
        .Field("SymbolEngName", en_name);
    w.Field("SecType", sec_type).Field("MarketId", market_id).Field("Exchange", exchange);
    for (const char* key :
         {"Issuer", "IssueDate", "PutOrCall", "ExercisePrice", "ExerciseStyle", "ExcerciseRatio"}) {
      w.Null(key);
    }
    return w;
  };
  for (const sim::StockInfo& s : sim_.stocks()) {
    if (!wanted("HOSE", s.symbol)) continue;
    ItemWriter w = head(s.symbol, s.name, s.en_name, "S", "HOSE", "HOSE");
    w.Field("LotSize", std::int64_t{100})
        .Null("MaturityDate")
        .Null("FirstTradingDate")
        .Null("LastTradingDate");
    w.Null("ContractMultiplier").Null("SettlMethod").Null("Underlying").Field("ListedShare", s.shares);
    // HOSE tick bands (fastconnect-v2.md §6.1): 10 below 10,000, 50 below 50,000, 100 above.
    w.Field("TickPrice1", "0").Field("TickIncrement1", "10").Field("TickPrice2", "10000");
    w.Field("TickIncrement2", "50").Field("TickPrice3", "50000").Field("TickIncrement3", "100");
    w.Null("TickPrice4").Null("TickIncrement4");
    infos.push_back(w.Done());
  }
  for (const sim::FuturesInfo& f : sim_.futures()) {
    if (!wanted("DER", f.symbol)) continue;
    const std::string last_day = FormatDmy(f.listed.contract.last_trading_day);
    ItemWriter w = head(f.symbol, f.name, f.name, "FU", "DER", "HNX");
    w.Field("LotSize", std::int64_t{1}).Field("MaturityDate", last_day).Null("FirstTradingDate");
    w.Field("LastTradingDate", last_day).Field("ContractMultiplier", "100000").Field("SettlMethod", "C");
    w.Field("Underlying", "VN30").Null("ListedShare").Field("TickPrice1", "0").Field("TickIncrement1", "0.1");
    for (const char* key :
         {"TickPrice2", "TickIncrement2", "TickPrice3", "TickIncrement3", "TickPrice4", "TickIncrement4"}) {
      w.Null(key);
    }
    infos.push_back(w.Done());
  }
  // One report whose RepeatedInfo holds the requested page of securities.
  std::string repeated = "[";
  const std::size_t begin =
      static_cast<std::size_t>(q.page_index - 1) * static_cast<std::size_t>(q.page_size);
  for (std::size_t i = begin; i < infos.size() && i < begin + static_cast<std::size_t>(q.page_size); ++i) {
    repeated += (repeated.size() > 1 ? "," : "") + infos[i];
  }
  const std::string report = ItemWriter()
                                 .Field("RType", "y")
                                 .Field("ReportDate", FormatDmy(sim_.config().date))
                                 .Field("TotalNoSym", static_cast<std::int64_t>(infos.size()))
                                 .Raw("RepeatedInfo", repeated + "]")
                                 .Done();
  return Envelope("[" + report + "]", 1);
}

std::string MarketRest::IndexComponents(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string code = p.Get("indexCode").value_or("");
  if (code.empty()) return ErrorEnvelope("indexCode is required");
  std::vector<std::string> items;
  for (const sim::IndexInfo& idx : sim_.indices()) {
    if (!IEquals(code, idx.id.view())) continue;
    std::string components = "[";
    for (const Symbol& s : idx.components) {
      components += (components.size() > 1 ? "," : "") +
                    ItemWriter().Field("Isin", s.view()).Field("StockSymbol", s.view()).Done();
    }
    items.push_back(ItemWriter()
                        .Field("IndexCode", idx.id.view())
                        .Field("IndexName", idx.name)
                        .Field("Exchange", idx.exchange)
                        .Field("TotalSymbolNo", static_cast<std::int64_t>(idx.components.size()))
                        .Raw("IndexComponent", components + "]")
                        .Done());
  }
  return PageEnvelope(items, q);
}

std::string MarketRest::IndexList(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, false);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string exchange = p.Get("exchange").value_or("");
  std::vector<std::string> items;
  for (const sim::IndexInfo& idx : sim_.indices()) {
    if (!exchange.empty() && !IEquals(exchange, idx.exchange)) continue;
    items.push_back(ItemWriter()
                        .Field("IndexCode", idx.id.view())
                        .Field("IndexName", idx.name)
                        .Field("Exchange", idx.exchange)
                        .Done());
  }
  return PageEnvelope(items, q);
}

std::string MarketRest::DailyOhlc(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string symbol = p.Get("symbol").value_or("");
  if (symbol.empty()) return ErrorEnvelope("symbol is required");
  std::vector<std::string> items;
  const core::SymbolState* s = Find(symbol);
  const Date day = engine_.trading_date();
  if (s && s->open.raw > 0 && q.Covers(day)) {
    items.push_back(ItemWriter()
                        .Field("Symbol", s->symbol.view())
                        .Field("Market", IsFutures(*s) ? "DER" : "HOSE")
                        .Field("TradingDate", FormatDmy(day))
                        .Null("Time")
                        .Field("Open", s->open)
                        .Field("High", s->high)
                        .Field("Low", s->low)
                        .Field("Close", s->last)
                        .Field("Volume", DayVolume(*s))
                        .Field("Value", DayValue(*s))
                        .Done());
  }
  return PageEnvelope(items, q);
}

std::string MarketRest::IntradayOhlc(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string symbol = p.Get("symbol").value_or("");
  if (symbol.empty()) return ErrorEnvelope("symbol is required");
  std::vector<std::string> items;
  if (const core::SymbolState* s = Find(symbol)) {
    for (const core::Candle& c : candles_.candles()) {
      if (c.symbol != s->symbol || !q.Covers(c.date)) continue;
      // As in SSI's samples, Value carries the bar's price and Time the bar's last second.
      items.push_back(ItemWriter()
                          .Field("Symbol", c.symbol.view())
                          .Field("Value", c.close)
                          .Field("TradingDate", FormatDmy(c.date))
                          .Field("Time", ToString(TimeOfDay{c.minute + 59}))
                          .Field("Open", c.open)
                          .Field("High", c.high)
                          .Field("Low", c.low)
                          .Field("Close", c.close)
                          .Field("Volume", c.volume)
                          .Done());
    }
  }
  if (!q.ascending) std::reverse(items.begin(), items.end());  // newest first, like the samples
  return PageEnvelope(items, q);
}

std::string MarketRest::DailyIndex(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string id = p.Get("indexId").value_or("");
  if (id.empty()) return ErrorEnvelope("indexId is required");
  std::vector<std::string> items;
  const core::IndexState* idx = engine_.FindIndex(id);
  const Date day = engine_.trading_date();
  if (idx && idx->value.raw > 0 && q.Covers(day)) {
    std::string name = idx->feed_id.str();
    for (const sim::IndexInfo& info : sim_.indices()) {
      if (IEquals(info.id.view(), idx->id.view())) name = info.name;
    }
    items.push_back(ItemWriter()
                        .Field("IndexId", idx->feed_id.view())
                        .Field("IndexValue", idx->value)
                        .Field("TradingDate", FormatDmy(day))
                        .Field("Time", ToString(idx->updated.time))
                        .Field("Change", idx->change)
                        .Field("RatioChange", Pct(idx->change_pct))
                        .Field("TotalTrade", idx->total_trade)
                        .Field("TotalMatchVol", idx->total_qtty)
                        .Field("TotalMatchVal", idx->total_value)
                        .Field("TypeIndex", "Main")
                        .Field("IndexName", name)
                        .Field("Advances", std::int64_t{idx->advances})
                        .Field("NoChanges", std::int64_t{idx->no_changes})
                        .Field("Declines", std::int64_t{idx->declines})
                        .Field("Ceilings", std::int64_t{idx->ceilings})
                        .Field("Floors", std::int64_t{idx->floors})
                        .Field("TotalDealVol", idx->total_qtty_pt)
                        .Field("TotalDealVal", idx->total_value_pt)
                        .Field("TotalVol", idx->total_qtty + idx->total_qtty_pt)
                        .Field("TotalVal", idx->total_value + idx->total_value_pt)
                        .Field("TradingSession", ToString(idx->session))
                        .Done());
  }
  return PageEnvelope(items, q);
}

std::string MarketRest::DailyStockPrice(const Params& p) const {
  const PageQuery q = ReadPageQuery(p, true);
  if (!q.error.empty()) return ErrorEnvelope(q.error);
  const std::string symbol = AsciiUpper(TrimSpaces(p.Get("symbol").value_or("")));
  const std::string market = AsciiUpper(p.Get("market").value_or(""));
  // The simulated day. Its row exists from the start for every listed security: the exchange publishes the
  // reference, ceiling and floor before the open (the SSI client reads them here before the first trade),
  // and the day's figures fill in as the engine sees trades.
  const Date day = sim_.config().date;
  std::vector<std::string> items;
  if (!q.Covers(day)) return PageEnvelope(items, q);
  struct Listed {
    Symbol symbol;
    bool futures;
    Price ref, ceiling, floor;
    const core::SymbolState* state;
  };
  std::vector<Listed> listed;
  for (const sim::StockInfo& st : sim_.stocks())
    listed.push_back({st.symbol, false, st.ref, st.ceiling, st.floor, engine_.FindSymbol(st.symbol)});
  for (const sim::FuturesInfo& f : sim_.futures())
    listed.push_back({f.symbol, true, f.ref, f.ceiling, f.floor, engine_.FindSymbol(f.symbol)});
  // A futures symbol may be given as its legacy code (VN30FYYMM) or alias (VN30F1M).
  auto matches = [&](const Listed& l) {
    if (symbol.empty() || symbol == l.symbol.view()) return true;
    if (!l.futures) return false;
    for (const sim::FuturesInfo& f : sim_.futures()) {
      if (f.symbol != l.symbol) continue;
      return symbol == f.listed.contract.legacy_code.view() || symbol == core::ToString(f.listed.alias);
    }
    return false;
  };
  const core::ForeignState no_foreign{};
  for (const Listed& l : listed) {
    if (!matches(l)) continue;
    if (!market.empty() && market != (l.futures ? "DER" : "HOSE")) continue;
    // The engine's state once the stream has reached it; before that, an untraded day.
    core::SymbolState empty;
    const core::SymbolState& s = l.state ? *l.state : empty;
    const core::ForeignState& f = l.state ? s.foreign.state() : no_foreign;
    const bool traded = s.last.raw > 0;
    ItemWriter w;
    w.Field("TradingDate", FormatDmy(day));
    if (traded) {
      w.Field("PriceChange", s.last - l.ref)
          .Field("PerPriceChange",
                 Pct(static_cast<double>((s.last - l.ref).raw) * 100.0 / static_cast<double>(l.ref.raw)));
    } else {
      w.Field("PriceChange", "0").Field("PerPriceChange", "0.00");
    }
    w.Field("CeilingPrice", l.ceiling).Field("FloorPrice", l.floor).Field("RefPrice", l.ref);
    w.Field("OpenPrice", s.open).Field("HighestPrice", s.high).Field("LowestPrice", s.low);
    w.Field("ClosePrice", s.last).Field("AveragePrice", s.vwap()).Field("ClosePriceAdjusted", s.last);
    w.Field("TotalMatchVol", DayVolume(s)).Field("TotalMatchVal", DayValue(s));
    w.Field("TotalDealVal", "0").Field("TotalDealVol", "0").Field("ForeignBuyVolTotal", f.buy_vol);
    if (f.current_room) {
      w.Field("ForeignCurrentRoom", *f.current_room);
    } else {
      w.Null("ForeignCurrentRoom");
    }
    w.Field("ForeignSellVolTotal", f.sell_vol).Field("ForeignBuyValTotal", f.buy_val);
    w.Field("ForeignSellValTotal", f.sell_val).Null("TotalBuyTrade");
    w.Field("TotalBuyTradeVol", s.total.buy_vol).Null("TotalSellTrade");
    w.Field("TotalSellTradeVol", s.total.sell_vol).Field("NetBuySellVol", f.net_vol());
    w.Field("NetBuySellVal", f.net_val()).Field("TotalTradedVol", DayVolume(s));
    w.Field("TotalTradedValue", DayValue(s)).Field("Symbol", l.symbol.view()).Null("Time");
    items.push_back(w.Done());
  }
  return PageEnvelope(items, q);
}

}  // namespace vnt::simserver
