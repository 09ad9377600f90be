#include "server/ws_session.h"

#include <boost/asio.hpp>

#include <array>

namespace vnt::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

WsSession::WsSession(tcp::socket socket, std::string already_read, WsChannel channel, SymbolFilter filter,
                     std::string ip, std::optional<ws::DeflateParams> deflate, std::size_t max_message,
                     WsWriteStats* stats)
    : socket_(std::move(socket)),
      already_read_(std::move(already_read)),
      channel_(channel),
      filter_(std::move(filter)),
      ip_(std::move(ip)),
      deflate_(deflate),
      reader_(max_message, deflate),
      stats_(stats),
      last_received_(Clock::now()) {
  // Pump's first try at every write must not block the thread that serves every client.
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
}

WsSession::~WsSession() = default;

bool WsSession::Enqueue(SharedFrame frame, std::size_t limit) {
  if (!open_ || close_queued_) return true;
  if (queue_.size() >= limit) return false;
  queue_.push_back(std::move(frame));
  Pump();
  return true;
}

void WsSession::Replace(std::vector<SharedFrame> frames) {
  if (!open_ || close_queued_) return;
  queue_.assign(std::make_move_iterator(frames.begin()), std::make_move_iterator(frames.end()));
  Pump();
}

int WsSession::NoteBehind() {
  if (wrote_since_behind_) coalesced_streak_ = 0;
  wrote_since_behind_ = false;
  return ++coalesced_streak_;
}

void WsSession::Close(std::uint16_t code, std::string_view reason) {
  if (!open_ || close_queued_) return;
  queue_.clear();
  QueueControl(ws::Opcode::kClose, ws::ClosePayload(code, reason));
}

void WsSession::Abort() {
  Shutdown();
}

void WsSession::QueueControl(ws::Opcode op, std::string payload) {
  if (!open_ || close_queued_) return;
  if (op == ws::Opcode::kClose) {
    close_queued_ = true;
    close_started_ = Clock::now();
  }
  control_.push_back(ws::EncodeFrame(op, payload));
  Pump();
}

WsSession::Health WsSession::Check(Clock::time_point now, Clock::duration write_timeout,
                                   Clock::duration idle_timeout) {
  if (!open_) return Health::kOk;
  if (writing_ && now - write_started_ > write_timeout) return Health::kOverdue;
  // A close handshake the client never answers ends like a write that never completes.
  if (close_queued_ && now - close_started_ > write_timeout) return Health::kOverdue;
  if (now - last_received_ > idle_timeout) return Health::kIdle;
  if (!ping_outstanding_ && now - last_received_ > idle_timeout / 2) {
    ping_outstanding_ = true;
    QueueControl(ws::Opcode::kPing, {});
  }
  return Health::kOk;
}

// Writes what is queued, one batch at a time: the control frames first, then up to kMaxFramesPerWrite data
// frames in one gather write. Each batch is tried at once with a non-blocking send: on the fan-out path
// (every client, every tick) the socket almost always has room, and a batch written here costs one syscall
// and no asynchronous operation, as the plain send() floor does. Only what the kernel did not take goes on
// as an async_write, one at a time, so frames never interleave.
void WsSession::Pump() {
  while (!writing_ && open_) {
    Buffers bufs;
    bool sends_close = false;
    if (!control_.empty()) {
      inflight_control_.clear();
      while (!control_.empty()) {
        const bool is_close = (static_cast<unsigned char>(control_.front()[0]) & 0x0F) ==
                              static_cast<unsigned>(ws::Opcode::kClose);
        inflight_control_ += control_.front();
        control_.pop_front();
        if (is_close) {
          sends_close = true;
          control_.clear();
          queue_.clear();
          break;
        }
      }
      bufs.emplace_back(net::buffer(inflight_control_));
    }
    if (!sends_close && !close_queued_) {
      while (!queue_.empty() && inflight_.size() < kMaxFramesPerWrite) {
        inflight_.push_back(std::move(queue_.front()));
        queue_.pop_front();
        bufs.emplace_back(net::buffer(*inflight_.back()));
      }
    }
    if (bufs.empty()) return;
    boost::system::error_code ec;
    const std::size_t total = net::buffer_size(bufs);
    std::size_t sent = socket_.write_some(bufs, ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      ec = {};
      sent = 0;
    }
    if (ec) return Shutdown();
    if (sent == total) {
      if (!Written(sends_close)) return;
      continue;
    }
    if (stats_ != nullptr) ++stats_->partial;
    writing_ = true;
    write_started_ = Clock::now();
    net::async_write(socket_, Skip(bufs, sent),
                     [self = shared_from_this(), sends_close](boost::system::error_code ec2, std::size_t) {
                       self->writing_ = false;
                       if (ec2) return self->Shutdown();
                       if (self->Written(sends_close)) self->Pump();
                     });
    return;
  }
}

