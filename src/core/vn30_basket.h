#pragma once
// The VN30 basket used when the feed (REST IndexComponents) is not asked: HOSE's constituents as of the
// 2026 review. The SSI client replaces it with the live list at start-up.
//
// Also the basket's index weights as HOSE publishes them at each semi-annual review (listed shares and the
// free-float ratio of each constituent): the feed carries neither (SSI's IndexComponents lists tickers only),
// so they are reference data here, like the holiday calendar. The 10 % cap factor is recomputed from them at
// the day's reference prices (core/market_overview.h).

#include <cstdint>
#include <vector>

#include "core/types.h"

namespace vnt::core {

// The 30 tickers, alphabetical.
const std::vector<Symbol>& DefaultVn30Basket();

// One constituent's weight inputs.
struct IndexWeight {
  Symbol symbol;
  std::int64_t shares = 0;  // listed shares
  double free_float = 0;    // free-float ratio used by the index, 0..1
};

// The 30 constituents' shares and free float, alphabetical (approximate 2025-2026 figures: the same ones the
// simulator computes its VN30 from, sim/reference_data.cpp; a test keeps the two equal).
const std::vector<IndexWeight>& DefaultVn30Weights();

}  // namespace vnt::core
