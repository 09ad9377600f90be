#include "store/schema.h"

#include <array>
#include <string_view>

#include "store/sqlite_handle.h"

namespace vnt::store {
namespace {

// One step of the schema. Never edit a released step: add a new one.
struct Migration {
  int version;
  std::string_view sql;
};

// The ticks table of kV1 (ordered by rowid within a second) and its indexes of kV1 and kV6 are replaced in
// kV7 by a WITHOUT ROWID table ordered by (symbol, date, time, seq): no rowid remains on ticks.
constexpr std::string_view kV1 = R"sql(
-- Classified trades (one row per trade the engine counted). Ordered by (date, time) then rowid = arrival order.
CREATE TABLE ticks (
  symbol       TEXT    NOT NULL,
  date         INTEGER NOT NULL,            -- yyyymmdd (TradingDate)
  time         INTEGER NOT NULL,            -- seconds since midnight, exchange time
  price        INTEGER NOT NULL,            -- Fixed4 raw (x 10,000): VND, or index points for futures
  volume       INTEGER NOT NULL,            -- shares / contracts of the trade
  value        INTEGER NOT NULL,            -- VND
  unattributed INTEGER NOT NULL DEFAULT 0,  -- volume from missed frames, counted neutral
  side         TEXT    NOT NULL,            -- buy | sell | neutral
  method       TEXT    NOT NULL,            -- exchange | quote | tick | auction | put_through
  session      TEXT    NOT NULL,            -- ATO | LO | BREAK | ATC | PT | C | HALT | ''
  bid          INTEGER NOT NULL,            -- best bid before the trade, Fixed4 raw (0 = none)
  ask          INTEGER NOT NULL,            -- best ask before the trade, Fixed4 raw (0 = none)
  futures      INTEGER NOT NULL             -- 1 for VN30F contracts
) STRICT;
CREATE INDEX ticks_by_symbol_time ON ticks(symbol, date, time);

-- Closed one-minute candles with the aggressor split. Re-writing a candle replaces it (journal replays).
CREATE TABLE candles_1m (
  symbol      TEXT    NOT NULL,
  date        INTEGER NOT NULL,
  minute      INTEGER NOT NULL,             -- seconds since midnight of the minute's start
  open        INTEGER NOT NULL,             -- Fixed4 raw
  high        INTEGER NOT NULL,
  low         INTEGER NOT NULL,
  close       INTEGER NOT NULL,
  volume      INTEGER NOT NULL,             -- buy + sell + neutral
  buy_vol     INTEGER NOT NULL,
  sell_vol    INTEGER NOT NULL,
  neutral_vol INTEGER NOT NULL,
  value       INTEGER NOT NULL,             -- VND
  trade_count INTEGER NOT NULL,
  PRIMARY KEY (symbol, date, minute)
) STRICT, WITHOUT ROWID;

-- Foreign flow of a symbol: the feed's cumulative day totals plus the engine's speeds (at most one row per
-- symbol per exchange second: the last state of that second).
CREATE TABLE foreign_snapshots (
  symbol        TEXT    NOT NULL,
  date          INTEGER NOT NULL,
  time          INTEGER NOT NULL,
  buy_vol       INTEGER NOT NULL,           -- cumulative today, shares
  sell_vol      INTEGER NOT NULL,
  buy_val       INTEGER NOT NULL,           -- cumulative today, VND
  sell_val      INTEGER NOT NULL,
  total_room    INTEGER,                    -- foreign ownership cap, shares (NULL = unknown)
  current_room  INTEGER,                    -- remaining room, shares (NULL = unknown)
  net_speed_vol REAL    NOT NULL,           -- shares per minute over the speed window
  net_speed_val REAL    NOT NULL,           -- VND per minute
  net_accel_vol REAL    NOT NULL,           -- shares per minute per minute
  net_accel_val REAL    NOT NULL            -- VND per minute per minute
) STRICT;
CREATE INDEX foreign_by_symbol_time ON foreign_snapshots(symbol, date, time);

-- Index snapshots (at most one row per index per exchange second).
CREATE TABLE index_snapshots (
  index_id       TEXT    NOT NULL,          -- upper-cased IndexId: VN30, VNINDEX, ...
  date           INTEGER NOT NULL,
  time           INTEGER NOT NULL,
  value          INTEGER NOT NULL,          -- Fixed4 raw points
  change         INTEGER NOT NULL,          -- Fixed4 raw points
  change_pct     REAL    NOT NULL,
  advances       INTEGER NOT NULL,
  declines       INTEGER NOT NULL,
  no_changes     INTEGER NOT NULL,
  ceilings       INTEGER NOT NULL,
  floors         INTEGER NOT NULL,
  total_trade    INTEGER NOT NULL,
  total_qtty     INTEGER NOT NULL,          -- matched volume
  total_value    INTEGER NOT NULL,          -- matched value, VND
  total_qtty_pt  INTEGER NOT NULL,          -- put-through
  total_value_pt INTEGER NOT NULL,
  all_qty        INTEGER NOT NULL,          -- all volume (matched + put-through + odd lot)
  all_value      INTEGER NOT NULL,
  session        TEXT    NOT NULL
) STRICT;
CREATE INDEX index_by_id_time ON index_snapshots(index_id, date, time);

-- Futures basis against the VN30 (at most one row per contract per exchange second).
CREATE TABLE futures_basis (
  krx_code    TEXT    NOT NULL,             -- 41I1G3000
  legacy_code TEXT    NOT NULL,             -- VN30F2603
  date        INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  last        INTEGER NOT NULL,             -- Fixed4 raw points
  spot        INTEGER NOT NULL,             -- VN30 used for the basis, Fixed4 raw
  basis       INTEGER NOT NULL,             -- last - spot, Fixed4 raw
  basis_pct   REAL    NOT NULL,
  fair_basis  REAL    NOT NULL,             -- cost-of-carry basis, points
  volume      INTEGER NOT NULL              -- contracts counted today
) STRICT;
CREATE INDEX basis_by_contract_time ON futures_basis(krx_code, date, time);

-- Alerts as fired (id assigned here; engine_id is the engine's per-process sequence).
CREATE TABLE alerts (
  id        INTEGER PRIMARY KEY,
  engine_id INTEGER NOT NULL,
  type      TEXT    NOT NULL,               -- volume_spike | price_breakout | ... | user_rule
  severity  TEXT    NOT NULL,               -- info | warning | critical
  symbol    TEXT    NOT NULL,
  rule_id   INTEGER NOT NULL,               -- user rule (0 for built-ins)
  message   TEXT    NOT NULL,
  value     REAL    NOT NULL,
  threshold REAL    NOT NULL,
  date      INTEGER NOT NULL,
  time      INTEGER NOT NULL
) STRICT;
CREATE INDEX alerts_by_time ON alerts(date, time);
)sql";

constexpr std::string_view kV2 = R"sql(
-- User alert rules (REST CRUD; loaded into the engine at start).
CREATE TABLE alert_rules (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL DEFAULT '',
  metric       TEXT    NOT NULL,            -- core::ParseMetric name
  symbol       TEXT    NOT NULL,            -- ticker, futures code/alias, index id or '*'
  comparison   TEXT    NOT NULL,            -- > >= < <= ==
  threshold    REAL    NOT NULL,
  cooldown_sec INTEGER NOT NULL,
  enabled      INTEGER NOT NULL,
  severity     TEXT    NOT NULL,
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))  -- UTC wall clock, metadata only
) STRICT;

