#include "core/market_overview.h"

#include <algorithm>
#include <unordered_map>

namespace vnt::core {

std::vector<double> CapFactors(const std::vector<double>& mcap, double cap) {
  const std::size_t n = mcap.size();
  std::vector<double> factors(n, 1.0);
  if (n == 0 || cap * static_cast<double>(n) < 1.0) return factors;
  std::vector<bool> capped(n, false);
  for (std::size_t round = 0; round <= n; ++round) {
    double free_sum = 0;
    std::size_t n_capped = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (capped[i])
        ++n_capped;
      else
        free_sum += mcap[i];
    }
    const double free_weight = 1.0 - cap * static_cast<double>(n_capped);
    if (free_sum <= 0) break;
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!capped[i] && mcap[i] / free_sum * free_weight > cap) {
        capped[i] = true;
        changed = true;
      }
    }
    if (!changed) {
      // Capped weight / uncapped weight, relative to the uncapped stocks (factor 1).
      for (std::size_t i = 0; i < n; ++i)
        factors[i] = capped[i] && mcap[i] > 0 ? cap * free_sum / (free_weight * mcap[i]) : 1.0;
      break;
    }
  }
  return factors;
}

ContributionReport ComputeContributions(const std::vector<IndexWeight>& weights,
                                        const std::vector<ConstituentQuote>& quotes, Price prior, Price value,
                                        double cap) {
  ContributionReport r;
  r.items.resize(quotes.size());
  std::unordered_map<Symbol, const IndexWeight*, SymbolHash> by_symbol;
  for (const IndexWeight& w : weights) by_symbol.emplace(w.symbol, &w);

  // Free-float capitalisation at the reference of every constituent with a weight and a reference.
  std::vector<std::size_t> known;
  std::vector<double> mcap;
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    const ConstituentQuote& q = quotes[i];
    r.items[i].symbol = q.symbol;
    const auto it = by_symbol.find(q.symbol);
    if (it == by_symbol.end() || q.ref.raw <= 0 || it->second->shares <= 0 || it->second->free_float <= 0) {
      ++r.unknown;
      continue;
    }
    known.push_back(i);
    mcap.push_back(q.ref.ToDouble() * static_cast<double>(it->second->shares) * it->second->free_float);
  }
  const std::vector<double> factors = CapFactors(mcap, cap);
  double total = 0;
  for (std::size_t k = 0; k < known.size(); ++k) total += mcap[k] * factors[k];

  r.ready = prior.raw > 0 && value.raw > 0;
  const double i0 = prior.ToDouble();
  for (std::size_t k = 0; k < known.size(); ++k) {
    const ConstituentQuote& q = quotes[known[k]];
    Contribution& c = r.items[known[k]];
    c.known = true;
    c.cap_factor = factors[k];
    c.weight = total > 0 ? mcap[k] * factors[k] / total : 0;
    const Price p = q.last.raw > 0 ? q.last : q.ref;
    const double ret = static_cast<double>(p.raw - q.ref.raw) / static_cast<double>(q.ref.raw);
    c.change_pct = ret * 100.0;
    c.points = i0 * c.weight * ret;
    r.sum_points += c.points;
  }
  if (r.ready) {
    r.index_change = (value - prior).ToDouble();
    r.residual = r.index_change - r.sum_points;
  }
  return r;
}

MarketOverview BuildMarketOverview(const MarketEngine& engine, const std::vector<Symbol>& basket_in,
                                   const std::vector<IndexWeight>& weights) {
  MarketOverview o;
  const std::vector<Symbol>& basket = basket_in.empty() ? engine.config().vn30 : basket_in;
  o.prices_time = engine.market_time();
  o.vn30_index = engine.FindIndex("VN30");
  o.vnindex = engine.FindIndex("VNINDEX");

  std::vector<ConstituentQuote> quotes;
  quotes.reserve(basket.size());
  for (const Symbol sym : basket) {
    HeatTile t;
    t.symbol = sym;
    if (const SymbolState* s = engine.FindSymbol(sym)) {
      t.seen = true;
      t.ref = s->ref;
      t.ceiling = s->ceiling;
      t.floor = s->floor;
      // The engine's last price is a matched one (put-through deals never move it), or the feed's last price
      // when we joined mid-day.
      t.traded = s->last.raw > 0;
      t.last = t.traded ? s->last : s->ref;
      if (t.ref.raw > 0 && t.last.raw > 0)
        t.change_pct = static_cast<double>(t.last.raw - t.ref.raw) * 100.0 / static_cast<double>(t.ref.raw);
      t.volume = s->feed_total_vol > Volume{} ? s->feed_total_vol : s->total.volume();
      t.value = s->feed_total_val > Vnd{} ? s->feed_total_val : s->total.value();
      const ForeignState& f = s->foreign.state();
      t.has_foreign = f.has_data;
      t.foreign_net_vol = f.net_vol();
      t.foreign_net_val = f.net_val();
    }
    quotes.push_back(ConstituentQuote{sym, t.ref, t.traded ? t.last : Price{}});
    o.tiles.push_back(t);
  }

  const Price prior = o.vn30_index ? o.vn30_index->prior_value : Price{};
  const Price value = o.vn30_index ? o.vn30_index->value : Price{};
  o.vn30 = ComputeContributions(weights, quotes, prior, value);
  for (std::size_t i = 0; i < o.tiles.size(); ++i) {
    const Contribution& c = o.vn30.items[i];
    if (!c.known) continue;
    o.tiles[i].weight = c.weight;
    if (prior.raw > 0) o.tiles[i].contribution = c.points;
  }

  for (const SymbolState& s : engine.symbols()) {
    if (s.kind == SymbolKind::kFutures) continue;
    const FlowStats& pt = s.buckets[static_cast<std::size_t>(SessionBucket::kPt)];
    if (pt.volume() <= Volume{}) continue;
    PutThroughRow row;
    row.symbol = s.symbol;
    row.volume = pt.volume();
    row.value = pt.value();
    row.deals = pt.trade_count;
    row.average = Vwap(pt, s.multiplier);
    o.put_through_vol += row.volume;
    o.put_through_val += row.value;
    o.put_through.push_back(row);
  }
  std::sort(o.put_through.begin(), o.put_through.end(), [](const PutThroughRow& a, const PutThroughRow& b) {
    return a.value != b.value ? a.value > b.value : a.symbol.view() < b.symbol.view();
  });
  return o;
}

}  // namespace vnt::core
