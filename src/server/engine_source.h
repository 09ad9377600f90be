#pragma once
// The engine node's WebSocket source: every ws_interval, each channel with changes becomes one delta
// built for every symbol (the publisher's), kept in the channel's MessageLog for resumes, handed to the bus
// (when edges follow this engine) and broadcast to this node's own clients. Alerts go out at once
// (PushAlerts). Snapshots are the publisher's, built on demand; the bus gets one per channel at least every
// `bus_snapshot_interval` while the channel changes, and all of them whenever it asks (after a reconnect).

#include <array>
#include <chrono>

#include "server/publisher.h"
#include "server/ws_source.h"

namespace vnt::server {

struct EngineSourceOptions {
  std::chrono::milliseconds foreign_interval{1000};  // /ws/foreign cadence (CHANNEL_R_INTERVAL_MS)
  std::chrono::milliseconds bus_snapshot_interval{5000};
  std::size_t resume_messages = 600;  // per channel: 5 minutes of deltas at the default cadence
};

class EngineSource : public WsSource {
 public:
  EngineSource(Publisher& publisher, EngineSourceOptions opts);

  void SetBroadcast(Broadcast b) { broadcast_ = std::move(b); }
  // Also publish to `bus` (null = none). Not owned.
  void SetBus(MessageBus* bus) { bus_ = bus; }

  std::vector<SharedMessage> Snapshot(WsChannel c) override;
  bool Since(WsChannel c, std::uint64_t epoch, std::uint64_t seq,
             std::vector<SharedMessage>* out) const override;
  SymbolFilter Expand(const SymbolFilter& filter) const override { return publisher_.ExpandFutures(filter); }
  void Tick(std::chrono::steady_clock::time_point now) override;
  // Sends the alerts raised since the last call (call after engine updates).
  void PushAlerts();

 private:
  void Emit(WsChannel c, std::uint64_t seq, SharedMessage msg);
  void PublishBusSnapshots(std::chrono::steady_clock::time_point now);

  static constexpr std::size_t kChannels = static_cast<std::size_t>(WsChannel::kCount);
  Publisher& publisher_;
  EngineSourceOptions opts_;
  Broadcast broadcast_;
  MessageBus* bus_ = nullptr;
  std::array<MessageLog, kChannels> logs_;
  std::chrono::steady_clock::time_point last_foreign_{};
  // Per channel: when the bus last got a snapshot, and at which seq (0 and never = not yet).
  std::array<std::chrono::steady_clock::time_point, kChannels> bus_snapshot_at_{};
  std::array<std::uint64_t, kChannels> bus_snapshot_seq_{};
  std::array<bool, kChannels> bus_snapshot_sent_{};
};

}  // namespace vnt::server
