#pragma once
// The history store's schema and its versioned migrations (SQLite, WAL).
//
// Conventions of every table:
//   - time is exchange time: `date` INTEGER yyyymmdd (the feed's TradingDate) and `time` INTEGER seconds
//   since
//     midnight (Asia/Ho_Chi_Minh, the feed's Time); candles use `minute` = seconds at the minute's start. The
//     only wall-clock columns are frames.recv_ms (when the frame was received) and alert_rules.created_at.
//   - prices, index values, basis and changes are Fixed4 raw INTEGERs (value x 10,000: 22950 VND is
//   229500000,
//     1283.9 points is 12839000), so sums and comparisons stay exact; volumes (shares / contracts) and values
//     (VND) are INTEGERs; only rates and percentages (speeds, accelerations, *_pct, fair_basis, alert
//     figures) are REAL.
//   - enumerations are their lower-case names as text ('buy', 'quote', 'volume_spike'); sessions as the feed
//     spells them ('ATO', 'LO', 'ATC', ...).
//   - tables are STRICT (SQLite >= 3.37): a type mistake is an error, not a silent conversion.
//
// Migrations: a `schema_version` table records every applied version. Opening applies the missing ones, each
// in its own IMMEDIATE transaction (so two connections opening at once cannot both apply one); an up-to-date
// file is left untouched, and a file written by a newer build is refused.

#include <stdexcept>
#include <string>

namespace vnt::store {

// Start-up failure of the store (cannot open, newer schema, failed migration): the app exits with the
// message.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The schema version this build writes: 1 = market history tables, 2 = alert rules + frame journal,
// 3 = the journal in compressed batches, 4 = structured alerts, 5 = alert delivery outcomes (+ alerts.epoch),
// 6 = candles_1d wherever it is missing (backfilled) and a covering index for one symbol's ticks,
// 7 = ticks clustered by (symbol, date, time, seq) in a WITHOUT ROWID table, without the index.
inline constexpr int kSchemaVersion = 7;

// Opens (creating when absent) the file and applies migrations up to `target` (<= kSchemaVersion); returns
// the version the file is at afterwards. Throws StoreError. Writer and Reader call it for you; tests and
// tools use `target` to build older files.
int ApplyMigrations(const std::string& path, int target = kSchemaVersion);

// The version recorded in the file (0 for a new or empty file). Throws StoreError when it cannot be opened.
int SchemaVersionOf(const std::string& path);

}  // namespace vnt::store
