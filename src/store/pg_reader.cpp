// The PostgreSQL implementation of the history reader (see reader.h for the contract). The SQL is the SQLite
// reader's (history_sql.h) with $n parameters; rows are decoded by the same decoders (row_decode.h), so both
// stores give the same rows in the same order. A lost connection fails the query with a clear error and is
// re-opened by a later call (at most once a second, so an outage costs no more than one refused connection
// per second on the caller's thread).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "store/backend.h"
#include "store/frame_batch.h"
#include "store/history_sql.h"
#include "store/location.h"
#include "store/pg_conn.h"
#include "store/pg_schema.h"
#include "store/row_decode.h"
#include "store/schema.h"

namespace vnt::store {
namespace {

using namespace internal;  // NOLINT(google-build-using-namespace): column lists, bounds, decoders
using Params = std::vector<std::optional<std::string>>;

// "?1" -> "$1": the shared SQL is written with SQLite's numbered parameters.
std::string PgSql(std::string sql) {
  for (char& c : sql) {
    if (c == '?') c = '$';
  }
  return sql;
}

std::string Num(std::int64_t v) {
  return std::to_string(v);
}

template <class T>
Result<std::vector<T>> Collect(const PGresult* r) {
  Result<std::vector<T>> out;
  const int n = PQntuples(r);
  out.value.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    T row;
    if (!Decode(pg::Row(r, i), &row, &out.error)) {
      out.value.clear();
      return out;
    }
    out.value.push_back(std::move(row));
  }
  return out;
}

class PgReader final : public ReaderBackend {
 public:
  explicit PgReader(const std::string& url) : url_(url) {
    std::string error;
    conn_ = pg::Conn::Open(url_, &error);
    if (!conn_) throw StoreError("store: " + error);
    pg::Migrate(*conn_, url_);
  }

  Result<std::vector<CandleRow>> Candles(Symbol symbol, const TimeRange& range) override {
    return Range<CandleRow>(kCandleCols, "candles_1m", "symbol", symbol.view(), "minute", "", range);
  }

  Result<std::vector<CandleRow>> CandlesAggregated(Symbol symbol, CandleInterval interval, Date from, Date to,
                                                   std::int64_t limit) override {
    std::string error;
    const auto b = MakeDayBounds(from, to, limit, &error);
    if (!b) return Result<std::vector<CandleRow>>::Fail(error);
    return Query<CandleRow>(
        PgSql(interval == CandleInterval::k1d ? DailyCandlesSql() : AggregatedCandlesSql()),
        {std::string(symbol.view()), Num(b->from_date), Num(b->to_date), Num(IntervalSeconds(interval)),
         Num(limit)});
  }

  Result<std::vector<TickRow>> Ticks(Symbol symbol, const TimeRange& range) override {
    return Range<TickRow>(kTickCols, "ticks", "symbol", symbol.view(), "time", "id", range);
  }

  Result<std::vector<ForeignRow>> ForeignHistory(Symbol symbol, const TimeRange& range) override {
    return Range<ForeignRow>(kForeignCols, "foreign_snapshots", "symbol", symbol.view(), "time", "id", range);
  }

  Result<std::vector<ForeignRow>> ForeignDaily(Symbol symbol, Date from, Date to) override {
    std::string error;
    const auto b = MakeDayBounds(from, to, 1, &error);
    if (!b) return Result<std::vector<ForeignRow>>::Fail(error);
    // The last snapshot of each stored day, kept by the writer in foreign_daily (schema 6): one range of
    // its primary key. (Probing foreign_snapshots once per day instead planned every partition: p99
    // 51-90 ms for a year, bench/RESULTS.md.)
    return Query<ForeignRow>(
        "SELECT " + std::string(kForeignCols) +
            " FROM foreign_daily WHERE symbol=$1 AND date>=$2 AND date<=$3 ORDER BY date",
        {std::string(symbol.view()), Num(b->from_date), Num(b->to_date)});
  }

  Result<std::vector<IndexRow>> IndexHistory(Symbol id, const TimeRange& range) override {
    return Range<IndexRow>(kIndexCols, "index_snapshots", "index_id", id.view(), "time", "id", range);
  }

