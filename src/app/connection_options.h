#pragma once
// The per-connection limits and WebSocket settings that `serve` and `edge` share (their flags are declared
// once, in main.cpp's AddConnectionOptions).

#include <chrono>

#include "server/http_server.h"

namespace vnt::app {

struct ConnectionOptions {
  int ws_per_ip = 50;          // concurrent WebSocket connections per peer address
  int conn_per_ip = 256;       // concurrent TCP connections per peer address (0 = no cap)
  int write_timeout_s = 10;    // a write not completed in this time closes the connection
  int ws_idle_timeout_s = 30;  // a WebSocket with nothing received this long is closed (pinged at half)
  bool ws_deflate = true;      // permessage-deflate with clients that offer it
  int ws_send_buffer = 0;      // SO_SNDBUF of each WebSocket, bytes (0 = kernel autotuning)

  void ApplyTo(server::ServerOptions* s) const {
    s->ws_per_ip_limit = ws_per_ip;
    s->conn_per_ip_limit = conn_per_ip;
    s->write_timeout = std::chrono::seconds(write_timeout_s);
    s->ws_idle_timeout = std::chrono::seconds(ws_idle_timeout_s);
    s->ws_deflate = ws_deflate;
    s->ws_send_buffer = ws_send_buffer;
  }
};

}  // namespace vnt::app
