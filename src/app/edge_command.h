#pragma once
// `vntracker edge`: a stateless WebSocket fan-out server. No feed and no engine: it follows what one
// `vntracker serve --bus` publishes to Redis (bus/redis_follower.h) and serves the same /ws/* protocol
// (snapshot on connect, sequenced deltas, ?symbols= filters, alerts, resume), /health, /metrics, the web
// app, the /api/market/* reads its channels carry (bus/edge_market_service.h; the others answer 503
// engine_only) and, with --db, /api/history/* from the store the engine node writes. Rules and the
// engine-only reads stay on the engine node (deploy/nginx/nginx.conf routes them).

#include <cstdint>
#include <string>
#include <vector>

#include "app/connection_options.h"

namespace vnt::app {

struct EdgeOptions {
  std::string bus;  // redis://HOST:PORT[/DB] (REDIS_URL), required
  std::string host = "127.0.0.1";
  std::uint16_t port = 8001;
  std::string web_dir;
  std::string db = "none";  // postgresql://... (or sqlite:PATH) for /api/history/*
  ConnectionOptions conn;   // per-address caps, timeouts, permessage-deflate
  int resume_messages = 600;
  std::string api_token;
  std::vector<std::string> cors_origins;
  std::string log_level = "INFO";
};

// Runs until SIGINT/SIGTERM. Returns the process exit status.
int RunEdge(const EdgeOptions& opts);

}  // namespace vnt::app
