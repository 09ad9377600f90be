#pragma once
// An edge's WebSocket source (`vntracker edge`): no feed and no engine, only what the engine node
// published. Per channel it keeps the latest snapshot message it holds (the base) and every delta since, in
// a MessageLog: a new client gets the base and the deltas after it, byte for byte as the engine built them
// (narrowed per filter by the server, as on the engine node); a resuming client gets what it missed.
// Deltas must follow each other (same epoch, seq + 1): a gap or a new epoch makes the channel unsynced until
// a snapshot arrives, which is then sent to every client of the channel (a resynchronisation: never a silent
// gap). Pure and single-threaded: the follower (bus/redis_follower.h) posts to the loop that calls it.

#include <array>
#include <functional>
#include <map>
#include <optional>

#include "bus/arrival.h"
#include "server/ws_filter.h"
#include "server/ws_source.h"

namespace vnt::bus {

class EdgeSource : public server::WsSource {
 public:
  struct ChannelStatus {
    bool synced = false;
    std::uint64_t epoch = 0, seq = 0;
    std::int64_t last_sent_ms = 0;  // the engine's stamp on the latest delta (0 = none yet)
    std::int64_t lag_ms = -1;       // received - sent of the latest stamped delta (-1 = none yet)
    std::uint64_t deltas = 0, snapshots = 0, resyncs = 0, gaps = 0, stale = 0;
  };

  explicit EdgeSource(std::size_t resume_messages = 600);

  void SetBroadcast(server::Broadcast b) { broadcast_ = std::move(b); }
  // Asks the follower for channel c's snapshot (a gap or a new epoch was seen).
  void SetSnapshotRequest(std::function<void(server::WsChannel)> f) { request_ = std::move(f); }

  // A snapshot read from the bus (`how`: kRestart or kRefresh). kRestart: the follower restarted the channel
  // from it (first read, after a requested one, a new epoch): it becomes the state. kRefresh (a periodic
  // re-read) only becomes the base when it is one the deltas reached (kept pending while it is ahead of
  // them).
  void OnSnapshot(server::WsChannel c, server::SharedMessage msg, Arrival how);
  // `received_ms`: wall-clock Unix ms when it arrived (for the lag against the engine's stamp; 0 = unknown).
  void OnDelta(server::WsChannel c, server::SharedMessage msg, std::int64_t received_ms = 0);

  std::vector<server::SharedMessage> Snapshot(server::WsChannel c) override;
  bool Since(server::WsChannel c, std::uint64_t epoch, std::uint64_t seq,
             std::vector<server::SharedMessage>* out) const override;
  server::SymbolFilter Expand(const server::SymbolFilter& filter) const override;

  const ChannelStatus& status(server::WsChannel c) const { return ch_[Index(c)].status; }
  // The seq of the snapshot new clients start from (its deltas since follow it).
  std::uint64_t base_seq(server::WsChannel c) const { return ch_[Index(c)].base_seq; }

 private:
  static std::size_t Index(server::WsChannel c) { return static_cast<std::size_t>(c); }
  struct Channel {
    ChannelStatus status;
    server::MessageLog log;
    server::SharedMessage base;
    std::uint64_t base_seq = 0;
    server::SharedMessage pending;  // a refreshed snapshot ahead of the deltas
    std::uint64_t pending_seq = 0;
  };
  void Resync(server::WsChannel c, const server::SharedMessage& msg, const server::MessageHead& head);
  void SetBase(server::WsChannel c, server::SharedMessage msg, std::uint64_t seq);
  void LearnContracts(std::string_view market_msg);

  std::array<Channel, static_cast<std::size_t>(server::WsChannel::kCount)> ch_;
  server::Broadcast broadcast_;
  std::function<void(server::WsChannel)> request_;
  // Futures names (alias, KRX code, VN30FYYMM) -> every code of the contract, from the market channel.
  std::map<std::string, std::vector<std::string>> contracts_;
};

}  // namespace vnt::bus
