#pragma once
// Wiring between the history store and the server: history rows as JSON for REST, user rules kept in
// the store.

#include <string>

#include "common/result.h"
#include "core/engine.h"
#include "server/market_service.h"
#include "store/reader.h"

namespace vnt::app {

// History endpoints answered from `reader` (which must outlive the provider).
server::HistoryProvider MakeHistoryProvider(store::Reader& reader);

// Rule CRUD persisted in the store, keeping the store's ids in the engine.
server::RuleStore MakeRuleStore(store::Reader& reader);

// Loads every stored rule into the engine; how many it took (a row the engine refuses is logged and
// skipped), or the store's error (kIo) when the rules cannot be read.
Result<int> LoadRules(store::Reader& reader, core::MarketEngine& engine);

// Parses the REST range ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]"); `end_of_day` fills a bare date's time
// as 23:59:59 (for `to`). An empty string gives an unbounded (invalid) time.
ExchangeTime ParseRangeBound(const std::string& s, bool end_of_day);

}  // namespace vnt::app
