#include "app/sim_server_command.h"

#include <charconv>
#include <cstdlib>

#include "common/env.h"
#include "common/log.h"
#include "simserver/sim_http_server.h"
#include "source/cli_time.h"

namespace vnt::app {

int RunSimServerCommand(const SimServerCommandOptions& opts) {
  SetLogLevel(ParseLogLevel(opts.log_level).value_or(LogLevel::kInfo));
  simserver::SimServerOptions so;
  const auto colon = opts.listen.rfind(':');
  unsigned port = 0;
  const char* port_end = opts.listen.data() + opts.listen.size();
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(opts.listen.data() + colon + 1, port_end, port).ptr != port_end || port == 0 ||
      port > 65535) {
    LogError("--listen must be HOST:PORT (got '" + opts.listen + "')");
    return 2;
  }
  so.host = opts.listen.substr(0, colon);
  so.port = static_cast<std::uint16_t>(port);
  so.credentials.id = OptionOrEnv(opts.consumer_id, "SSI_CONSUMER_ID");
  so.credentials.secret = OptionOrEnv(opts.consumer_secret, "SSI_CONSUMER_SECRET");
  if (so.credentials.id.empty() != so.credentials.secret.empty()) {
    LogError("give both --consumer-id and --consumer-secret (or neither: any credentials are accepted)");
    return 2;
  }
  const auto day = source::ChooseSimDay(opts.sim_date, opts.sim_start);
  if (!day) {
    LogError(day.error().message);
    return 2;
  }
  so.sim.date = day->date;
  so.sim.start = day->start;
  if (!opts.sim_end.empty() && !source::ParseCliTime(opts.sim_end, &so.sim.end)) {
    LogError("--sim-end must be HH:MM[:SS]");
    return 2;
  }
  if (opts.subscription != "additive" && opts.subscription != "replace") {
    LogError("--subscription must be additive or replace");
    return 2;
  }
  so.sim.seed = opts.sim_seed;
  so.speed = opts.speed;
  so.keepalive_ms = opts.keepalive_ms;
  so.token_ttl_s = opts.token_ttl_s;
  so.replace_subscriptions = opts.subscription == "replace";
  so.fault_malformed_every = opts.fault_malformed_every;
  so.fault_silence_after_s = opts.fault_silence_after_s;
  so.client_queue_limit = opts.client_queue_limit;
  so.log = Log;
  try {
    const Status served = simserver::RunSimServer(so);
    if (!served) {
      LogError(served.error().message);
      return 2;
    }
    return 0;
  } catch (
      const std::exception& e) {  // an invalid simulator configuration (e.g. --sim-end before --sim-start)
    LogError(std::string("sim-server: ") + e.what());
    return 2;
  }
}

}  // namespace vnt::app
