#include "store/writer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <mutex>

#include "store/reader.h"
#include "store/schema.h"
#include "store/test_util.h"

namespace vnt::store {
namespace {

using namespace std::chrono_literals;
using testing::At;
using testing::kDay;
using testing::RawDb;
using testing::TempDir;
using testing::Tick;

constexpr std::size_t kTicks = static_cast<std::size_t>(Table::kTicks);

// A writer that only commits on Flush()/Stop() (no interval, no early wake): batches are deterministic.
WriterConfig Manual(const std::string& path) {
  WriterConfig c;
  c.path = path;
  c.commit_interval = std::chrono::hours(1);
  c.wake_rows = 1u << 30;
  c.min_backoff = 5ms;
  c.max_backoff = 50ms;
  return c;
}

TEST(StoreWriterTest, EveryTableRoundTrips) {
  TempDir dir;
  const std::string path = dir.File("rt.db");
  TickRow tick = Tick(300, At(10, 15, 7));
  tick.unattributed = Volume{20};
  tick.side = core::Aggressor::kSell;
  tick.method = core::ClassifyMethod::kExchange;
  tick.session = Session::kAtc;
  tick.futures = true;
  tick.price = Price::FromRaw(12'839'000);  // 1283.9 points
  tick.value = Vnd{38'517'000'000};         // 1283.9 points x 300 contracts x 100,000

  CandleRow candle;
  candle.symbol = Symbol::Of("HPG");
  candle.date = kDay;
  candle.minute = 10 * 3600 + 15 * 60;
  candle.open = Price::FromInt(27000);
  candle.high = Price::FromInt(27150);
  candle.low = Price::FromInt(26950);
  candle.close = Price::FromInt(27100);
  candle.buy_vol = Volume{5000};
  candle.sell_vol = Volume{3000};
  candle.neutral_vol = Volume{200};
  candle.volume = Volume{8200};
  candle.value = Vnd{221'400'000'000};
  candle.trade_count = 41;

  ForeignRow foreign;
  foreign.symbol = Symbol::Of("VNM");
  foreign.time = At(10, 16, 0);
  foreign.buy_vol = Volume{1'234'567};
  foreign.sell_vol = Volume{2'345'678};
  foreign.buy_val = Vnd{80'000'000'000};
  foreign.sell_val = Vnd{150'000'000'000};
  foreign.total_room = Volume{1'000'000'000};
  foreign.current_room = std::nullopt;  // NULL survives
  foreign.net_speed_vol = -1234.5;
  foreign.net_speed_val = -9.87e8;
  foreign.net_accel_vol = 12.25;
  foreign.net_accel_val = 3.5e7;

  IndexRow index;
  index.id = Symbol::Of("VN30");
  index.time = At(10, 16, 1);
  index.value = Price::FromRaw(12'684'100);
  index.change = Price::FromRaw(-61'000);
  index.change_pct = -0.48;
  index.advances = 10;
  index.declines = 17;
  index.no_changes = 3;
  index.ceilings = 1;
  index.floors = 2;
  index.total_trade = 54321;
  index.total_qtty = Volume{123'456'789};
  index.total_value = Vnd{4'567'890'123'456};
  index.total_qtty_pt = Volume{1'000'000};
  index.total_value_pt = Vnd{30'000'000'000};
  index.all_qty = Volume{124'456'789};
  index.all_value = Vnd{4'597'890'123'456};
  index.session = Session::kLo;

  BasisRow basis;
  basis.krx_code = Symbol::Of("41I1G3000");
  basis.legacy_code = Symbol::Of("VN30F2603");
  basis.time = At(10, 16, 2);
  basis.last = Price::FromRaw(12'700'000);
  basis.spot = Price::FromRaw(12'684'100);
  basis.basis = Price::FromRaw(15'900);
  basis.basis_pct = 0.1253;
  basis.fair_basis = 0.86;
  basis.volume = Volume{123456};

  AlertRow alert;
  alert.engine_id = 99;
  alert.type = core::AlertType::kForeignAcceleration;
  alert.severity = core::Severity::kCritical;
  alert.symbol = Symbol::Of("VNM");
  alert.rule_id = 0;
  alert.message = "VNM foreign net buying accelerates: 'quoted' text, tiếng Việt";
  alert.value = 1.5e9;
  alert.threshold = 1e9;
  alert.time = At(10, 16, 3);

  FrameRow frame{kDay, 42, 1'773'112'563'123, R"({"H":"FcMarketDataV2Hub","M":"Broadcast","A":["..."]})"};
  DeliveryRow delivery{1'773'112'000'000'000, 99, At(10, 16, 3), "webhook", "delivered", 2, 200, "",
                       1'773'112'563'500};

  {
    Writer w(Manual(path));
    for (Row r : std::initializer_list<Row>{tick, candle, foreign, index, basis, alert, frame, delivery}) {
      ASSERT_TRUE(w.Enqueue(std::move(r)));
    }
    ASSERT_TRUE(w.Flush());
    const WriterStats s = w.Stats();
    for (std::size_t t = 0; t < kTableCount; ++t) EXPECT_EQ(s.rows_written[t], 1u) << TableName(Table(t));
    EXPECT_EQ(s.batches, 1u);
    EXPECT_EQ(s.queue_depth, 0u);
    EXPECT_EQ(s.errors, 0u);
    EXPECT_TRUE(s.healthy);
    EXPECT_GE(s.last_commit_ms, 0.0);
    std::uint64_t hist = 0;
    for (auto b : s.latency_buckets) hist += b;
    EXPECT_EQ(hist, 1u);
  }

  Reader r(path);
  const TimeRange all;
  auto ticks = r.Ticks(tick.symbol, all);
  ASSERT_TRUE(ticks.ok()) << ticks.error;
  ASSERT_EQ(ticks.value.size(), 1u);
  EXPECT_EQ(ticks.value[0], tick);

  auto candles = r.Candles(candle.symbol, all);
  ASSERT_TRUE(candles.ok()) << candles.error;
  ASSERT_EQ(candles.value.size(), 1u);
  const CandleRow& c = candles.value[0];
  EXPECT_EQ(c.symbol, candle.symbol);
  EXPECT_EQ(c.date, candle.date);
  EXPECT_EQ(c.minute, candle.minute);
  EXPECT_EQ(c.open, candle.open);
  EXPECT_EQ(c.high, candle.high);
  EXPECT_EQ(c.low, candle.low);
  EXPECT_EQ(c.close, candle.close);
  EXPECT_EQ(c.volume, candle.volume);
  EXPECT_EQ(c.buy_vol, candle.buy_vol);
  EXPECT_EQ(c.sell_vol, candle.sell_vol);
  EXPECT_EQ(c.neutral_vol, candle.neutral_vol);
  EXPECT_EQ(c.value, candle.value);
  EXPECT_EQ(c.trade_count, candle.trade_count);

  auto fr = r.ForeignHistory(foreign.symbol, all);
  ASSERT_TRUE(fr.ok()) << fr.error;
  ASSERT_EQ(fr.value.size(), 1u);
  EXPECT_EQ(fr.value[0], foreign);

  auto ix = r.IndexHistory(Symbol::Of("vn30"), all);
  ASSERT_TRUE(ix.ok()) << ix.error;
  ASSERT_EQ(ix.value.size(), 1u);
  EXPECT_EQ(ix.value[0], index);

  auto bs = r.BasisHistory(basis.krx_code, all);
  ASSERT_TRUE(bs.ok()) << bs.error;
  ASSERT_EQ(bs.value.size(), 1u);
  EXPECT_EQ(bs.value[0], basis);

  auto al = r.Alerts(all);
  ASSERT_TRUE(al.ok()) << al.error;
  ASSERT_EQ(al.value.size(), 1u);
  EXPECT_GT(al.value[0].id, 0);
  alert.id = al.value[0].id;
  EXPECT_EQ(al.value[0], alert);

  std::vector<FrameRow> frames;
  auto n = r.FramesOfDay(kDay, [&](const FrameView& f) {
    frames.push_back(FrameRow{f.date, f.seq, f.recv_ms, std::string(f.text)});
    return true;
  });
  ASSERT_TRUE(n.ok()) << n.error;
  EXPECT_EQ(n.value, 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], frame);
}

TEST(StoreWriterTest, ManyRowsGoInFewTransactions) {
  TempDir dir;
  WriterConfig cfg;
  cfg.path = dir.File("batch.db");
  cfg.queue_capacity = 100'000;
  Writer w(cfg);
  constexpr int kRows = 50'000;
  for (int i = 0; i < kRows; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  ASSERT_TRUE(w.Flush());
  const WriterStats s = w.Stats();
  EXPECT_EQ(s.rows_written[kTicks], static_cast<std::uint64_t>(kRows));
  // One transaction per wake (interval or wake_rows), never one per row.
  EXPECT_GE(s.batches, 1u);
  EXPECT_LE(s.batches, 20u);
  EXPECT_EQ(s.dropped, 0u);
  RawDb db(cfg.path);
  EXPECT_EQ(db.Int("SELECT count(*) FROM ticks"), kRows);
  EXPECT_EQ(db.Int("SELECT sum(volume) FROM ticks"), std::int64_t{kRows} * (kRows - 1) / 2);
}

TEST(StoreWriterTest, TheIntervalCommitsWithoutAFlush) {
  TempDir dir;
  WriterConfig cfg;
  cfg.path = dir.File("interval.db");
  cfg.commit_interval = 100ms;
  Writer w(cfg);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  // Loose: the rows must become visible to another connection without Flush(); the bound is generous so a
  // busy CI machine cannot flake it (the 100 ms target is measured by the benchmark, not asserted here).
  const auto t0 = std::chrono::steady_clock::now();
  Reader r(cfg.path);
  std::size_t seen = 0;
  while (std::chrono::steady_clock::now() - t0 < 10s) {
    auto ticks = r.Ticks(Symbol::Of("FPT"), TimeRange{});
    ASSERT_TRUE(ticks.ok()) << ticks.error;
    seen = ticks.value.size();
    if (seen == 10) break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(seen, 10u);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  RecordProperty("visible_after_ms", static_cast<int>(ms.count()));
}

TEST(StoreWriterTest, AFullQueueRefusesAndCountsWithoutBlocking) {
  TempDir dir;
  WriterConfig cfg = Manual(dir.File("full.db"));
  cfg.queue_capacity = 100;
  std::vector<std::string> reports;  // the engine's thread (this one) reports: no lock needed
  cfg.on_drop = [&](const std::string& reason) { reports.push_back(reason); };
  Writer w(cfg);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  const auto t0 = std::chrono::steady_clock::now();
  int refused = 0;
  for (int i = 0; i < 1000; ++i) refused += w.Enqueue(Tick(1000 + i)) ? 0 : 1;
  AlertRow a;
  a.time = At(10, 0, 0);
  refused += w.Enqueue(a) ? 0 : 1;
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(refused, 1001);
  EXPECT_LT(elapsed, 2s);  // loose: refusing must not wait for the (idle) writer
  WriterStats s = w.Stats();
  EXPECT_EQ(s.dropped, 1001u);
  EXPECT_EQ(s.dropped_by_table[kTicks], 1000u);
  EXPECT_EQ(s.dropped_by_table[static_cast<std::size_t>(Table::kAlerts)], 1u);
  EXPECT_EQ(s.queue_depth, 100u);
  ASSERT_EQ(reports.size(), 1u);  // one line for the whole episode, not one per refused row
  EXPECT_NE(reports[0].find("queue is full (100 rows"), std::string::npos) << reports[0];
  ASSERT_TRUE(w.Flush());
  s = w.Stats();
  EXPECT_EQ(s.rows_written[kTicks], 100u);
  EXPECT_EQ(s.queue_depth, 0u);
  // Space again after the commit.
  EXPECT_TRUE(w.Enqueue(Tick(5000)));
  w.Stop();
  w.Stop();                             // idempotent
  EXPECT_FALSE(w.Enqueue(Tick(5001)));  // stopped: refused and counted
  ASSERT_EQ(reports.size(), 2u);        // a new episode once the queue had drained
  EXPECT_EQ(reports[1], "the writer is stopped");
  s = w.Stats();
  EXPECT_EQ(s.dropped, 1002u);
  EXPECT_EQ(s.rows_written[kTicks], 101u);
  RawDb db(cfg.path);
  EXPECT_EQ(db.Int("SELECT max(volume) FROM ticks"), 5000);
  EXPECT_EQ(db.Int("SELECT count(*) FROM ticks WHERE volume >= 1000 AND volume < 5000"), 0);
}

TEST(StoreWriterTest, ABusyDatabaseIsRetriedWithBackoff) {
  TempDir dir;
  WriterConfig cfg = Manual(dir.File("busy.db"));
  cfg.busy_timeout = 10ms;
  Writer w(cfg);
  RawDb other(cfg.path);
  sqlite3_busy_timeout(other.get(), 0);
  ASSERT_EQ(other.Exec("BEGIN IMMEDIATE"), SQLITE_OK);  // holds the write lock
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  EXPECT_FALSE(w.Flush(300ms));
  WriterStats s = w.Stats();
  EXPECT_FALSE(s.healthy);
  EXPECT_GE(s.errors, 2u);  // retried, not given up
  EXPECT_NE(s.last_error.find("locked"), std::string::npos) << s.last_error;
  EXPECT_EQ(s.queue_depth, 10u);
  EXPECT_EQ(s.rows_written[kTicks], 0u);
  ASSERT_EQ(other.Exec("COMMIT"), SQLITE_OK);
  EXPECT_TRUE(w.Flush(10s));
  s = w.Stats();
  EXPECT_TRUE(s.healthy);
  EXPECT_EQ(s.rows_written[kTicks], 10u);
  EXPECT_EQ(s.queue_depth, 0u);
}

TEST(StoreWriterTest, AFullDiskKeepsTheRowsAndRecovers) {
  TempDir dir;
  WriterConfig cfg = Manual(dir.File("disk.db"));
  // Each change of state is reported once, with its reason (the server logs these lines).
  std::mutex reports_mu;
  std::vector<std::pair<bool, std::string>> reports;
  cfg.on_health_change = [&](bool healthy, const std::string& reason) {
    std::lock_guard lk(reports_mu);
    reports.emplace_back(healthy, reason);
  };
  Writer w(cfg);
  std::int64_t pages = 0;
  {
    RawDb db(cfg.path);
    pages = db.Int("PRAGMA page_count");
  }
  ASSERT_GT(pages, 0);
  w.SetMaxPageCount(pages);  // no room to grow: the first batch hits SQLITE_FULL
  constexpr int kRows = 5000;
  for (int i = 0; i < kRows; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  EXPECT_FALSE(w.Flush(300ms));
  WriterStats s = w.Stats();
  EXPECT_FALSE(s.healthy);
  EXPECT_FALSE(w.healthy());
  EXPECT_NE(s.last_error.find("full"), std::string::npos) << s.last_error;
  EXPECT_GE(s.errors, 2u);
  EXPECT_EQ(s.rows_written[kTicks], 0u);  // the batch is all or nothing
  EXPECT_EQ(s.queue_depth, static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(s.dropped, 0u);
  // Rows accepted during the outage wait too.
  for (int i = kRows; i < kRows + 100; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  w.SetMaxPageCount(0);  // space is back
  ASSERT_TRUE(w.Flush(10s));
  s = w.Stats();
  EXPECT_TRUE(s.healthy);
  EXPECT_EQ(s.rows_written[kTicks], static_cast<std::uint64_t>(kRows + 100));
  EXPECT_EQ(s.queue_depth, 0u);
  RawDb db(cfg.path);
  EXPECT_EQ(db.Int("SELECT count(DISTINCT volume) FROM ticks"), kRows + 100);
  EXPECT_EQ(db.Int("SELECT max(volume) FROM ticks"), kRows + 99);
  EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  std::lock_guard lk(reports_mu);
  ASSERT_EQ(reports.size(), 2u);  // several failed retries, one report
  EXPECT_FALSE(reports[0].first);
  EXPECT_NE(reports[0].second.find("full"), std::string::npos) << reports[0].second;
  EXPECT_TRUE(reports[1].first);
}

TEST(StoreWriterTest, StopGivesUpOnAFailingDiskAfterItsTimeoutAndCountsTheLoss) {
  TempDir dir;
  WriterConfig cfg = Manual(dir.File("stop.db"));
  cfg.stop_timeout = 200ms;
  Writer w(cfg);
  std::int64_t pages = 0;
  {
    RawDb db(cfg.path);
    pages = db.Int("PRAGMA page_count");
  }
  w.SetMaxPageCount(pages);
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(w.Enqueue(Tick(i)));
  const auto t0 = std::chrono::steady_clock::now();
  w.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);  // loose: bounded, not forever
  const WriterStats s = w.Stats();
  EXPECT_EQ(s.abandoned, 3000u);
  EXPECT_EQ(s.queue_depth, 0u);
  EXPECT_NE(s.last_error.find("stopped with 3000 rows not written"), std::string::npos) << s.last_error;
  EXPECT_FALSE(w.Flush(10ms));
}

TEST(StoreWriterTest, ARowSqliteRejectsIsSkippedAndCounted) {
  TempDir dir;
  WriterConfig cfg = Manual(dir.File("reject.db"));
  Writer w(cfg);
  {
    RawDb db(cfg.path);  // a trigger standing in for any row-level constraint failure
    ASSERT_EQ(db.Exec("CREATE TRIGGER no_bad BEFORE INSERT ON ticks WHEN NEW.volume < 0 "
                      "BEGIN SELECT RAISE(ABORT, 'negative volume'); END"),
              SQLITE_OK);
  }
  ASSERT_TRUE(w.Enqueue(Tick(1)));
  ASSERT_TRUE(w.Enqueue(Tick(-5)));
  ASSERT_TRUE(w.Enqueue(Tick(2)));
  ASSERT_TRUE(w.Flush());
  const WriterStats s = w.Stats();
  EXPECT_EQ(s.rows_written[kTicks], 2u);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_TRUE(s.healthy);
  EXPECT_NE(s.last_error.find("negative volume"), std::string::npos) << s.last_error;
}

// Ticks go in multi-row INSERTs in key order: a row refused inside one is skipped alone (its statement's rows
// are written again one by one), and every symbol's ticks keep their arrival order within a second.
TEST(StoreWriterTest, ARejectedTickInAMultiRowInsertCostsOnlyItself) {
  TempDir dir;
  WriterConfig cfg = Manual(dir.File("chunk.db"));
  Writer w(cfg);
  {
    RawDb db(cfg.path);
    ASSERT_EQ(db.Exec("CREATE TRIGGER no_bad BEFORE INSERT ON ticks WHEN NEW.volume < 0 "
                      "BEGIN SELECT RAISE(ABORT, 'negative volume'); END"),
              SQLITE_OK);
  }
  const char* symbols[] = {"VNM", "FPT", "HPG"};
  for (int n = 1; n <= 1000; ++n) {
    ASSERT_TRUE(w.Enqueue(Tick(n == 500 ? -500 : n, testing::At(10, 0, n / 7), symbols[n % 3])));
  }
  ASSERT_TRUE(w.Flush());
  const WriterStats s = w.Stats();
  EXPECT_EQ(s.rows_written[kTicks], 999u);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_NE(s.last_error.find("rejected a row of ticks: negative volume"), std::string::npos) << s.last_error;
  Reader reader(cfg.path);
  for (int k = 0; k < 3; ++k) {
    auto ticks = reader.Ticks(Symbol::Of(symbols[k]), TimeRange{.limit = 1000, .order = Order::kOldestFirst});
    ASSERT_TRUE(ticks.ok()) << ticks.error;
    std::vector<std::int64_t> got, want;
    for (const TickRow& t : ticks.value) got.push_back(t.volume.raw());
    for (int n = 1; n <= 1000; ++n) {
      if (n % 3 == k && n != 500) want.push_back(n);
    }
    EXPECT_EQ(got, want) << symbols[k];
  }
}

// seq carries on from what is stored when a writer reopens the file: the ticks of a second it shares with an
// earlier writer come after theirs, and an earlier second that already has ticks (out of order) too.
TEST(StoreWriterTest, TicksOfOneSecondKeepTheirArrivalOrderAcrossWriters) {
  TempDir dir;
  const std::string path = dir.File("seq.db");
  const auto at = [](int s) { return testing::At(10, 0, s); };
  {
    Writer w(Manual(path));
    for (int n : {1, 2}) ASSERT_TRUE(w.Enqueue(Tick(n, at(5))));
    ASSERT_TRUE(w.Enqueue(Tick(3, at(9))));
    ASSERT_TRUE(w.Enqueue(Tick(4, at(1), "HPG")));
    ASSERT_TRUE(w.Flush());
  }
  for (int round = 0; round < 2; ++round) {
    Writer w(Manual(path));
    ASSERT_TRUE(w.Enqueue(Tick(10 + round, at(5))));  // before the newest second of FPT, 09
    ASSERT_TRUE(w.Enqueue(Tick(20 + round, at(9))));
    ASSERT_TRUE(w.Enqueue(Tick(30 + round, at(1), "HPG")));
    ASSERT_TRUE(w.Flush());
    EXPECT_EQ(w.Stats().rejected, 0u);
  }
  Reader reader(path);
  std::vector<std::int64_t> fpt, hpg;
  for (const TickRow& t : reader.Ticks(Symbol::Of("FPT"), TimeRange{.order = Order::kOldestFirst}).value)
    fpt.push_back(t.volume.raw());
  for (const TickRow& t : reader.Ticks(Symbol::Of("HPG"), TimeRange{.order = Order::kOldestFirst}).value)
    hpg.push_back(t.volume.raw());
  EXPECT_EQ(fpt, (std::vector<std::int64_t>{1, 2, 10, 11, 3, 20, 21}));
  EXPECT_EQ(hpg, (std::vector<std::int64_t>{4, 30, 31}));
}

// Crash safety: a child writes continuously and reports what the writer has committed; it is killed with
// SIGKILL mid-stream. The file must pass integrity_check and hold exactly a prefix of the rows, including
// everything the child saw committed.
TEST(StoreWriterTest, SurvivesSigkillWithAPrefixOfTheRows) {
  TempDir dir;
  const std::string path = dir.File("crash.db");
  ApplyMigrations(path);  // the parent creates the file so the child only writes
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    WriterConfig cfg;
    cfg.path = path;
    cfg.commit_interval = 10ms;
    cfg.queue_capacity = 20'000;
    Writer w(cfg);
    std::int64_t n = 0;
    for (;;) {
      for (int k = 0; k < 500; ++k) {
        if (w.Enqueue(Tick(n))) ++n;  // refused rows are retried, so the stream stays contiguous
      }
      const std::uint64_t committed = w.Stats().rows_written[kTicks];
      if (write(fds[1], &committed, sizeof committed) != sizeof committed) _exit(3);
      std::this_thread::sleep_for(1ms);
    }
  }
  close(fds[1]);
  std::uint64_t reported = 0;
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < 3s) {
    std::uint64_t v = 0;
    if (read(fds[0], &v, sizeof v) != sizeof v) break;
    reported = v;
    if (reported >= 20'000 && std::chrono::steady_clock::now() - t0 > 300ms) break;
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  std::uint64_t v = 0;
  while (read(fds[0], &v, sizeof v) == sizeof v) reported = v;  // reports written before the kill
  close(fds[0]);
  ASSERT_GT(reported, 0u) << "the child never committed";

  RawDb db(path);
  EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  const std::int64_t count = db.Int("SELECT count(*) FROM ticks");
  EXPECT_GE(count, static_cast<std::int64_t>(reported));  // nothing committed was lost
  // A prefix: volumes 0..count-1 in arrival order, no gap, no duplicate.
  EXPECT_EQ(
      db.Int("SELECT count(*) FROM (SELECT volume, row_number() OVER (ORDER BY seq) - 1 AS i FROM ticks) "
             "WHERE volume != i"),
      0);
  RecordProperty("rows_reported", static_cast<int>(reported));
  RecordProperty("rows_found", static_cast<int>(count));
  Reader reader(path);  // the store opens normally after the crash
  auto latest = reader.LatestTradingDate();
  ASSERT_TRUE(latest.ok()) << latest.error;
  EXPECT_EQ(latest.value, kDay);
}

}  // namespace
}  // namespace vnt::store