-- Journal of the raw feed frames, in arrival order (id), so a restart can rebuild the day's engine state by
-- replaying them through decoder + engine.
CREATE TABLE frames (
  id      INTEGER PRIMARY KEY,              -- arrival order across restarts
  date    INTEGER NOT NULL,                 -- trading date the frame belongs to
  seq     INTEGER NOT NULL,                 -- the feed source's own sequence number
  recv_ms INTEGER NOT NULL,                 -- receive time, Unix ms (wall clock)
  text    TEXT    NOT NULL                  -- the frame as received
) STRICT;
CREATE INDEX frames_by_date ON frames(date);
)sql";

constexpr std::string_view kV3 = R"sql(
-- Version 3. The frame journal in compressed batches (frame_batch.h): the frames of one trading date one commit wrote,
-- packed and zlib-compressed into one row (about a tenth of the space of one row per frame). `frames` stays
-- for journals written before; a restart reads it first, then these.
CREATE TABLE frame_batches (
  id        INTEGER PRIMARY KEY,            -- arrival order
  date      INTEGER NOT NULL,               -- trading date of every frame in the batch
  first_seq INTEGER NOT NULL,               -- the source's sequence number of the first frame
  count     INTEGER NOT NULL,               -- frames in the batch
  raw_bytes INTEGER NOT NULL,               -- packed size before compression
  data      BLOB    NOT NULL                -- zlib stream
) STRICT;
CREATE INDEX frame_batches_by_date ON frame_batches(date);

