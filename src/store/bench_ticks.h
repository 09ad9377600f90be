#pragma once
// The synthetic tick rows both ingest benchmarks write (store_benchmark: SQLite, pg_store_benchmark:
// PostgreSQL), so their figures compare the same rows.

#include <cstdint>

#include "store/rows.h"

namespace vnt::store::bench {

inline constexpr const char* kSymbols[] = {
    "ACB", "BCM", "BID", "BVH", "CTG", "FPT", "GAS", "GVR", "HDB", "HPG", "MBB", "MSN", "MWG", "PLX", "POW",
    "SAB", "SHB", "SSB", "SSI", "STB", "TCB", "TPB", "VCB", "VHM", "VIB", "VIC", "VJC", "VNM", "VPB", "VRE"};

// The n-th tick of a synthetic session: 30 symbols round robin, one second per 30 * 10 trades.
inline TickRow MakeTick(std::int64_t n) {
  TickRow r;
  r.symbol = Symbol::Of(kSymbols[n % 30]);
  r.time =
      ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay{static_cast<std::int32_t>(9 * 3600 + 15 * 60 + n / 300)}};
  r.price = Price::FromInt(20'000 + (n % 97) * 50);
  r.volume = Volume{100 + n % 1000};
  r.value = Vnd{r.price.RoundToInt() * r.volume.raw()};
  r.side =
      n % 3 == 0 ? core::Aggressor::kBuy : (n % 3 == 1 ? core::Aggressor::kSell : core::Aggressor::kNeutral);
  r.method = core::ClassifyMethod::kQuote;
  r.session = Session::kLo;
  r.bid = Price::FromInt(19'950);
  r.ask = Price::FromInt(20'000);
  return r;
}

}  // namespace vnt::store::bench
