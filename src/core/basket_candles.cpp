#include "core/basket_candles.h"

#include <map>

namespace vnt::core {

std::vector<Candle> Vn30BasketCandles(const MarketEngine& engine) {
  const Symbol vn30 = Symbol::Of("VN30");
  std::map<std::int32_t, Candle> sum;  // by minute: the output's order
  if (const IndexState* idx = engine.FindIndex("VN30")) {
    for (std::size_t i = 0; i < idx->series.size(); ++i) {
      const IndexPoint& p = idx->series[i];
      Candle& c = sum[p.minute];
      c.symbol = vn30;
      c.date = engine.trading_date();
      c.minute = p.minute;
      c.open = p.open;
      c.high = p.high;
      c.low = p.low;
      c.close = p.value;
    }
  }
  const auto add = [&](const Candle& c) {
    Candle& t = sum[c.minute];
    t.symbol = vn30;
    t.date = c.date;
    t.minute = c.minute;
    t.volume += c.volume;
    t.buy_vol += c.buy_vol;
    t.sell_vol += c.sell_vol;
    t.neutral_vol += c.neutral_vol;
    t.value += c.value;
    t.trade_count += c.trade_count;
  };
  for (const SymbolState& st : engine.symbols()) {
    if (st.kind != SymbolKind::kVn30) continue;
    for (std::size_t i = 0; i < st.candles.closed().size(); ++i) add(st.candles.closed()[i]);
    if (st.candles.open_candle()) add(*st.candles.open_candle());
  }
  std::vector<Candle> out;
  out.reserve(sum.size());
  for (auto& [minute, c] : sum) out.push_back(std::move(c));
  return out;
}

}  // namespace vnt::core
