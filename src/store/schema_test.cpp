#include "store/schema.h"

#include <fstream>

#include <gtest/gtest.h>

#include "store/reader.h"
#include "store/test_util.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using testing::At;
using testing::RawDb;
using testing::TempDir;

constexpr const char* kTables[] = {"ticks",         "candles_1m", "foreign_snapshots", "index_snapshots",
                                   "futures_basis", "alerts",     "alert_rules",       "frames",
                                   "frame_batches", "candles_1d"};

bool HasTable(RawDb& db, const std::string& name) {
  return db.Int("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='" + name + "'") == 1;
}

TEST(StoreSchemaTest, MigratesAnEmptyFileToTheLatestVersion) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  EXPECT_EQ(ApplyMigrations(path), kSchemaVersion);
  EXPECT_EQ(SchemaVersionOf(path), kSchemaVersion);
  RawDb db(path);
  for (const char* t : kTables) EXPECT_TRUE(HasTable(db, t)) << t;
  EXPECT_EQ(db.Int("SELECT count(*) FROM schema_version"), kSchemaVersion);  // one row per step
  EXPECT_EQ(db.Text("PRAGMA journal_mode"), "wal");
  // The history queries are served by indexes (ticks: by its primary key, WITHOUT ROWID since version 7).
  EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE type='index' AND name IN ("
                   "'foreign_by_symbol_time','index_by_id_time','basis_by_contract_time','alerts_by_time',"
                   "'frames_by_date')"),
            5);
  EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE type='index' AND tbl_name='ticks'"), 0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE name IN ('ticks_by_symbol_time',"
                   "'ticks_by_symbol_day')"),
            0);
  // The range query plan reads one key range of the table, in order (no sort, not even of one second's
  // rows, which seq puts in arrival order), whichever way it is read.
  for (const char* dir : {"DESC", "ASC"}) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db.get(),
                  ("EXPLAIN QUERY PLAN SELECT * FROM ticks WHERE symbol='FPT' AND date>=1 AND date<=3 AND "
                   "(date,time)>=(1,2) AND (date,time)<=(3,4) ORDER BY date " +
                   std::string(dir) + ",time " + dir + ",seq " + dir + " LIMIT 5")
                      .c_str(),
                  -1, &st, nullptr),
              SQLITE_OK);
    std::string details;
    while (sqlite3_step(st) == SQLITE_ROW)
      details += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    EXPECT_EQ(details, "SEARCH ticks USING PRIMARY KEY (symbol=? AND date>? AND date<?)") << dir;
  }
}

TEST(StoreSchemaTest, ReopeningAnUpToDateFileIsANoOp) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  {
    Writer w(WriterConfig{.path = path});
    ASSERT_TRUE(w.Enqueue(testing::Tick(7)));
    ASSERT_TRUE(w.Flush());
  }
  std::string before;
  {
    RawDb db(path);
    before = db.Text("SELECT group_concat(version || '@' || applied_at) FROM schema_version");
  }
  const std::int64_t wal_before =
      std::filesystem::exists(path + "-wal") ? std::filesystem::file_size(path + "-wal") : 0;
  for (int i = 0; i < 3; ++i) {
    Reader r(path);
    Writer w(WriterConfig{.path = path});
    EXPECT_EQ(ApplyMigrations(path), kSchemaVersion);
  }
  RawDb db(path);
  EXPECT_EQ(db.Text("SELECT group_concat(version || '@' || applied_at) FROM schema_version"), before);
  EXPECT_EQ(db.Int("SELECT count(*) FROM ticks"), 1);
  EXPECT_EQ(db.Int("SELECT volume FROM ticks"), 7);
  // No migration transaction ran: nothing was appended to the WAL by the re-opens (a checkpoint may shrink
  // it).
  const std::int64_t wal_after =
      std::filesystem::exists(path + "-wal") ? std::filesystem::file_size(path + "-wal") : 0;
  EXPECT_LE(wal_after, wal_before);
}

