// The SQLite implementation of the history reader (see reader.h for the contract).
#include "store/backend.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <unordered_map>

#include "core/futures.h"
#include "core/index_state.h"
#include "store/frame_batch.h"
#include "store/history_sql.h"
#include "store/row_decode.h"
#include "store/sqlite_handle.h"

namespace vnt::store {
namespace {

using internal::Decode;
using internal::Stmt;
using namespace internal;  // NOLINT(google-build-using-namespace): column lists, bounds, decoders

// Steps a bound statement to the end, decoding every row.
template <class T>
Result<std::vector<T>> Collect(sqlite3* db, Stmt& st) {
  Result<std::vector<T>> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    T row;
    if (!Decode(st, &row, &out.error)) {
      sqlite3_reset(st.get());
      out.value.clear();
      return out;
    }
    out.value.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE)
    out = Result<std::vector<T>>::Fail(std::string("store query failed: ") + sqlite3_errmsg(db));
  sqlite3_reset(st.get());
  return out;
}

class SqliteReader final : public ReaderBackend {
 public:
  SqliteReader(const std::string& path, std::chrono::milliseconds busy_timeout);
  ~SqliteReader() override;
  Result<std::vector<CandleRow>> Candles(Symbol symbol, const TimeRange& range) override;
  Result<std::vector<CandleRow>> CandlesAggregated(Symbol symbol, CandleInterval interval, Date from, Date to,
                                                   std::int64_t limit) override;
  Result<std::vector<TickRow>> Ticks(Symbol symbol, const TimeRange& range) override;
  Result<std::vector<ForeignRow>> ForeignHistory(Symbol symbol, const TimeRange& range) override;
  Result<std::vector<ForeignRow>> ForeignDaily(Symbol symbol, Date from, Date to) override;
  Result<std::vector<IndexRow>> IndexHistory(Symbol id, const TimeRange& range) override;
  Result<std::vector<BasisRow>> BasisHistory(Symbol krx_code, const TimeRange& range) override;
  Result<std::vector<AlertRow>> Alerts(const TimeRange& range, const AlertFilter& filter) override;
  Result<std::vector<DeliveryRow>> AlertDeliveries(const TimeRange& range,
                                                   const AlertFilter& filter) override;
  Result<std::vector<StoredRule>> ListRules() override;
  Result<std::optional<StoredRule>> GetRule(std::int64_t id) override;
  Result<std::int64_t> CreateRule(const core::AlertRule& rule) override;
  Result<bool> UpdateRule(const core::AlertRule& rule) override;
  Result<bool> DeleteRule(std::int64_t id) override;
  Result<std::int64_t> FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn) override;
  Result<std::int64_t> PruneFramesBefore(Date keep_from) override;
  Result<std::int64_t> PruneHistoryBefore(Date keep_from) override;
  Result<std::optional<Date>> LatestTradingDate() override;

 private:
  // Runs an alert query (AlertsSql or a query over it) with the range's and filter's parameters.
  template <class T>
  Result<std::vector<T>> AlertQuery(const std::string& sql, const TimeRange& range,
                                    const AlertFilter& filter);
  // Deletes the rows of `table` dated before keep_from in batches; returns how many.
  Result<std::int64_t> DeleteBefore(std::string_view table, Date keep_from);
  struct Conn;
  std::unique_ptr<Conn> conn_;
};

}  // namespace

struct SqliteReader::Conn {
  internal::Db db;
  std::unordered_map<std::string, Stmt> cache;  // prepared once per distinct SQL text

  // A cached statement, reset and ready to bind; nullptr (with *error) when it cannot be prepared.
  Stmt* Get(const std::string& sql, std::string* error) {
    auto it = cache.find(sql);
    if (it == cache.end()) {
      Stmt st;
      if (st.Prepare(db.get(), sql) != SQLITE_OK) {
        *error = std::string("store: cannot prepare query: ") + sqlite3_errmsg(db.get());
        return nullptr;
      }
      it = cache.emplace(sql, std::move(st)).first;
    }
    it->second.Reset();
    return &it->second;
  }