-- Daily bars (history_sql.h DailyBarsSql): one row per symbol and trading date, refreshed from candles_1m in
-- the same transaction as the minutes, so `interval=1d` over a year reads 250 rows. minute is always 0.
CREATE TABLE candles_1d (
  symbol      TEXT    NOT NULL,
  date        INTEGER NOT NULL,
  minute      INTEGER NOT NULL,
  open        INTEGER NOT NULL,
  high        INTEGER NOT NULL,
  low         INTEGER NOT NULL,
  close       INTEGER NOT NULL,
  volume      INTEGER NOT NULL,
  buy_vol     INTEGER NOT NULL,
  sell_vol    INTEGER NOT NULL,
  neutral_vol INTEGER NOT NULL,
  value       INTEGER NOT NULL,
  trade_count INTEGER NOT NULL,
  PRIMARY KEY (symbol, date)
) STRICT, WITHOUT ROWID;
INSERT INTO candles_1d
  SELECT symbol, date, 0,
         coalesce(min(CASE WHEN open <> 0 THEN minute * 1000000000000 + open END) % 1000000000000, 0),
         max(high), coalesce(min(CASE WHEN low <> 0 THEN low END), 0),
         coalesce(max(CASE WHEN close <> 0 THEN minute * 1000000000000 + close END) % 1000000000000, 0),
         sum(volume), sum(buy_vol), sum(sell_vol), sum(neutral_vol), sum(value), sum(trade_count)
  FROM candles_1m GROUP BY symbol, date;
)sql";

constexpr std::string_view kV4 = R"sql(
-- Version 4. Structured alerts (core::Alert): what was measured, in which unit, which way, over which window,
-- with supporting figures; rules with a frequency, a window and their own webhook.
ALTER TABLE alerts ADD COLUMN contract   TEXT    NOT NULL DEFAULT '';  -- futures: VN30FYYMM
ALTER TABLE alerts ADD COLUMN alias      TEXT    NOT NULL DEFAULT '';  -- futures: VN30F1M...
ALTER TABLE alerts ADD COLUMN rule_name  TEXT    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN metric     TEXT    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN unit       TEXT    NOT NULL DEFAULT '';  -- vnd | points | shares | ...
ALTER TABLE alerts ADD COLUMN direction  TEXT    NOT NULL DEFAULT '';  -- up | down | ''
ALTER TABLE alerts ADD COLUMN comparison TEXT    NOT NULL DEFAULT '';  -- user rules
ALTER TABLE alerts ADD COLUMN window_sec INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN details    TEXT    NOT NULL DEFAULT '';  -- key=value=unit;...
ALTER TABLE alert_rules ADD COLUMN frequency   TEXT    NOT NULL DEFAULT 'every_time';
ALTER TABLE alert_rules ADD COLUMN window_min  INTEGER NOT NULL DEFAULT 5;
ALTER TABLE alert_rules ADD COLUMN webhook_url TEXT    NOT NULL DEFAULT '';
)sql";

