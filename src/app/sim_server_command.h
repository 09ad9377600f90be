#pragma once
// `vntracker sim-server --listen HOST:PORT`: the SSI FastConnect Data v2 simulator server.

#include <cstddef>
#include <cstdint>
#include <string>

namespace vnt::app {

struct SimServerCommandOptions {
  std::string listen = "127.0.0.1:9100";
  std::string consumer_id, consumer_secret;  // default: SSI_CONSUMER_ID / SSI_CONSUMER_SECRET
  double speed = 1.0;
  std::uint64_t sim_seed = 1;
  std::string sim_date, sim_start, sim_end;
  int keepalive_ms = 10000;
  std::int64_t token_ttl_s = 8 * 3600;
  std::string subscription = "additive";  // additive | replace
  int fault_malformed_every = 0;
  double fault_silence_after_s = 0;
  std::size_t client_queue_limit = 50000;
  std::string log_level = "INFO";
};

// Runs the server until SIGINT/SIGTERM; returns the exit status (2 on bad options or a busy port).
int RunSimServerCommand(const SimServerCommandOptions& opts);

}  // namespace vnt::app
