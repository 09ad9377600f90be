// Ingest rate of tick rows into PostgreSQL (issue: >= 250,000 rows/s and >= 0.8x a bare COPY):
//   BM_PgWriterIngest  rows through Writer::Enqueue until Flush() returns: batching, binary COPY per batch,
//                      partitions, commits every <= 100 ms, index maintenance;
//   BM_PgBareCopy      the same rows as one binary COPY in one transaction on the same schema: the ceiling;
//   BM_PgFinishSlice   the cost schema 7 moves out of the ingest: the covering index built on a ticks slice
//                      once a later slice has rows (IndexFinishedPartitions), for a slice of 25,000 rows (a
//                      simulated day's half hour) and of 1 M (schema 6 built it on the whole day at once).
// The server is a throwaway local cluster (pg_test_cluster.h: fsync off, as in the tests), started here.
// Variants (the argument), each with the writer and the bare COPY of the same rows:
//   /0 the current schema, the 1 M rows within one time slice (09:30-10:00, one leaf without index): the
//      ingest path itself. The synthetic ticks (bench_ticks.h) come 60x denser than a real day's, so spread
//      over their own times they would cross slices every few seconds and the run would time index builds
//      that a real day spreads over hours (that case is /2);
//   /1 the same rows into schema 5's covering index (one btree insert per row: the old path, same run);
//   /2 the 1 M rows spread over a trading day's continuous sessions (09:00-11:30, 13:00-14:45): the writer
//      also builds the index of each slice it finishes, inside the timed run (a day replayed at full speed;
//      the COPY of the same rows builds none).
//
// Run: build/release/src/store/pg_store_benchmark

#include <chrono>
#include <cstdio>
#include <thread>

#include <benchmark/benchmark.h>

#include "store/bench_ticks.h"
#include "store/pg_conn.h"
#include "store/pg_copy.h"
#include "store/pg_schema.h"
#include "store/pg_test_cluster.h"
#include "store/rows.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using bench::MakeTick;

constexpr std::int64_t kRows = 1'000'000;
double g_writer_rate = 0, g_copy_rate = 0;

// The ticks index a variant runs with (the benchmark's argument).
enum Variant { kCurrent = 0, kVersion5Index = 1, kDaySpread = 2 };
constexpr const char* kVariantSql[] = {
    "",
    "CREATE INDEX ON ticks_20260310(symbol, date, time, id) INCLUDE (price, volume, value, unattributed, "
    "side, method, session, bid, ask, futures)",
    "",
};

// The n-th of the kRows ticks of a variant: bench_ticks.h's row at another time of the day.
TickRow BenchTick(std::int64_t n, int variant) {
  TickRow r = MakeTick(n);
  if (variant == kDaySpread) {
    const auto sec = static_cast<std::int32_t>(n * 255 * 60 / kRows);  // 255 minutes of continuous trading
    r.time.time = TimeOfDay{sec < 150 * 60 ? 9 * 3600 + sec : 13 * 3600 + sec - 150 * 60};
  } else {
    r.time.time = TimeOfDay{static_cast<std::int32_t>(9 * 3600 + 1800 + n * 1800 / kRows)};  // 09:30-10:00
  }
  return r;
}

// A fresh database, migrated, with the day's partitions and the variant's ticks index; "" with *error.
std::string PrepareDatabase(int variant, std::string* error) {
  const std::string url = testing::PgCluster::Shared().FreshDatabase();
  auto conn = pg::Conn::Open(url, error);
  if (!conn) return "";
  pg::Migrate(*conn, url);
  if (!pg::EnsurePartitions(*conn, Date::Of(2026, 3, 10), error)) return "";
  if (*kVariantSql[variant] != '\0' && !conn->Exec(kVariantSql[variant], error)) return "";
  return url;
}