  Result<std::vector<BasisRow>> BasisHistory(Symbol krx_code, const TimeRange& range) override {
    return Range<BasisRow>(kBasisCols, "futures_basis", "krx_code", krx_code.view(), "time", "id", range);
  }

  Result<std::vector<AlertRow>> Alerts(const TimeRange& range, const AlertFilter& filter) override {
    Bounds b;
    std::string error;
    if (!MakeBounds(range, &b, &error)) return Result<std::vector<AlertRow>>::Fail(error);
    return Query<AlertRow>("SELECT * FROM (" + AlertsSql(range) + ") q WHERE $1::text IS NULL",
                           AlertParams(b, range, filter));
  }

  Result<std::vector<DeliveryRow>> AlertDeliveries(const TimeRange& range,
                                                   const AlertFilter& filter) override {
    Bounds b;
    std::string error;
    if (!MakeBounds(range, &b, &error)) return Result<std::vector<DeliveryRow>>::Fail(error);
    return Query<DeliveryRow>(
        "SELECT * FROM (" + DeliveriesOfSql(AlertsSql(range)) + ") q WHERE $1::text IS NULL",
        AlertParams(b, range, filter));
  }

  Result<std::vector<StoredRule>> ListRules() override {
    return Query<StoredRule>("SELECT " + std::string(kRuleCols) + " FROM alert_rules ORDER BY id", {});
  }

  Result<std::optional<StoredRule>> GetRule(std::int64_t id) override {
    using R = Result<std::optional<StoredRule>>;
    auto rows =
        Query<StoredRule>("SELECT " + std::string(kRuleCols) + " FROM alert_rules WHERE id=$1", {Num(id)});
    if (!rows.ok()) return R::Fail(rows.error);
    R out;
    if (!rows.value.empty()) out.value = std::move(rows.value.front());
    return out;
  }

  Result<std::int64_t> CreateRule(const core::AlertRule& rule) override {
    using R = Result<std::int64_t>;
    Params p = RuleParams(rule);
    p[0] = rule.id > 0 ? std::optional<std::string>(Num(rule.id)) : std::nullopt;
    std::string error, sqlstate;
    pg::ResultPtr r = Exec(
        "INSERT INTO alert_rules(id,name,metric,symbol,comparison,threshold,cooldown_sec,enabled,severity,"
        "frequency,window_min,webhook_url) "
        "VALUES(coalesce($1::bigint,(SELECT coalesce(max(id),0)+1 FROM "
        "alert_rules)),$2,$3,$4,$5,$6,$7,$8,$9,$10,"
        "$11,$12) RETURNING id",
        p, &error, &sqlstate);
    if (!r) {
      if (sqlstate == "23505") return R::Fail("rule id " + std::to_string(rule.id) + " already exists");
      return R::Fail("store: cannot create rule: " + error);
    }
    R out;
    out.value = pg::Row(r.get(), 0).ColInt(0);
    return out;
  }

  Result<bool> UpdateRule(const core::AlertRule& rule) override {
    Params p = RuleParams(rule);
    p[0] = Num(rule.id);
    return Changed(
        "UPDATE alert_rules SET name=$2,metric=$3,symbol=$4,comparison=$5,threshold=$6,cooldown_sec=$7,"
        "enabled=$8,severity=$9,frequency=$10,window_min=$11,webhook_url=$12 WHERE id=$1",
        p, "update rule");
  }

  Result<bool> DeleteRule(std::int64_t id) override {
    return Changed("DELETE FROM alert_rules WHERE id=$1", {Num(id)}, "delete rule");
  }

