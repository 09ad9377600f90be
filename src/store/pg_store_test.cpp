// The PostgreSQL store against a real server (pg_test_cluster.h): start-up failures, a server restart
// under load, a row refused for its data, concurrent migrations, partitions and retention. The query
// contract itself is tested on both stores by reader_test.cpp.
#include <algorithm>
#include <atomic>
#include <initializer_list>
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
    EXPECT_EQ(bars.value[2].volume.raw(), 20 * 1000 + 190);
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

// The query plan of the reader's ticks query for one symbol's day, as pg_reader.cpp sends it
// (history_sql.h RangeSql + the one-day conditions + OrderLimit), between `from` and `to` (seconds).
std::string TicksPlan(const std::string& url, Date day, int from = 0, int to = 86399) {
  std::string error;
  auto conn = pg::Conn::Open(url, &error);
  if (!conn) return error;
  if (!conn->Exec("SET enable_seqscan = off; SET enable_bitmapscan = off", &error)) return error;
  pg::ResultPtr plan = conn->Query(
      "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT " + std::string(internal::kTickCols) +
          " FROM ticks WHERE symbol=$1 AND date>=$2 AND date<=$4 AND (date,time)>=($2,$3) AND "
          "(date,time)<=($4,$5) AND date=$2 AND time>=$3 AND time<=$5 ORDER BY date,time,id LIMIT $6",
      {"FPT", std::to_string(day.ymd), std::to_string(from), std::to_string(day.ymd), std::to_string(to),
       "50000"},
      &error);
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

// The slices ("HHMM") of a day's ticks partition that have an index, in order.
std::string IndexedSlices(PgCluster& pg, const std::string& url, Date day) {
  const std::string parent = "ticks_" + std::to_string(day.ymd);
  return pg.Text(
      "SELECT coalesce(string_agg(substr(c.relname, 16), ' ' ORDER BY c.relname), '') "
      "FROM pg_partition_tree('" +
          parent +
          "') t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf AND t.level = 1 "
          "AND EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid)",
      url);
}

constexpr std::string_view kCoveringCols =
    "(symbol, date, \"time\", id) INCLUDE (price, volume, value, unattributed, side, method, session, bid, "
    "ask, futures)";
std::string CoveringDef() {
  return " USING btree " + std::string(kCoveringCols);
}

constexpr const char* kAllSlices = "0000 0900 0915 0930 1000 1030 1100 1130 1300 1330 1400 1415 1430 1500";

TEST(PgStore, TickSlicesCoverTheDay) {
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay{}), 0);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(8, 45, 0)), 0);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(9, 0, 0)), 9 * 3600);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(9, 14, 59)), 9 * 3600);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(9, 29, 59)), 9 * 3600 + 900);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(9, 30, 0)), 9 * 3600 + 1800);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(12, 0, 0)), 11 * 3600 + 1800);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(14, 29, 59)), 14 * 3600 + 900);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(14, 45, 0)), 14 * 3600 + 1800);
  EXPECT_EQ(pg::TickSliceStart(TimeOfDay::Of(23, 59, 59)), 15 * 3600);
}

