#pragma once
// The market overview (issue 16, item 5): the VN30 heatmap tiles, each constituent's contribution in index
// points to the VN30's change today, put-through deals per symbol and the indices' breadth. Pure functions of
// the engine's state (every figure from the feed) and the basket's weights (core/vn30_basket.h).
//
// Contribution (README "Market overview"): with listed shares S_i, free float f_i and reference price R_i of
// each constituent, the free-float capitalisation at the reference is M_i = R_i x S_i x f_i; the cap factor
// c_i (HOSE: no stock above 10 % of the index) is found by iterative capping; the weight at the reference is
// w_i = M_i c_i / sum_j M_j c_j. With the feed's PriorIndexValue I0 and a constituent's price P_i (its last
// matched price, the reference before its first trade):
//     contribution_i = I0 x w_i x (P_i - R_i) / R_i        (index points)
// and sum_i contribution_i = I0 x (sum_i w_i P_i / R_i - 1) = the index rebuilt from the prices minus I0,
// which is the feed's Change up to the index's rounding (0.01) and the prices moving between two MI frames.
// The residual (feed Change - sum) is reported, never spread over the stocks.

#include <optional>
#include <vector>

#include "core/engine.h"
#include "core/vn30_basket.h"

namespace vnt::core {

// HOSE's cap per constituent in the VN30 (10 %).
inline constexpr double kVn30WeightCap = 0.10;

// Cap factors for capitalisations `mcap` so that no weight exceeds `cap` (1 = uncapped): the stocks above the
// cap are fixed at it and the rest spread over the others in proportion to their capitalisation, repeated
// until none is above. All 1 when the cap cannot bind (cap x n < 1) or the input is empty.
std::vector<double> CapFactors(const std::vector<double>& mcap, double cap = kVn30WeightCap);

// A constituent's prices.
struct ConstituentQuote {
  Symbol symbol;
  Price ref;   // reference price (zero = unknown)
  Price last;  // last matched price (zero = not traded today: the reference counts)
};

struct Contribution {
  Symbol symbol;
  bool known = false;     // a weight and a reference price: the other fields mean something
  double weight = 0;      // weight at the reference prices, 0..1
  double cap_factor = 1;  // 1 = uncapped
  double change_pct = 0;  // (P - R) / R x 100
  double points = 0;      // contribution to the index change, index points
};

struct ContributionReport {
  std::vector<Contribution> items;  // in the order of the quotes
  bool ready = false;               // the index's prior and value are known
  double index_change = 0;          // the feed's IndexValue - PriorIndexValue
  double sum_points = 0;            // sum of the known contributions
  double residual = 0;              // index_change - sum_points
  int unknown = 0;                  // constituents without a weight or a reference price
};

// Contributions of `quotes` to an index at `value` whose previous close is `prior`, from `weights` (a quote
// whose symbol has no weight is unknown and left out of the weights).
ContributionReport ComputeContributions(const std::vector<IndexWeight>& weights,
                                        const std::vector<ConstituentQuote>& quotes, Price prior, Price value,
                                        double cap = kVn30WeightCap);

// One heatmap tile: a basket stock today.
struct HeatTile {
  Symbol symbol;
  bool seen = false;                   // the feed sent something for it today
  Price ref, last;                     // last = the last matched price, else the reference
  Price ceiling, floor;                // the day's limits (zero = unknown)
  bool traded = false;                 // a matched trade today (ATO, continuous, ATC)
  double change_pct = 0;               // (last - ref) / ref x 100; 0 without a reference
  Volume volume{};                     // shares traded today: the feed's TotalVol when sent, else counted
  Vnd value{};                         // VND traded today: the feed's TotalVal when sent, else counted
  bool has_foreign = false;            // an R frame today
  Volume foreign_net_vol{};            // foreign buy - sell, shares
  Vnd foreign_net_val{};               // foreign buy - sell, VND
  std::optional<double> contribution;  // index points (nullopt: no weight or reference)
  double weight = 0;                   // 0..1 at the reference prices
};

// Put-through (negotiated) deals of one symbol today: the engine's `pt` bucket (trades in the PT session or
// after the close, method put_through).
struct PutThroughRow {
  Symbol symbol;
  Volume volume{};
  Vnd value{};
  std::int64_t deals = 0;
  Price average;  // value / volume
};

struct MarketOverview {
  std::vector<HeatTile> tiles;  // the basket, in its order
  ContributionReport vn30;      // contributions to the VN30 (items in the basket's order)
  // The prices are the newest the engine has (exchange time `prices_time`), the index is its last MI frame
  // (vn30_index->updated, one every ~5 s): between two frames the residual also holds the prices' moves
  // since.
  ExchangeTime prices_time;
  const IndexState* vn30_index = nullptr;  // nullptr before the first VN30 MI frame
  const IndexState* vnindex = nullptr;     // nullptr before the first VNINDEX MI frame
  std::vector<PutThroughRow> put_through;  // symbols with deals, largest value first
  Volume put_through_vol{};                // sum of the rows
  Vnd put_through_val{};
};

// The overview of the engine's day for `basket` (empty = the engine's configured VN30) with `weights`.
MarketOverview BuildMarketOverview(const MarketEngine& engine, const std::vector<Symbol>& basket,
                                   const std::vector<IndexWeight>& weights = DefaultVn30Weights());

}  // namespace vnt::core
