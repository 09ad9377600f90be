// The PostgreSQL implementation of the writer's commit: one transaction per batch, each table's rows sent
// with one binary COPY (candles through a staging table, so a re-closed candle replaces the stored one).
// A lost connection fails the batch (nothing of it is kept: the transaction never committed) and the next
// attempt reconnects; a row refused for its data is found by replaying the batch row by row under
// savepoints, skipped and counted, and the rest commits. The foreign daily summary (foreign_daily) is
// refreshed in the same transaction from the stored snapshots; once the writer has written into a later
// ticks slice (or a later trading date), the finished slices get their index (schema 7: none while a slice
// is written).
#include <algorithm>
#include <set>
#include <utility>

#include "store/backend.h"
#include "store/frame_batch.h"
#include "store/history_sql.h"
#include "store/location.h"
#include "store/pg_conn.h"
#include "store/pg_copy.h"
#include "store/pg_schema.h"
#include "store/schema.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using pg::CopyEncoder;

// The daily bars of the staged candles' days, recomputed from the stored minutes (history_sql.h).
const std::string kRefreshDaily =
    "INSERT INTO candles_1d(symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,"
    "trade_count) " +
    internal::DailyBarsSql("(SELECT DISTINCT symbol, date FROM candles_stage)") +
    " ON CONFLICT (symbol,date,minute) DO UPDATE SET open=EXCLUDED.open,high=EXCLUDED.high,low=EXCLUDED.low,"
    "close=EXCLUDED.close,volume=EXCLUDED.volume,buy_vol=EXCLUDED.buy_vol,sell_vol=EXCLUDED.sell_vol,"
    "neutral_vol=EXCLUDED.neutral_vol,value=EXCLUDED.value,trade_count=EXCLUDED.trade_count";

// The foreign daily summary (schema 6) of the symbols staged in foreign_keys_stage for trading date `date`:
// the last stored snapshot of each, found as the reader used to (one backward probe of
// foreign_by_symbol_time), so it is what a query of foreign_snapshots answers whatever order batches and
// trackers wrote the rows in. The date is a constant so that the plan holds that day's partition only (a
// join on it would plan every partition: 20-30 ms at a year's scale, per batch).
std::string RefreshForeignDailySql(std::int32_t date) {
  const std::string d = std::to_string(date);
  return "INSERT INTO foreign_daily SELECT f.* FROM (SELECT DISTINCT symbol FROM foreign_keys_stage WHERE "
         "date=" +
         d +
         ") k CROSS JOIN LATERAL (SELECT * FROM foreign_snapshots s WHERE s.symbol = k.symbol AND s.date = " +
         d +
         " ORDER BY s.time DESC, s.id DESC LIMIT 1) f "
         "ON CONFLICT (symbol, date) DO UPDATE SET "
         "id=EXCLUDED.id,time=EXCLUDED.time,buy_vol=EXCLUDED.buy_vol,"
         "sell_vol=EXCLUDED.sell_vol,buy_val=EXCLUDED.buy_val,sell_val=EXCLUDED.sell_val,"
         "total_room=EXCLUDED.total_room,current_room=EXCLUDED.current_room,"
         "net_speed_vol=EXCLUDED.net_speed_vol,net_speed_val=EXCLUDED.net_speed_val,"
         "net_accel_vol=EXCLUDED.net_accel_vol,net_accel_val=EXCLUDED.net_accel_val";
}

// Staged candles into the table: the last copy of a (symbol, date, minute) wins, as SQLite's INSERT OR
// REPLACE does.
constexpr const char* kMergeCandles =
    "INSERT INTO candles_1m(symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,"
    "trade_count) SELECT DISTINCT ON (symbol,date,minute) symbol,date,minute,open,high,low,close,volume,"
    "buy_vol,sell_vol,neutral_vol,value,trade_count FROM candles_stage ORDER BY symbol,date,minute,seq DESC "
    "ON CONFLICT (symbol,date,minute) DO UPDATE SET open=EXCLUDED.open,high=EXCLUDED.high,low=EXCLUDED.low,"
    "close=EXCLUDED.close,volume=EXCLUDED.volume,buy_vol=EXCLUDED.buy_vol,sell_vol=EXCLUDED.sell_vol,"
    "neutral_vol=EXCLUDED.neutral_vol,value=EXCLUDED.value,trade_count=EXCLUDED.trade_count";

