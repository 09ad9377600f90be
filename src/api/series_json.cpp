#include "api/series_json.h"

#include "api/market_json.h"

namespace vnt::api {

void WriteSparklines(JsonWriter& w, const core::MarketEngine& e) {
  const Date date = e.trading_date();
  w.BeginObject().Key("symbols").BeginObject();
  for (const core::SymbolState& st : e.symbols()) {
    if (st.kind == core::SymbolKind::kFutures) continue;
    w.Key(st.symbol.view()).BeginArray();
    const auto point = [&](const core::Candle& c) {
      w.BeginArray()
          .String(ExchangeTimeText(c.date.valid() ? c.date : date, c.minute))
          .Price(c.close)
          .EndArray();
    };
    for (std::size_t i = 0; i < st.candles.closed().size(); ++i) point(st.candles.closed()[i]);
    if (st.candles.open_candle()) point(*st.candles.open_candle());
    w.EndArray();
  }
  w.EndObject().EndObject();
}

void WriteForeignSeries(JsonWriter& w, const core::MarketEngine& e) {
  const Date date = e.trading_date();
  w.BeginObject().Key("trading_date").StringOrNull(ToString(date)).Key("points").BeginArray();
  for (const core::ForeignMinute& p : e.Vn30ForeignSeries()) {
    w.BeginObject();
    w.Key("time").StringOrNull(ExchangeTimeText(date, p.minute));
    w.Field("buy_vol", p.buy_vol).Field("sell_vol", p.sell_vol);
    w.Field("net_vol", p.buy_vol - p.sell_vol).Field("buy_val", p.buy_val);
    w.Field("sell_val", p.sell_val).Field("net_val", p.buy_val - p.sell_val).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteBasisTrend(JsonWriter& w, const core::FuturesState* f, Date date, int minutes) {
  w.BeginObject();
  w.Key("contract").StringOrNull(f ? f->contract.legacy_code.view() : "");
  w.Key("points").BeginArray();
  if (f && !f->history.empty()) {
    const std::int32_t newest = f->history[f->history.size() - 1].minute;
    for (std::size_t i = 0; i < f->history.size(); ++i) {
      const core::BasisPoint& p = f->history[i];
      if (p.minute < newest - (minutes - 1) * 60) continue;
      w.BeginObject();
      w.Key("time").StringOrNull(ExchangeTimeText(date, p.minute));
      w.Field("basis", p.basis).Field("futures", p.futures).Field("spot", p.spot).EndObject();
    }
  }
  w.EndArray().EndObject();
}

void WriteIndexSeries(JsonWriter& w, const core::IndexState& i, Date date, std::size_t from) {
  w.BeginArray();
  for (std::size_t k = from; k < i.series.size(); ++k) {
    w.BeginArray();
    w.StringOrNull(ExchangeTimeText(date, i.series[k].minute));
    w.Price(i.series[k].value).EndArray();
  }
  w.EndArray();
}

}  // namespace vnt::api
