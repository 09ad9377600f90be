#pragma once
// StoreSink: turns the engine's market events into store rows and hands them to the Writer (never blocking
// the engine: a full writer queue refuses the row and the writer counts it).
//
//   OnTrade          -> ticks (every classified trade)
//   OnCandleClosed   -> candles_1m
//   OnForeignChanged -> foreign_snapshots  } throttled: at most one row per key (symbol / index id /
//   contract) OnIndexChanged   -> index_snapshots    } per exchange second, holding the *last* state of that
//   second. The OnFuturesChanged -> futures_basis      } held row is written once a later second is seen (for
//   that key, or
//                                            market time moving on), on OnDayStarted, or by FlushPending().
//   OnAlert          -> alerts
// The engine's views are only valid during a callback: every row is a copy.
//
// During a journal replay after a restart, do not attach the sink: the replayed part is already stored.

#include <cstdint>
#include <unordered_map>

#include "core/engine.h"
#include "store/rows.h"
#include "store/writer.h"

namespace vnt::store {

// Counters of the sink (engine thread only).
struct StoreSinkStats {
  std::uint64_t rows_offered = 0;  // rows handed to the writer
  std::uint64_t rows_refused =
      0;                         // of which the writer refused (queue full / stopped; also in its `dropped`)
  std::uint64_t superseded = 0;  // snapshots replaced by a later state of the same exchange second
  std::uint64_t undated = 0;     // snapshots without a trading date: not stored
};

class StoreSink : public core::MarketSink {
 public:
  // Both must outlive the sink; the engine is only read, from inside its callbacks.
  StoreSink(Writer& writer, const core::MarketEngine& engine) : writer_(writer), engine_(engine) {}

  // A ticks row per classified trade.
  void OnTrade(const core::ClassifiedTrade& t) override;
  // A candles_1m row per closed candle.
  void OnCandleClosed(const core::Candle& c) override;
  // Holds the symbol's foreign state for its exchange second (throttled).
  void OnForeignChanged(Symbol symbol) override;
  // Holds the index's state for its exchange second (throttled).
  void OnIndexChanged(Symbol id) override;
  // Holds the contract's basis for its exchange second (throttled; nothing before the basis is known).
  void OnFuturesChanged(const core::FuturesState& f) override;
  // An alerts row per fired alert.
  void OnAlert(const core::Alert& a) override;
  // Writes the held snapshots of the previous day.
  void OnDayStarted(Date d) override;
  // Frequent events: only used to release held snapshots once market time passes their second.
  void OnQuote(Symbol) override { Sweep(); }
  void OnStatsChanged(Symbol) override { Sweep(); }

  // The process's epoch written with every alert (AlertRow::epoch; 0 by default).
  void set_epoch(std::int64_t epoch) { epoch_ = epoch; }
  // Writes every held snapshot now (end of replay, shutdown: call before Writer::Stop()). Engine thread.
  void FlushPending();
  // The counters.
  const StoreSinkStats& stats() const { return stats_; }

 private:
  // The newest state of one key within its exchange second, not yet written.
  struct Held {
    std::int64_t sec = 0;  // local epoch seconds of the held row
    bool has = false;
    Row row;
  };
  using HeldMap = std::unordered_map<Symbol, Held, SymbolHash>;

  void Offer(Row row);
  // Holds `row` for `key`; writes the previously held row first when it belongs to an earlier second.
  void Hold(HeldMap& map, Symbol key, ExchangeTime t, Row row);
  // Writes held rows whose second is before the engine's market time (once per market second).
  void Sweep();
  void Release(HeldMap& map, std::int64_t before_sec);
  ExchangeTime Stamp(ExchangeTime t) const;

  Writer& writer_;
  const core::MarketEngine& engine_;
  HeldMap foreign_, index_, basis_;
  std::int64_t swept_sec_ = 0;
  std::int64_t epoch_ = 0;
  StoreSinkStats stats_;
};

}  // namespace vnt::store
