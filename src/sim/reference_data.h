#pragma once
// Reference data of the simulated market: the VN30 stocks (names, reference prices, shares, free float,
// foreign room), the indices computed from them and the listed VN30 futures of a trading date. Also what
// an SSI-compatible REST server (Securities, IndexComponents, DailyOhlc) serves.

#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/futures.h"
#include "core/types.h"

namespace vnt::sim {

// Static description of one stock (editable data; the defaults are DefaultVn30Stocks()).
struct StockSpec {
  std::string symbol;        // ticker, e.g. "ACB"
  std::string name;          // Vietnamese company name (StockName)
  std::string en_name;       // English company name (StockEnName)
  std::int64_t ref_vnd = 0;  // reference price (previous close), VND, on the HOSE grid
  std::int64_t shares = 0;   // shares outstanding (listed)
  double free_float = 0;     // free-float ratio used by VN30, 0..1
  double foreign_limit = 0;  // foreign ownership limit, fraction of shares (TotalRoom = shares x limit)
  double foreign_owned = 0;  // fraction of shares held by foreigners at the open (<= foreign_limit)
  double liquidity = 1;      // relative trade rate (1 = an average VN30 name)
};

// The built-in VN30 basket with approximate 2025-2026 figures (prices, shares and ownership are
// realistic orders of magnitude, not official data).
const std::vector<StockSpec>& DefaultVn30Stocks();

// One stock of a simulated day, with the derived exchange figures.
struct StockInfo {
  Symbol symbol;
  std::string name, en_name;
  std::string exchange;  // "HOSE"
  Price ref, ceiling, floor;
  std::int64_t shares = 0;
  double free_float = 0;
  double foreign_limit = 0;
  Volume total_room{};         // R TotalRoom: shares x foreign_limit
  Volume current_room_open{};  // R CurrentRoom before the first trade of the day
  double liquidity = 1;
};

// Builds StockInfo (limits, rooms) from specs. Throws std::invalid_argument on an invalid spec
// (empty/too long symbol, price off the grid, non-positive shares, ratios outside 0..1).
std::vector<StockInfo> MakeStocks(const std::vector<StockSpec>& specs);

// An index computed from constituents: value = sum(price_i x factor_i) / divisor.
struct IndexInfo {
  Symbol id;             // IndexId as emitted on MI ("VN30", "VNINDEX")
  std::string name;      // IndexName
  std::string exchange;  // "HOSE"
  std::vector<Symbol> components;
  std::vector<std::size_t> stock_index;  // position of each component in the stocks vector
  std::vector<double> factors;           // shares x free float x cap factor (VN30) or shares (VNINDEX)
  std::vector<double> cap;               // cap factor per component (1 = uncapped)
  double divisor = 1;                    // chosen so that the reference prices give prior_value
  Price prior_value;                     // PriorIndexValue
  // The index level for prices in VND (one per component, same order), unrounded.
  double Compute(const std::vector<double>& prices_vnd) const;
};

// VN30: free-float market cap with each stock's weight capped at `cap` (10%), normalised to
// `prior_value` at the reference prices.
IndexInfo MakeCappedIndex(std::string id, std::string name, const std::vector<StockInfo>& stocks,
                          Price prior_value, double cap = 0.10);
// VNINDEX approximation: full market cap of the given stocks (the simulator has no other HOSE names),
// normalised to `prior_value`.
IndexInfo MakeMarketCapIndex(std::string id, std::string name, const std::vector<StockInfo>& stocks,
                             Price prior_value);

// One listed VN30 futures contract on the simulated day.
struct FuturesInfo {
  core::ListedContract listed;  // KRX code (the emitted Symbol), legacy code, alias, last trading day
  Symbol symbol;                // = listed.contract.krx_code
  std::string name;             // e.g. "VN30F2604 (41I1G4000)"
  std::string exchange;         // "DERIVATIVES"
  Price ref, ceiling, floor;    // ref = previous settlement
  int days_to_expiry = 0;       // calendar days from the trading date to the last trading day
  double liquidity = 1;         // relative trade rate (front month highest)
};

}  // namespace vnt::sim
