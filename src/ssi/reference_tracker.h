#pragma once
// Which symbols still need today's reference data (REST DailyStockPrice, protocol.h), without I/O: the
// subscribed symbols with their REST market, the trading date the loaded set is for (a new date starts
// over), and the summary of a round that left some out.

#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace vnt::ssi {

class ReferenceTracker {
 public:
  // (symbol, REST market): stocks on HOSE, futures on DER.
  using Entry = std::pair<std::string, std::string>;

  // The subscription changed: these symbols from now on (the loaded ones stay loaded).
  void SetSymbols(const std::vector<std::string>& stocks, const std::vector<std::string>& futures);
  bool empty() const { return symbols_.empty(); }
  const std::vector<Entry>& symbols() const { return symbols_; }
  // The symbol whose SecuritiesDetails tells the trading date ("VN30" before any subscription).
  std::string Probe() const;

  // A round for `date` (dd/MM/yyyy): a date other than the last one forgets what was loaded.
  void StartRound(const std::string& date);
  bool Loaded(const std::string& symbol) const { return loaded_.contains(symbol); }
  void MarkLoaded(const std::string& symbol) { loaded_.insert(symbol); }
  // True when a subscribed symbol is not loaded yet.
  bool Missing() const;
  // The outcome of a round over `asked` symbols: ok when nothing failed and nothing is missing, else
  // kUnavailable "reference data: N of M symbols missing (<first_error>)".
  Status Outcome(std::size_t asked, std::size_t failed, const std::string& first_error) const;

 private:
  std::vector<Entry> symbols_;
  std::string date_;  // the trading date loaded_ is for
  std::set<std::string> loaded_;
};

}  // namespace vnt::ssi