TEST(StoreSchemaTest, UpgradesAnOlderFileStepByStepKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  EXPECT_EQ(ApplyMigrations(path, 1), 1);
  {
    RawDb db(path);
    EXPECT_FALSE(HasTable(db, "alert_rules"));
    EXPECT_FALSE(HasTable(db, "frames"));
    ASSERT_EQ(
        db.Exec("INSERT INTO ticks VALUES('FPT',20260310,36000,229500000,100,2295000,0,'buy','quote','LO',"
                "229000000,229500000,0)"),
        SQLITE_OK);
  }
  Reader reader(path);  // opening migrates 1 -> 2 -> 3
  EXPECT_EQ(SchemaVersionOf(path), kSchemaVersion);
  auto ticks = reader.Ticks(Symbol::Of("FPT"), TimeRange{});
  ASSERT_TRUE(ticks.ok()) << ticks.error;
  ASSERT_EQ(ticks.value.size(), 1u);
  EXPECT_EQ(ticks.value[0].volume.raw(), 100);
  EXPECT_EQ(ticks.value[0].price, Price::FromInt(22950));
  auto rules = reader.ListRules();
  EXPECT_TRUE(rules.ok()) << rules.error;
}

// A version-4 file (alerts without epoch, no alert_deliveries) upgrades to 5 keeping its alerts, which
// then have no deliveries (epoch 0), while new alerts and their deliveries join.
TEST(StoreSchemaTest, Version4AlertsSurviveTheUpgradeToDeliveryOutcomes) {
  TempDir dir;
  const std::string path = dir.File("v4.db");
  EXPECT_EQ(ApplyMigrations(path, 4), 4);
  {
    RawDb db(path);
    EXPECT_FALSE(HasTable(db, "alert_deliveries"));
    ASSERT_EQ(
        db.Exec("INSERT INTO alerts(engine_id,type,severity,symbol,rule_id,message,value,threshold,date,"
                "time) VALUES(5,'volume_spike','warning','FPT',0,'old',1,1,20260310,36000)"),
        SQLITE_OK);
  }
  {
    WriterConfig cfg;
    cfg.path = path;
    Writer w(cfg);  // opening migrates 4 -> 5
    AlertRow a;
    a.engine_id = 5;
    a.epoch = 77;
    a.symbol = Symbol::Of("FPT");
    a.time = ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay{36001}};
    ASSERT_TRUE(w.Enqueue(a));
    ASSERT_TRUE(w.Enqueue(DeliveryRow{77, 5, a.time, "webhook", "delivered", 1, 200, "", 1000}));
    ASSERT_TRUE(w.Flush());
  }
  EXPECT_EQ(SchemaVersionOf(path), kSchemaVersion);
  Reader reader(path);
  auto alerts = reader.Alerts(TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(alerts.ok()) << alerts.error;
  ASSERT_EQ(alerts.value.size(), 2u);
  EXPECT_EQ(alerts.value[0].message, "old");
  EXPECT_EQ(alerts.value[0].epoch, 0);
  EXPECT_EQ(alerts.value[1].epoch, 77);
  auto deliveries = reader.AlertDeliveries(TimeRange{});
  ASSERT_TRUE(deliveries.ok()) << deliveries.error;
  ASSERT_EQ(deliveries.value.size(),
            1u);  // the new alert's only: same engine id, but the old one has no epoch
  EXPECT_EQ(deliveries.value[0].status, 200);
}

// A journal written one row per frame (version 2) is still read after the upgrade, before the compressed
// batches written since: a restart on the day of an upgrade rebuilds the whole day.
TEST(StoreSchemaTest, AnOldFrameJournalIsReadBeforeTheNewBatches) {
  TempDir dir;
  const std::string path = dir.File("v2.db");
  EXPECT_EQ(ApplyMigrations(path, 2), 2);
  {
    RawDb db(path);
    ASSERT_EQ(db.Exec("INSERT INTO frames(date,seq,recv_ms,text) VALUES (20260310,1,1,'old 1'),"
                      "(20260310,2,2,'old 2')"),
              SQLITE_OK);
  }
  {
    WriterConfig cfg;
    cfg.path = path;
    Writer w(cfg);
    ASSERT_TRUE(w.Enqueue(FrameRow{Date::Of(2026, 3, 10), 3, 3, "new 3"}));
    ASSERT_TRUE(w.Flush());
  }
  Reader reader(path);
  std::vector<std::string> texts;
  auto n = reader.FramesOfDay(Date::Of(2026, 3, 10), [&](const FrameView& f) {
    texts.emplace_back(f.text);
    return true;
  });
  ASSERT_TRUE(n.ok()) << n.error;
  EXPECT_EQ(texts, (std::vector<std::string>{"old 1", "old 2", "new 3"}));
  EXPECT_EQ(reader.PruneFramesBefore(Date::Of(2026, 3, 11)).value, 3);
}

