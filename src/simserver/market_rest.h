#pragma once
// The REST data of the sim-server (fastconnect-v2.md §2.2): Securities, SecuritiesDetails, IndexComponents,
// IndexList, DailyOhlc, IntradayOhlc, DailyIndex and DailyStockPrice, from the simulator's reference data
// and from a market engine fed with the frames the simulator has emitted so far (so REST agrees with the
// stream). Only the simulated day has history: any other date range gives an empty list. Pure: no I/O.

#include <string>
#include <string_view>
#include <vector>

#include "core/candles.h"
#include "core/engine.h"
#include "sim/simulator.h"
#include "simserver/rest_params.h"

namespace vnt::simserver {

// Collects the 1-minute candles the engine closes (IntradayOhlc).
class CandleLog : public core::MarketSink {
 public:
  void OnCandleClosed(const core::Candle& c) override { candles_.push_back(c); }
  const std::vector<core::Candle>& candles() const { return candles_; }

 private:
  std::vector<core::Candle> candles_;
};

class MarketRest {
 public:
  MarketRest(const sim::Simulator& sim, const core::MarketEngine& engine, const CandleLog& candles)
      : sim_(sim), engine_(engine), candles_(candles) {}
  // The JSON body for endpoint `name` (any case, e.g. "DailyOhlc"); false for an unknown endpoint.
  bool Handle(std::string_view name, const Params& params, std::string* body) const;

 private:
  std::string Securities(const Params& p) const;
  std::string SecuritiesDetails(const Params& p) const;
  std::string IndexComponents(const Params& p) const;
  std::string IndexList(const Params& p) const;
  std::string DailyOhlc(const Params& p) const;
  std::string IntradayOhlc(const Params& p) const;
  std::string DailyIndex(const Params& p) const;
  std::string DailyStockPrice(const Params& p) const;
  // A stock or futures contract (KRX code, VN30FYYMM or alias such as VN30F1M) the engine has seen.
  const core::SymbolState* Find(std::string_view symbol) const;

  const sim::Simulator& sim_;
  const core::MarketEngine& engine_;
  const CandleLog& candles_;
};

}  // namespace vnt::simserver