// The trading date of a row of a partitioned table; invalid for the others.
Date PartitionDate(const Row& row) {
  return std::visit(
      [](const auto& r) -> Date {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, FrameRow>) {
          return r.date;
        } else if constexpr (std::is_same_v<T, TickRow> || std::is_same_v<T, ForeignRow> ||
                             std::is_same_v<T, IndexRow> || std::is_same_v<T, BasisRow>) {
          return r.time.date;
        } else {
          return Date{};
        }
      },
      row);
}

class PgWriter final : public WriterBackend {
 public:
  explicit PgWriter(const WriterConfig& cfg) : url_(cfg.path) {
    std::string error;
    conn_ = pg::Conn::Open(url_, &error);
    if (!conn_) throw StoreError("store: " + error);
    pg::Migrate(*conn_, url_);
    if (!Prepare(&error)) throw StoreError("store: " + error);
  }

  CommitOutcome Commit(const std::vector<Row>& batch) override {
    CommitOutcome out;
    if (!conn_ || !conn_->alive()) {
      // The server went away (restart, network): one connection attempt per commit attempt; the writer's
      // backoff spaces them out.
      std::string error;
      conn_ = pg::Conn::Open(url_, &error);
      if (!conn_ || !Prepare(&error)) {
        conn_.reset();
        out.error = error;
        return out;
      }
    }
    std::string sqlstate;
    if (WriteAll(batch, &out, &sqlstate)) {
      FinishDays();
      return out;
    }
    Rollback();
    if (!pg::IsRowError(sqlstate)) return out;  // retried later, whole
    // A row's data is refused (bad encoding in a symbol, a constraint): find it row by row.
    out = CommitOutcome{};
    WriteRowByRow(batch, &out);
    if (out.ok) FinishDays();
    return out;
  }

 private:
  // After a committed batch that brought a trading date this writer had not seen, or ticks of a later time
  // slice than it had written (and after its first): the ticks slices before the newest one get their index
  // (pg_schema.h), as do the unsliced partitions of earlier days. Built here, on the writer thread, when a
  // slice is finished (an eighth of a day's ticks at most: 0.2 s, bench/RESULTS.md "schema 7"). A failure
  // leaves it for the next commit; the batch is committed either way.
  void FinishDays() {
    if (!finish_pending_ || !conn_ || !conn_->alive()) return;
    std::string error;
    pg::ResultPtr r = conn_->Query("SELECT max(date) FROM trading_days", {}, &error);
    if (!r) return;
    const pg::Row row(r.get(), 0);
    ExchangeTime newest = newest_slice_;
    if (!row.ColIsNull(0))
      newest = std::max(newest, ExchangeTime{Date{static_cast<std::int32_t>(row.ColInt(0))}, TimeOfDay{0}});
    if (newest.date.valid() && pg::IndexFinishedPartitions(*conn_, newest, &error) < 0) return;
    finish_pending_ = false;
  }

  // Notes the latest ticks slice of a committed batch; a later one than any before finishes the slices
  // before it.
  void NoteSlices(const std::vector<Row>& batch) {
    ExchangeTime latest = newest_slice_;
    for (const Row& row : batch) {
      if (const auto* t = std::get_if<TickRow>(&row)) {
        latest = std::max(latest, ExchangeTime{t->time.date, TimeOfDay{pg::TickSliceStart(t->time.time)}});
      }
    }
    if (latest > newest_slice_) {
      newest_slice_ = latest;
      finish_pending_ = true;
    }
  }