// Schema 7: a day's ticks partition is sliced by time; a slice gets the covering index once a later slice
// has rows (so the live day is indexed as it goes), every slice of a day once a newer date has rows. One
// symbol's day reads back whole and in order (the same rows as SQLite), the finished slices from their index
// alone and only the slice being written by a scan; a time range within the day reads only its slices;
// retention drops the day whole, slices and all.
TEST(PgStore, TicksSlicesAreIndexedOnceALaterSliceHasRows) {
  PgCluster& pg = PgCluster::Shared();
  testing::TempDir dir;
  const std::string sqlite = dir.File("t.db");
  const std::string url = pg.FreshDatabase();
  const std::string db = url.substr(url.rfind('/') + 1);
  const char* symbols[] = {"FPT", "HPG", "VNM"};
  WriterConfig pcfg, scfg;
  pcfg.path = url;
  scfg.path = sqlite;
  Writer w(pcfg), sw(scfg);
  std::int64_t n = 0;
  // `count` ticks from `start` (seconds) backwards in time: the stored order is not the query's.
  const auto put = [&](int count, int start, Date day = kDay) {
    for (int i = 0; i < count; ++i, ++n) {
      const TickRow t = Tick(n, ExchangeTime{day, TimeOfDay{start - i / 3}}, symbols[i % 3]);
      ASSERT_TRUE(w.Enqueue(t));
      ASSERT_TRUE(sw.Enqueue(t));
    }
    ASSERT_TRUE(w.Flush());
    ASSERT_TRUE(sw.Flush());
  };
  put(600, 9 * 3600 + 25 * 60);  // 09:21:41-09:25:00, the 09:15 slice
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_partition_tree('ticks_20260310') WHERE isleaf", url), "14");
  EXPECT_EQ(pg.Text("SELECT string_agg(substr(relname, 16), ' ' ORDER BY relname) FROM pg_class "
                    "WHERE relname ~ '^ticks_20260311_[0-9]{4}$' AND relkind = 'r'",
                    url),
            kAllSlices)
      << "the next business day's, ahead of need";
  EXPECT_EQ(pg.Text("SELECT count(*) FROM ticks_20260310_0915", url), "600");
  EXPECT_EQ(IndexedSlices(pg, url, kDay), "0000 0900") << "the slice being written has none";
  put(600, 9 * 3600 + 45 * 60);  // the 09:30 slice
  EXPECT_EQ(IndexedSlices(pg, url, kDay), "0000 0900 0915");
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260310_0915"),
            std::string("1 ticks_20260310_0915_by_symbol_day: CREATE INDEX ticks_20260310_0915_by_symbol_day "
                        "ON public.ticks_20260310_0915") +
                CoveringDef());
  put(900, 13 * 3600 + 20 * 60);  // after the lunch break: 13:15:00-13:20:00
  EXPECT_EQ(IndexedSlices(pg, url, kDay), "0000 0900 0915 0930 1000 1030 1100 1130");
  put(30, 9 * 3600 + 40 * 60);  // late rows, into a slice already indexed
  EXPECT_EQ(IndexedSlices(pg, url, kDay), "0000 0900 0915 0930 1000 1030 1100 1130");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_indexes WHERE tablename IN ('ticks', 'ticks_20260310')", url),
            "0")
      << "no partitioned index on the parents";

  // The live day through both readers: the same rows in the same order, whole (3 x 710 per symbol).
  Reader pr(url), sr(sqlite);
  TimeRange day;
  day.from = At(0, 0, 0);
  day.to = At(23, 59, 59);
  day.order = Order::kOldestFirst;
  for (const char* symbol : symbols) {
    auto got = pr.Ticks(Symbol::Of(symbol), day);
    auto want = sr.Ticks(Symbol::Of(symbol), day);
    ASSERT_TRUE(got.ok() && want.ok()) << got.error << want.error;
    EXPECT_EQ(got.value.size(), 710u);
    EXPECT_EQ(got.value, want.value) << symbol;
    EXPECT_TRUE(std::is_sorted(got.value.begin(), got.value.end(), [](const TickRow& a, const TickRow& b) {
      return a.time.time.sec < b.time.time.sec;
    }));
  }
  TimeRange newest = day;
  newest.order = Order::kNewestFirst;
  newest.limit = 25;
  EXPECT_EQ(pr.Ticks(Symbol::Of("HPG"), newest).value, sr.Ticks(Symbol::Of("HPG"), newest).value);
  TimeRange lunch = day;  // 13:00-13:16: the slice being written only
  lunch.from = At(13, 0, 0);
  lunch.to = At(13, 16, 0);
  auto part = pr.Ticks(Symbol::Of("VNM"), lunch);
  ASSERT_TRUE(part.ok()) << part.error;
  EXPECT_EQ(part.value.size(), 60u);  // one a second, 13:15:01-13:16:00
  EXPECT_EQ(part.value, sr.Ticks(Symbol::Of("VNM"), lunch).value);

  // The test cluster commits asynchronously: a commit's WAL flushed (CHECKPOINT) before VACUUM can mark
  // its rows visible to all.
  pg.Sql("CHECKPOINT", db);
  pg.Sql("VACUUM ANALYZE ticks", db);
  const std::string plan = TicksPlan(url, kDay);
  EXPECT_NE(plan.find("Index Only Scan using ticks_20260310_0915_by_symbol_day"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Index Only Scan using ticks_20260310_0930_by_symbol_day"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Seq Scan on ticks_20260310_1300"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan on ticks_20260310_09"), std::string::npos) << plan;
  for (std::size_t at = plan.find("Heap Fetches: "); at != std::string::npos;
       at = plan.find("Heap Fetches: ", at + 1))
    EXPECT_EQ(plan.compare(at, 16, "Heap Fetches: 0\n"), 0) << "the index alone: " << plan;
  const std::string afternoon = TicksPlan(url, kDay, 13 * 3600, 13 * 3600 + 960);
  EXPECT_NE(afternoon.find("ticks_20260310_1300"), std::string::npos) << afternoon;
  EXPECT_EQ(afternoon.find("ticks_20260310_0900"), std::string::npos) << "pruned by time: " << afternoon;

  // A newer date: every slice of the day before is finished.
  put(30, 10 * 3600, kDay2);
  EXPECT_EQ(IndexedSlices(pg, url, kDay), kAllSlices);
  EXPECT_EQ(IndexedSlices(pg, url, kDay2), "0000 0900 0915 0930");
  for (const char* symbol : symbols)
    EXPECT_EQ(pr.Ticks(Symbol::Of(symbol), day).value, sr.Ticks(Symbol::Of(symbol), day).value) << symbol;

  // Retention drops the day whole: its partition and every slice.
  auto pruned = pr.PruneHistoryBefore(kDay2);
  ASSERT_TRUE(pruned.ok()) << pruned.error;
  EXPECT_EQ(pruned.value, 3 * 710);
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_class WHERE relname LIKE 'ticks\\_20260310%'", url), "0");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM ticks", url), "30");
}

