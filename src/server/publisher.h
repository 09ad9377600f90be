#pragma once
// WebSocket channel payloads: /ws/market, /ws/foreign, /ws/index, /ws/alerts. A MarketSink that records
// what changed; every tick (500 ms by default) it turns the changes into one delta per channel with a
// sequence number. Pure: no sockets. Message shape:
//   {"type":"snapshot"|"delta","channel":"market","seq":N,"epoch":E,"trading_date":..,"exchange_time":..,"data":{...}}
//   {"type":"alert","channel":"alerts","seq":N,"epoch":E,"data":{alert}}
// seq increases by one per message of a channel, so a client that sees a gap asks for a snapshot; the
// epoch (Unix ms of the engine's start) changes when the engine restarts and its seqs start again. A
// client resumes from (epoch, seq) (server/ws_source.h).
// /ws/market deltas are field-level patches (api/json_patch.h): for each symbol / index that changed, only
// the members that differ from the previous message (nested objects such as "sessions" and "foreign"
// member by member, arrays such as "bid" whole, a vanished member as null); "futures" is an array of
// patches, each with the contract's "symbol". Clients deep-merge objects. A market snapshot is the state
// as of its seq (the last published one), so that the next delta applies to it exactly. The other
// channels' deltas carry whole objects for what changed.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/enum_names.h"
#include "core/engine.h"
#include "server/trade_tape.h"

namespace vnt::server {

enum class WsChannel : std::uint8_t { kMarket, kForeign, kIndex, kAlerts, kTrades, kCount };
// The channels' names: the path after "/ws/", the "channel" member of every message, metric labels and
// the bus's Redis keys.
inline constexpr auto kWsChannelNames = MakeEnumNames<WsChannel>({
    {WsChannel::kMarket, "market"},
    {WsChannel::kForeign, "foreign"},
    {WsChannel::kIndex, "index"},
    {WsChannel::kAlerts, "alerts"},
    {WsChannel::kTrades, "trades"},
});
static_assert(kWsChannelNames.Unique() &&
                  kWsChannelNames.size() == static_cast<std::size_t>(WsChannel::kCount),
              "one name per WsChannel");
// "market", "foreign", ...; "" for kCount.
std::string_view ToString(WsChannel c);
// "/ws/market" -> kMarket; nullopt for other paths.
std::optional<WsChannel> WsChannelOfPath(std::string_view path);

// A client's symbol filter; empty = everything.
using SymbolFilter = std::set<std::string>;
// Parses "ACB,fpt" into a filter (upper-cased); false when a symbol is malformed.
bool ParseSymbolFilter(std::string_view list, SymbolFilter* out);

class Publisher : public core::MarketSink {
 public:
  explicit Publisher(const core::MarketEngine& engine) : engine_(engine) {}

  // --- MarketSink: record what changed ---
  void OnQuote(Symbol s) override { dirty_symbols_.insert(s); }
  void OnStatsChanged(Symbol s) override { dirty_symbols_.insert(s); }
  // A symbol's market message carries its foreign flow too (the board reads it there): both are due.
  void OnForeignChanged(Symbol s) override {
    dirty_foreign_.insert(s);
    dirty_symbols_.insert(s);
  }
  void OnIndexChanged(Symbol s) override { dirty_indices_.insert(s); }
  void OnFuturesChanged(const core::FuturesState&) override { futures_dirty_ = true; }
  void OnSessionChanged(Symbol, Session) override { session_dirty_ = true; }
  void OnAlert(const core::Alert& a) override;
  void OnTrade(const core::ClassifiedTrade& t) override;
  void OnDayStarted(Date) override;

  // Today's time & sales (also served by REST).
  const TradeTape& tape() const { return tape_; }