// Version 6 on a file whose version 3 came before candles_1d (so it has none): the daily bars are backfilled
// from the stored minutes and equal the reader's aggregation of them, stay equal as the writer adds minutes
// (a minute written again included), and the ticks move to the covering index in arrival order.
TEST(StoreSchemaTest, Version6BackfillsDailyBarsAndCoversTheTicksOfADay) {
  TempDir dir;
  const std::string path = dir.File("v5.db");
  EXPECT_EQ(ApplyMigrations(path, 5), 5);
  const Date days[] = {Date::Of(2026, 3, 9), Date::Of(2026, 3, 10), Date::Of(2026, 3, 11)};
  {
    RawDb db(path);
    ASSERT_EQ(db.Exec("DROP TABLE candles_1d"), SQLITE_OK);
    std::string sql = "INSERT INTO candles_1m VALUES ";
    for (int d = 0; d < 3; ++d) {
      for (const char* sym : {"FPT", "HPG"}) {
        for (int m = 0; m < 20; ++m) {
          const std::int64_t p = (27000 + 100 * d + 7 * m + (sym[0] == 'H' ? 500 : 0)) * 10000LL;
          const std::int64_t open = m == 0 ? 0 : p, close = m == 19 ? 0 : p + 50000 * (m % 3);
          const std::int64_t low = open && close ? p - 10000 * (m % 4) : 0;
          sql += std::string(sql.back() == ' ' ? "" : ",") + "('" + sym + "'," + std::to_string(days[d].ymd) +
                 "," + std::to_string(33300 + 60 * m) + "," + std::to_string(open) + "," +
                 std::to_string(p + 90000) + "," + std::to_string(low) + "," + std::to_string(close) + "," +
                 std::to_string(100 + m) + ",50,40," + std::to_string(10 + m) + "," +
                 std::to_string(1000 * (100 + m)) + "," + std::to_string(1 + m % 4) + ")";
        }
      }
    }
    ASSERT_EQ(db.Exec(sql), SQLITE_OK) << sql;
    // Ticks of two symbols interleaved, three of FPT in one second with falling prices.
    ASSERT_EQ(
        db.Exec("INSERT INTO ticks(symbol,date,time,price,volume,value,side,method,session,bid,ask,futures) "
                "VALUES ('FPT',20260310,36000,300,1,1,'buy','quote','LO',0,0,0),"
                "('HPG',20260310,36000,100,9,1,'buy','quote','LO',0,0,0),"
                "('FPT',20260310,36000,200,2,1,'sell','quote','LO',0,0,0),"
                "('FPT',20260310,36000,100,3,1,'buy','quote','LO',0,0,0),"
                "('FPT',20260310,35999,999,0,1,'buy','quote','LO',0,0,0)"),
        SQLITE_OK);
  }
  EXPECT_EQ(ApplyMigrations(path, 6), 6);
  {
    RawDb db(path);
    EXPECT_EQ(db.Int("SELECT count(*) FROM candles_1d"), 6);
    EXPECT_EQ(db.Int(testing::DailyBarsMismatchSql()), 0);
    EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE name='ticks_by_symbol_day'"), 1);
    EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE name='ticks_by_symbol_time'"), 0);
  }
  EXPECT_EQ(ApplyMigrations(path), kSchemaVersion);  // and on: the ticks below are read from version 7
  {
    Writer w(WriterConfig{.path = path});
    for (int m = 0; m < 5; ++m)
      ASSERT_TRUE(w.Enqueue(testing::Minute("FPT", Date::Of(2026, 3, 12), m, 28000 + m, 28010, 70)));
    ASSERT_TRUE(
        w.Enqueue(testing::Minute("HPG", days[1], 19, 27400, 27900, 5000)));  // a minute written again
    ASSERT_TRUE(w.Flush());
  }
  {
    RawDb db(path);
    EXPECT_EQ(db.Int("SELECT count(*) FROM candles_1d"), 7);
    EXPECT_EQ(db.Int(testing::DailyBarsMismatchSql()), 0);
  }
  Reader reader(path);
  auto bars = reader.CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k1d, Date{}, Date{}, 10);
  ASSERT_TRUE(bars.ok()) << bars.error;
  ASSERT_EQ(bars.value.size(), 3u);
  EXPECT_EQ(bars.value[0].open, Price::FromInt(27000 + 500 + 7));  // minute 0 has no open: the next one's
  EXPECT_EQ(bars.value[1].close, Price::FromInt(27900));           // the replaced last minute
  auto ticks = reader.Ticks(Symbol::Of("FPT"), TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(ticks.ok()) << ticks.error;
  std::vector<std::int64_t> order;
  for (const TickRow& t : ticks.value) order.push_back(t.volume.raw());
  EXPECT_EQ(order, (std::vector<std::int64_t>{0, 1, 2, 3}));  // by time, then arrival within the second
  ticks = reader.Ticks(Symbol::Of("FPT"), TimeRange{.limit = 2, .order = Order::kNewestFirst});
  ASSERT_EQ(ticks.value.size(), 2u);
  EXPECT_EQ(ticks.value[0].volume.raw(), 3);
  EXPECT_EQ(ticks.value[1].volume.raw(), 2);
}