// A database of an older schema, `version`, with the ticks partitions that schema's writer made: one plain
// partition per day (of every partitioned table) and the days listed in trading_days.
std::string OldSchemaDatabase(int version, std::initializer_list<Date> days) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = pg.FreshDatabase();
  std::string error;
  auto conn = pg::Conn::Open(url, &error);
  EXPECT_TRUE(conn != nullptr) << error;
  if (!conn) return url;
  pg::Migrate(*conn, url, version);
  std::string sql;
  for (const Date d : days) {
    const std::string from = std::to_string(d.ymd), to = std::to_string(d.ymd + 1);
    for (const char* t : {"ticks", "foreign_snapshots", "index_snapshots", "futures_basis", "frame_batches"})
      sql += "CREATE TABLE " + std::string(t) + "_" + from + " PARTITION OF " + t + " FOR VALUES FROM (" +
             from + ") TO (" + to + ");";
  }
  EXPECT_TRUE(conn->Exec(sql, &error)) << error;
  return url;
}

// `count` ticks of `date` by SQL, 4 symbols, times from 09:00 on over the day going backwards within each
// run of rows, volumes from `first`.
std::string InsertTicksSql(Date date, int count, int first) {
  return "INSERT INTO ticks(symbol,date,time,price,volume,value,side,method,session,bid,ask,futures) "
         "SELECT (ARRAY['FPT','HPG','VNM','VN30F2603'])[n % 4 + 1], " +
         std::to_string(date.ymd) + ", 32400 + (n / 40) * 1500 + 39 - n % 40, 229500000, " +
         std::to_string(first) +
         " + n, 22950 * n, 'buy', 'quote', 'LO', 229000000, 229500000, (n % 4 = 3)::int "
         "FROM generate_series(0, " +
         std::to_string(count - 1) +
         ") n;"
         "INSERT INTO trading_days VALUES (" +
         std::to_string(date.ymd) + ") ON CONFLICT DO NOTHING";
}

