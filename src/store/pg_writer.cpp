// The PostgreSQL implementation of the writer's commit: one transaction per batch, each table's rows sent
// with one binary COPY (candles through a staging table, so a re-closed candle replaces the stored one).
// A lost connection fails the batch (nothing of it is kept: the transaction never committed) and the next
// attempt reconnects; a row refused for its data is found by replaying the batch row by row under
// savepoints, skipped and counted, and the rest commits.
#include <set>

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
    if (WriteAll(batch, &out, &sqlstate)) return out;
    Rollback();
    if (!pg::IsRowError(sqlstate)) return out;  // retried later, whole
    // A row's data is refused (bad encoding in a symbol, a constraint): find it row by row.
    out = CommitOutcome{};
    WriteRowByRow(batch, &out);
    return out;
  }

 private:
  bool Prepare(std::string* error) {
    // Per-session staging table for candles (emptied at each commit); seq keeps the arrival order.
    return conn_->Exec(
        "CREATE TEMP TABLE IF NOT EXISTS candles_stage (LIKE candles_1m) ON COMMIT DELETE ROWS;"
        "ALTER TABLE candles_stage ADD COLUMN IF NOT EXISTS seq bigserial;",
        error);
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
    if (!conn_->Exec("COMMIT", &error)) return Fail(out, "commit", error);
    days_ready_.insert(created.begin(), created.end());
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
    if (!conn_->Exec("COMMIT", &error)) {
      Fail(out, "commit", error);
      Rollback();
      return;
    }
    days_ready_.insert(created.begin(), created.end());
    out->ok = true;
  }

  std::string url_;
  std::unique_ptr<pg::Conn> conn_;
  std::set<std::int32_t> days_ready_;  // trading dates whose partitions exist
};

}  // namespace

std::unique_ptr<WriterBackend> OpenPgWriter(const WriterConfig& cfg) {
  return std::make_unique<PgWriter>(cfg);
}

}  // namespace vnt::store
