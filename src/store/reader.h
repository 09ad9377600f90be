#pragma once
// The history reader: queries over the store on its own connection, usable from the server thread while the
// writer thread commits (a query sees the last committed batches and never waits for the writer). It also
// owns the low-rate writes that are not engine output: alert-rule CRUD and pruning. The location picks the
// store: "postgresql://user:pass@host:port/db" (or postgres://) is PostgreSQL, anything else a SQLite file
// (WAL); the answers are the same rows either way.
//
// Ranges: TimeRange bounds are inclusive exchange times. An invalid `from` date means "from the beginning",
// an invalid `to` date "up to the end"; an invalid time of day means the start (from) or end (to) of that
// day. Order: kNewestFirst (default) returns the most recent `limit` rows of the range, newest first;
// kOldestFirst returns the earliest `limit` rows, oldest first (paging forward from `from`). Rows of one
// second keep arrival order. Bad input (from > to, limit <= 0) and SQLite failures come back as an error
// value, never a throw. Not thread-safe: one Reader per thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alerts.h"
#include "store/rows.h"

namespace vnt::store {

// A value or an error message (empty error = success).
template <class T>
struct Result {
  T value{};          // meaningful only when ok()
  std::string error;  // why it failed; empty on success
  // True on success.
  bool ok() const { return error.empty(); }
  // A failed result carrying `e`.
  static Result Fail(std::string e) {
    Result r;
    r.error = std::move(e);
    return r;
  }
};

// Which end of a range a limit keeps.
enum class Order : std::uint8_t { kNewestFirst, kOldestFirst };

// An inclusive exchange-time range with a row limit.
struct TimeRange {
  ExchangeTime from{};                // invalid date = unbounded
  ExchangeTime to{};                  // invalid date = unbounded
  std::int64_t limit = 1000;          // maximum rows returned (> 0)
  Order order = Order::kNewestFirst;  // which end of the range the limit keeps, and the returned order
};

// Bar length of the multi-day candles (aggregated from the stored 1-minute candles).
enum class CandleInterval : std::uint8_t { k1m, k5m, k15m, k1h, k1d };
// "1m", "5m", "15m", "1h", "1d" -> interval; nullopt otherwise.
std::optional<CandleInterval> ParseCandleInterval(std::string_view s);

// Optional filters of the alert history.
struct AlertFilter {
  std::optional<core::AlertType> type{};  // only alerts of this type
  std::optional<Symbol> symbol{};         // only alerts of this symbol (exact)
};

// A stored user rule.
struct StoredRule {
  core::AlertRule rule;
  std::string created_at;  // UTC, ISO 8601
};

// One journal frame as handed to FramesOfDay's callback (text valid during the call only).
struct FrameView {
  std::int64_t id = 0;  // arrival order
  Date date;
  std::int64_t seq = 0;
  std::int64_t recv_ms = 0;
  std::string_view text;
};

class ReaderBackend;

class Reader {
 public:
  // Opens (creating and migrating when needed) the database. Throws StoreError (start-up failure; a
  // PostgreSQL password never appears in its message).
  explicit Reader(const std::string& location,
                  std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(2000));
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Closed 1-minute candles of a symbol (range on the minute's start).
  Result<std::vector<CandleRow>> Candles(Symbol symbol, const TimeRange& range);
  // Candles of `interval` aggregated from the 1-minute candles, dates inclusive (invalid = unbounded), oldest
  // first, at most `limit` bars.
  Result<std::vector<CandleRow>> CandlesAggregated(Symbol symbol, CandleInterval interval, Date from, Date to,
                                                   std::int64_t limit);
  // Classified trades of a symbol.
  Result<std::vector<TickRow>> Ticks(Symbol symbol, const TimeRange& range);
  // Foreign-flow snapshots of a symbol.
  Result<std::vector<ForeignRow>> ForeignHistory(Symbol symbol, const TimeRange& range);
  // The last foreign snapshot of each trading day in [from, to] (end-of-day cumulative), oldest day first.
  // Invalid dates are unbounded.
  Result<std::vector<ForeignRow>> ForeignDaily(Symbol symbol, Date from, Date to);
  // Snapshots of an index (id case-insensitive).
  Result<std::vector<IndexRow>> IndexHistory(Symbol id, const TimeRange& range);
  // Basis points of a futures contract by KRX code (a VN30FYYMM code is translated).
  Result<std::vector<BasisRow>> BasisHistory(Symbol contract, const TimeRange& range);
  // Alerts, optionally of one type and/or symbol.
  Result<std::vector<AlertRow>> Alerts(const TimeRange& range, const AlertFilter& filter = {});
  // The delivery outcomes of the alerts Alerts(range, filter) returns (those with an epoch), in the order
  // they were stored; join on (epoch, engine_id).
  Result<std::vector<DeliveryRow>> AlertDeliveries(const TimeRange& range, const AlertFilter& filter = {});

  // Every user rule, by id.
  Result<std::vector<StoredRule>> ListRules();
  // One rule; nullopt when absent.
  Result<std::optional<StoredRule>> GetRule(std::int64_t id);
  // Inserts a rule (id 0 = assign the next one); returns its id. Fails on a duplicate id.
  Result<std::int64_t> CreateRule(const core::AlertRule& rule);
  // Replaces the rule with the same id; false when there is none.
  Result<bool> UpdateRule(const core::AlertRule& rule);
  // Deletes a rule; false when there is none.
  Result<bool> DeleteRule(std::int64_t id);

  // Calls fn for every journal frame of `date` in arrival order until it returns false; returns the number of
  // frames passed to fn.
  Result<std::int64_t> FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn);
  // Deletes journal frames of trading dates before `keep_from` (PostgreSQL drops their daily partitions);
  // returns the number of frames deleted.
  Result<std::int64_t> PruneFramesBefore(Date keep_from);
  // Retention: deletes the market history (ticks, candles, snapshots, basis, alerts) of trading dates before
  // `keep_from`, in small batches (SQLite) or whole daily partitions (PostgreSQL); returns the rows deleted.
  Result<std::int64_t> PruneHistoryBefore(Date keep_from);
  // The newest trading date with any stored market data or frames; nullopt for an empty store.
  Result<std::optional<Date>> LatestTradingDate();

 private:
  std::unique_ptr<ReaderBackend> impl_;
};

}  // namespace vnt::store