// A batch is on the wire: frees it. Returns false when nothing more may be written (our close went out).
bool WsSession::Written(bool sent_close) {
  inflight_.clear();
  inflight_control_.clear();
  wrote_since_behind_ = true;
  if (!sent_close) return true;
  close_sent_ = true;
  // Our close answered theirs (or the reader stopped on a protocol error): the handshake is done; else
  // wait for the client's close (bounded by Check).
  if (peer_closed_) Shutdown();
  return false;
}

// `bufs` without its first `n` bytes.
WsSession::Buffers WsSession::Skip(const Buffers& bufs, std::size_t n) {
  Buffers rest;
  for (const auto& b : bufs) {
    if (n >= b.size()) {
      n -= b.size();
      continue;
    }
    rest.push_back(b + n);
    n = 0;
  }
  return rest;
}

void WsSession::Shutdown() {
  open_ = false;
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

net::awaitable<void> WsSession::Run(std::function<void(WsSession&, std::string&&)> on_message) {
  auto self = shared_from_this();
  using Kind = ws::ClientEvent::Kind;
  std::array<char, 16384> buf{};
  if (!already_read_.empty()) reader_.Feed(already_read_);
  already_read_.clear();
  bool reading = true;
  while (reading && open_) {
    for (;;) {
      ws::ClientEvent e = reader_.Next();
      if (e.kind == Kind::kNeedMore) break;
      switch (e.kind) {
        case Kind::kMessage:
          on_message(*this, std::move(e.payload));
          break;
        case Kind::kPing:
          QueueControl(ws::Opcode::kPong, std::move(e.payload));
          break;
        case Kind::kPong:
          break;
        case Kind::kClose:
          peer_closed_ = true;
          reading = false;
          if (close_sent_) {
            Shutdown();
          } else {
            // Echo the code (RFC 6455 §5.5.1); none given -> a close without a code.
            QueueControl(ws::Opcode::kClose,
                         e.code == ws::close_code::kNoStatus ? std::string() : ws::ClosePayload(e.code, ""));
          }
          break;
        case Kind::kError:
          peer_closed_ = true;  // nothing more is read: close as soon as our close frame is out
          reading = false;
          if (close_sent_)
            Shutdown();
          else
            QueueControl(ws::Opcode::kClose, ws::ClosePayload(e.code, e.reason));
          break;
        case Kind::kNeedMore:
          break;
      }
      if (!reading) break;
    }
    if (!reading || !open_) break;
    auto [ec, n] = co_await socket_.async_read_some(net::buffer(buf), net::as_tuple(net::use_awaitable));
    if (ec) break;
    last_received_ = Clock::now();
    ping_outstanding_ = false;
    reader_.Feed(std::string_view(buf.data(), n));
  }
  // The peer left or the server stopped: no more writes. Otherwise the close frame queued or in flight
  // ends the connection once written (Pump), or Check does when it never is.
  if (!peer_closed_) Shutdown();
}

}  // namespace vnt::server
