#pragma once
// The HTTP + WebSocket server (Boost.Beast, C++20 coroutines), on one io_context thread shared with the
// engine. This header keeps Beast out of its includers; only http_server.cpp compiles Beast.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "server/metrics.h"
#include "server/publisher.h"
#include "server/router.h"
#include "server/ws_source.h"

namespace boost::asio {
class io_context;
}

namespace vnt::server {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8000;                   // 0 = any free port (tests)
  std::size_t body_limit = 64 * 1024;          // larger request bodies get 413
  int ws_per_ip_limit = 50;                    // concurrent WebSocket connections per peer address
  int conn_per_ip_limit = 256;                 // concurrent TCP connections per peer address (0 = off)
  std::string api_token;                       // empty = off; else required on /api/* and /ws/*
  std::vector<std::string> cors_origins;       // allowed Origins ("*" = any)
  std::string static_dir;                      // the built web app (index.html), empty = none
  std::chrono::milliseconds ws_interval{500};  // delta cadence (WsSource::Tick)
  std::size_t ws_queue_limit = 16;             // messages queued per client before coalescing
  int ws_max_coalesce = 4;                     // consecutive coalesced ticks before a slow client is dropped
  std::chrono::seconds ws_idle_timeout{30};    // ping/pong: a silent peer is closed after this
  // permessage-deflate (RFC 7692) with clients that offer it: each message compressed once per filter.
  bool ws_deflate = true;
  // The kernel send buffer of each WebSocket, in bytes (0 = the kernel's autotuning, up to
  // net.ipv4.tcp_wmem's maximum: 4 MB here). Bounds the kernel memory a slow reader can hold; what does not
  // fit waits in the client's queue, where coalescing and the write timeout apply.
  int ws_send_buffer = 0;
  // A write (HTTP response or WebSocket message) that has not completed after this closes the socket:
  // a peer that never reads cannot pin kernel buffers, whatever it sends.
  std::chrono::seconds write_timeout{10};
  // A client's snapshot requests closer together than this are coalesced into one, sent when due.
  std::chrono::milliseconds snapshot_min_interval{250};
  // Where the server reports state changes (accept failing / recovered): level 1 info, 2 warning, 3 error.
  LogSink log;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, ServerOptions opts, Router& router, WsSource& source,
             Registry& metrics);
  ~HttpServer();
  // Binds and starts accepting. An error when it cannot: kInvalidArgument (field "address") for an address
  // that is not an IP address, kIo (field "port") when the socket cannot listen (the port in use).
  Status Start();
  // The bound port (after Start).
  std::uint16_t port() const;
  // Sends messages built for every symbol to the clients of `ch`, each narrowed to its filter (on the
  // server's loop thread).
  void Broadcast(WsChannel ch, const std::vector<SharedMessage>& msgs);
  // Stops accepting, closes WebSockets with 1001 (going away) and HTTP connections.
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace vnt::server