// Version 7 on a version-6 file with ticks: the table is rebuilt WITHOUT ROWID keyed (symbol, date, time,
// seq); every row is kept, seq numbers them in their rowid (arrival) order, so every query answers as before;
// the writer then adds ticks after the stored ones of the same second, an out-of-order second included.
TEST(StoreSchemaTest, Version7ClustersTheTicksKeepingEveryRowAndItsOrder) {
  TempDir dir;
  const std::string path = dir.File("v6.db");
  EXPECT_EQ(ApplyMigrations(path, 6), 6);
  // Arrival order (volume = arrival number): two symbols interleaved, several ticks in one second, a second
  // that arrives after a later one, a second day.
  const struct {
    const char* symbol;
    int date, time;
  } kRows[] = {{"FPT", 20260310, 36000}, {"HPG", 20260310, 36000}, {"FPT", 20260310, 36001},
               {"FPT", 20260310, 36000}, {"FPT", 20260310, 35999}, {"HPG", 20260310, 35000},
               {"FPT", 20260311, 33000}, {"FPT", 20260310, 36000}, {"VN30F2603", 20260310, 36000}};
  const std::string dump =
      "SELECT group_concat(symbol||','||date||','||time||','||price||','||volume||','||value||','||"
      "unattributed||','||side||','||method||','||session||','||bid||','||ask||','||futures, ';') FROM ";
  std::string before, before_fpt;
  {
    RawDb db(path);
    int n = 0;
    for (const auto& r : kRows) {
      ++n;
      ASSERT_EQ(
          db.Exec("INSERT INTO ticks(symbol,date,time,price,volume,value,unattributed,side,method,session,"
                  "bid,ask,futures) VALUES ('" +
                  std::string(r.symbol) + "'," + std::to_string(r.date) + "," + std::to_string(r.time) + "," +
                  std::to_string(229500000 + n) + "," + std::to_string(n) + "," + std::to_string(1000 * n) +
                  "," + std::to_string(n % 2) + ",'" + (n % 3 ? "buy" : "neutral") + "','quote','" +
                  (n % 2 ? "LO" : "ATC") + "'," + std::to_string(229000000 + n) + "," +
                  std::to_string(229600000 + n) + "," + (r.symbol[0] == 'V' ? "1" : "0") + ")"),
          SQLITE_OK);
    }
    ASSERT_EQ(db.Exec("DELETE FROM ticks WHERE volume=2"), SQLITE_OK);  // a gap in the rowids
    before = db.Text(dump + "(SELECT * FROM ticks ORDER BY rowid)");
    before_fpt = db.Text(dump + "(SELECT * FROM ticks WHERE symbol='FPT' ORDER BY date,time,rowid)");
  }
  EXPECT_EQ(ApplyMigrations(path), kSchemaVersion);
  {
    RawDb db(path);
    EXPECT_EQ(db.Text(dump + "(SELECT * FROM ticks ORDER BY seq)"), before);
    EXPECT_EQ(db.Text(dump + "(SELECT * FROM ticks WHERE symbol='FPT' ORDER BY date,time,seq)"), before_fpt);
    EXPECT_EQ(db.Text("SELECT group_concat(seq) FROM (SELECT seq FROM ticks ORDER BY seq)"),
              "1,3,4,5,6,7,8,9");
    EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE type='index' AND tbl_name='ticks' AND "
                     "name NOT LIKE 'sqlite_autoindex_%'"),
              0);
    EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  }
  {
    Reader reader(path);
    auto fpt = reader.Ticks(Symbol::Of("FPT"), TimeRange{.order = Order::kOldestFirst});
    ASSERT_TRUE(fpt.ok()) << fpt.error;
    std::vector<std::int64_t> order;
    for (const TickRow& t : fpt.value) order.push_back(t.volume.raw());
    EXPECT_EQ(order,
              (std::vector<std::int64_t>{5, 1, 4, 8, 3, 7}));  // by time, then arrival within the second
    EXPECT_EQ(fpt.value[1].price, Price::FromRaw(229500001));
    EXPECT_EQ(fpt.value[1].session, Session::kLo);
    EXPECT_EQ(fpt.value[2].session, Session::kAtc);
    EXPECT_EQ(fpt.value[2].side, core::Aggressor::kBuy);
    EXPECT_EQ(fpt.value[3].side, core::Aggressor::kBuy);
    EXPECT_EQ(reader.LatestTradingDate().value, Date::Of(2026, 3, 11));
  }
  {
    // FPT's newest tick is on 03-11; 10:00:00 of 03-10 already holds 1, 4 and 8 (seq 8 the highest of the
    // day's ticks), and HPG's 10:00:00 holds one; VNM is new.
    Writer w(WriterConfig{.path = path});
    ASSERT_TRUE(w.Enqueue(testing::Tick(100, At(10, 0, 0))));
    ASSERT_TRUE(w.Enqueue(testing::Tick(101, At(10, 0, 0), "HPG")));
    ASSERT_TRUE(w.Enqueue(testing::Tick(102, At(10, 0, 0))));
    ASSERT_TRUE(w.Enqueue(testing::Tick(103, At(9, 10, 0, Date::Of(2026, 3, 11)))));
    ASSERT_TRUE(w.Enqueue(testing::Tick(104, At(10, 0, 0), "VNM")));
    ASSERT_TRUE(w.Flush());
    EXPECT_EQ(w.Stats().rows_written[0], 5u);
    EXPECT_EQ(w.Stats().rejected, 0u);
  }
  Reader reader(path);
  auto fpt = reader.Ticks(Symbol::Of("FPT"), TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(fpt.ok()) << fpt.error;
  std::vector<std::int64_t> order;
  for (const TickRow& t : fpt.value) order.push_back(t.volume.raw());
  EXPECT_EQ(order, (std::vector<std::int64_t>{5, 1, 4, 8, 100, 102, 3, 7, 103}));
  auto hpg = reader.Ticks(Symbol::Of("HPG"), TimeRange{.order = Order::kOldestFirst});
  ASSERT_TRUE(hpg.ok()) << hpg.error;
  ASSERT_EQ(hpg.value.size(), 2u);
  EXPECT_EQ(hpg.value[0].volume.raw(), 6);
  EXPECT_EQ(hpg.value[1].volume.raw(), 101);
  EXPECT_EQ(reader.Ticks(Symbol::Of("VNM"), TimeRange{}).value.size(), 1u);
}

