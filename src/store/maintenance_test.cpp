#include "store/maintenance.h"

#include <thread>

#include <gtest/gtest.h>

#include "store/pg_test_cluster.h"
#include "store/reader.h"
#include "store/test_util.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using namespace std::chrono_literals;
using testing::At;
using testing::Tick;

constexpr Date kMon = Date::Of(2026, 3, 9), kTue = Date::Of(2026, 3, 10), kFri = Date::Of(2026, 3, 13);

class MaintenanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = GetParam() == "postgresql" ? testing::PgCluster::Shared().FreshDatabase() : dir_.File("m.db");
  }
  static void WaitPasses(const Maintenance& m, std::uint64_t n) {
    for (int i = 0; i < 500 && m.passes() < n; ++i) std::this_thread::sleep_for(10ms);
  }
  testing::TempDir dir_;
  std::string location_;
};

// The journal keeps only the newest trading date; retention keeps N calendar days of market history before
// the newest trading date; both from the store's dates, not the clock.
TEST_P(MaintenanceTest, PrunesTheJournalAtANewDateAndAppliesRetention) {
  WriterConfig cfg;
  cfg.path = location_;
  Writer w(cfg);
  for (Date d : {kMon, kTue}) {
    ASSERT_TRUE(w.Enqueue(FrameRow{d, 1, 1, "frame of " + ToString(d)}));
    ASSERT_TRUE(w.Enqueue(Tick(1, At(10, 0, 0, d))));
  }
  ASSERT_TRUE(w.Flush());
  std::vector<std::string> lines;
  std::mutex mu;
  MaintenanceConfig mc;
  mc.location = location_;
  mc.retention_days = 2;
  mc.log = [&](bool error, const std::string& line) {
    std::lock_guard lk(mu);
    EXPECT_FALSE(error) << line;
    lines.push_back(line);
  };
  Maintenance m(mc);
  WaitPasses(m, 1);
  Reader r(location_);
  const auto frames_of = [&](Date d) {
    return r.FramesOfDay(d, [](const FrameView&) { return true; }).value;
  };
  EXPECT_EQ(frames_of(kMon), 0);  // an earlier day's journal is gone
  EXPECT_EQ(frames_of(kTue), 1);
  EXPECT_EQ(r.Ticks(Symbol::Of("FPT"), TimeRange{}).value.size(), 2u);  // within the retention

  // A new trading date (Friday): the pass runs when poked; Monday and Tuesday fall out of the 2-day
  // retention.
  ASSERT_TRUE(w.Enqueue(FrameRow{kFri, 1, 1, "friday"}));
  ASSERT_TRUE(w.Enqueue(Tick(1, At(10, 0, 0, kFri))));
  ASSERT_TRUE(w.Flush());
  m.Poke();
  WaitPasses(m, 2);
  EXPECT_EQ(frames_of(kTue), 0);
  EXPECT_EQ(frames_of(kFri), 1);
  const auto ticks = r.Ticks(Symbol::Of("FPT"), TimeRange{}).value;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].time.date, kFri);
  std::lock_guard lk(mu);
  EXPECT_FALSE(lines.empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, MaintenanceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vnt::store
