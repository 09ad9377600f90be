#pragma once
// The delivery outcomes of this process's recent alerts, kept in memory for the live alerts API
// (/api/market/alerts): written by the notifier's outcome hook (its worker thread, or the engine thread for
// a queue-full drop), read by the server thread. Bounded: the outcomes of the last `max_alerts` alerts
// that had any.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "notify/notifier.h"

namespace vnt::notify {

class OutcomeLog {
 public:
  explicit OutcomeLog(std::size_t max_alerts = 5000) : max_alerts_(max_alerts) {}

  // Records an outcome (outcomes without an alert id are ignored). Any thread; never blocks on I/O.
  void Add(const DeliveryOutcome& o);
  // The outcomes of one alert, in the order they ended (empty when none is known). Any thread.
  std::vector<DeliveryOutcome> Of(std::uint64_t alert_id) const;

 private:
  const std::size_t max_alerts_;
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, std::vector<DeliveryOutcome>> by_alert_;
  std::deque<std::uint64_t> order_;  // alert ids in the order their first outcome arrived
};

}  // namespace vnt::notify
