// The PostgreSQL store against a real server (pg_test_cluster.h): start-up failures, a server restart
// under load, a row refused for its data, concurrent migrations, partitions and retention. The query
// contract itself is tested on both stores by reader_test.cpp.
#include <algorithm>
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "store/location.h"
#include "store/pg_conn.h"
#include "store/pg_schema.h"
#include "store/pg_test_cluster.h"
#include "store/reader.h"
#include "store/row_decode.h"
#include "store/schema.h"
#include "store/test_util.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using namespace std::chrono_literals;
using testing::At;
using testing::kDay;
using testing::PgCluster;
using testing::Tick;

constexpr Date kDay2 = Date::Of(2026, 3, 11);

std::string StartError(const std::string& url) {
  try {
    WriterConfig cfg;
    cfg.path = url;
    Writer w(cfg);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

TEST(PgUrl, RedactsThePassword) {
  EXPECT_EQ(RedactLocation("postgresql://stock:s3cret@db:5432/stock_tracker"),
            "postgresql://stock:***@db:5432/stock_tracker");
  EXPECT_EQ(RedactLocation("postgres://stock@db/x"), "postgres://stock@db/x");
  EXPECT_EQ(RedactLocation("postgresql://db/x?user=a&password=p2&sslmode=require"),
            "postgresql://db/x?user=a&password=***&sslmode=require");
  EXPECT_EQ(RedactLocation("postgresql://u:p@w@host/db"), "postgresql://u:***@host/db");
  EXPECT_TRUE(IsPostgresUrl("postgresql://x"));
  EXPECT_TRUE(IsPostgresUrl("postgres://x"));
  EXPECT_FALSE(IsPostgresUrl("./data/x.db"));
}

TEST(PgStore, BadLocationsFailAtStartWithOneClearLineAndNoPassword) {
  PgCluster& pg = PgCluster::Shared();
  const std::string pw = PgCluster::kPassword;

  std::string e =
      StartError("postgresql://postgres:" + pw + "@127.0.0.1:" + std::to_string(pg.port()) + "/db?x=1=");
  EXPECT_NE(e.find("malformed PostgreSQL URL"), std::string::npos) << e;

  e = StartError("postgresql://postgres:wrong-" + pw + "@127.0.0.1:" + std::to_string(pg.port()) +
                 "/postgres");
  EXPECT_NE(e.find("password authentication failed"), std::string::npos) << e;
  EXPECT_EQ(e.find("wrong-"), std::string::npos) << e;

  // A port nothing listens on.
  const int dead_port = pg.port() == 1 ? 2 : 1;
  e = StartError("postgresql://postgres:" + pw + "@127.0.0.1:" + std::to_string(dead_port) + "/postgres");
  EXPECT_NE(e.find("cannot connect to PostgreSQL"), std::string::npos) << e;

  // A role that may connect but not create tables (PostgreSQL 15: no CREATE on public for other roles).
  pg.Sql("CREATE ROLE limited LOGIN PASSWORD 'limited-pw'");
  const std::string db = pg.FreshDatabase();
  const std::string limited =
      "postgresql://limited:limited-pw@127.0.0.1:" + std::to_string(pg.port()) + db.substr(db.rfind('/'));
  e = StartError(limited);
  EXPECT_NE(e.find("permission denied"), std::string::npos) << e;
  EXPECT_NE(e.find("limited:***@"), std::string::npos) << e;

  for (const std::string& msg : {e}) {
    EXPECT_EQ(msg.find(pw), std::string::npos) << msg;
    EXPECT_EQ(msg.find("limited-pw"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(PgStore, TwoTrackersMigratingTogetherDoNotRace) {
  const std::string url = PgCluster::Shared().FreshDatabase();
  std::atomic<int> ok{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i) {
    ts.emplace_back([&] {
      WriterConfig cfg;
      cfg.path = url;
      Writer w(cfg);
      ASSERT_TRUE(w.Enqueue(Tick(1)));
      ASSERT_TRUE(w.Flush());
      ++ok;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(PgCluster::Shared().Text("SELECT count(*) FROM schema_version", url),
            std::to_string(pg::kPgSchemaVersion));
  EXPECT_EQ(PgCluster::Shared().Text("SELECT count(*) FROM ticks", url), "3");
}

// The server stops in the middle of a stream of rows and comes back: the writer reports the store degraded,
// keeps the rows (within its bound), reconnects, and in the end every row is in the database exactly once.
TEST(PgStore, SurvivesAServerRestartWithoutLosingOrDuplicatingRows) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = pg.FreshDatabase();
  WriterConfig cfg;
  cfg.path = url;
  cfg.queue_capacity = 1'000'000;
  cfg.max_backoff = 200ms;
  std::atomic<int> downs{0}, ups{0};
  cfg.on_health_change = [&](bool healthy, const std::string& reason) {
    (healthy ? ups : downs)++;
    EXPECT_EQ(reason.find(PgCluster::kPassword), std::string::npos) << reason;
  };
  Writer w(cfg);
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  std::thread producer([&] {
    for (int i = 0; !stop; ++i) {
      ASSERT_TRUE(w.Enqueue(Tick(i, At(10, 0, i % 60))));
      ++sent;
      std::this_thread::sleep_for(200us);
    }
  });
  std::this_thread::sleep_for(500ms);
  pg.Pause();
  std::this_thread::sleep_for(1500ms);
  EXPECT_FALSE(w.healthy());
  EXPECT_FALSE(w.Stats().last_error.empty());
  pg.Resume();
  std::this_thread::sleep_for(1000ms);
  stop = true;
  producer.join();
  ASSERT_TRUE(w.Flush(30s));
  EXPECT_TRUE(w.healthy()) << w.Stats().last_error;
  const WriterStats st = w.Stats();
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_EQ(st.rows_written[static_cast<std::size_t>(Table::kTicks)],
            static_cast<std::uint64_t>(sent.load()));
  EXPECT_EQ(pg.Text("SELECT count(*) FROM ticks", url), std::to_string(sent.load()));
  EXPECT_EQ(pg.Text("SELECT count(DISTINCT volume) FROM ticks", url), std::to_string(sent.load()));
  EXPECT_GE(downs, 1);
  EXPECT_GE(ups, 1);
}

TEST(PgStore, ARowRefusedForItsDataIsSkippedAndTheRestCommits) {
  const std::string url = PgCluster::Shared().FreshDatabase();
  WriterConfig cfg;
  cfg.path = url;
  Writer w(cfg);
  ASSERT_TRUE(w.Enqueue(Tick(1)));
  ASSERT_TRUE(
      w.Enqueue(Tick(2, At(10, 0, 1), std::string_view("BAD\xff", 4))));  // not UTF-8: text refuses it
  ASSERT_TRUE(w.Enqueue(Tick(3)));
  // The journal keeps frames byte for byte, whatever they hold.
  const std::string odd("frame \xff\xfe with a NUL \0 inside", 28);
  ASSERT_TRUE(w.Enqueue(FrameRow{kDay, 1, 1000, odd}));
  ASSERT_TRUE(w.Flush());
  const WriterStats st = w.Stats();
  EXPECT_EQ(st.rejected, 1u);
  EXPECT_TRUE(st.healthy);
  EXPECT_NE(st.last_error.find("rejected a row of ticks"), std::string::npos) << st.last_error;
  Reader r(url);
  auto ticks = r.Ticks(Symbol::Of("FPT"), TimeRange{});
  ASSERT_TRUE(ticks.ok()) << ticks.error;
  EXPECT_EQ(ticks.value.size(), 2u);
  std::string got;
  r.FramesOfDay(kDay, [&](const FrameView& f) {
    got = std::string(f.text);
    return true;
  });
  EXPECT_EQ(got, odd);
}

// The same alerts and delivery outcomes written to a SQLite file and to PostgreSQL read back identical
// (so /api/history/alerts gives the same bytes from either); PostgreSQL is at schema 3 with the table.
TEST(PgStore, AlertDeliveriesReadBackIdenticalFromBothStores) {
  PgCluster& pg = PgCluster::Shared();
  testing::TempDir dir;
  const std::string urls[] = {dir.File("d.db"), pg.FreshDatabase()};
  std::vector<AlertRow> alerts[2];
  std::vector<DeliveryRow> deliveries[2];
  for (int i = 0; i < 2; ++i) {
    {
      WriterConfig cfg;
      cfg.path = urls[i];
      Writer w(cfg);
      for (std::uint64_t id = 1; id <= 20; ++id) {
        AlertRow a;
        a.engine_id = id;
        a.epoch = id <= 10 ? 1'000 : 2'000;  // a restart after the tenth
        a.symbol = Symbol::Of(id % 2 ? "FPT" : "HPG");
        a.message = "alert " + std::to_string(id) + " «tiếng Việt»";
        a.value = 1.0 / static_cast<double>(id);
        a.time = At(10, 0, static_cast<int>(id));
        ASSERT_TRUE(w.Enqueue(a));
        for (int k = 0; k < static_cast<int>(id % 3); ++k)
          ASSERT_TRUE(w.Enqueue(DeliveryRow{a.epoch, id, a.time, k ? "telegram" : "webhook",
                                            k ? "given_up" : "delivered", k + 1, k ? 503 : 200,
                                            k ? "HTTP 503: \"busy\"" : "",
                                            1'773'000'000'000 + static_cast<std::int64_t>(id) * 7 + k}));
      }
      ASSERT_TRUE(w.Flush());
    }
    Reader r(urls[i]);
    auto a = r.Alerts(TimeRange{.order = Order::kOldestFirst});
    auto d = r.AlertDeliveries(TimeRange{.order = Order::kOldestFirst});
    ASSERT_TRUE(a.ok() && d.ok()) << a.error << d.error;
    alerts[i] = std::move(a.value);
    deliveries[i] = std::move(d.value);
    for (AlertRow& row : alerts[i]) row.id = 0;  // the stores number rows on their own
  }
  EXPECT_EQ(alerts[0].size(), 20u);
  EXPECT_EQ(deliveries[0].size(), 21u);  // id % 3 deliveries per alert
  EXPECT_EQ(alerts[0], alerts[1]);
  EXPECT_EQ(deliveries[0], deliveries[1]);
  EXPECT_EQ(pg.Text("SELECT max(version) FROM schema_version", urls[1]),
            std::to_string(pg::kPgSchemaVersion));
}

// The daily bars the writer keeps equal the reader's aggregation of the stored minutes over several days and
// symbols (a minute written again included); a database whose version 1 came before candles_1d gets the
// table from version 4, backfilled from its minutes; retention prunes it with the minutes.
TEST(PgStore, DailyBarsEqualTheAggregatedMinutesAndAreBackfilledByVersion4) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = pg.FreshDatabase();
  const Date days[] = {Date::Of(2026, 3, 9), kDay, kDay2};
  const auto write = [&](bool replay) {
    WriterConfig cfg;
    cfg.path = url;
    Writer w(cfg);
    for (int d = 0; d < 3; ++d) {
      for (const char* sym : {"FPT", "HPG", "VN30F2603"}) {
        for (int m = 0; m < 20; ++m) {
          const int p = 27000 + 100 * d + 7 * m;
          ASSERT_TRUE(w.Enqueue(testing::Minute(sym, days[d], m, m == 0 ? 0 : p,
                                                m == 19 ? 0 : p + 5 * (m % 3), replay ? 1000 + m : 100 + m)));
        }
      }
    }
    ASSERT_TRUE(w.Flush());
  };
  write(false);
  const std::string mismatch = testing::DailyBarsMismatchSql();
  EXPECT_EQ(pg.Text("SELECT count(*) FROM candles_1d", url), "9");
  EXPECT_EQ(pg.Text(mismatch, url), "0");
  write(true);  // every minute written again, other volumes
  EXPECT_EQ(pg.Text("SELECT count(*) FROM candles_1d", url), "9");
  EXPECT_EQ(pg.Text(mismatch, url), "0");
  EXPECT_EQ(pg.Text("SELECT sum(volume) FROM candles_1d", url), std::to_string(9 * (20 * 1000 + 190)));

  // A database migrated before candles_1d existed (version 3: the narrower ticks index of version 1 too).
  pg.Text("DROP TABLE candles_1d", url);
  pg.Sql(
      "DROP TABLE foreign_daily;"  // (version 6)
      "DROP INDEX basis_by_contract_day, candles_by_symbol_day;"
      "CREATE INDEX ticks_by_symbol_time ON ticks(symbol, date, time, id);"
      "CREATE INDEX basis_by_contract_time ON futures_basis(krx_code, date, time, id)",
      url.substr(url.rfind('/') + 1));
  pg.Text("DELETE FROM schema_version WHERE version >= 4", url);
  {
    Reader r(url);  // opening migrates 3 -> 4 -> 5 -> 6
    auto bars = r.CandlesAggregated(Symbol::Of("HPG"), CandleInterval::k1d, Date{}, Date{}, 10);
    ASSERT_TRUE(bars.ok()) << bars.error;
    ASSERT_EQ(bars.value.size(), 3u);
    EXPECT_EQ(bars.value[0].open, Price::FromInt(27007));  // minute 0 has no open: the next one's
    EXPECT_EQ(bars.value[2].volume, 20 * 1000 + 190);
  }
  EXPECT_EQ(pg.Text("SELECT max(version) FROM schema_version", url), std::to_string(pg::kPgSchemaVersion));
  EXPECT_EQ(pg.Text("SELECT count(*) FROM candles_1d", url), "9");
  EXPECT_EQ(pg.Text(mismatch, url), "0");
  Reader r(url);
  ASSERT_TRUE(r.PruneHistoryBefore(kDay2).ok());
  EXPECT_EQ(pg.Text("SELECT count(*) || ' ' || min(date) FROM candles_1d", url), "3 20260311");
  EXPECT_EQ(pg.Text(mismatch, url), "0");
}

TEST(PgStore, DailyPartitionsAndRetention) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = pg.FreshDatabase();
  WriterConfig cfg;
  cfg.path = url;
  Writer w(cfg);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(w.Enqueue(Tick(i, At(10, 0, i, kDay))));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w.Enqueue(Tick(i, At(10, 0, i, kDay2))));
  ASSERT_TRUE(w.Enqueue(FrameRow{kDay, 1, 1, "a"}));
  ASSERT_TRUE(w.Flush());
  // Each day has its own partition, and the next business day's is created ahead of need: after a Friday
  // the Monday's, no weekend partitions.
  EXPECT_EQ(pg.Text("SELECT count(*) FROM ticks_20260310", url), "10");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM ticks_20260311", url), "5");
  EXPECT_EQ(pg.Text("SELECT to_regclass('ticks_20260312') IS NOT NULL", url), "t");
  const Date friday = Date::Of(2026, 3, 13);
  ASSERT_TRUE(w.Enqueue(Tick(1, At(10, 0, 0, friday))));
  ASSERT_TRUE(w.Flush());
  EXPECT_EQ(pg.Text("SELECT to_regclass('ticks_20260316') IS NOT NULL", url), "t");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_class WHERE relname IN ('ticks_20260314', 'ticks_20260315', "
                    "'foreign_snapshots_20260314', 'frame_batches_20260315')",
                    url),
            "0");
  Reader r(url);
  EXPECT_EQ(r.LatestTradingDate().value, friday);
  auto pruned = r.PruneHistoryBefore(kDay2);
  ASSERT_TRUE(pruned.ok()) << pruned.error;
  EXPECT_EQ(pruned.value, 10);
  EXPECT_EQ(pg.Text("SELECT count(*) FROM ticks", url), "6");
  EXPECT_EQ(pg.Text("SELECT to_regclass('ticks_20260310') IS NULL", url), "t");
  EXPECT_EQ(r.Ticks(Symbol::Of("FPT"), TimeRange{}).value.size(), 6u);
  EXPECT_EQ(r.PruneFramesBefore(kDay2).value, 1);
}

// The query plan of the reader's ticks query (history_sql.h RangeSql + OrderLimit) for one symbol's day.
std::string TicksPlan(const std::string& url, Date day) {
  std::string error;
  auto conn = pg::Conn::Open(url, &error);
  if (!conn) return error;
  if (!conn->Exec("SET enable_seqscan = off; SET enable_bitmapscan = off", &error)) return error;
  pg::ResultPtr plan = conn->Query(
      "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT " + std::string(internal::kTickCols) +
          " FROM ticks WHERE symbol=$1 AND date>=$2 AND date<=$4 AND (date,time)>=($2,$3) AND "
          "(date,time)<=($4,$5) ORDER BY date,time,id LIMIT $6",
      {"FPT", std::to_string(day.ymd), "0", std::to_string(day.ymd), "86399", "50000"}, &error);
  if (!plan) return error;
  std::string text;
  for (int i = 0; i < PQntuples(plan.get()); ++i)
    text += std::string(pg::Row(plan.get(), i).ColText(0)) + "\n";
  return text;
}

std::string IndexesOf(PgCluster& pg, const std::string& url, const std::string& table) {
  return pg.Text(
      "SELECT count(*) || ' ' || coalesce(string_agg(indexname || ': ' || indexdef, '; '), '') "
      "FROM pg_indexes WHERE tablename = '" +
          table + "'",
      url);
}

constexpr std::string_view kCoveringCols =
    "(symbol, date, \"time\", id) INCLUDE (price, volume, value, unattributed, side, method, session, bid, "
    "ask, futures)";
std::string CoveringDef() {
  return " USING btree " + std::string(kCoveringCols);
}

// Schema 6: the live day's ticks partition has no index (its rows are read by a scan of the partition, in
// the same order); once a newer trading date has rows, the finished day's partition gets the covering index
// of its own, and one symbol's ticks of that day come from it alone (an index-only scan in the query's
// order: no sort); the partitions of the newer date and the next business day stay without.
TEST(PgStore, TicksOfAFinishedDayAreReadFromTheCoveringIndexAlone) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = pg.FreshDatabase();
  const char* symbols[] = {"FPT", "HPG", "VNM"};
  std::vector<TickRow> live_written;
  {
    WriterConfig cfg;
    cfg.path = url;
    Writer w(cfg);
    for (int i = 0; i < 3000; ++i) ASSERT_TRUE(w.Enqueue(Tick(i, At(10, 0, i / 10), symbols[i % 3])));
    ASSERT_TRUE(w.Flush());
    // The day being written: no index.
    EXPECT_EQ(IndexesOf(pg, url, "ticks_20260310"), "0 ");
    // Rows of a newer date: the day before is finished.
    for (int i = 0; i < 3000; ++i) {
      TickRow t = Tick(10'000 + i, At(10, 0, (3000 - i) / 10, kDay2), symbols[i % 3]);
      if (i % 3 == 0) live_written.push_back(t);
      ASSERT_TRUE(w.Enqueue(t));
    }
    ASSERT_TRUE(w.Flush());
  }
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260310"),
            std::string("1 ticks_20260310_by_symbol_day: CREATE INDEX ticks_20260310_by_symbol_day ON "
                        "public.ticks_20260310") +
                CoveringDef())
      << "the finished day";
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260311"), "0 ") << "the live day";
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260312"), "0 ") << "ahead of need";
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_indexes WHERE tablename = 'ticks'", url), "0")
      << "no partitioned index on the parent";
  // A writer starting again finds nothing more to build (the live day stays without).
  {
    WriterConfig cfg;
    cfg.path = url;
    Writer w(cfg);
    ASSERT_TRUE(w.Enqueue(Tick(99'999, At(14, 0, 0, kDay2), "SSI")));
    ASSERT_TRUE(w.Flush());
  }
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260311"), "0 ");

  // The test cluster commits asynchronously: a commit's WAL flushed (CHECKPOINT) before VACUUM can mark
  // its rows visible to all.
  pg.Sql("CHECKPOINT", url.substr(url.rfind('/') + 1));
  pg.Sql("VACUUM ANALYZE ticks", url.substr(url.rfind('/') + 1));
  const std::string finished = TicksPlan(url, kDay);
  EXPECT_NE(finished.find("Index Only Scan using ticks_20260310_by_symbol_day"), std::string::npos)
      << finished;
  EXPECT_EQ(finished.find("Sort"), std::string::npos) << finished;
  EXPECT_NE(finished.find("Heap Fetches: 0"), std::string::npos) << finished;
  EXPECT_NE(finished.find("rows=1000 "), std::string::npos) << finished;
  const std::string live = TicksPlan(url, kDay2);
  EXPECT_NE(live.find("Seq Scan on ticks_20260311"), std::string::npos) << live;

  // Both days read back whole and in order through the reader (the live day's rows were written newest
  // second first: the order is the query's, not the table's).
  Reader r(url);
  TimeRange day2;
  day2.from = At(0, 0, 0, kDay2);
  day2.to = At(23, 59, 59, kDay2);
  day2.order = Order::kOldestFirst;
  auto got = r.Ticks(Symbol::Of("FPT"), day2);
  ASSERT_TRUE(got.ok()) << got.error;
  std::stable_sort(live_written.begin(), live_written.end(),
                   [](const TickRow& a, const TickRow& b) { return a.time.time.sec < b.time.time.sec; });
  ASSERT_EQ(got.value.size(), live_written.size());
  EXPECT_EQ(got.value, live_written);
  TimeRange day1 = day2;
  day1.from = At(0, 0, 0);
  day1.to = At(23, 59, 59);
  day1.order = Order::kNewestFirst;
  day1.limit = 10;
  got = r.Ticks(Symbol::Of("HPG"), day1);
  ASSERT_TRUE(got.ok()) << got.error;
  ASSERT_EQ(got.value.size(), 10u);
  EXPECT_EQ(got.value.front().volume, Tick(2998, At(10, 4, 59), "HPG").volume);
}

// A schema-5 database (a partitioned covering index on ticks, so on every partition, the live day's and
// the one created ahead of need included) migrates to 6: the parent's index goes, the partitions with rows
// keep theirs (detached, attached back: no rebuild), the empty one loses it; no row is lost or moved.
TEST(PgStore, Version5TicksIndexMigratesToPerPartitionIndexes) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = pg.FreshDatabase();
  const std::string db = url.substr(url.rfind('/') + 1);
  {
    WriterConfig cfg;
    cfg.path = url;
    Writer w(cfg);
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(w.Enqueue(Tick(i, At(10, 0, i / 10), i % 2 ? "FPT" : "HPG")));
    for (int i = 0; i < 200; ++i)
      ASSERT_TRUE(w.Enqueue(Tick(1000 + i, At(11, 0, i / 10, kDay2), i % 2 ? "FPT" : "HPG")));
    for (int i = 0; i < 40; ++i) {
      ForeignRow f;
      f.symbol = Symbol::Of(i % 2 ? "FPT" : "HPG");
      f.time = At(10, 0, 59 - i, i < 20 ? kDay : kDay2);  // the day's last arrives first
      f.buy_vol = i;
      ASSERT_TRUE(w.Enqueue(f));
    }
    ASSERT_TRUE(w.Flush());
  }
  std::vector<ForeignRow> summary;
  {
    Reader r(url);
    summary = r.ForeignDaily(Symbol::Of("FPT"), Date{}, Date{}).value;
    ASSERT_EQ(summary.size(), 2u);
    EXPECT_EQ(summary[0].buy_vol, 1);
    EXPECT_EQ(summary[1].buy_vol, 21);
  }
  // Back to schema 5's shape: creating the partitioned index attaches the matching per-partition one and
  // builds it on the others.
  pg.Sql("CREATE INDEX ticks_by_symbol_day ON ticks" + std::string(kCoveringCols) +
             "; DROP TABLE foreign_daily; DELETE FROM schema_version WHERE version = 6",
         db);
  EXPECT_EQ(
      pg.Text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'ticks_by_symbol_day'::regclass", url),
      "3");
  Reader r(url);  // opening migrates 5 -> 6
  EXPECT_EQ(pg.Text("SELECT max(version) FROM schema_version", url), "6");
  EXPECT_EQ(pg.Text("SELECT to_regclass('ticks_by_symbol_day') IS NULL", url), "t");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'ticks'::regclass", url), "3");
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260310"),
            std::string("1 ticks_20260310_by_symbol_day: CREATE INDEX ticks_20260310_by_symbol_day ON "
                        "public.ticks_20260310") +
                CoveringDef());
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_indexes WHERE tablename = 'ticks_20260311'", url), "1")
      << "the live day keeps the index it had";
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260312"), "0 ") << "the empty partition created ahead of need";
  EXPECT_EQ(pg.Text("SELECT count(*) || ' ' || sum(volume) FROM ticks", url), "500 " + std::to_string([] {
                                                                                std::int64_t v = 0;
                                                                                for (int i = 0; i < 300; ++i)
                                                                                  v += Tick(i).volume;
                                                                                for (int i = 0; i < 200; ++i)
                                                                                  v += Tick(1000 + i).volume;
                                                                                return v;
                                                                              }()));
  TimeRange all;
  all.order = Order::kOldestFirst;
  EXPECT_EQ(r.ForeignDaily(Symbol::Of("FPT"), Date{}, Date{}).value, summary) << "backfilled";
  auto fpt = r.Ticks(Symbol::Of("FPT"), all);
  ASSERT_TRUE(fpt.ok()) << fpt.error;
  EXPECT_EQ(fpt.value.size(), 250u);
  EXPECT_TRUE(std::is_sorted(fpt.value.begin(), fpt.value.end(), [](const TickRow& a, const TickRow& b) {
    return std::pair(a.time.date.ymd, a.time.time.sec) < std::pair(b.time.date.ymd, b.time.time.sec);
  }));
}

// The foreign daily summary (schema 6: the table foreign_daily the writer keeps) answers what SQLite's query
// of the snapshots answers, byte for byte, when a day's snapshots come over several batches and writer
// sessions: a later batch with an earlier time does not replace the day's last snapshot, one with the same
// time does (arrival order); retention prunes it with the snapshots.
TEST(PgStore, ForeignDailySummaryEqualsSqliteAcrossBatchesAndRestarts) {
  PgCluster& pg = PgCluster::Shared();
  testing::TempDir dir;
  const std::string urls[] = {dir.File("f.db"), pg.FreshDatabase()};
  std::vector<ForeignRow> got[2];
  for (int i = 0; i < 2; ++i) {
    WriterConfig cfg;
    cfg.path = urls[i];
    std::int64_t n = 0;
    const auto put = [&](Writer& w, const char* symbol, ExchangeTime t) {
      ForeignRow f;
      f.symbol = Symbol::Of(symbol);
      f.time = t;
      f.buy_vol = ++n;
      f.sell_val = 1'000'000'007 * n;
      f.net_speed_vol = 1.0 / static_cast<double>(n);
      if (n % 2) f.total_room = 10 * n;
      ASSERT_TRUE(w.Enqueue(f));
    };
    {
      Writer w(cfg);
      put(w, "VNM", At(9, 30, 0));
      put(w, "VNM", At(14, 45, 0));
      put(w, "FPT", At(10, 0, 0));
      ASSERT_TRUE(w.Flush());
      put(w, "VNM", At(11, 0, 0));  // a later batch, an earlier time: not the day's last
      ASSERT_TRUE(w.Flush());
      put(w, "VNM", At(14, 45, 0));  // the same time, arrived later: the day's last
      put(w, "VNM", At(10, 0, 0, kDay2));
      ASSERT_TRUE(w.Flush());
    }
    {
      Writer w(cfg);  // a restart
      put(w, "VNM", At(14, 59, 59, kDay2));
      put(w, "FPT", At(9, 0, 0, kDay2));
      ASSERT_TRUE(w.Flush());
      put(w, "VNM", At(9, 0, 0, kDay2));
      ASSERT_TRUE(w.Flush());
    }
    Reader r(urls[i]);
    for (const char* symbol : {"VNM", "FPT"}) {
      auto daily = r.ForeignDaily(Symbol::Of(symbol), Date{}, Date{});
      ASSERT_TRUE(daily.ok()) << daily.error;
      got[i].insert(got[i].end(), daily.value.begin(), daily.value.end());
    }
  }
  ASSERT_EQ(got[1].size(), 4u);
  EXPECT_EQ(got[0], got[1]);
  EXPECT_EQ(got[1][0].buy_vol, 5);  // VNM, kDay
  EXPECT_EQ(got[1][1].buy_vol, 7);  // VNM, kDay2
  EXPECT_EQ(got[1][2].buy_vol, 3);  // FPT, kDay
  EXPECT_EQ(got[1][3].buy_vol, 8);  // FPT, kDay2
  EXPECT_EQ(pg.Text("SELECT count(*) FROM foreign_daily", urls[1]), "4");
  Reader r(urls[1]);
  auto pruned = r.PruneHistoryBefore(kDay2);
  ASSERT_TRUE(pruned.ok()) << pruned.error;
  EXPECT_EQ(pruned.value, 5);  // the snapshots of kDay (the summary's rows repeat them: not counted)
  EXPECT_EQ(pg.Text("SELECT count(*) || ' ' || min(date) FROM foreign_daily", urls[1]), "2 20260311");
  auto vnm = r.ForeignDaily(Symbol::Of("VNM"), Date{}, Date{});
  ASSERT_EQ(vnm.value.size(), 1u);
  EXPECT_EQ(vnm.value[0], got[0][1]);
}

}  // namespace
}  // namespace vnt::store
