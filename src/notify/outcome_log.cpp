#include "notify/outcome_log.h"

namespace vnt::notify {

void OutcomeLog::Add(const DeliveryOutcome& o) {
  if (o.tag.alert_id == 0) return;
  std::lock_guard lock(mu_);
  auto [it, fresh] = by_alert_.try_emplace(o.tag.alert_id);
  it->second.push_back(o);
  if (!fresh) return;
  order_.push_back(o.tag.alert_id);
  while (order_.size() > max_alerts_) {
    by_alert_.erase(order_.front());
    order_.pop_front();
  }
}

std::vector<DeliveryOutcome> OutcomeLog::Of(std::uint64_t alert_id) const {
  std::lock_guard lock(mu_);
  const auto it = by_alert_.find(alert_id);
  return it == by_alert_.end() ? std::vector<DeliveryOutcome>{} : it->second;
}

}  // namespace vnt::notify
