#pragma once
// `vntracker serve`: feed -> decoder -> engine -> (WebSocket publisher, history store, alert delivery,
// metrics), with the REST/WS server, on one event-loop thread (the store writer and the alert delivery
// have their own).

#include <cstdint>
#include <string>

#include <vector>
#include "app/connection_options.h"

#include "core/engine.h"
#include "notify/alert_delivery.h"
#include "source/make_feed.h"

namespace vnt::app {

struct ServeOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  source::FeedOptions feed;                       // --feed, --speed, --sim-*, --ssi-*
  std::string db = "sqlite:./data/vntracker.db";  // sqlite:PATH | postgresql://... | none
  std::size_t store_buffer_rows = 200'000;        // rows held in memory while the store is slow or down
  int retention_days = 0;                         // market history kept, calendar days (0 = forever)
  std::string web_dir;                            // built web app; default ./web/dist when present
  int ws_interval_ms = 500;
  ConnectionOptions conn;          // per-address caps, timeouts, permessage-deflate
  int max_rules = 200;             // user alert rules kept at most
  int foreign_interval_ms = 1000;  // CHANNEL_R_INTERVAL_MS: /ws/foreign cadence
  int resume_messages = 600;       // deltas kept per channel for clients that resume
  std::string bus;                 // redis://HOST:PORT[/DB] (REDIS_URL): publish for `vntracker edge`
  std::string api_token;
  std::vector<std::string> cors_origins;
  std::string log_level = "INFO";
  notify::DeliveryOptions alerts;  // webhook, Telegram (--alert-*, --telegram-*)
  core::EngineConfig engine;
};

// Runs until SIGINT/SIGTERM. Returns the process exit status (non-zero on a start-up failure).
int RunServe(const ServeOptions& opts);

}  // namespace vnt::app
