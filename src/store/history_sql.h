#pragma once
// SQL text shared by the SQLite and PostgreSQL readers. Parameters are written SQLite's way (?1, ?2, ...);
// the PostgreSQL reader turns them into $1, $2 (PgParams). Bounds are int32 (dates yyyymmdd, seconds of the
// day): an unbounded end is the type's limit, which both stores compare against integer columns.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "store/reader.h"

namespace vnt::store::internal {

inline constexpr std::int64_t kMin = std::numeric_limits<std::int32_t>::min();
inline constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();

// The per-second history tables pruned by retention (the journal is pruned on its own, per trading date).
inline constexpr std::string_view kHistoryTables[] = {
    "ticks",           "candles_1m",    "candles_1d", "foreign_snapshots",
    "index_snapshots", "futures_basis", "alerts",     "alert_deliveries"};
inline constexpr int kPruneBatch = 5000;

// Inclusive bounds of a TimeRange as (date, time) pairs.
struct Bounds {
  std::int64_t from_date, from_time, to_date, to_time;
};
// False (with *error) when the range is bad (start after end, limit <= 0).
inline bool MakeBounds(const TimeRange& r, Bounds* b, std::string* error) {
  if (r.limit <= 0) {
    *error = "limit must be positive";
    return false;
  }
  b->from_date = r.from.date.valid() ? r.from.date.ymd : kMin;
  b->from_time = r.from.date.valid() && r.from.time.valid() ? r.from.time.sec : kMin;
  b->to_date = r.to.date.valid() ? r.to.date.ymd : kMax;
  b->to_time = r.to.date.valid() && r.to.time.valid() ? r.to.time.sec : kMax;
  if (std::pair(b->from_date, b->from_time) > std::pair(b->to_date, b->to_time)) {
    *error = "range start is after its end";
    return false;
  }
  return true;
}

// Inclusive date bounds (invalid = unbounded); nullopt with *error when from > to or limit <= 0.
struct DayBounds {
  std::int64_t from_date, to_date;
};
inline std::optional<DayBounds> MakeDayBounds(Date from, Date to, std::int64_t limit, std::string* error) {
  if (limit <= 0) {
    *error = "limit must be positive";
    return std::nullopt;
  }
  DayBounds b{from.valid() ? from.ymd : kMin, to.valid() ? to.ymd : kMax};
  if (b.from_date > b.to_date) {
    *error = "range start is after its end";
    return std::nullopt;
  }
  return b;
}

// SELECT ... WHERE over a (key, date, time) index with the range of a TimeRange. Parameters: ?1 key, ?2/?3
// from, ?4/?5 to (row-value comparisons: both stores seek the index range with them).
inline std::string RangeSql(std::string_view cols, std::string_view table, std::string_view key_col,
                            std::string_view time_col) {
  std::string sql = "SELECT " + std::string(cols) + " FROM " + std::string(table) + " WHERE ";
  if (!key_col.empty()) sql += std::string(key_col) + "=?1 AND ";
  // The plain date bounds repeat what the row values say: PostgreSQL prunes daily partitions only on them.
  sql += "date>=?2 AND date<=?4 AND (date," + std::string(time_col) + ")>=(?2,?3) AND (date," +
         std::string(time_col) + ")<=(?4,?5)";
  return sql;  // completed by the caller (filters) and OrderLimit
}

// The deliveries of the alerts that `alerts_sql` (a query selecting kAlertCols) returns, in arrival order.
inline std::string DeliveriesOfSql(const std::string& alerts_sql) {
  std::string cols;
  for (std::string_view c :
       {"epoch", "engine_id", "date", "time", "channel", "result", "attempts", "status", "error", "done_ms"})
    cols += (cols.empty() ? "d." : ",d.") + std::string(c);
  return "SELECT " + cols + " FROM alert_deliveries d JOIN (" + alerts_sql +
         ") a ON d.epoch=a.epoch AND d.engine_id=a.engine_id WHERE a.epoch<>0 ORDER BY d.id";
}

// ORDER BY + LIMIT ?6 of a TimeRange; `tiebreak` orders the rows of one second (arrival order).
inline std::string OrderLimit(std::string_view time_col, std::string_view tiebreak, Order order) {
  const char* dir = order == Order::kNewestFirst ? " DESC" : "";
  std::string sql = " ORDER BY date" + std::string(dir) + "," + std::string(time_col) + dir;
  if (!tiebreak.empty()) sql += "," + std::string(tiebreak) + dir;
  return sql + " LIMIT ?6";
}

// Bucket length of an interval, seconds (a day: one bucket per trading date).
inline std::int64_t IntervalSeconds(CandleInterval i) {
  switch (i) {
    case CandleInterval::k1m:
      return 60;
    case CandleInterval::k5m:
      return 300;
    case CandleInterval::k15m:
      return 900;
    case CandleInterval::k1h:
      return 3600;
    case CandleInterval::k1d:
      return 86400;
  }
  return 60;
}

// Candles of ?1 between dates ?2 and ?3 (inclusive) in buckets of ?4 seconds, oldest first, at most ?5:
// open is the first minute's open and close the last minute's close (minutes without a price, 0, skipped),
// high/low the extremes, volumes (the aggressor split included), value and trade count summed. A bucket is
// named by its first second (0 for a daily bar). The (minute, price) pair is packed into one integer so that
// min/max pick the first/last price in both stores: prices (Fixed4 raw) stay below 10^12, minutes below
// 86,400, so the key stays below 2^63.
inline std::string AggregatedCandlesSql() {
  return "SELECT symbol, date, (minute / ?4) * ?4 AS bucket,"
         " coalesce(min(CASE WHEN open <> 0 THEN minute * 1000000000000 + open END) % 1000000000000, 0),"
         " max(high),"
         " coalesce(min(CASE WHEN low <> 0 THEN low END), 0),"
         " coalesce(max(CASE WHEN close <> 0 THEN minute * 1000000000000 + close END) % 1000000000000, 0),"
         " sum(volume), sum(buy_vol), sum(sell_vol), sum(neutral_vol), sum(value), sum(trade_count)"
         " FROM candles_1m WHERE symbol = ?1 AND date >= ?2 AND date <= ?3"
         " GROUP BY symbol, date, bucket ORDER BY date, bucket LIMIT ?5";
}

// The daily bar of each (symbol, date) among ?1's rows: the aggregate of AggregatedCandlesSql over a whole
// day, written to candles_1d (same columns as candles_1m with minute 0) whenever a 1-minute candle of that
// day is written, so that a year of daily bars reads 250 rows instead of aggregating 75,000 per request.
// Recomputed from the stored minutes (not added up), so a candle written again cannot count twice. `keys` is
// the FROM clause that names the (symbol, date) pairs to refresh.
inline std::string DailyBarsSql(std::string_view keys) {
  return "SELECT c.symbol, c.date, 0,"
         " coalesce(min(CASE WHEN c.open <> 0 THEN c.minute * 1000000000000 + c.open END) % 1000000000000, "
         "0),"
         " max(c.high),"
         " coalesce(min(CASE WHEN c.low <> 0 THEN c.low END), 0),"
         " coalesce(max(CASE WHEN c.close <> 0 THEN c.minute * 1000000000000 + c.close END) % 1000000000000, "
         "0),"
         " sum(c.volume), sum(c.buy_vol), sum(c.sell_vol), sum(c.neutral_vol), sum(c.value), "
         "sum(c.trade_count)"
         " FROM candles_1m c JOIN " +
         std::string(keys) +
         " k ON k.symbol = c.symbol AND k.date = c.date"
         " GROUP BY c.symbol, c.date";
}

// Daily bars of ?1 between dates ?2 and ?3, oldest first, at most ?5 (?4 unused: the interval is a day).
inline std::string DailyCandlesSql() {
  return "SELECT symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count"
         " FROM candles_1d WHERE symbol = ?1 AND date >= ?2 AND date <= ?3 AND ?4 = 86400 ORDER BY date "
         "LIMIT ?5";
}

}  // namespace vnt::store::internal
