#include "source/make_feed.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "source/frame_lines.h"

namespace vnt::source {
namespace {

const SteadyTime kStart{};

FeedOptions Sim(const std::string& date, const std::string& start, const std::string& end) {
  FeedOptions o;
  o.feed = "sim";
  o.speed = 0;  // unpaced
  o.sim_date = date;
  o.sim_start = start;
  o.sim_end = end;
  return o;
}

TEST(MakeFeed, RefusesBadOptionsWithOneLine) {
  std::string error;
  FeedOptions o;
  o.feed = "kafka";
  EXPECT_FALSE(MakeFeed(o, kStart, {}, &error));
  EXPECT_NE(error.find("--feed must be sim, ssi or replay:FILE"), std::string::npos) << error;
  EXPECT_FALSE(MakeFeed(Sim("2026-13-01", "", ""), kStart, {}, &error));
  EXPECT_NE(error.find("--sim-date"), std::string::npos) << error;
  EXPECT_FALSE(MakeFeed(Sim("2026-03-18", "9h", ""), kStart, {}, &error));
  EXPECT_NE(error.find("--sim-start"), std::string::npos) << error;
  EXPECT_FALSE(MakeFeed(Sim("2026-03-18", "", "25:00"), kStart, {}, &error));
  EXPECT_NE(error.find("--sim-end"), std::string::npos) << error;
  o.feed = "replay:/nonexistent/day.txt";
  EXPECT_FALSE(MakeFeed(o, kStart, {}, &error));
  EXPECT_NE(error.find("/nonexistent/day.txt"), std::string::npos) << error;
}

// The first frame a source gives, decoded only as far as its exchange time is concerned.
std::string FirstFrame(FeedSource& f) {
  std::vector<std::string> out;
  while (out.empty() && f.Poll(kStart, &out, 1)) {
  }
  return out.empty() ? std::string() : out.front();
}

TEST(MakeFeed, SimulatorStartsWhereAskedAndResumesAfterTheRestoredTime) {
  std::string error;
  auto made = MakeFeed(Sim("2026-03-18", "10:00:00", "10:00:10"), kStart, {}, &error);
  ASSERT_TRUE(made) << error;
  EXPECT_NE(made->description.find("2026-03-18 from 10:00:00"), std::string::npos) << made->description;
  EXPECT_NE(FirstFrame(*made->source).find("10:00:0"), std::string::npos);

  // The engine already holds the same day up to 10:00:05: the simulator continues at 10:00:06.
  auto resumed = MakeFeed(Sim("2026-03-18", "10:00:00", "10:00:10"), kStart,
                          {Date::Of(2026, 3, 18), TimeOfDay::Of(10, 0, 5)}, &error);
  ASSERT_TRUE(resumed) << error;
  EXPECT_NE(resumed->description.find("from 10:00:06"), std::string::npos) << resumed->description;

  // Another day restored: no resume.
  auto other = MakeFeed(Sim("2026-03-18", "10:00:00", "10:00:10"), kStart,
                        {Date::Of(2026, 3, 17), TimeOfDay::Of(10, 0, 5)}, &error);
  ASSERT_TRUE(other) << error;
  EXPECT_NE(other->description.find("from 10:00:00"), std::string::npos) << other->description;
}

TEST(MakeFeed, RecordDefaultIsTheSimulatorsFixedDay) {
  FeedOptions o;
  o.speed = 0;
  o.sim_default_day = SimDefaultDay::kSimulatorDefault;
  std::string error;
  auto made = MakeFeed(o, kStart, {}, &error);
  ASSERT_TRUE(made) << error;
  EXPECT_NE(made->description.find("2026-03-18 from 08:45:00"), std::string::npos) << made->description;
}

TEST(ReplayFeed, ReadsBothLineFormatsAndSkipsBlankLines) {
  const auto path = std::filesystem::temp_directory_path() / ("vnt-replay-" + std::to_string(::getpid()));
  {
    std::ofstream f(path);
    f << "1700000000000\t{\"a\":1}\n\n{\"b\":2}\n1700000000500\t{\"c\":3}\n";
  }
  FeedOptions o;
  o.feed = "replay:" + path.string();
  o.speed = 0;
  std::string error;
  auto made = MakeFeed(o, kStart, {}, &error);
  ASSERT_TRUE(made) << error;
  std::vector<std::string> out;
  while (made->source->Poll(kStart, &out, 100)) {
  }
  EXPECT_EQ(out, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  EXPECT_EQ(made->source->State(), "replay-finished");
  std::filesystem::remove(path);
}

TEST(ReplayFeed, PacedByRecordedTimes) {
  const auto path =
      std::filesystem::temp_directory_path() / ("vnt-replay-paced-" + std::to_string(::getpid()));
  {
    std::ofstream f(path);
    f << "1000\tA\n1500\tB\n3000\tC\n";
  }
  ReplayFeed feed(path.string(), 1.0, kStart);
  std::vector<std::string> out;
  feed.Poll(kStart, &out, 100);
  EXPECT_EQ(out, std::vector<std::string>{"A"});
  feed.Poll(kStart + std::chrono::milliseconds(600), &out, 100);
  EXPECT_EQ(out, (std::vector<std::string>{"A", "B"}));
  feed.Poll(kStart + std::chrono::milliseconds(2000), &out, 100);
  EXPECT_EQ(out, (std::vector<std::string>{"A", "B", "C"}));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace vnt::source