TEST(StoreSchemaTest, RefusesAFileFromANewerBuild) {
  TempDir dir;
  const std::string path = dir.File("new.db");
  ApplyMigrations(path);
  {
    RawDb db(path);
    ASSERT_EQ(
        db.Exec("INSERT INTO schema_version(version) VALUES (" + std::to_string(kSchemaVersion + 1) + ")"),
        SQLITE_OK);
  }
  for (int which = 0; which < 3; ++which) {
    try {
      if (which == 0) Writer w(WriterConfig{.path = path});
      if (which == 1) Reader r(path);
      if (which == 2) ApplyMigrations(path);
      ADD_FAILURE() << "opened a newer schema (" << which << ")";
    } catch (const StoreError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("newer than this build supports"), std::string::npos) << msg;
      EXPECT_NE(msg.find(std::to_string(kSchemaVersion + 1)), std::string::npos) << msg;
    }
  }
  EXPECT_EQ(SchemaVersionOf(path), kSchemaVersion + 1);  // untouched
}

TEST(StoreSchemaTest, AFileThatIsNotADatabaseFailsWithAClearError) {
  TempDir dir;
  const std::string path = dir.File("junk.db");
  std::ofstream(path)
      << "this is not an SQLite database, just some text that is long enough to be a header.....";
  try {
    Writer w(WriterConfig{.path = path});
    ADD_FAILURE() << "opened junk";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("junk.db"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Reader r(dir.File("no/such/dir/x.db")), StoreError);
}

}  // namespace
}  // namespace vnt::store
