// History at a year's scale, in both stores: one simulated trading day (the built-in VN30 simulator, every
// channel, 08:45-15:00) goes through the real path (pipeline -> engine -> StoreSink -> Writer), then is
// copied inside the database to the 249 business days before it (same rows, other dates: 250 trading days),
// and the history queries the API serves are timed, p50/p99 over many runs with varying symbols and dates:
//   candles_1m_month   one symbol's 1-minute candles for a month (about 21 trading days)
//   candles_1d_year    its daily bars for the year (candles_1d, kept by the writer from the 1-minute candles)
//   ticks_day          its ticks for one day (one key range: SQLite 7's clustered table, PostgreSQL's
//   covering
//                      index, which PostgreSQL 6 builds per partition once the day is finished, 7 per time
//                      slice)
//   ticks_live_day     its ticks of the newest day, as the writer left it (PostgreSQL 7: the day's time
//                      slices indexed but the last one written; PostgreSQL 6 read the whole unindexed day)
//   ticks_live_worst   the same, with the largest slice of that day without its index, as while it is written
//                      (PostgreSQL only: the live day's worst moment)
//   foreign_daily_year the foreign end-of-day summary for the year
//   basis_month        the front contract's basis for a month (the API's 10,000-row page)
// It prints rows and bytes per trading day and how long the generation took, so the next engineer can
// rerun it:  build/release/bench/history_scale [--days 250] [--runs 60] [--store sqlite|postgresql|both]
// [--keep 1] [--pg-url postgresql://USER:PASS@HOST:PORT/DB [--reuse 1]]
// (--keep 1 leaves the SQLite file in $TMPDIR/vnt_history_scale/year.db to inspect or time a migration on;
// --pg-url writes into that existing, empty database of a server of your own instead of a throwaway cluster
// (pg_test_cluster.h), so that it stays there for EXPLAIN ANALYZE afterwards; --reuse 1 then skips the
// generation and times the queries on what that database holds, after migrating it to this build's schema
// and saying how long the migration took: the cost of a new index on a year of history)
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/engine.h"
#include "core/vn30_basket.h"
#include "pipeline/pipeline.h"
#include "sim/simulator.h"
#include "store/pg_conn.h"
#include "store/pg_schema.h"
#include "store/pg_test_cluster.h"
#include "store/reader.h"
#include "store/store_sink.h"
#include "store/writer.h"

namespace {

using namespace vnt;
using Clock = std::chrono::steady_clock;

constexpr Date kBaseDay = Date::Of(2026, 3, 18);
constexpr const char* kTables[] = {"ticks",           "candles_1m",    "candles_1d", "foreign_snapshots",
                                   "index_snapshots", "futures_basis", "alerts"};
// Columns copied per table (ids are assigned anew; `date` is replaced by the target day).
constexpr const char* kCols[] = {
    "symbol,%s,time,price,volume,value,unattributed,side,method,session,bid,ask,futures",
    "symbol,%s,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count",
    "symbol,%s,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count",
    "symbol,%s,time,buy_vol,sell_vol,buy_val,sell_val,total_room,current_room,net_speed_vol,net_speed_val,"
    "net_accel_vol,net_accel_val",
    "index_id,%s,time,value,change,change_pct,advances,declines,no_changes,ceilings,floors,total_trade,"
    "total_qtty,total_value,total_qtty_pt,total_value_pt,all_qty,all_value,session",
    "krx_code,legacy_code,%s,time,last,spot,basis,basis_pct,fair_basis,volume",
    "engine_id,type,severity,symbol,rule_id,message,value,threshold,%s,time"};

double Seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string Cols(int t, const std::string& date_expr) {
  char buf[512];
  std::snprintf(buf, sizeof buf, kCols[t], date_expr.c_str());
  return buf;
}

// SQLite's ticks (schema 7) also carry seq, their order within a second (part of the key: copied as is,
// the copy is another date).
std::string SqliteCols(int t, const std::string& date_expr) {
  return t == 0 ? Cols(t, date_expr) + ",seq" : Cols(t, date_expr);
}

// The base day through the real path into the store at `location`; returns the rows written.
std::uint64_t LoadBaseDay(const std::string& location) {
  store::WriterConfig wc;
  wc.path = location;
  wc.queue_capacity = 1'000'000;
  store::Writer writer(wc);
  core::EngineConfig ec;
  ec.vn30 = core::DefaultVn30Basket();
  core::MarketEngine engine(ec);
  store::StoreSink sink(writer, engine);
  engine.AddSink(&sink);
  pipeline::Pipeline pipe(engine);
  sim::SimConfig sc;
  sc.seed = 1;
  sc.date = kBaseDay;
  sc.keep_truth = false;
  sim::Simulator simulator(sc);
  sim::SimFrame f;
  while (simulator.Next(&f)) pipe.Push(std::string_view(f.text));
  engine.FlushCandles();
  sink.FlushPending();
  writer.Flush();
  std::uint64_t rows = 0;
  for (auto n : writer.Stats().rows_written) rows += n;
  return rows;
}

std::vector<Date> TradingDays(int n) {
  std::vector<Date> days{kBaseDay};
  const auto& cal = core::HolidayCalendar::Vietnam();
  while (static_cast<int>(days.size()) < n) days.push_back(cal.PreviousBusinessDay(days.back()));
  return days;  // newest first
}

void SqliteClone(const std::string& path, const std::vector<Date>& days) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144", nullptr,
               nullptr, nullptr);
  for (std::size_t i = 1; i < days.size(); ++i) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int t = 0; t < 7; ++t) {
      const std::string sql = "INSERT INTO " + std::string(kTables[t]) + "(" + SqliteCols(t, "date") +
                              ") SELECT " + SqliteCols(t, std::to_string(days[i].ymd)) + " FROM " +
                              kTables[t] + " WHERE date=" + std::to_string(kBaseDay.ymd);
      char* err = nullptr;
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite clone: %s\n", err);
        std::exit(1);
      }
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE", nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