  template <class T>
  Result<std::vector<T>> Range(std::string_view cols, std::string_view table, std::string_view key_col,
                               std::string_view key, std::string_view time_col, std::string_view tiebreak,
                               const TimeRange& range) {
    Bounds b;
    std::string error;
    if (!MakeBounds(range, &b, &error)) return Result<std::vector<T>>::Fail(error);
    const std::string sql =
        RangeSql(cols, table, key_col, time_col) + OrderLimit(time_col, tiebreak, range.order);
    Stmt* st = Get(sql, &error);
    if (!st) return Result<std::vector<T>>::Fail(error);
    st->Text(1, key);
    st->Int(2, b.from_date);
    st->Int(3, b.from_time);
    st->Int(4, b.to_date);
    st->Int(5, b.to_time);
    st->Int(6, range.limit);
    return Collect<T>(db.get(), *st);
  }
};

SqliteReader::SqliteReader(const std::string& path, std::chrono::milliseconds busy_timeout)
    : conn_(std::make_unique<Conn>()) {
  conn_->db = internal::OpenDatabase(path, busy_timeout);
}

SqliteReader::~SqliteReader() {
  conn_->cache.clear();  // statements before their connection
}

Result<std::vector<CandleRow>> SqliteReader::Candles(Symbol symbol, const TimeRange& range) {
  return conn_->Range<CandleRow>(kCandleCols, "candles_1m", "symbol", symbol.view(), "minute", "", range);
}

Result<std::vector<TickRow>> SqliteReader::Ticks(Symbol symbol, const TimeRange& range) {
  // ticks is keyed (symbol, date, time, seq): one key range, seq the arrival order within a second.
  return conn_->Range<TickRow>(kTickCols, "ticks", "symbol", symbol.view(), "time", "seq", range);
}

Result<std::vector<ForeignRow>> SqliteReader::ForeignHistory(Symbol symbol, const TimeRange& range) {
  return conn_->Range<ForeignRow>(kForeignCols, "foreign_snapshots", "symbol", symbol.view(), "time", "rowid",
                                  range);
}

Result<std::vector<ForeignRow>> SqliteReader::ForeignDaily(Symbol symbol, Date from, Date to) {
  using R = Result<std::vector<ForeignRow>>;
  const std::int64_t lo = from.valid() ? from.ymd : kMin;
  std::int64_t hi = to.valid() ? to.ymd : kMax;
  if (lo > hi) return R::Fail("range start is after its end");
  std::string error;
  // One index seek per stored day (newest day first): the last row of the newest day <= hi, then below it.
  Stmt* st = conn_->Get("SELECT " + std::string(kForeignCols) +
                            " FROM foreign_snapshots WHERE symbol=?1 AND date>=?2 AND date<=?3 "
                            "ORDER BY date DESC, time DESC, rowid DESC LIMIT 1",
                        &error);
  if (!st) return R::Fail(error);
  R out;
  while (hi >= lo) {
    st->Reset();
    st->Text(1, symbol.view());
    st->Int(2, lo);
    st->Int(3, hi);
    const int rc = sqlite3_step(st->get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      const std::string msg = std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get());
      st->Reset();
      return R::Fail(msg);
    }
    ForeignRow row;
    Decode(*st, &row, &error);
    hi = static_cast<std::int64_t>(row.time.date.ymd) - 1;
    out.value.push_back(std::move(row));
  }
  st->Reset();
  std::reverse(out.value.begin(), out.value.end());
  return out;
}

Result<std::vector<CandleRow>> SqliteReader::CandlesAggregated(Symbol symbol, CandleInterval interval,
                                                               Date from, Date to, std::int64_t limit) {
  using R = Result<std::vector<CandleRow>>;
  std::string error;
  const auto b = MakeDayBounds(from, to, limit, &error);
  if (!b) return R::Fail(error);
  Stmt* st = conn_->Get(interval == CandleInterval::k1d ? DailyCandlesSql() : AggregatedCandlesSql(), &error);
  if (!st) return R::Fail(error);
  st->Text(1, symbol.view());
  st->Int(2, b->from_date);
  st->Int(3, b->to_date);
  st->Int(4, IntervalSeconds(interval));
  st->Int(5, limit);
  return Collect<CandleRow>(conn_->db.get(), *st);
}

Result<std::vector<IndexRow>> SqliteReader::IndexHistory(Symbol id, const TimeRange& range) {
  return conn_->Range<IndexRow>(kIndexCols, "index_snapshots", "index_id", id.view(), "time", "rowid", range);
}

Result<std::vector<BasisRow>> SqliteReader::BasisHistory(Symbol krx_code, const TimeRange& range) {
  return conn_->Range<BasisRow>(kBasisCols, "futures_basis", "krx_code", krx_code.view(), "time", "rowid",
                                range);
}