// A schema-6 database migrates to 7: the finished day (its index built) stays a plain partition with its
// index; the live day (rows, no index) is made again sliced with every row moved (ids and all), the one
// created ahead of need too; no row is lost or changed, and the writer then indexes the moved slices.
TEST(PgStore, Version6DatabaseMigratesToSlicedLiveDay) {
  PgCluster& pg = PgCluster::Shared();
  const Date kDay0 = Date::Of(2026, 3, 9);
  const std::string url = OldSchemaDatabase(6, {kDay0, kDay, kDay2});
  const std::string db = url.substr(url.rfind('/') + 1);
  pg.Sql(InsertTicksSql(kDay0, 300, 0) + ";" + InsertTicksSql(kDay, 400, 1000) +
             ";CREATE INDEX ticks_20260309_by_symbol_day ON ticks_20260309" + std::string(kCoveringCols),
         db);
  const std::string fingerprint =
      "SELECT count(*) || ' ' || md5(string_agg(t::text, ',' ORDER BY id)) FROM ticks t";
  const std::string before = pg.Text(fingerprint, url);
  const std::string fpt_before = pg.Text(
      "SELECT string_agg(volume::text, ',' ORDER BY date, time, id) FROM ticks WHERE symbol = 'FPT'", url);
  EXPECT_EQ(pg.Text("SELECT max(version) FROM schema_version", url), "6");

  Reader r(url);  // opening migrates 6 -> 7
  EXPECT_EQ(pg.Text("SELECT max(version) FROM schema_version", url), "7");
  EXPECT_EQ(pg.Text(fingerprint, url), before);
  EXPECT_EQ(pg.Text("SELECT string_agg(relname || ':' || relkind::text, ' ' ORDER BY relname) FROM pg_class "
                    "WHERE relname ~ '^ticks_[0-9]{8}$'",
                    url),
            "ticks_20260309:r ticks_20260310:p ticks_20260311:p");
  EXPECT_EQ(IndexesOf(pg, url, "ticks_20260309"),
            std::string("1 ticks_20260309_by_symbol_day: CREATE INDEX ticks_20260309_by_symbol_day ON "
                        "public.ticks_20260309") +
                CoveringDef());
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_partition_tree('ticks_20260310') WHERE isleaf", url), "14");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_v6'", url), "0");
  // 400 rows over 09:00-12:45 (a run of 40 every 25 minutes): their slices.
  EXPECT_EQ(
      pg.Text("SELECT string_agg(substr(tableoid::regclass::text, 16) || '=' || n, ' ' ORDER BY "
              "tableoid::regclass::text) FROM (SELECT tableoid, count(*) n FROM ticks_20260310 GROUP BY 1) s",
              url),
      "0900=40 0915=40 0930=40 1000=40 1030=40 1100=40 1130=160");
  EXPECT_EQ(IndexedSlices(pg, url, kDay), "");

  // The writer of schema 7 on the migrated database: a tick of 13:05 on the live day finishes its slices.
  {
    WriterConfig cfg;
    cfg.path = url;
    Writer w(cfg);
    ASSERT_TRUE(w.Enqueue(Tick(5000, At(13, 5, 0), "FPT")));
    ASSERT_TRUE(w.Flush());
  }
  EXPECT_EQ(IndexedSlices(pg, url, kDay), "0000 0900 0915 0930 1000 1030 1100 1130");
  TimeRange all;
  all.order = Order::kOldestFirst;
  auto fpt = r.Ticks(Symbol::Of("FPT"), all);
  ASSERT_TRUE(fpt.ok()) << fpt.error;
  std::string volumes;
  for (const TickRow& t : fpt.value) volumes += (volumes.empty() ? "" : ",") + std::to_string(t.volume.raw());
  EXPECT_EQ(volumes, fpt_before + ",5000");
  TimeRange live;
  live.from = At(0, 0, 0);
  live.to = At(23, 59, 59);
  live.order = Order::kNewestFirst;
  live.limit = 3;
  auto last = r.Ticks(Symbol::Of("FPT"), live);
  ASSERT_EQ(last.value.size(), 3u);
  EXPECT_EQ(last.value[0].volume.raw(), 5000);
  EXPECT_EQ(last.value[1].time.time, TimeOfDay::Of(12, 45, 39));
}