void PgClone(const std::string& url, const std::vector<Date>& days) {
  std::string error;
  auto conn = store::pg::Conn::Open(url, &error);
  if (!conn) {
    std::fprintf(stderr, "%s\n", error.c_str());
    std::exit(1);
  }
  for (std::size_t i = 1; i < days.size(); ++i) {
    bool ok = conn->Exec("BEGIN", &error) && store::pg::EnsurePartitions(*conn, days[i], &error);
    for (int t = 0; ok && t < 7; ++t) {
      ok = conn->Exec("INSERT INTO " + std::string(kTables[t]) + "(" + Cols(t, "date") + ") SELECT " +
                          Cols(t, std::to_string(days[i].ymd)) + " FROM " + kTables[t] +
                          " WHERE date=" + std::to_string(kBaseDay.ymd),
                      &error);
    }
    // The foreign daily summary the writer keeps (schema 6), of the copied day.
    ok = ok && conn->Exec(
                   "INSERT INTO foreign_daily SELECT DISTINCT ON (symbol) * FROM foreign_snapshots WHERE "
                   "date=" +
                       std::to_string(days[i].ymd) + " ORDER BY symbol, time DESC, id DESC",
                   &error);
    if (!ok || !conn->Exec("COMMIT", &error)) {
      std::fprintf(stderr, "pg clone: %s\n", error.c_str());
      std::exit(1);
    }
  }
  // What the writer does at its start (pg_schema.h IndexFinishedPartitions): every day before the newest
  // one is finished, its ticks slices get their index; the newest stays the live day, as the writer left it.
  const auto t0 = Clock::now();
  const int built =
      store::pg::IndexFinishedPartitions(*conn, ExchangeTime{days.front(), TimeOfDay{0}}, &error);
  std::printf("postgresql: indexed %d finished ticks partitions in %.1f s%s%s\n", built, Seconds(t0),
              built < 0 ? ": " : "", built < 0 ? error.c_str() : "");
  conn->Exec("VACUUM ANALYZE", &error);
}

// First column of the first row as text ("0" when the query fails).
std::string PgText(const std::string& url, const std::string& sql) {
  std::string error;
  auto conn = store::pg::Conn::Open(url, &error);
  store::pg::ResultPtr r = conn ? conn->Query(sql, {}, &error) : nullptr;
  return r && PQntuples(r.get()) > 0 ? std::string(store::pg::Row(r.get(), 0).ColText(0)) : "0";
}

