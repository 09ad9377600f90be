#include "server/trade_tape.h"

#include <algorithm>

namespace vnt::server {

const TapeTrade& TradeTape::Add(const core::ClassifiedTrade& t) {
  std::deque<TapeTrade>& q = by_symbol_[t.symbol];
  if (q.size() >= per_symbol_) q.pop_front();
  q.push_back(TapeTrade{next_seq_++, t});
  return q.back();
}

std::vector<const TapeTrade*> TradeTape::Latest(Symbol s, std::size_t limit, std::uint64_t before_seq,
                                                Volume min_volume) const {
  std::vector<const TapeTrade*> out;
  const auto it = by_symbol_.find(s);
  if (it == by_symbol_.end()) return out;
  const std::deque<TapeTrade>& q = it->second;
  for (auto r = q.rbegin(); r != q.rend() && out.size() < limit; ++r) {
    if (before_seq > 0 && r->seq >= before_seq) continue;
    if (r->trade.volume < min_volume) continue;
    out.push_back(&*r);
  }
  return out;
}

std::vector<Symbol> TradeTape::symbols() const {
  std::vector<Symbol> out;
  out.reserve(by_symbol_.size());
  for (const auto& [s, q] : by_symbol_) out.push_back(s);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vnt::server
