// MarketEngine, part 5: read-side queries over the engine state (lookups, foreign rankings, the
// VN30 flow, windowed active-buy ratio).
#include "core/engine.h"

#include <algorithm>

namespace vnt::core {

// ---------------------------------------------------------------------------------------------------------
// Views

const SymbolState* MarketEngine::FindSymbol(Symbol s) const {
  const auto it = by_symbol_.find(s);
  return it == by_symbol_.end() ? nullptr : it->second;
}

const IndexState* MarketEngine::FindIndex(std::string_view id) const {
  Symbol sym;
  if (!Symbol::Make(id, &sym)) return nullptr;
  const auto it = by_index_.find(NormalizeIndexId(sym));
  return it == by_index_.end() ? nullptr : it->second;
}

const FuturesState* MarketEngine::FrontContract() const {
  return front_ >= 0 && static_cast<std::size_t>(front_) < futures_.size()
             ? &futures_[static_cast<std::size_t>(front_)]
             : nullptr;
}

const FuturesState* MarketEngine::FindContract(std::string_view code_or_alias) const {
  if (auto m = ParseFuturesCode(code_or_alias)) {
    for (const FuturesState& f : futures_) {
      if (f.contract.month == *m) return &f;
    }
    return nullptr;
  }
  if (auto a = ParseAlias(code_or_alias)) {
    for (const FuturesState& f : futures_) {
      if (f.alias == a) return &f;
    }
  }
  return nullptr;
}

ForeignTotals MarketEngine::Vn30ForeignTotals() const {
  ForeignTotals t;
  for (const Symbol& sym : cfg_.vn30) {
    const SymbolState* s = FindSymbol(sym);
    if (s == nullptr || !s->foreign.state().has_data) continue;
    const ForeignState& f = s->foreign.state();
    t.buy_vol += f.buy_vol;
    t.sell_vol += f.sell_vol;
    t.buy_val += f.buy_val;
    t.sell_val += f.sell_val;
    t.net_speed_vol += f.net_speed_vol;
    t.net_speed_val += f.net_speed_val;
    ++t.symbols;
  }
  return t;
}

namespace {

template <class Pred>
std::vector<ForeignRank> RankForeign(const std::deque<SymbolState>& symbols, bool vn30_only, Pred keep) {
  std::vector<ForeignRank> out;
  for (const SymbolState& s : symbols) {
    const ForeignState& f = s.foreign.state();
    if (!f.has_data || (vn30_only && s.kind != SymbolKind::kVn30)) continue;
    if (!keep(f.net_val())) continue;
    out.push_back(ForeignRank{s.symbol, f.net_vol(), f.net_val()});
  }
  return out;
}

}  // namespace

std::vector<ForeignRank> MarketEngine::TopForeignBuyers(std::size_t n) const {
  const bool vn30_only = cfg_.foreign_top_vn30_only && !cfg_.vn30.empty();
  // Only net buyers (net value > 0): a net seller never shows up as a "top buyer" when few symbols trade.
  std::vector<ForeignRank> v = RankForeign(symbols_, vn30_only, [](Vnd net) { return net > Vnd{}; });
  std::sort(v.begin(), v.end(), [](const ForeignRank& a, const ForeignRank& b) {
    return a.net_val != b.net_val ? a.net_val > b.net_val : a.symbol < b.symbol;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

std::vector<ForeignRank> MarketEngine::TopForeignSellers(std::size_t n) const {
  const bool vn30_only = cfg_.foreign_top_vn30_only && !cfg_.vn30.empty();
  std::vector<ForeignRank> v = RankForeign(symbols_, vn30_only, [](Vnd net) { return net < Vnd{}; });
  std::sort(v.begin(), v.end(), [](const ForeignRank& a, const ForeignRank& b) {
    return a.net_val != b.net_val ? a.net_val < b.net_val : a.symbol < b.symbol;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

FlowStats MarketEngine::Vn30Flow() const {
  FlowStats t;
  for (const Symbol& sym : cfg_.vn30) {
    const SymbolState* s = FindSymbol(sym);
    if (s == nullptr) continue;
    t.buy_vol += s->total.buy_vol;
    t.sell_vol += s->total.sell_vol;
    t.neutral_vol += s->total.neutral_vol;
    t.buy_val += s->total.buy_val;
    t.sell_val += s->total.sell_val;
    t.neutral_val += s->total.neutral_val;
    t.trade_count += s->total.trade_count;
  }
  return t;
}

std::optional<double> MarketEngine::ActiveBuyRatioWindow(const SymbolState& s, int minutes) const {
  // The window ends at the symbol's newest candle (open or closed) and covers `minutes` minutes.
  const auto& open = s.candles.open_candle();
  const RingBuffer<Candle>& closed = s.candles.closed();
  std::int32_t newest;
  if (open) {
    newest = open->minute;
  } else if (!closed.empty()) {
    newest = closed.back().minute;
  } else {
    return std::nullopt;
  }
  const std::int32_t from = newest - (std::max(minutes, 1) - 1) * 60;
  Volume buy{}, sell{};
  if (open) {
    buy += open->buy_vol;
    sell += open->sell_vol;
  }
  for (std::size_t i = closed.size(); i-- > 0;) {
    if (closed[i].minute < from) break;
    buy += closed[i].buy_vol;
    sell += closed[i].sell_vol;
  }
  if (buy + sell <= Volume{}) return std::nullopt;
  return buy.ToDouble() / (buy + sell).ToDouble();
}

}  // namespace vnt::core