  Result<std::int64_t> FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn) override {
    using R = Result<std::int64_t>;
    // A cursor inside a transaction: the day's journal is read 50 compressed batches at a time. The
    // callback may query this reader again (even read another day's frames): a nested call gets a cursor of
    // its own in the same transaction, which the outermost call ends.
    std::string error;
    if (!Ready(&error)) return R::Fail(error);
    const std::string cursor = "vnt_frames_" + std::to_string(cursor_depth_);
    if ((cursor_depth_ == 0 && !conn_->Exec("BEGIN", &error)) ||
        !conn_->Exec("DECLARE " + cursor +
                         " NO SCROLL CURSOR FOR SELECT raw_bytes,data FROM frame_batches "
                         "WHERE date=" +
                         Num(date.ymd) + " ORDER BY id",
                     &error)) {
      if (cursor_depth_ == 0) End();
      return R::Fail("store query failed: " + error);
    }
    ++cursor_depth_;
    R out;
    const auto finish = [&](R result) {
      --cursor_depth_;
      std::string ignored;
      if (conn_ && conn_->alive()) conn_->Exec("CLOSE " + cursor, &ignored);
      if (cursor_depth_ == 0) End();
      return result;
    };
    bool stopped = false;
    while (!stopped) {
      pg::ResultPtr r = conn_->Query("FETCH 50 FROM " + cursor, {}, &error);
      if (!r) return finish(R::Fail("store query failed: " + error));
      const int n = PQntuples(r.get());
      for (int i = 0; i < n && !stopped; ++i) {
        const pg::Row row(r.get(), i);
        const std::string blob = row.ColBytes(1);
        const bool intact = ForEachFrameView(blob, row.ColInt(0), date, &out.value, fn, &stopped);
        if (!intact) return finish(R::Fail("store: a journal batch of " + ToString(date) + " is damaged"));
      }
      if (n == 0) break;
    }
    return finish(out);
  }

  Result<std::int64_t> PruneFramesBefore(Date keep_from) override {
    using R = Result<std::int64_t>;
    std::string error;
    if (!Ready(&error)) return R::Fail(error);
    const std::int64_t n = pg::DropPartitionsBefore(*conn_, "frame_batches", keep_from, &error, "sum(count)");
    if (n < 0) return R::Fail("store: cannot prune frames: " + error);
    R out;
    out.value = n;
    return out;
  }

  Result<std::int64_t> PruneHistoryBefore(Date keep_from) override {
    using R = Result<std::int64_t>;
    std::string error;
    if (!Ready(&error)) return R::Fail(error);
    R out;
    for (const char* t : {"ticks", "foreign_snapshots", "index_snapshots", "futures_basis"}) {
      const std::int64_t n = pg::DropPartitionsBefore(*conn_, t, keep_from, &error);
      if (n < 0) return R::Fail("store: cannot prune " + std::string(t) + ": " + error);
      out.value += n;
    }
    for (const char* t :
         {"candles_1m", "candles_1d", "foreign_daily", "alerts", "alert_deliveries", "trading_days"}) {
      pg::ResultPtr r =
          conn_->Query("DELETE FROM " + std::string(t) + " WHERE date < $1", {Num(keep_from.ymd)}, &error);
      if (!r) return R::Fail("store: cannot prune " + std::string(t) + ": " + error);
      // (foreign_daily repeats rows of foreign_snapshots, counted there)
      if (std::string_view(t) != "trading_days" && std::string_view(t) != "foreign_daily")
        out.value += std::atoll(PQcmdTuples(r.get()));
    }
    return out;
  }

  Result<std::optional<Date>> LatestTradingDate() override {
    using R = Result<std::optional<Date>>;
    std::string error;
    pg::ResultPtr r = Exec("SELECT max(date) FROM trading_days", {}, &error);
    if (!r) return R::Fail("store query failed: " + error);
    R out;
    const pg::Row row(r.get(), 0);
    if (!row.ColIsNull(0)) out.value = Date{static_cast<std::int32_t>(row.ColInt(0))};
    return out;
  }

