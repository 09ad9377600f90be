#pragma once
// `vntracker sim-server`: an SSI FastConnect Data v2 endpoint on loopback backed by the market simulator
// (REST under /api/v2/Market/, classic SignalR 2 under /v2.0/signalr). This header keeps Beast out of its
// includers: only sim_http_server.cpp compiles Beast.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "common/log.h"
#include "common/result.h"
#include "sim/simulator.h"
#include "simserver/access_token.h"

namespace vnt::simserver {

struct SimServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9100;
  Credentials credentials;           // both empty: any non-empty pair is accepted
  sim::SimConfig sim;                // the server switches every channel on
  double speed = 1.0;                // x real time; <= 0: as fast as possible
  int keepalive_ms = 10000;          // "{}" to every connection this often; KeepAliveTimeout = 2 x this
  double disconnect_timeout_s = 30;  // how long /reconnect can resume a connection without a transport
  std::int64_t token_ttl_s = 8 * 3600;
  bool replace_subscriptions = false;      // SwitchChannels replaces everything (default: per channel type)
  int fault_malformed_every = 0;           // every Nth data frame to a connection is cut in half (0 = off)
  double fault_silence_after_s = 0;        // a connection gets nothing at all after this long (0 = off)
  std::size_t client_queue_limit = 50000;  // frames queued for a slow client before it is disconnected
  LogSink log;
};

// Serves until SIGINT/SIGTERM; an error (kIo, field "--listen") when the address cannot be bound.
Status RunSimServer(const SimServerOptions& opts);

}  // namespace vnt::simserver
