#include "source/make_feed.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "source/cli_time.h"
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

// The error of a feed that should not be made: its message, checked to name `field`.
std::string ErrorOf(const FeedOptions& o, std::string_view field) {
  const auto made = MakeFeed(o, kStart, {});
  EXPECT_FALSE(made.ok());
  if (made.ok()) return "";
  EXPECT_EQ(made.error().field, field) << made.error().message;
  return made.error().message;
}

TEST(MakeFeed, RefusesBadOptionsWithOneLine) {
  FeedOptions o;
  o.feed = "kafka";
  std::string error = ErrorOf(o, "--feed");
  EXPECT_NE(error.find("--feed must be sim, ssi or replay:FILE"), std::string::npos) << error;
  error = ErrorOf(Sim("2026-13-01", "", ""), "--sim-date");
  EXPECT_NE(error.find("--sim-date"), std::string::npos) << error;
  error = ErrorOf(Sim("2026-03-18", "9h", ""), "--sim-start");
  EXPECT_NE(error.find("--sim-start"), std::string::npos) << error;
  error = ErrorOf(Sim("2026-03-18", "", "25:00"), "--sim-end");
  EXPECT_NE(error.find("--sim-end"), std::string::npos) << error;
  o.feed = "replay:/nonexistent/day.txt";
  error = ErrorOf(o, "--feed");
  EXPECT_NE(error.find("/nonexistent/day.txt"), std::string::npos) << error;
}

TEST(ChooseSimDay, AnExplicitDayAndStartAreKeptAndBadOnesNamed) {
  const auto day = ChooseSimDay("2026-03-18", "10:15");
  ASSERT_TRUE(day.ok()) << day.error().message;
  EXPECT_EQ(day->date, Date::Of(2026, 3, 18));
  EXPECT_EQ(day->start, TimeOfDay::Of(10, 15, 0));
  const auto bad_date = ChooseSimDay("18/03/2026", "");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().field, "--sim-date");
  EXPECT_EQ(bad_date.error().message, "--sim-date must be YYYY-MM-DD");
  const auto bad_start = ChooseSimDay("", "nine");
  ASSERT_FALSE(bad_start.ok());
  EXPECT_EQ(bad_start.error().field, "--sim-start");
}

// The first frame a source gives, decoded only as far as its exchange time is concerned.
std::string FirstFrame(FeedSource& f) {
  std::vector<std::string> out;
  while (out.empty() && f.Poll(kStart, &out, 1)) {
  }
  return out.empty() ? std::string() : out.front();
}

TEST(MakeFeed, SimulatorStartsWhereAskedAndResumesAfterTheRestoredTime) {
  auto made = MakeFeed(Sim("2026-03-18", "10:00:00", "10:00:10"), kStart, {});
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_NE(made->description.find("2026-03-18 from 10:00:00"), std::string::npos) << made->description;
  EXPECT_NE(FirstFrame(*made->source).find("10:00:0"), std::string::npos);

  // The engine already holds the same day up to 10:00:05: the simulator continues at 10:00:06.
  auto resumed = MakeFeed(Sim("2026-03-18", "10:00:00", "10:00:10"), kStart,
                          {Date::Of(2026, 3, 18), TimeOfDay::Of(10, 0, 5)});
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_NE(resumed->description.find("from 10:00:06"), std::string::npos) << resumed->description;

  // Another day restored: no resume.
  auto other = MakeFeed(Sim("2026-03-18", "10:00:00", "10:00:10"), kStart,
                        {Date::Of(2026, 3, 17), TimeOfDay::Of(10, 0, 5)});
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_NE(other->description.find("from 10:00:00"), std::string::npos) << other->description;
}

TEST(MakeFeed, RecordDefaultIsTheSimulatorsFixedDay) {
  FeedOptions o;
  o.speed = 0;
  o.sim_default_day = SimDefaultDay::kSimulatorDefault;
  auto made = MakeFeed(o, kStart, {});
  ASSERT_TRUE(made.ok()) << made.error().message;
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
  auto made = MakeFeed(o, kStart, {});
  ASSERT_TRUE(made.ok()) << made.error().message;
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
