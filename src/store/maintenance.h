#pragma once
// Store housekeeping on a thread of its own, with its own connection, so that neither the engine nor the
// server ever waits for it: at every new trading date (Poke) and every hour, the frame journal of earlier
// days is pruned (a restart only needs the current day's), and with a retention the market history older
// than `retention_days` calendar days before the newest stored trading date is deleted (SQLite: small
// batches; PostgreSQL: whole daily partitions). Dates are exchange dates from the store, never the clock.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/types.h"

namespace vnt::store {

struct MaintenanceConfig {
  std::string location;    // as for Reader
  int retention_days = 0;  // 0 = keep the market history forever
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  std::function<void(bool error, const std::string& line)> log;  // one line per pass that did something
};

class Maintenance {
 public:
  explicit Maintenance(MaintenanceConfig cfg);
  ~Maintenance();  // stops the thread (waits for the pass in progress)
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  // Runs a pass soon (a new trading date began). Any thread.
  void Poke();
  // Passes completed (for tests).
  std::uint64_t passes() const;

 private:
  void Run();
  void Pass();

  MaintenanceConfig cfg_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, poked_ = false;
  std::uint64_t passes_ = 0;
  std::thread thread_;
};

}  // namespace vnt::store