  bool Prepare(std::string* error) {
    // Per-session staging table for candles (emptied at each commit); seq keeps the arrival order.
    return conn_->Exec(
        "CREATE TEMP TABLE IF NOT EXISTS candles_stage (LIKE candles_1m) ON COMMIT DELETE ROWS;"
        "ALTER TABLE candles_stage ADD COLUMN IF NOT EXISTS seq bigserial;"
        "CREATE TEMP TABLE IF NOT EXISTS foreign_keys_stage (symbol text COLLATE \"C\", date integer) "
        "ON COMMIT DELETE ROWS;",
        error);
  }

  // The foreign daily summary of the (symbol, date) pairs of the batch's foreign snapshots, refreshed from
  // the stored rows (inside the batch's transaction, after their COPY).
  bool RefreshForeignDaily(const std::vector<Row>& batch, std::string* error, std::string* sqlstate) {
    std::set<std::pair<std::int32_t, std::string_view>> keys;
    for (const Row& row : batch) {
      if (const auto* f = std::get_if<ForeignRow>(&row)) keys.emplace(f->time.date.ymd, f->symbol.view());
    }
    if (keys.empty()) return true;
    CopyEncoder enc;
    std::set<std::int32_t> dates;
    for (const auto& [date, symbol] : keys) {
      enc.BeginRow(2);
      enc.Text(symbol);
      enc.Int4(date);
      dates.insert(date);
    }
    if (!pg::CopyIn(*conn_, "COPY foreign_keys_stage(symbol,date) FROM STDIN (FORMAT binary)", enc.Finish(),
                    error, sqlstate))
      return false;
    for (const std::int32_t date : dates) {
      if (!conn_->Exec(RefreshForeignDailySql(date), error)) return false;
    }
    return true;
  }

  void Rollback() {
    std::string ignored;
    if (conn_ && conn_->alive()) conn_->Exec("ROLLBACK", &ignored);
    if (conn_ && !conn_->alive()) conn_.reset();
  }

  bool Fail(CommitOutcome* out, const std::string& what, const std::string& error) {
    out->ok = false;
    out->written = {};
    out->error = what + ": " + error;
    return false;
  }

  // Creates the partitions of the batch's trading dates not seen yet (inside the batch's transaction).
  bool EnsureDays(const std::vector<Row>& batch, std::set<std::int32_t>* created, std::string* error) {
    for (const Row& row : batch) {
      const Date d = PartitionDate(row);
      if (!d.valid() || days_ready_.count(d.ymd) || created->count(d.ymd)) continue;
      if (!pg::EnsurePartitions(*conn_, d, error)) return false;
      created->insert(d.ymd);
    }
    return true;
  }

  // Packs the batch's frames (one row per run of one trading date) into `enc`; returns the frames packed.
  static std::uint64_t PackFrameRuns(const std::vector<Row>& batch, CopyEncoder* enc) {
    std::uint64_t frames = 0;
    ForEachFrameRun(batch, [&](const std::vector<const FrameRow*>& run) {
      const PackedFrames p = PackFrames(run);
      pg::EncodePacked(*enc, p);
      frames += static_cast<std::uint64_t>(p.count);
    });
    return frames;
  }

  bool WriteAll(const std::vector<Row>& batch, CommitOutcome* out, std::string* sqlstate) {
    std::string error;
    if (!conn_->Exec("BEGIN", &error)) return Fail(out, "begin", error);
    std::set<std::int32_t> created;
    if (!EnsureDays(batch, &created, &error)) return Fail(out, "partitions", error);
    std::array<CopyEncoder, kTableCount> enc;
    for (const Row& row : batch) pg::EncodeRow(enc[row.index()], row);
    const std::uint64_t frames = PackFrameRuns(batch, &enc[static_cast<std::size_t>(Table::kFrames)]);
    for (std::size_t t = 0; t < kTableCount; ++t) {
      if (enc[t].rows() == 0) continue;
      if (!pg::CopyIn(*conn_, pg::CopySql(static_cast<Table>(t)), enc[t].Finish(), &error, sqlstate))
        return Fail(out, "copy into " + std::string(TableName(static_cast<Table>(t))), error);
      out->written[t] = t == static_cast<std::size_t>(Table::kFrames) ? frames : enc[t].rows();
    }
    if (enc[static_cast<std::size_t>(Table::kCandles)].rows() > 0 &&
        (!conn_->Exec(kMergeCandles, &error) || !conn_->Exec(kRefreshDaily, &error)))
      return Fail(out, "merge candles", error);
    if (enc[static_cast<std::size_t>(Table::kForeign)].rows() > 0 &&
        !RefreshForeignDaily(batch, &error, sqlstate))
      return Fail(out, "foreign daily summary", error);
    if (!conn_->Exec("COMMIT", &error)) return Fail(out, "commit", error);
    days_ready_.insert(created.begin(), created.end());
    if (!created.empty()) finish_pending_ = true;
    NoteSlices(batch);
    out->ok = true;
    return true;
  }