constexpr std::string_view kV5 = R"sql(
-- Version 5. Alert history with its delivery outcomes. The engine's alert ids restart with the process:
-- `epoch` (the process's start, Unix microseconds) names the process, so (epoch, engine_id) names an alert
-- across restarts (0 = written before this version).
ALTER TABLE alerts ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
-- One row per delivery of an alert (webhook, a rule's webhook, Telegram) once it ended.
CREATE TABLE alert_deliveries (
  id        INTEGER PRIMARY KEY,            -- arrival order
  epoch     INTEGER NOT NULL,               -- alerts.epoch of the alert
  engine_id INTEGER NOT NULL,               -- alerts.engine_id of the alert
  date      INTEGER NOT NULL,               -- the alert's exchange date and time
  time      INTEGER NOT NULL,
  channel   TEXT    NOT NULL,               -- webhook | rule_webhook | telegram
  result    TEXT    NOT NULL,               -- delivered | given_up | dropped
  attempts  INTEGER NOT NULL,               -- attempts made (0: never sent)
  status    INTEGER NOT NULL,               -- the last HTTP status (0 = none)
  error     TEXT    NOT NULL,               -- the last problem ('' = none)
  done_ms   INTEGER NOT NULL                -- when it ended, Unix ms (wall clock)
) STRICT;
CREATE INDEX alert_deliveries_by_alert ON alert_deliveries(epoch, engine_id);
CREATE INDEX alert_deliveries_by_date ON alert_deliveries(date);
)sql";

constexpr std::string_view kV6 = R"sql(
-- Version 6. (a) Daily bars for every file: candles_1d joined version 3 after files had already reached it, so
-- such a file has no table (the writer's refresh fails on it). Created where missing and backfilled from the
-- stored minutes, exactly as history_sql.h DailyBarsSql aggregates them; rows already there are kept.
CREATE TABLE IF NOT EXISTS candles_1d (
  symbol      TEXT    NOT NULL,
  date        INTEGER NOT NULL,
  minute      INTEGER NOT NULL,
  open        INTEGER NOT NULL,
  high        INTEGER NOT NULL,
  low         INTEGER NOT NULL,
  close       INTEGER NOT NULL,
  volume      INTEGER NOT NULL,
  buy_vol     INTEGER NOT NULL,
  sell_vol    INTEGER NOT NULL,
  neutral_vol INTEGER NOT NULL,
  value       INTEGER NOT NULL,
  trade_count INTEGER NOT NULL,
  PRIMARY KEY (symbol, date)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO candles_1d
  SELECT symbol, date, 0,
         coalesce(min(CASE WHEN open <> 0 THEN minute * 1000000000000 + open END) % 1000000000000, 0),
         max(high), coalesce(min(CASE WHEN low <> 0 THEN low END), 0),
         coalesce(max(CASE WHEN close <> 0 THEN minute * 1000000000000 + close END) % 1000000000000, 0),
         sum(volume), sum(buy_vol), sum(sell_vol), sum(neutral_vol), sum(value), sum(trade_count)
  FROM candles_1m GROUP BY symbol, date;
-- (b) One symbol's ticks of a day from one index range. The rows of the 30 symbols interleave in rowid
-- (arrival) order, so reading them through (symbol, date, time) cost one table page per tick; this index
-- carries every column the ticks query reads (row_decode.h kTickCols; the rowid, the tie-break of one
-- second, is in every index), and replaces the narrower one it starts with.
CREATE INDEX ticks_by_symbol_day ON ticks(symbol, date, time, price, volume, value, unattributed, side, method,
                                          session, bid, ask, futures);
DROP INDEX ticks_by_symbol_time;
)sql";

constexpr std::string_view kV7 = R"sql(
-- Version 7. Ticks clustered by the key the ticks query reads: a WITHOUT ROWID table whose primary key
-- (symbol, date, time, seq) is one symbol's day as one b-tree range, with no index beside it to maintain (the
-- covering index of version 6 doubled the file and halved the ingest rate). seq orders the ticks of one
-- second in arrival order: the writer assigns it (sqlite_writer.cpp, above every seq stored under the same
-- symbol and second); the ticks already stored keep their rowid, which numbers them in arrival order.
CREATE TABLE ticks_v7 (
  symbol       TEXT    NOT NULL,
  date         INTEGER NOT NULL,            -- yyyymmdd (TradingDate)
  time         INTEGER NOT NULL,            -- seconds since midnight, exchange time
  seq          INTEGER NOT NULL,            -- arrival order among the ticks of one symbol and second
  price        INTEGER NOT NULL,            -- Fixed4 raw (x 10,000): VND, or index points for futures
  volume       INTEGER NOT NULL,            -- shares / contracts of the trade
  value        INTEGER NOT NULL,            -- VND
  unattributed INTEGER NOT NULL DEFAULT 0,  -- volume from missed frames, counted neutral
  side         TEXT    NOT NULL,            -- buy | sell | neutral
  method       TEXT    NOT NULL,            -- exchange | quote | tick | auction | put_through
  session      TEXT    NOT NULL,            -- ATO | LO | BREAK | ATC | PT | C | HALT | ''
  bid          INTEGER NOT NULL,            -- best bid before the trade, Fixed4 raw (0 = none)
  ask          INTEGER NOT NULL,            -- best ask before the trade, Fixed4 raw (0 = none)
  futures      INTEGER NOT NULL,            -- 1 for VN30F contracts
  -- The key's columns lead, in the stored order (SQLite 3.40's integrity_check misreads the NOT NULL
  -- columns of a WITHOUT ROWID table whose key columns are declared out of the stored order).
  PRIMARY KEY (symbol, date, time, seq)
) STRICT, WITHOUT ROWID;
-- In key order (read from the covering index), so the new b-tree is built by appends.
INSERT INTO ticks_v7(symbol, date, time, seq, price, volume, value, unattributed, side, method, session, bid,
                     ask, futures)
  SELECT symbol, date, time, rowid, price, volume, value, unattributed, side, method, session, bid, ask, futures
  FROM ticks ORDER BY symbol, date, time, rowid;
