#pragma once
// The VN30 basket used when the feed (REST IndexComponents) is not asked: HOSE's constituents as of the
// 2026 review. The SSI client replaces it with the live list at start-up.

#include <vector>

#include "core/types.h"

namespace vnt::core {

// The 30 tickers, alphabetical.
const std::vector<Symbol>& DefaultVn30Basket();

}  // namespace vnt::core