namespace {
// The alerts of a range and filter (?2..?8).
std::string AlertsSql(const TimeRange& range) {
  return RangeSql(kAlertCols, "alerts", "", "time") +
         " AND (?7 IS NULL OR type=?7) AND (?8 IS NULL OR symbol=?8)" + OrderLimit("time", "id", range.order);
}
}  // namespace

Result<std::vector<AlertRow>> SqliteReader::Alerts(const TimeRange& range, const AlertFilter& filter) {
  return AlertQuery<AlertRow>(AlertsSql(range), range, filter);
}

Result<std::vector<DeliveryRow>> SqliteReader::AlertDeliveries(const TimeRange& range,
                                                               const AlertFilter& filter) {
  return AlertQuery<DeliveryRow>(DeliveriesOfSql(AlertsSql(range)), range, filter);
}

template <class T>
Result<std::vector<T>> SqliteReader::AlertQuery(const std::string& sql, const TimeRange& range,
                                                const AlertFilter& filter) {
  using R = Result<std::vector<T>>;
  Bounds b;
  std::string error;
  if (!MakeBounds(range, &b, &error)) return R::Fail(error);
  Stmt* st = conn_->Get(sql, &error);
  if (!st) return R::Fail(error);
  st->Int(2, b.from_date);
  st->Int(3, b.from_time);
  st->Int(4, b.to_date);
  st->Int(5, b.to_time);
  st->Int(6, range.limit);
  const Symbol sym = filter.symbol.value_or(Symbol());
  if (filter.type)
    st->Text(7, core::ToString(*filter.type));
  else
    st->Null(7);
  if (filter.symbol)
    st->Text(8, sym.view());
  else
    st->Null(8);
  return Collect<T>(conn_->db.get(), *st);
}

Result<std::vector<StoredRule>> SqliteReader::ListRules() {
  std::string error;
  Stmt* st = conn_->Get("SELECT " + std::string(kRuleCols) + " FROM alert_rules ORDER BY id", &error);
  if (!st) return Result<std::vector<StoredRule>>::Fail(error);
  return Collect<StoredRule>(conn_->db.get(), *st);
}

Result<std::optional<StoredRule>> SqliteReader::GetRule(std::int64_t id) {
  using R = Result<std::optional<StoredRule>>;
  std::string error;
  Stmt* st = conn_->Get("SELECT " + std::string(kRuleCols) + " FROM alert_rules WHERE id=?1", &error);
  if (!st) return R::Fail(error);
  st->Int(1, id);
  auto rows = Collect<StoredRule>(conn_->db.get(), *st);
  if (!rows.ok()) return R::Fail(rows.error);
  R out;
  if (!rows.value.empty()) out.value = std::move(rows.value.front());
  return out;
}

namespace {
void BindRule(Stmt& st, const core::AlertRule& r) {
  st.Text(2, r.name, false);
  st.Text(3, core::ToString(r.metric));
  st.Text(4, r.symbol, false);
  st.Text(5, core::ToString(r.comparison));
  st.Real(6, r.threshold);
  st.Int(7, r.cooldown_sec);
  st.Int(8, r.enabled ? 1 : 0);
  st.Text(9, core::ToString(r.severity));
  st.Text(10, core::ToString(r.frequency));
  st.Int(11, r.window_min);
  st.Text(12, r.webhook_url, false);
}
}  // namespace

Result<std::int64_t> SqliteReader::CreateRule(const core::AlertRule& rule) {
  using R = Result<std::int64_t>;
  std::string error;
  Stmt* st = conn_->Get(
      "INSERT INTO "
      "alert_rules(id,name,metric,symbol,comparison,threshold,cooldown_sec,enabled,severity,frequency,"
      "window_min,webhook_url) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
      &error);
  if (!st) return R::Fail(error);
  if (rule.id > 0)
    st->Int(1, rule.id);
  else
    st->Null(1);  // INTEGER PRIMARY KEY: NULL assigns max(id) + 1
  BindRule(*st, rule);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE) {
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      return R::Fail("rule id " + std::to_string(rule.id) + " already exists");
    return R::Fail(std::string("store: cannot create rule: ") + sqlite3_errmsg(conn_->db.get()));
  }
  R out;
  out.value = sqlite3_last_insert_rowid(conn_->db.get());
  return out;
}