  void WriteRowByRow(const std::vector<Row>& batch, CommitOutcome* out) {
    std::string error, sqlstate;
    if (!conn_->Exec("BEGIN", &error)) {
      Fail(out, "begin", error);
      return;
    }
    std::set<std::int32_t> created;
    if (!EnsureDays(batch, &created, &error)) {
      Fail(out, "partitions", error);
      Rollback();
      return;
    }
    // The journal's frames: packed, their data is bytes the database cannot refuse.
    CopyEncoder packed;
    const std::uint64_t frames = PackFrameRuns(batch, &packed);
    if (frames > 0) {
      if (!pg::CopyIn(*conn_, pg::CopySql(Table::kFrames), packed.Finish(), &error, &sqlstate)) {
        Fail(out, "copy into frames", error);
        Rollback();
        return;
      }
      out->written[static_cast<std::size_t>(Table::kFrames)] = frames;
    }
    for (const Row& row : batch) {
      const std::size_t t = row.index();
      if (t == static_cast<std::size_t>(Table::kFrames)) continue;
      CopyEncoder one;
      pg::EncodeRow(one, row);
      if (!conn_->Exec("SAVEPOINT r", &error)) {
        Fail(out, "savepoint", error);
        Rollback();
        return;
      }
      bool ok = pg::CopyIn(*conn_, pg::CopySql(static_cast<Table>(t)), one.Finish(), &error, &sqlstate);
      if (ok && t == static_cast<std::size_t>(Table::kCandles))
        ok = conn_->Exec(kMergeCandles, &error) && conn_->Exec(kRefreshDaily, &error);
      if (ok) {
        ++out->written[t];
        conn_->Exec("RELEASE SAVEPOINT r", &error);
        continue;
      }
      if (!conn_->alive() || !pg::IsRowError(sqlstate)) {
        Fail(out, "insert into " + std::string(TableName(static_cast<Table>(t))), error);
        Rollback();
        return;
      }
      ++out->rejected;
      out->reject_text = "rejected a row of " + std::string(TableName(static_cast<Table>(t))) + ": " + error;
      conn_->Exec("ROLLBACK TO SAVEPOINT r", &error);
    }
    if (out->written[static_cast<std::size_t>(Table::kForeign)] > 0 &&
        !RefreshForeignDaily(batch, &error, &sqlstate)) {
      Fail(out, "foreign daily summary", error);
      Rollback();
      return;
    }
    if (!conn_->Exec("COMMIT", &error)) {
      Fail(out, "commit", error);
      Rollback();
      return;
    }
    days_ready_.insert(created.begin(), created.end());
    if (!created.empty()) finish_pending_ = true;
    NoteSlices(batch);
    out->ok = true;
  }

  std::string url_;
  std::unique_ptr<pg::Conn> conn_;
  std::set<std::int32_t> days_ready_;  // trading dates whose partitions exist
  bool finish_pending_ = true;         // IndexFinishedPartitions to run (at start, on a new date or slice)
  ExchangeTime newest_slice_{};        // the latest ticks slice written (its date and start)
};

}  // namespace

std::unique_ptr<WriterBackend> OpenPgWriter(const WriterConfig& cfg) {
  return std::make_unique<PgWriter>(cfg);
}

}  // namespace vnt::store
