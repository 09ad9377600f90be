#pragma once
// The engine node's side of the bus (`serve --bus redis://...`): every delta is appended to its channel's
// Redis Stream (XADD, entry id EPOCH-SEQ, MAXLEN ~ stream_maxlen) and every snapshot replaces the channel's
// snapshot key, from a thread of its own. The event loop only queues (bounded): a Redis that is slow or
// down never slows the engine. What cannot be queued or sent is counted as dropped; after a drop or a
// reconnect the engine is asked for fresh snapshots (TakeSnapshotRequest), so edges that saw a gap in a
// stream find a snapshot that closes it. At the first connection the streams of the previous epoch are
// deleted.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "bus/redis_url.h"
#include "common/log.h"
#include "server/ws_source.h"

namespace vnt::bus {

struct PublisherOptions {
  RedisUrl url;
  std::size_t queue_limit = 10'000;   // messages waiting for Redis before new ones are dropped
  std::size_t stream_maxlen = 2'000;  // deltas kept per channel stream (~16 min at 2/s)
  std::chrono::milliseconds timeout{1000};
  LogSink log;
};

class RedisPublisher : public server::MessageBus {
 public:
  explicit RedisPublisher(PublisherOptions opts);
  ~RedisPublisher() override;
  void Start();
  // Sends what is queued (bounded by the timeout), then stops the thread.
  void Stop();

  void PublishDelta(server::WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                    server::SharedMessage msg) override;
  void PublishSnapshot(server::WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                       server::SharedMessage msg) override;
  bool TakeSnapshotRequest() override { return snapshot_request_.exchange(false); }

  bool connected() const { return connected_; }
  std::uint64_t published() const { return published_; }  // commands Redis accepted
  std::uint64_t dropped() const { return dropped_; }      // queue full, or lost with a connection
  std::uint64_t errors() const { return errors_; }        // commands Redis refused
  std::size_t queued() const;

 private:
  struct Item {
    server::WsChannel channel;
    bool snapshot;
    std::uint64_t epoch, seq;
    server::SharedMessage msg;
  };
  void Enqueue(Item item);
  void Run();
  void Log(LogLevel level, const std::string& line) const {
    if (opts_.log) opts_.log(level, line);
  }

  PublisherOptions opts_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stop_ = false;
  std::thread thread_;
  std::atomic<bool> connected_{false}, snapshot_request_{false};
  std::atomic<std::uint64_t> published_{0}, dropped_{0}, errors_{0};
};

}  // namespace vnt::bus
