#pragma once
// The market as an edge holds it (`vntracker edge`): each channel's latest snapshot with the deltas since
// applied, materialised per item (symbol, index, contract, alert, trade) as the JSON text the engine
// wrote, so that the edge answers the /api/market/* reads the channels carry (bus/edge_market_service.h)
// with the engine node's bytes. Market deltas are field-level patches (api/json_patch.h) merged here as a
// client merges them; foreign and trades deltas carry whole items. Pure and single-threaded (the edge's
// loop): JSON slices in, JSON slices out, no clock.

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/alerts.h"
#include "server/publisher.h"
#include "server/trade_tape.h"

namespace vnt::bus {

class EdgeSource;

// A JSON object as its members' raw texts, in order (keys without escapes, as JsonWriter writes them).
class RawObject {
 public:
  // Replaces the content with `obj`'s members; false (and empty) when it is not such an object.
  bool Parse(std::string_view obj);
  const std::string* Find(std::string_view key) const;
  // Replaces the member's value in place, or appends it.
  void Set(std::string_view key, std::string value);
  void Erase(std::string_view key);
  void Clear();
  std::size_t size() const { return members_.size(); }
  const std::vector<std::pair<std::string, std::string>>& members() const { return members_; }
  // The compact JSON text.
  std::string Text() const;
  void AppendText(std::string* out) const;

 private:
  std::vector<std::pair<std::string, std::string>> members_;
  std::unordered_map<std::string, std::size_t> index_;
};

// `patch` merged into `base` as a client merges a /ws/market patch: objects member by member (recursively),
// anything else replaced; a null that replaces an object removes the member (a member that vanished, such
// as a symbol's "foreign"); a member new to `base` is appended. When either is not an object: `patch`.
std::string MergePatch(std::string_view base, std::string_view patch);

// The engine's clock and session as the channel messages carry them (raw JSON values: a string or null).
struct EdgeHeader {
  std::string trading_date = "null", exchange_time = "null", session = "null";
};

class EdgeState {
 public:
  // Capacities of what the engine node keeps, taken from where the engine defines them: recent alerts, trades
  // per symbol, and the trades per symbol a /ws/trades snapshot carries.
  struct Limits {
    std::size_t alerts = core::AlertConfig{}.recent_capacity;
    std::size_t tape_per_symbol = server::TradeTape::kDefaultPerSymbol;
    std::size_t trades_snapshot_per_symbol = server::Publisher::kTradesSnapshotPerSymbol;
  };
  EdgeState() : EdgeState(Limits{}) {}
  explicit EdgeState(Limits limits) : limits_(limits) {}

  // Brings every channel up to what `source` holds: the deltas after the last message applied, or (a new
  // epoch, a resynchronisation, a moved snapshot base on the market, foreign and alerts channels) its
  // snapshot and the deltas since. The trades channel keeps what it has while the deltas join on, so that
  // its tape grows deeper than a snapshot's.
  void Follow(EdgeSource& source);
  // The same for one channel. The edge calls it for the trades channel after every message it takes (the
  // tape is as deep as the deltas it has seen join on; the other channels follow when a read needs them).
  void Follow(EdgeSource& source, server::WsChannel c);
  // True when channel c has a state (the source is synced and something was applied).
  bool ready(server::WsChannel c) const { return ch_[Index(c)].ready; }

  // Applies one channel message: a snapshot or a "full" delta replaces the channel's state, a delta or an
  // alert applies onto it. False when the message cannot be read.
  bool Apply(server::WsChannel c, std::string_view msg);
  void Reset(server::WsChannel c);

  // The newest clock among the channels' messages.
  const EdgeHeader& header() const;

  // --- market channel ---
  const RawObject& symbols() const { return symbols_; }  // symbol -> WriteSymbol text, engine order
  const RawObject& indices() const { return indices_; }
  const std::vector<std::string>& futures() const { return futures_; }  // WriteFutures texts
  // The contract named by its VN30FYYMM code, KRX code or (`aliases`) alias, upper case: its index in
  // futures(), or -1.
  int FindContract(std::string_view name, bool aliases = true) const;

  // --- foreign channel ---
  const std::string& foreign_vn30() const { return foreign_vn30_; }  // {"buy_vol",..,"net_speed_val"}
  const RawObject& foreign_symbols() const { return foreign_symbols_; }

  // --- alerts channel ---
  struct Alert {
    std::string text;  // WriteAlert
    std::uint64_t id = 0;
    std::int64_t rule_id = 0;
    std::string type, severity, symbol, contract, alias;
    std::string time;  // "YYYY-MM-DDTHH:MM:SS" (the wire's time without "+07:00"; "" when unknown)
  };
  const std::deque<Alert>& alerts() const { return alerts_; }  // oldest first

  // --- trades channel ---
  struct Trade {
    std::uint64_t seq = 0;
    std::int64_t volume = 0;
    std::string text;  // WriteTrade with its tape seq
  };
  // The symbol's newest trades first: at most `limit` with seq < before_seq (0 = no bound) and volume >=
  // min_volume. *exact: the engine's tape would answer the same (this one holds every trade the engine
  // holds for the symbol, or at least `limit` that match newer than what it lacks).
  std::vector<const Trade*> Latest(std::string_view symbol, std::size_t limit, std::uint64_t before_seq,
                                   std::int64_t min_volume, bool* exact) const;
  bool HasTrades(std::string_view symbol) const { return tape_.count(std::string(symbol)) > 0; }

  // Increases whenever a message is applied (a cache key for answers built from the state).
  std::uint64_t version() const { return version_; }

 private:
  static std::size_t Index(server::WsChannel c) { return static_cast<std::size_t>(c); }
  static constexpr std::size_t kChannels = static_cast<std::size_t>(server::WsChannel::kCount);
  struct Channel {
    bool ready = false, have = false;
    std::uint64_t epoch = 0, seq = 0, base_seq = 0;
    EdgeHeader header;
    bool has_header = false;
  };
  void ClearData(server::WsChannel c);
  bool ApplyMarket(std::string_view data, bool replace);
  bool ApplyForeign(std::string_view data, bool replace);
  bool ApplyAlert(std::string_view alert);
  bool ApplyTrades(std::string_view data, bool replace);
  void ReadHeader(server::WsChannel c, const std::vector<std::pair<std::string_view, std::string_view>>& top);

  Limits limits_;
  std::array<Channel, kChannels> ch_{};
  std::uint64_t version_ = 0;
  RawObject symbols_, indices_;
  std::vector<std::string> futures_;
  std::string foreign_vn30_;
  RawObject foreign_symbols_;
  std::deque<Alert> alerts_;
  struct Tape {
    std::deque<Trade> trades;  // oldest first
    bool complete = false;     // every trade of the day the engine still holds
  };
  std::unordered_map<std::string, Tape> tape_;
};

}  // namespace vnt::bus