void BM_PgWriterIngest(benchmark::State& state) {
  std::uint64_t batches = 0;
  for (auto _ : state) {
    state.PauseTiming();
    WriterConfig cfg;
    std::string error;
    cfg.path = PrepareDatabase(static_cast<int>(state.range(0)), &error);
    if (cfg.path.empty()) {
      state.SkipWithError(error.c_str());
      return;
    }
    cfg.queue_capacity = 200'000;
    {
      Writer w(cfg);
      state.ResumeTiming();
      const int variant = static_cast<int>(state.range(0));
      for (std::int64_t n = 0; n < kRows; ++n) {
        while (!w.Enqueue(BenchTick(n, variant))) std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
      if (!w.Flush()) state.SkipWithError("flush failed");
      state.PauseTiming();
      const WriterStats s = w.Stats();
      if (s.rows_written[0] != static_cast<std::uint64_t>(kRows)) state.SkipWithError(s.last_error.c_str());
      batches += s.batches;
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.counters["rows_per_batch"] =
      benchmark::Counter(static_cast<double>(kRows) * state.iterations() / std::max<double>(1, batches));
}

void BM_PgBareCopy(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::string error, sqlstate;
    const std::string url = PrepareDatabase(static_cast<int>(state.range(0)), &error);
    auto conn = url.empty() ? nullptr : pg::Conn::Open(url, &error);
    if (!conn) {
      state.SkipWithError(error.c_str());
      return;
    }
    state.ResumeTiming();
    pg::CopyEncoder enc;
    for (std::int64_t n = 0; n < kRows; ++n)
      pg::EncodeRow(enc, Row{BenchTick(n, static_cast<int>(state.range(0)))});
    if (!conn->Exec("BEGIN", &error) ||
        !pg::CopyIn(*conn, pg::CopySql(Table::kTicks), enc.Finish(), &error, &sqlstate) ||
        !conn->Exec("COMMIT", &error)) {
      state.SkipWithError(error.c_str());
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}

void BM_PgFinishSlice(benchmark::State& state) {
  const std::int64_t rows = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    std::string error, sqlstate;
    const std::string url = PrepareDatabase(kCurrent, &error);
    auto conn = url.empty() ? nullptr : pg::Conn::Open(url, &error);
    pg::CopyEncoder enc;
    for (std::int64_t n = 0; n < rows; ++n) {
      TickRow t = MakeTick(n);
      t.time.time = TimeOfDay{static_cast<std::int32_t>(9 * 3600 + 1800 + n * 1800 / rows)};  // 09:30-10:00
      pg::EncodeRow(enc, Row{t});
    }
    if (!conn || !conn->Exec("BEGIN", &error) ||
        !pg::CopyIn(*conn, pg::CopySql(Table::kTicks), enc.Finish(), &error, &sqlstate) ||
        !conn->Exec("COMMIT", &error)) {
      state.SkipWithError(error.c_str());
      return;
    }
    // The empty slices before it finished first, outside the timing.
    if (pg::IndexFinishedPartitions(*conn, ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay::Of(9, 30, 0)},
                                    &error) < 0) {
      state.SkipWithError(error.c_str());
      return;
    }
    state.ResumeTiming();
    // A tick of 10:00 written: the slice of 09:30 is finished.
    if (pg::IndexFinishedPartitions(*conn, ExchangeTime{Date::Of(2026, 3, 10), TimeOfDay::Of(10, 0, 0)},
                                    &error) != 1)
      state.SkipWithError(error.c_str());
  }
  state.SetItemsProcessed(state.iterations() * rows);
}

// Interleaved, so that a drift of the machine during the run touches every variant alike.
BENCHMARK(BM_PgWriterIngest)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3)->Arg(kCurrent);
BENCHMARK(BM_PgBareCopy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3)->Arg(kCurrent);
BENCHMARK(BM_PgWriterIngest)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3)
    ->Arg(kVersion5Index);
BENCHMARK(BM_PgBareCopy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3)->Arg(kVersion5Index);
BENCHMARK(BM_PgWriterIngest)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3)->Arg(kDaySpread);
BENCHMARK(BM_PgBareCopy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3)->Arg(kDaySpread);
BENCHMARK(BM_PgFinishSlice)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3)
    ->Arg(25'000)
    ->Arg(kRows);

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const auto it = r.counters.find("items_per_second");
      if (it == r.counters.end()) continue;
      const std::string name = r.benchmark_name();
      if (name.rfind("BM_PgWriterIngest/0", 0) == 0) g_writer_rate = it->second.value;
      if (name.rfind("BM_PgBareCopy/0", 0) == 0) g_copy_rate = it->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace
}  // namespace vnt::store

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  vnt::store::SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  using vnt::store::g_copy_rate;
  using vnt::store::g_writer_rate;
  if (g_writer_rate > 0 && g_copy_rate > 0) {
    std::printf(
        "\ningest (tick rows, PostgreSQL 15, fsync off, current schema): writer %.0f rows/s, bare binary "
        "COPY %.0f rows/s; "
        "writer = %.2fx the COPY (target >= 0.8x: %s); target >= 250000 rows/s: %s\n",
        g_writer_rate, g_copy_rate, g_writer_rate / g_copy_rate,
        g_writer_rate >= 0.8 * g_copy_rate ? "met" : "NOT met", g_writer_rate >= 250'000 ? "met" : "NOT met");
  }
  return 0;
}