// Prints the ticks slices of the live day (rows, indexed or not) as the writer left them; returns the
// largest one ("" when the day is not sliced).
std::string LiveDaySlices(const std::string& url, Date day) {
  std::string error;
  auto conn = store::pg::Conn::Open(url, &error);
  const std::string parent = "ticks_" + std::to_string(day.ymd);
  store::pg::ResultPtr r =
      conn ? conn->Query(
                 "SELECT c.relname, (SELECT count(*) FROM pg_index x WHERE x.indrelid = c.oid), "
                 "c.oid::regclass FROM pg_partition_tree($1) t JOIN pg_class c ON c.oid = t.relid "
                 "WHERE t.isleaf AND t.level = 1 ORDER BY 1",
                 {parent}, &error)
           : nullptr;
  if (!r) return "";
  std::string largest;
  long long most = -1;
  std::printf("postgresql: the live day's ticks slices (%s):", parent.c_str());
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    const std::string name(store::pg::Row(r.get(), i).ColText(0));
    const long long rows = std::stoll(PgText(url, "SELECT count(*) FROM " + name));
    std::printf(" %s %lld%s", name.substr(parent.size() + 1).c_str(), rows,
                store::pg::Row(r.get(), i).ColInt(1) > 0 ? "" : " (no index)");
    if (rows > most) {
      most = rows;
      largest = name;
    }
  }
  std::printf("\n");
  return largest;
}

struct Timing {
  std::string name;
  double p50_ms, p99_ms;
  std::size_t rows;  // rows returned by the last run
};

Timing Time(const std::string& name, int runs, const std::function<std::size_t(int)>& query) {
  std::vector<double> ms;
  std::size_t rows = 0;
  query(0);  // warm the statement cache
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    rows = query(i);
    ms.push_back(Seconds(t0) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))]; };
  return {name, pct(0.5), pct(0.99), rows};
}

// `worst_slice`: PostgreSQL, the live day's largest ticks slice (LiveDaySlices), "" for none.
std::vector<Timing> Queries(const std::string& location, const std::vector<Date>& days, int runs,
                            const std::string& worst_slice = "") {
  store::Reader r(location);
  const std::vector<Symbol> syms = core::DefaultVn30Basket();
  auto sym = [&](int i) { return syms[static_cast<std::size_t>(i * 7 + 3) % syms.size()]; };
  auto day = [&](int i) { return days[static_cast<std::size_t>(i * 37 + 11) % days.size()]; };
  // A month ending at a varying day (21 trading days back).
  auto month = [&](int i) {
    const std::size_t end = static_cast<std::size_t>(i * 13) % (days.size() - 21);
    store::TimeRange t;
    t.from = ExchangeTime{days[end + 20], TimeOfDay::Of(0, 0, 0)};
    t.to = ExchangeTime{days[end], TimeOfDay::Of(23, 59, 59)};
    t.order = store::Order::kOldestFirst;
    t.limit = 10'000;
    return t;
  };
  std::vector<Timing> out;
  out.push_back(
      Time("candles_1m_month", runs, [&](int i) { return r.Candles(sym(i), month(i)).value.size(); }));
  out.push_back(Time("candles_1d_year", runs, [&](int i) {
    return r.CandlesAggregated(sym(i), store::CandleInterval::k1d, days.back(), days.front(), 1000)
        .value.size();
  }));
  // One symbol's ticks of one whole trading date, as /api/history/{symbol}/ticks asks for them.
  const auto ticks_of = [&r](Symbol s, Date d) {
    store::TimeRange t;
    t.from = ExchangeTime{d, TimeOfDay::Of(0, 0, 0)};
    t.to = ExchangeTime{d, TimeOfDay::Of(23, 59, 59)};
    t.order = store::Order::kOldestFirst;
    t.limit = 50'000;
    return r.Ticks(s, t).value.size();
  };
  out.push_back(Time("ticks_day", runs, [&](int i) { return ticks_of(sym(i), day(i)); }));
  out.push_back(Time("ticks_live_day", runs, [&](int i) { return ticks_of(sym(i), days.front()); }));
  if (!worst_slice.empty()) {
    // The live day's largest slice without its index: the moment it is written (the writer builds the
    // index when the next slice gets rows). Put back afterwards by the writer's rule, as it would be.
    std::string error;
    auto conn = store::pg::Conn::Open(location, &error);
    if (conn && conn->Exec("DROP INDEX IF EXISTS " + worst_slice + "_by_symbol_day", &error)) {
      out.push_back(Time("ticks_live_worst", runs, [&](int i) { return ticks_of(sym(i), days.front()); }));
      store::pg::IndexFinishedPartitions(*conn, ExchangeTime{days.front(), TimeOfDay::Of(23, 59, 59)},
                                         &error);
    }
  }
  out.push_back(Time("foreign_daily_year", runs,
                     [&](int i) { return r.ForeignDaily(sym(i), days.back(), days.front()).value.size(); }));
  out.push_back(Time("basis_month", runs,
                     [&](int i) { return r.BasisHistory(Symbol::Of("41I1G3000"), month(i)).value.size(); }));
  return out;
}

