#pragma once
// One WebSocket connection after the handshake: a reader coroutine that parses the client's frames
// (ws::FrameReader) and a writer that sends pre-built frames, shared with every client of the same filter,
// and the control frames (pong, ping, close) between them, one write at a time so frames never interleave.
// Asio is in this header: only the server's Beast/Asio translation units include it.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/container/static_vector.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/publisher.h"
#include "server/ws_protocol.h"

namespace vnt::server {

// A whole WebSocket frame (header + payload), shared by every socket it is queued to.
using SharedFrame = std::shared_ptr<const std::string>;

// Write counters shared by every session of a server (one thread).
struct WsWriteStats {
  std::uint64_t partial = 0;  // writes the kernel did not take whole: the rest went on asynchronously
};

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  using Clock = std::chrono::steady_clock;
  // `already_read`: bytes that followed the upgrade request in the HTTP reader's buffer (client frames).
  WsSession(boost::asio::ip::tcp::socket socket, std::string already_read, WsChannel channel,
            SymbolFilter filter, std::string ip, std::optional<ws::DeflateParams> deflate,
            std::size_t max_message, WsWriteStats* stats = nullptr);
  ~WsSession();

  WsChannel channel() const { return channel_; }
  const SymbolFilter& filter() const { return filter_; }
  void SetFilter(SymbolFilter f) { filter_ = std::move(f); }
  const std::string& ip() const { return ip_; }
  // permessage-deflate was agreed: send it the compressed frames.
  bool deflate() const { return deflate_.has_value(); }
  bool open() const { return open_; }
  bool wants_snapshot() const { return wants_snapshot_; }
  void set_wants_snapshot(bool v) { wants_snapshot_ = v; }
  Clock::time_point last_snapshot() const { return last_snapshot_; }
  void set_last_snapshot(Clock::time_point t) { last_snapshot_ = t; }
  std::size_t queued() const { return queue_.size(); }

  // Queues a data frame and starts writing if idle. False when `limit` frames are queued already: the
  // client is behind.
  bool Enqueue(SharedFrame frame, std::size_t limit);
  // Replaces everything queued by `frames` (a snapshot): a slow client's updates are coalesced.
  void Replace(std::vector<SharedFrame> frames);
  // The client overflowed its queue again: the streak grows unless a write completed since the previous
  // overflow (a client that reads is not "too slow", however large the bursts). Returns the streak.
  int NoteBehind();
  // Sends a close frame after the write in flight (queued data is dropped), then waits for the client's.
  void Close(std::uint16_t code, std::string_view reason);
  // Closes the socket at once (the write in flight fails and the reader ends).
  void Abort();

  // Checked by the server every tick. kOverdue: a write (or the close handshake) has not completed within
  // `write_timeout`; kIdle: nothing received for `idle_timeout` (a ping is sent after half of it).
  enum class Health : std::uint8_t { kOk, kOverdue, kIdle };
  Health Check(Clock::time_point now, Clock::duration write_timeout, Clock::duration idle_timeout);

  // Reads until the connection ends; `on_message` gets every whole data message.
  boost::asio::awaitable<void> Run(std::function<void(WsSession&, std::string&&)> on_message);

 private:
  // Control frames (one buffer) plus the data frames of one gather write (a snapshot of several messages,
  // or a burst, goes in one syscall), with no heap allocation.
  static constexpr std::size_t kMaxFramesPerWrite = 16;
  using Buffers = boost::container::static_vector<boost::asio::const_buffer, kMaxFramesPerWrite + 1>;
  void Pump();
  bool Written(bool sent_close);
  static Buffers Skip(const Buffers& bufs, std::size_t n);
  void QueueControl(ws::Opcode op, std::string payload);
  void Shutdown();

  boost::asio::ip::tcp::socket socket_;
  std::string already_read_;
  WsChannel channel_;
  SymbolFilter filter_;
  std::string ip_;
  std::optional<ws::DeflateParams> deflate_;
  ws::FrameReader reader_;
  WsWriteStats* stats_;                // may be null
  std::deque<SharedFrame> queue_;      // data frames
  std::deque<std::string> control_;    // pong / ping / close frames, sent before queued data
  std::vector<SharedFrame> inflight_;  // kept alive while written (Replace may clear the queue)
  std::string inflight_control_;
  bool open_ = true, writing_ = false, wrote_since_behind_ = false, wants_snapshot_ = false;
  bool close_queued_ = false, close_sent_ = false, peer_closed_ = false, ping_outstanding_ = false;
  int coalesced_streak_ = 0;
  Clock::time_point write_started_{}, last_snapshot_{}, last_received_, close_started_{};
};

}  // namespace vnt::server