Result<bool> SqliteReader::UpdateRule(const core::AlertRule& rule) {
  using R = Result<bool>;
  std::string error;
  Stmt* st = conn_->Get(
      "UPDATE alert_rules SET "
      "name=?2,metric=?3,symbol=?4,comparison=?5,threshold=?6,cooldown_sec=?7,enabled=?8,"
      "severity=?9,frequency=?10,window_min=?11,webhook_url=?12 WHERE id=?1",
      &error);
  if (!st) return R::Fail(error);
  st->Int(1, rule.id);
  BindRule(*st, rule);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store: cannot update rule: ") + sqlite3_errmsg(conn_->db.get()));
  R out;
  out.value = sqlite3_changes(conn_->db.get()) > 0;
  return out;
}

Result<bool> SqliteReader::DeleteRule(std::int64_t id) {
  using R = Result<bool>;
  std::string error;
  Stmt* st = conn_->Get("DELETE FROM alert_rules WHERE id=?1", &error);
  if (!st) return R::Fail(error);
  st->Int(1, id);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store: cannot delete rule: ") + sqlite3_errmsg(conn_->db.get()));
  R out;
  out.value = sqlite3_changes(conn_->db.get()) > 0;
  return out;
}

Result<std::int64_t> SqliteReader::FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn) {
  using R = Result<std::int64_t>;
  R out;
  bool stopped = false;
  // Journals written before version 3 (one row per frame) first, then the compressed batches. Statements are
  // not cached: fn may run other queries on this reader while these are still stepping.
  Stmt legacy;
  if (legacy.Prepare(conn_->db.get(), "SELECT id,date,seq,recv_ms,text FROM frames WHERE date=?1 ORDER BY id",
                     false) != SQLITE_OK) {
    return R::Fail(std::string("store: cannot prepare query: ") + sqlite3_errmsg(conn_->db.get()));
  }
  legacy.Int(1, date.ymd);
  int rc;
  while ((rc = sqlite3_step(legacy.get())) == SQLITE_ROW) {
    FrameView f;
    f.id = ++out.value;
    f.date = Date{static_cast<std::int32_t>(legacy.ColInt(1))};
    f.seq = legacy.ColInt(2);
    f.recv_ms = legacy.ColInt(3);
    f.text = legacy.ColText(4);
    if (!fn(f)) return out;
  }
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get()));
  Stmt st;
  if (st.Prepare(conn_->db.get(), "SELECT raw_bytes,data FROM frame_batches WHERE date=?1 ORDER BY id",
                 false) != SQLITE_OK) {
    return R::Fail(std::string("store: cannot prepare query: ") + sqlite3_errmsg(conn_->db.get()));
  }
  st.Int(1, date.ymd);
  while (!stopped && (rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    const bool intact = ForEachFrameView(st.ColBlob(1), st.ColInt(0), date, &out.value, fn, &stopped);
    if (!intact) return R::Fail("store: a journal batch of " + ToString(date) + " is damaged");
  }
  if (!stopped && rc != SQLITE_DONE)
    return R::Fail(std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get()));
  return out;
}

Result<std::int64_t> SqliteReader::PruneFramesBefore(Date keep_from) {
  using R = Result<std::int64_t>;
  // Report frames, not batches: count them before the batches go.
  std::string error;
  Stmt* st = conn_->Get("SELECT coalesce(sum(count),0) FROM frame_batches WHERE date<?1", &error);
  if (!st) return R::Fail(error);
  st->Int(1, keep_from.ymd);
  const std::int64_t packed = sqlite3_step(st->get()) == SQLITE_ROW ? st->ColInt(0) : 0;
  st->Reset();
  auto legacy = DeleteBefore("frames", keep_from);
  if (!legacy.ok()) return legacy;
  auto batches = DeleteBefore("frame_batches", keep_from);
  if (!batches.ok()) return batches;
  R out;
  out.value = legacy.value + packed;
  return out;
}

Result<std::int64_t> SqliteReader::PruneHistoryBefore(Date keep_from) {
  Result<std::int64_t> out;
  for (std::string_view table : kHistoryTables) {
    auto n = DeleteBefore(table, keep_from);
    if (!n.ok()) return n;
    out.value += n.value;
  }
  return out;
}

