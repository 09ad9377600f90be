#include "app/sim_server_command.h"

#include <cstdlib>

#include "app/cli_time.h"
#include "app/log.h"
#include "core/calendar.h"

namespace vnt::app {

int RunSimServerCommand(const SimServerCommandOptions& opts) {
  SetLogLevel(opts.log_level);
  simserver::SimServerOptions so;
  const auto colon = opts.listen.rfind(':');
  const int port = colon == std::string::npos ? -1 : std::atoi(opts.listen.c_str() + colon + 1);
  if (colon == std::string::npos || port <= 0 || port > 65535) {
    LogError("--listen must be HOST:PORT (got '" + opts.listen + "')");
    return 2;
  }
  so.host = opts.listen.substr(0, colon);
  so.port = static_cast<std::uint16_t>(port);
  auto env = [](const char* n) { return std::getenv(n) ? std::string(std::getenv(n)) : std::string(); };
  so.consumer_id = !opts.consumer_id.empty() ? opts.consumer_id : env("SSI_CONSUMER_ID");
  so.consumer_secret = !opts.consumer_secret.empty() ? opts.consumer_secret : env("SSI_CONSUMER_SECRET");
  if (so.consumer_id.empty() != so.consumer_secret.empty()) {
    LogError("give both --consumer-id and --consumer-secret (or neither: any credentials are accepted)");
    return 2;
  }
  // The simulated day: like `serve`, today in Vietnam (or the last business day) from now in market hours.
  const auto [today, now] = VietnamNow();
  Date date = today;
  if (!opts.sim_date.empty() && !ParseCliDate(opts.sim_date, &date)) {
    LogError("--sim-date must be YYYY-MM-DD");
    return 2;
  }
  const core::HolidayCalendar& cal = core::HolidayCalendar::Vietnam();
  if (opts.sim_date.empty() && !cal.IsBusinessDay(date)) date = cal.PreviousBusinessDay(date);
  so.sim.date = date;
  so.sim.seed = opts.sim_seed;
  so.sim.start = TimeOfDay::Of(9, 14, 30);
  if (!opts.sim_start.empty()) {
    if (!ParseCliTime(opts.sim_start, &so.sim.start)) {
      LogError("--sim-start must be HH:MM[:SS]");
      return 2;
    }
  } else if (opts.sim_date.empty() && date == today && now >= TimeOfDay::Of(9, 0, 0) && now < TimeOfDay::Of(14, 45, 0)) {
    so.sim.start = now;
  }
  if (!opts.sim_end.empty() && !ParseCliTime(opts.sim_end, &so.sim.end)) {
    LogError("--sim-end must be HH:MM[:SS]");
    return 2;
  }
  if (opts.subscription != "additive" && opts.subscription != "replace") {
    LogError("--subscription must be additive or replace");
    return 2;
  }
  so.speed = opts.speed;
  so.keepalive_ms = opts.keepalive_ms;
  so.token_ttl_s = opts.token_ttl_s;
  so.replace_subscriptions = opts.subscription == "replace";
  so.fault_malformed_every = opts.fault_malformed_every;
  so.fault_silence_after_s = opts.fault_silence_after_s;
  so.log = LogAt;
  std::string error;
  const int rc = simserver::RunSimServer(so, &error);
  if (rc != 0) LogError(error);
  return rc;
}

}  // namespace vnt::app
