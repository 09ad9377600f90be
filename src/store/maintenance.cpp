#include "store/maintenance.h"

#include <exception>
#include <memory>

#include "store/reader.h"

namespace vnt::store {

Maintenance::Maintenance(MaintenanceConfig cfg) : cfg_(std::move(cfg)) {
  thread_ = std::thread([this] { Run(); });
}

Maintenance::~Maintenance() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Maintenance::Poke() {
  {
    std::lock_guard lk(mu_);
    poked_ = true;
  }
  cv_.notify_one();
}

std::uint64_t Maintenance::passes() const {
  std::lock_guard lk(mu_);
  return passes_;
}

void Maintenance::Run() {
  std::unique_lock lk(mu_);
  for (;;) {
    lk.unlock();
    Pass();
    lk.lock();
    ++passes_;
    cv_.wait_for(lk, cfg_.interval, [&] { return stop_ || poked_; });
    if (stop_) return;
    poked_ = false;
  }
}

void Maintenance::Pass() {
  const auto log = [&](bool error, const std::string& line) {
    if (cfg_.log) cfg_.log(error, line);
  };
  try {
    Reader reader(cfg_.location);  // a connection per pass: an hourly pass needs nothing kept open
    const auto latest = reader.LatestTradingDate();
    if (!latest.ok()) return log(true, "store maintenance: " + latest.error);
    if (!latest.value) return;
    const auto frames = reader.PruneFramesBefore(*latest.value);
    if (!frames.ok()) log(true, "store maintenance: " + frames.error);
    if (frames.ok() && frames.value > 0)
      log(false, "store: pruned " + std::to_string(frames.value) + " journaled frames before " +
                     ToString(*latest.value));
    if (cfg_.retention_days <= 0) return;
    const Date keep_from = DateFromDayNumber(DayNumber(*latest.value) - cfg_.retention_days);
    const auto rows = reader.PruneHistoryBefore(keep_from);
    if (!rows.ok()) return log(true, "store maintenance: " + rows.error);
    if (rows.value > 0)
      log(false,
          "store: retention removed " + std::to_string(rows.value) + " rows before " + ToString(keep_from));
  } catch (const std::exception& e) {
    log(true, std::string("store maintenance: ") + e.what());  // the store is down: try again next pass
  }
}

}  // namespace vnt::store
