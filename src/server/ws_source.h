#pragma once
// What the WebSocket server fans out, whoever builds it. Messages are built once for every symbol and
// narrowed per client filter (server/ws_filter.h). The engine node's source is its publisher
// (server/engine_source.h); an edge's is the state it follows from the bus (bus/edge_source.h).
//
// Resume: a client that reconnects with the (epoch, seq) it last applied (query `?epoch=E&seq=S`, or
// {"action":"resume","epoch":E,"seq":S}) gets the deltas it missed when the source still holds them, else
// a snapshot, so it never has a silent gap.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/message_log.h"
#include "server/publisher.h"

namespace vnt::server {

class WsSource {
 public:
  virtual ~WsSource() = default;
  // The messages that bring a new client of channel `c` up to date, for every symbol: a snapshot (on an
  // edge, its latest snapshot and the deltas since). Empty when the source has nothing yet.
  virtual std::vector<SharedMessage> Snapshot(WsChannel c) = 0;
  // The deltas of `c` after (epoch, seq), oldest first, when all are held; false = send a snapshot.
  virtual bool Since(WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                     std::vector<SharedMessage>* out) const = 0;
  // A client's filter with the codes each futures alias it names stands for.
  virtual SymbolFilter Expand(const SymbolFilter& filter) const = 0;
  // Called on the server's loop every ws_interval (the engine node publishes its deltas here).
  virtual void Tick(std::chrono::steady_clock::time_point /*now*/) {}
};

// Sends messages built for every symbol to every open client of a channel, narrowed per filter.
using Broadcast = std::function<void(WsChannel, const std::vector<SharedMessage>&)>;

// Where the engine node also sends what it publishes, for edges to follow (bus/redis_bus.h).
class MessageBus {
 public:
  virtual ~MessageBus() = default;
  virtual void PublishDelta(WsChannel c, std::uint64_t epoch, std::uint64_t seq, SharedMessage msg) = 0;
  virtual void PublishSnapshot(WsChannel c, std::uint64_t epoch, std::uint64_t seq, SharedMessage msg) = 0;
  // True once after the bus lost messages or reconnected: every channel's snapshot should be published.
  virtual bool TakeSnapshotRequest() = 0;
};

}  // namespace vnt::server