  // True when channel c has changes waiting for the next tick.
  bool Dirty(WsChannel c) const;
  // Starts a tick: assigns the next sequence number to every dirty channel. Then build the deltas
  // (once per distinct filter) with Delta(), then call EndTick().
  void BeginTick(bool foreign_due = true);
  // True when channel c publishes in the current tick.
  bool Ticking(WsChannel c) const { return ticking_[static_cast<std::size_t>(c)]; }
  // The delta of channel c for this tick (call between BeginTick and EndTick; only for Dirty channels).
  std::string Delta(WsChannel c, const SymbolFilter& filter) const;
  // Clears the change sets of the channels that published (a foreign change waits for its cadence).
  void EndTick();
  // A full snapshot of channel c with its current sequence number.
  std::string Snapshot(WsChannel c, const SymbolFilter& filter) const;
  // Alerts raised since the last call, each as a ready message (pushed immediately, not throttled).
  std::vector<std::string> TakeAlertMessages();
  // Wall-clock time (Unix ms) stamped on messages built from now on as "sent_ms", for end-to-end latency
  // measurements by clients; 0 = not stamped. The server sets it (a placeholder it overwrites once the
  // message is built: see EngineSource::Tick); the publisher never reads a clock.
  void SetSentMs(std::int64_t ms) { sent_ms_ = ms; }
  // The stream epoch stamped on every message (set once at start).
  void SetEpoch(std::uint64_t epoch) { epoch_ = epoch; }
  std::uint64_t epoch() const { return epoch_; }
  // `filter` plus the KRX and VN30FYYMM codes of every futures alias or code it names (trades carry the
  // code the feed used).
  SymbolFilter ExpandFutures(const SymbolFilter& filter) const;
  // Current sequence number of a channel.
  std::uint64_t seq(WsChannel c) const { return seq_[static_cast<std::size_t>(c)]; }

  // The trades per symbol a /ws/trades snapshot carries (the edges keep the same: bus/edge_state.h).
  static constexpr std::size_t kTradesSnapshotPerSymbol = 50;

 private:
  enum class Kind : std::uint8_t { kSnapshot, kDelta };
  // What a message's data carries: this tick's changes, or the whole state (a snapshot; a delta of a new
  // day).
  enum class Extent : std::uint8_t { kChanges, kWhole };
  std::string Message(WsChannel c, Kind kind, const SymbolFilter& filter, Extent extent) const;
  // /ws/market data: from the published view (snapshots, and deltas of a new day) or this tick's patches.
  void MarketView(std::string* out, const SymbolFilter& filter) const;
  void MarketPatches(std::string* out, const SymbolFilter& filter) const;
  // Serialises every symbol, index and contract into view_ (the state clients are given as of seq).
  void RebuildView() const;
  // Once per tick: the patches of the dirty items against view_, which then moves to the new state.
  void PrepareMarketTick() const;
  void ForeignData(std::string* out, const SymbolFilter& filter, Extent extent) const;
  void IndexData(std::string* out, Extent extent) const;
  // /ws/trades data: this tick's trades (oldest first), or the latest kTradesSnapshotPerSymbol per symbol.
  void TradesData(std::string* out, const SymbolFilter& filter, Extent extent) const;

  const core::MarketEngine& engine_;
  std::set<Symbol> dirty_symbols_, dirty_foreign_, dirty_indices_;
  // The market channel as last published (mutable: built lazily by the const message builders).
  struct View {
    bool valid = false;
    std::map<Symbol, std::string> symbols, indices, futures;  // item -> its JSON object
  };
  struct TickPatches {
    bool prepared = false, full = false;
    std::vector<std::pair<Symbol, std::string>> symbols, indices;
    std::vector<std::string> futures;  // each with its "symbol"
  };
  mutable View view_;
  mutable TickPatches patches_;
  bool futures_dirty_ = false, session_dirty_ = false, day_started_ = false;
  std::array<std::uint64_t, static_cast<std::size_t>(WsChannel::kCount)> seq_{};
  std::array<bool, static_cast<std::size_t>(WsChannel::kCount)> ticking_{};
  std::vector<std::string> alert_messages_;
  TradeTape tape_;
  // Trades since the last tick (copies: the tape may evict them); beyond kMaxPendingTrades the tick sends
  // the latest trades per symbol as a full message instead.
  static constexpr std::size_t kMaxPendingTrades = 20000;
  std::vector<TapeTrade> pending_trades_;
  bool trades_overflow_ = false;
  std::int64_t sent_ms_ = 0;
  std::uint64_t epoch_ = 0;
};

}  // namespace vnt::server