Result<std::int64_t> SqliteReader::DeleteBefore(std::string_view table, Date keep_from) {
  using R = Result<std::int64_t>;
  R out;
  // Small batches (at most kPruneBatch rows), each its own transaction: the writer waits for one batch at
  // most, never for the whole deletion (a day's journal is hundreds of MB).
  std::string error;
  const std::string t(table);
  // Runs one batch statement until it deletes less than a batch; false (with out failed) on an error.
  const auto drain = [&](Stmt* st, const std::function<void()>& bind) {
    for (;;) {
      st->Reset();
      bind();
      const int rc = sqlite3_step(st->get());
      st->Reset();
      if (rc != SQLITE_DONE) {
        out = R::Fail("store: cannot prune " + t + ": " + sqlite3_errmsg(conn_->db.get()));
        return false;
      }
      const int n = sqlite3_changes(conn_->db.get());
      out.value += n;
      if (n < kPruneBatch) return true;
    }
  };
  // The candle tables and ticks are WITHOUT ROWID, keyed symbol first: their rows are named by their key, and
  // the old rows are found one symbol at a time (a key range each), where `date<?` alone would scan every
  // newer row of the symbols before them again for each batch.
  const bool ticks = table == "ticks";
  if (ticks || table == "candles_1m" || table == "candles_1d") {
    const std::string cols = ticks ? "symbol,date,time,seq" : "symbol,date,minute";
    Stmt* first = conn_->Get("SELECT min(symbol) FROM " + t, &error);
    Stmt* next = first ? conn_->Get("SELECT min(symbol) FROM " + t + " WHERE symbol>?1", &error) : nullptr;
    Stmt* del =
        next ? conn_->Get("DELETE FROM " + t + " WHERE (" + cols + ") IN (SELECT " + cols + " FROM " + t +
                              " WHERE symbol=?2 AND date<?1 LIMIT " + std::to_string(kPruneBatch) + ")",
                          &error)
             : nullptr;
    if (!del) return R::Fail(error);
    std::string symbol;
    for (Stmt* find = first;; find = next) {
      find->Reset();
      if (find == next) next->Text(1, symbol, false);
      const int rc = sqlite3_step(find->get());
      if (rc != SQLITE_ROW) {
        find->Reset();
        return R::Fail("store: cannot prune " + t + ": " + sqlite3_errmsg(conn_->db.get()));
      }
      const bool done = find->ColIsNull(0);
      if (!done) symbol = std::string(find->ColText(0));
      find->Reset();
      if (done) return out;
      if (!drain(del, [&] {
            del->Int(1, keep_from.ymd);
            del->Text(2, symbol);
          }))
        return out;
    }
  }
  Stmt* st = conn_->Get("DELETE FROM " + t + " WHERE rowid IN (SELECT rowid FROM " + t +
                            " WHERE date<?1 LIMIT " + std::to_string(kPruneBatch) + ")",
                        &error);
  if (!st) return R::Fail(error);
  drain(st, [&] { st->Int(1, keep_from.ymd); });
  return out;
}

Result<std::optional<Date>> SqliteReader::LatestTradingDate() {
  using R = Result<std::optional<Date>>;
  std::string error;
  // The date of the newest row of each rowid table: one b-tree seek each (rows are appended in exchange-time
  // order), where max(date) would scan the symbol-first indexes. ticks (WITHOUT ROWID, keyed symbol first):
  // the newest date of each symbol, two seeks per symbol (a recursive walk over the distinct symbols).
  Stmt* st = conn_->Get(
      "SELECT max(d) FROM ("
      "SELECT (WITH RECURSIVE s(symbol) AS (SELECT min(symbol) FROM ticks UNION ALL SELECT (SELECT "
      "min(symbol) "
      "FROM ticks WHERE symbol>s.symbol) FROM s WHERE s.symbol IS NOT NULL) "
      "SELECT max((SELECT max(date) FROM ticks WHERE symbol=s.symbol)) FROM s) AS d "
      "UNION ALL SELECT (SELECT date FROM foreign_snapshots ORDER BY rowid DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT date FROM index_snapshots ORDER BY rowid DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT date FROM futures_basis ORDER BY rowid DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT date FROM alerts ORDER BY id DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT max(date) FROM frames) "
      "UNION ALL SELECT (SELECT max(date) FROM frame_batches))",
      &error);
  if (!st) return R::Fail(error);
  const int rc = sqlite3_step(st->get());
  R out;
  if (rc == SQLITE_ROW) {
    if (!st->ColIsNull(0)) out.value = Date{static_cast<std::int32_t>(st->ColInt(0))};
  } else {
    out = R::Fail(std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get()));
  }
  st->Reset();
  return out;
}

std::unique_ptr<ReaderBackend> OpenSqliteReader(const std::string& path,
                                                std::chrono::milliseconds busy_timeout) {
  return std::make_unique<SqliteReader>(path, busy_timeout);
}

}  // namespace vnt::store