// A schema-5 database (a partitioned covering index on ticks, so on every partition, the live day's and
// the one created ahead of need included) migrates to 6 and 7: the parent's index goes, the partitions with
// rows keep theirs (detached, attached back: no rebuild) and stay plain, the empty one loses it and is
// sliced; no row is lost or moved; foreign_daily is backfilled.
TEST(PgStore, Version5TicksIndexMigratesToPerPartitionIndexes) {
  PgCluster& pg = PgCluster::Shared();
  const std::string url = OldSchemaDatabase(5, {kDay, kDay2, Date::Of(2026, 3, 12)});
  const std::string db = url.substr(url.rfind('/') + 1);
  std::string foreign =
      "INSERT INTO foreign_snapshots(symbol,date,time,buy_vol,sell_vol,buy_val,sell_val,net_speed_vol,"
      "net_speed_val,net_accel_vol,net_accel_val) SELECT CASE WHEN i % 2 = 1 THEN 'FPT' ELSE 'HPG' END, "
      "CASE WHEN i < 20 THEN 20260310 ELSE 20260311 END, 36059 - i, i, 0, 0, 0, 0, 0, 0, 0 "
      "FROM generate_series(0, 39) i";  // the day's last arrives first
  pg.Sql(InsertTicksSql(kDay, 300, 0) + ";" + InsertTicksSql(kDay2, 200, 1000) + ";" + foreign, db);
  EXPECT_EQ(
      pg.Text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'ticks_by_symbol_day'::regclass", url),
      "3");
  const std::string fingerprint =
      "SELECT count(*) || ' ' || md5(string_agg(t::text, ',' ORDER BY id)) FROM ticks t";
  const std::string before = pg.Text(fingerprint, url);
  Reader r(url);  // opening migrates 5 -> 6 -> 7
  EXPECT_EQ(pg.Text("SELECT max(version) FROM schema_version", url), "7");
  EXPECT_EQ(pg.Text("SELECT to_regclass('ticks_by_symbol_day') IS NULL", url), "t");
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'ticks'::regclass", url), "3");
  EXPECT_EQ(pg.Text("SELECT count(*) || string_agg(substr(indexdef, strpos(indexdef, ' USING')), '') "
                    "FROM pg_indexes WHERE tablename = 'ticks_20260310'",
                    url),
            "1" + CoveringDef())
      << "schema 5's index of the partition, kept";
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_indexes WHERE tablename = 'ticks_20260311'", url), "1")
      << "the live day keeps the index it had";
  EXPECT_EQ(pg.Text("SELECT string_agg(relname || ':' || relkind::text, ' ' ORDER BY relname) FROM pg_class "
                    "WHERE relname ~ '^ticks_[0-9]{8}$'",
                    url),
            "ticks_20260310:r ticks_20260311:r ticks_20260312:p")
      << "the empty partition created ahead of need is sliced";
  EXPECT_EQ(pg.Text("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'ticks\\_20260312%'", url), "0");
  EXPECT_EQ(pg.Text(fingerprint, url), before);
  auto summary = r.ForeignDaily(Symbol::Of("FPT"), Date{}, Date{});
  ASSERT_EQ(summary.value.size(), 2u) << summary.error;
  EXPECT_EQ(summary.value[0].buy_vol.raw(), 1);
  EXPECT_EQ(summary.value[1].buy_vol.raw(), 21);
  TimeRange all;
  all.order = Order::kOldestFirst;
  auto fpt = r.Ticks(Symbol::Of("FPT"), all);
  ASSERT_TRUE(fpt.ok()) << fpt.error;
  EXPECT_EQ(fpt.value.size(), 125u);
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
      f.buy_vol = Volume{++n};
      f.sell_val = Vnd{1'000'000'007 * n};
      f.net_speed_vol = 1.0 / static_cast<double>(n);
      if (n % 2) f.total_room = Volume{10 * n};
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
  EXPECT_EQ(got[1][0].buy_vol.raw(), 5);  // VNM, kDay
  EXPECT_EQ(got[1][1].buy_vol.raw(), 7);  // VNM, kDay2
  EXPECT_EQ(got[1][2].buy_vol.raw(), 3);  // FPT, kDay
  EXPECT_EQ(got[1][3].buy_vol.raw(), 8);  // FPT, kDay2
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