DROP TABLE ticks;
ALTER TABLE ticks_v7 RENAME TO ticks;
)sql";

constexpr std::array<Migration, 7> kMigrations{
    {{1, kV1}, {2, kV2}, {3, kV3}, {4, kV4}, {5, kV5}, {6, kV6}, {7, kV7}}};
static_assert(kMigrations.back().version == kSchemaVersion, "add a migration step for every schema version");

// The recorded version: 0 for a file without schema (no schema_version table, or an empty one), -1 when the
// table exists but cannot be read.
int CurrentVersion(sqlite3* db, bool* has_table = nullptr) {
  internal::Stmt st;
  if (st.Prepare(db, "SELECT max(version) FROM schema_version", false) != SQLITE_OK) {
    if (has_table) *has_table = false;
    return 0;
  }
  if (has_table) *has_table = true;
  return sqlite3_step(st.get()) == SQLITE_ROW ? static_cast<int>(st.ColInt(0)) : -1;
}

}  // namespace

namespace internal {

void Migrate(sqlite3* db, const std::string& path, int target) {
  if (target > kSchemaVersion) target = kSchemaVersion;
  std::string err;
  bool has_table = false;
  const int found = CurrentVersion(db, &has_table);
  if (found < 0)
    throw StoreError("store: cannot read schema_version of '" + path + "': " + sqlite3_errmsg(db));
  if (found > kSchemaVersion) {
    throw StoreError("store: database '" + path + "' has schema version " + std::to_string(found) +
                     ", newer than this build supports (" + std::to_string(kSchemaVersion) +
                     "); upgrade vntracker or point it at another database file");
  }
  if (found >= target) return;  // up to date: nothing is written
  if (!has_table && Exec(db,
                         "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                         "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))) STRICT",
                         &err) != SQLITE_OK) {
    throw StoreError("store: cannot create schema_version in '" + path + "': " + err);
  }
  for (const Migration& m : kMigrations) {
    if (m.version > target) break;
    // IMMEDIATE takes the write lock first, so re-reading the version inside the transaction settles a race
    // with another connection opening the same file.
    if (Exec(db, "BEGIN IMMEDIATE", &err) != SQLITE_OK) {
      throw StoreError("store: cannot lock '" + path + "' to migrate: " + err);
    }
    if (CurrentVersion(db) >= m.version) {
      Exec(db, "COMMIT");
      continue;
    }
    if (Exec(db, m.sql, &err) != SQLITE_OK ||
        Exec(db, "INSERT INTO schema_version(version) VALUES (" + std::to_string(m.version) + ")", &err) !=
            SQLITE_OK ||
        Exec(db, "COMMIT", &err) != SQLITE_OK) {
      Exec(db, "ROLLBACK");
      throw StoreError("store: migration to version " + std::to_string(m.version) + " of '" + path +
                       "' failed: " + err);
    }
  }
}

}  // namespace internal

int ApplyMigrations(const std::string& path, int target) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  internal::Db db(raw);
  if (rc != SQLITE_OK) throw StoreError("store: cannot open database '" + path + "': " + db.ErrorMessage());
  sqlite3_busy_timeout(db.get(), 5000);
  internal::Exec(db.get(), "PRAGMA journal_mode=WAL");
  internal::Migrate(db.get(), path, target);
  return CurrentVersion(db.get());
}

int SchemaVersionOf(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  internal::Db db(raw);
  if (rc != SQLITE_OK) throw StoreError("store: cannot open database '" + path + "': " + db.ErrorMessage());
  return CurrentVersion(db.get());
}

}  // namespace vnt::store