 private:
  // A live connection, re-opened when lost (at most once a second).
  bool Ready(std::string* error) {
    if (conn_ && conn_->alive()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (conn_ == nullptr && now - last_attempt_ < std::chrono::seconds(1)) {
      *error = "store unavailable: " + last_error_;
      return false;
    }
    last_attempt_ = now;
    conn_ = pg::Conn::Open(url_, error);
    if (!conn_) {
      last_error_ = *error;
      *error = "store unavailable: " + *error;
      return false;
    }
    return true;
  }

  pg::ResultPtr Exec(const std::string& sql, const Params& params, std::string* error,
                     std::string* sqlstate = nullptr) {
    if (!Ready(error)) return nullptr;
    pg::ResultPtr r = conn_->Query(sql, params, error, sqlstate);
    if (!r && !conn_->alive()) {
      last_error_ = *error;
      conn_.reset();
    }
    return r;
  }

  void End() {
    std::string ignored;
    if (conn_ && conn_->alive()) conn_->Exec("COMMIT", &ignored);  // rule edits made by a callback are kept
    if (conn_ && !conn_->alive()) conn_.reset();
  }

  template <class T>
  Result<std::vector<T>> Query(const std::string& sql, const Params& params) {
    std::string error;
    pg::ResultPtr r = Exec(sql, params, &error);
    if (!r) return Result<std::vector<T>>::Fail("store query failed: " + error);
    return Collect<T>(r.get());
  }

  template <class T>
  Result<std::vector<T>> Range(std::string_view cols, std::string_view table, std::string_view key_col,
                               std::string_view key, std::string_view time_col, std::string_view tiebreak,
                               const TimeRange& range) {
    Bounds b;
    std::string error;
    if (!MakeBounds(range, &b, &error)) return Result<std::vector<T>>::Fail(error);
    // Within one trading date, the same range said as plain comparisons too: with the date a constant the
    // planner reads a day's ticks slices (schema 7) in the query's order, each from its index (the slice
    // being written: a scan and a sort of its rows), instead of sorting the whole day's rows; and the time
    // bounds leave out the slices outside the range.
    const std::string one_day = b.from_date == b.to_date ? " AND date=?2 AND " + std::string(time_col) +
                                                               ">=?3 AND " + std::string(time_col) + "<=?5"
                                                         : "";
    return Query<T>(PgSql(RangeSql(cols, table, key_col, time_col) + one_day +
                          OrderLimit(time_col, tiebreak, range.order)),
                    {std::string(key), Num(b.from_date), Num(b.from_time), Num(b.to_date), Num(b.to_time),
                     Num(range.limit)});
  }

  Result<bool> Changed(const std::string& sql, const Params& params, const char* what) {
    std::string error;
    pg::ResultPtr r = Exec(sql, params, &error);
    if (!r) return Result<bool>::Fail(std::string("store: cannot ") + what + ": " + error);
    Result<bool> out;
    out.value = std::atoll(PQcmdTuples(r.get())) > 0;
    return out;
  }

  // The alerts of a range and filter ($2..$8; $1 unused).
  static std::string AlertsSql(const TimeRange& range) {
    return PgSql(RangeSql(kAlertCols, "alerts", "", "time") +
                 " AND ($7::text IS NULL OR type=$7) AND ($8::text IS NULL OR symbol=$8)" +
                 OrderLimit("time", "id", range.order));
  }
  // Its parameters; $1 is unused: PostgreSQL needs every parameter's type, so the caller gives it one.
  static Params AlertParams(const Bounds& b, const TimeRange& range, const AlertFilter& filter) {
    Params p{std::nullopt,   Num(b.from_date), Num(b.from_time),
             Num(b.to_date), Num(b.to_time),   Num(range.limit)};
    p.push_back(filter.type ? std::optional<std::string>(std::string(core::ToString(*filter.type)))
                            : std::nullopt);
    p.push_back(filter.symbol ? std::optional<std::string>(std::string(filter.symbol->view()))
                              : std::nullopt);
    return p;
  }

  static Params RuleParams(const core::AlertRule& r) {
    char threshold[32];
    std::snprintf(threshold, sizeof threshold, "%.17g", r.threshold);
    return {std::nullopt,
            r.name,
            std::string(core::ToString(r.metric)),
            r.symbol,
            std::string(core::ToString(r.comparison)),
            std::string(threshold),
            Num(r.cooldown_sec),
            Num(r.enabled ? 1 : 0),
            std::string(core::ToString(r.severity)),
            std::string(core::ToString(r.frequency)),
            Num(r.window_min),
            r.webhook_url};
  }

  std::string url_;
  std::unique_ptr<pg::Conn> conn_;
  std::chrono::steady_clock::time_point last_attempt_{};
  int cursor_depth_ = 0;  // FramesOfDay calls in progress (the callback may call it again)
  std::string last_error_;
};

}  // namespace

std::unique_ptr<ReaderBackend> OpenPgReader(const std::string& url) {
  return std::make_unique<PgReader>(url);
}

}  // namespace vnt::store