void Report(const std::string& store, std::uint64_t base_rows, double load_s, double clone_s, double bytes,
            int ndays, const std::vector<Timing>& t) {
  std::printf(
      "\n%s: %d trading days, %llu rows per day (base day through the writer in %.1f s; %d copies in "
      "%.1f s); %.1f MB per trading day, %.2f GB in all\n",
      store.c_str(), ndays, static_cast<unsigned long long>(base_rows), load_s, ndays - 1, clone_s,
      bytes / ndays / 1e6, bytes / 1e9);
  std::printf("%-20s %10s %10s %10s\n", "query", "p50 ms", "p99 ms", "rows");
  for (const Timing& x : t)
    std::printf("%-20s %10.2f %10.2f %10zu\n", x.name.c_str(), x.p50_ms, x.p99_ms, x.rows);
}

}  // namespace

int main(int argc, char** argv) {
  int ndays = 250, runs = 60;
  std::string which = "both";
  bool keep = false;
  std::string pg_url;
  bool reuse = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--days")) ndays = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--store")) which = argv[i + 1];
    if (!std::strcmp(argv[i], "--keep")) keep = std::atoi(argv[i + 1]) != 0;
    if (!std::strcmp(argv[i], "--pg-url")) pg_url = argv[i + 1];
    if (!std::strcmp(argv[i], "--reuse")) reuse = std::atoi(argv[i + 1]) != 0;
  }
  ndays = std::max(ndays, 30);
  const std::vector<Date> days = TradingDays(ndays);
  if (which == "both" || which == "sqlite") {
    const auto dir = std::filesystem::temp_directory_path() / "vnt_history_scale";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "year.db").string();
    auto t0 = Clock::now();
    const std::uint64_t rows = LoadBaseDay(path);
    const double load_s = Seconds(t0);
    t0 = Clock::now();
    SqliteClone(path, days);
    const double clone_s = Seconds(t0);
    const double bytes = static_cast<double>(std::filesystem::file_size(path));
    Report("sqlite", rows, load_s, clone_s, bytes, ndays, Queries(path, days, runs));
    if (keep)
      std::printf("kept %s\n", path.c_str());
    else
      std::filesystem::remove_all(dir);
  }
  if (which == "both" || which == "postgresql") {
    // The throwaway cluster is started only when no server is given.
    const std::string url = pg_url.empty() ? store::testing::PgCluster::Shared().FreshDatabase() : pg_url;
    std::uint64_t rows = 0;
    double load_s = 0, clone_s = 0;
    if (reuse && !pg_url.empty()) {
      const auto t0 = Clock::now();
      std::string error;
      auto conn = store::pg::Conn::Open(url, &error);
      if (!conn) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
      }
      store::pg::Migrate(*conn, url);
      std::printf("reused %s; migrated to schema version %d in %.1f s\n", url.substr(url.rfind('/')).c_str(),
                  store::pg::kPgSchemaVersion, Seconds(t0));
      const auto t1 = Clock::now();
      const int built =
          store::pg::IndexFinishedPartitions(*conn, ExchangeTime{days.front(), TimeOfDay{0}}, &error);
      std::printf("then indexed %d finished ticks partitions in %.1f s (the writer's start)\n", built,
                  Seconds(t1));
      std::string sum = "SELECT 0";  // the base day's rows of every copied table
      for (const char* t : kTables)
        sum += " + (SELECT count(*) FROM " + std::string(t) + " WHERE date=" + std::to_string(kBaseDay.ymd) +
               ")";
      rows = std::stoull(PgText(url, sum));
    } else {
      auto t0 = Clock::now();
      rows = LoadBaseDay(url);
      load_s = Seconds(t0);
      t0 = Clock::now();
      PgClone(url, days);
      clone_s = Seconds(t0);
    }
    const double bytes = std::stod(PgText(url, "SELECT pg_database_size(current_database())"));
    const std::string worst = LiveDaySlices(url, days.front());
    Report("postgresql", rows, load_s, clone_s, bytes, ndays, Queries(url, days, runs, worst));
  }
  return 0;
}
