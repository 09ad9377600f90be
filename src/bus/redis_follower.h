#pragma once
// An edge's side of the bus: on a thread of its own, reads each channel's snapshot key, then follows the
// channel streams from the snapshot's entry id (XREAD BLOCK), handing every message to `deliver` (which
// posts it to the edge's loop). Snapshots are read again every `refresh` (the edge's base moves forward;
// a new epoch is noticed even when no delta arrives), and whenever the edge asks (RequestSnapshot, after a
// gap). A lost connection is retried with backoff (100 ms doubling to 1 s); following resumes from the last
// entry read, and the edge's gap check decides whether a snapshot is needed.

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "bus/arrival.h"
#include "bus/redis_url.h"
#include "common/log.h"
#include "server/ws_source.h"

namespace vnt::bus {

struct FollowerOptions {
  RedisUrl url;
  std::chrono::milliseconds block{100};     // XREAD BLOCK: the longest a snapshot request waits
  std::chrono::milliseconds refresh{5000};  // snapshot keys read again
  std::chrono::milliseconds timeout{1000};  // connect and command timeout (besides the block)
  LogSink log;
};

class RedisFollower {
 public:
  // Called on the follower's thread, in stream order per channel.
  using Deliver = std::function<void(server::WsChannel, server::SharedMessage, Arrival)>;
  RedisFollower(FollowerOptions opts, Deliver deliver);
  ~RedisFollower();
  void Start();
  void Stop();
  // Any thread: read channel c's snapshot again and follow its stream from there.
  void RequestSnapshot(server::WsChannel c);

  bool connected() const { return connected_; }
  std::uint64_t reconnects() const { return reconnects_; }

 private:
  void Run();
  void Log(LogLevel level, const std::string& line) const {
    if (opts_.log) opts_.log(level, line);
  }
  static constexpr std::size_t kChannels = static_cast<std::size_t>(server::WsChannel::kCount);

  FollowerOptions opts_;
  Deliver deliver_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::array<std::atomic<bool>, kChannels> requested_{};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> reconnects_{0};
};

}  // namespace vnt::bus
