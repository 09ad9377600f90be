#include "store/pg_schema.h"

#include <array>
#include <cstdio>
#include <functional>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "store/location.h"
#include "store/schema.h"

namespace vnt::store::pg {

namespace {

// Arbitrary constants naming the tracker's advisory locks (one for migrations, one for partition DDL).
constexpr std::int64_t kMigrationLock = 0x766E74'6D6967;  // "vnt mig"
constexpr std::int64_t kPartitionLock = 0x766E74'706172;  // "vnt par"
constexpr std::int64_t kIndexLock = 0x766E74'696478;      // "vnt idx"

// The covering index of a finished day's ticks partition (version 5's ticks_by_symbol_day, per partition).
constexpr std::string_view kTicksIndexColumns =
    "(symbol, date, time, id) INCLUDE (price, volume, value, unattributed, side, method, session, bid, ask, "
    "futures)";

// Same columns, units and meanings as the SQLite schema (schema.cpp). Differences: integers are bigint
// (date, time and minute integer), REAL is double precision, the journal is kept in compressed batches only
// (frame_batch.h; bytea: a feed frame is kept byte for byte, even when it is not valid UTF-8), rows of the
// partitioned tables carry an `id` from a sequence (arrival order, SQLite's rowid), and `trading_days` lists
// the days with data. Symbol columns use the "C" collation: byte order as SQLite's BINARY, and a third faster
// to index than a locale's (measured: 121k -> 155k rows/s into ticks).
constexpr std::string_view kV1 = R"sql(
CREATE SEQUENCE ticks_id_seq CACHE 1000;
CREATE TABLE ticks (
  id           bigint  NOT NULL DEFAULT nextval('ticks_id_seq'),
  symbol       text COLLATE "C" NOT NULL,
  date         integer NOT NULL,
  time         integer NOT NULL,
  price        bigint  NOT NULL,
  volume       bigint  NOT NULL,
  value        bigint  NOT NULL,
  unattributed bigint  NOT NULL DEFAULT 0,
  side         text    NOT NULL,
  method       text    NOT NULL,
  session      text    NOT NULL,
  bid          bigint  NOT NULL,
  ask          bigint  NOT NULL,
  futures      integer NOT NULL
) PARTITION BY RANGE (date);
CREATE INDEX ticks_by_symbol_time ON ticks(symbol, date, time, id);

CREATE TABLE candles_1m (
  symbol      text COLLATE "C" NOT NULL,
  date        integer NOT NULL,
  minute      integer NOT NULL,
  open        bigint  NOT NULL,
  high        bigint  NOT NULL,
  low         bigint  NOT NULL,
  close       bigint  NOT NULL,
  volume      bigint  NOT NULL,
  buy_vol     bigint  NOT NULL,
  sell_vol    bigint  NOT NULL,
  neutral_vol bigint  NOT NULL,
  value       bigint  NOT NULL,
  trade_count bigint  NOT NULL,
  PRIMARY KEY (symbol, date, minute)
);

CREATE TABLE candles_1d (LIKE candles_1m INCLUDING ALL);

CREATE SEQUENCE foreign_snapshots_id_seq CACHE 1000;
CREATE TABLE foreign_snapshots (
  id            bigint  NOT NULL DEFAULT nextval('foreign_snapshots_id_seq'),
  symbol        text COLLATE "C" NOT NULL,
  date          integer NOT NULL,
  time          integer NOT NULL,
  buy_vol       bigint  NOT NULL,
  sell_vol      bigint  NOT NULL,
  buy_val       bigint  NOT NULL,
  sell_val      bigint  NOT NULL,
  total_room    bigint,
  current_room  bigint,
  net_speed_vol double precision NOT NULL,
  net_speed_val double precision NOT NULL,
  net_accel_vol double precision NOT NULL,
  net_accel_val double precision NOT NULL
) PARTITION BY RANGE (date);
CREATE INDEX foreign_by_symbol_time ON foreign_snapshots(symbol, date, time, id);

CREATE SEQUENCE index_snapshots_id_seq CACHE 1000;
CREATE TABLE index_snapshots (
  id             bigint  NOT NULL DEFAULT nextval('index_snapshots_id_seq'),
  index_id       text COLLATE "C" NOT NULL,
  date           integer NOT NULL,
  time           integer NOT NULL,
  value          bigint  NOT NULL,
  change         bigint  NOT NULL,
  change_pct     double precision NOT NULL,
  advances       bigint  NOT NULL,
  declines       bigint  NOT NULL,
  no_changes     bigint  NOT NULL,
  ceilings       bigint  NOT NULL,
  floors         bigint  NOT NULL,
  total_trade    bigint  NOT NULL,
  total_qtty     bigint  NOT NULL,
  total_value    bigint  NOT NULL,
  total_qtty_pt  bigint  NOT NULL,
  total_value_pt bigint  NOT NULL,
  all_qty        bigint  NOT NULL,
  all_value      bigint  NOT NULL,
  session        text    NOT NULL
) PARTITION BY RANGE (date);
CREATE INDEX index_by_id_time ON index_snapshots(index_id, date, time, id);

CREATE SEQUENCE futures_basis_id_seq CACHE 1000;
CREATE TABLE futures_basis (
  id          bigint  NOT NULL DEFAULT nextval('futures_basis_id_seq'),
  krx_code    text COLLATE "C" NOT NULL,
  legacy_code text COLLATE "C" NOT NULL,
  date        integer NOT NULL,
  time        integer NOT NULL,
  last        bigint  NOT NULL,
  spot        bigint  NOT NULL,
  basis       bigint  NOT NULL,
  basis_pct   double precision NOT NULL,
  fair_basis  double precision NOT NULL,
  volume      bigint  NOT NULL
) PARTITION BY RANGE (date);
CREATE INDEX basis_by_contract_time ON futures_basis(krx_code, date, time, id);

CREATE TABLE alerts (
  id        bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  engine_id bigint  NOT NULL,
  type      text    NOT NULL,
  severity  text    NOT NULL,
  symbol    text COLLATE "C" NOT NULL,
  rule_id   bigint  NOT NULL,
  message   text    NOT NULL,
  value     double precision NOT NULL,
  threshold double precision NOT NULL,
  date      integer NOT NULL,
  time      integer NOT NULL
);
CREATE INDEX alerts_by_time ON alerts(date, time, id);

CREATE TABLE alert_rules (
  id           bigint  PRIMARY KEY,
  name         text    NOT NULL DEFAULT '',
  metric       text    NOT NULL,
  symbol       text COLLATE "C" NOT NULL,
  comparison   text    NOT NULL,
  threshold    double precision NOT NULL,
  cooldown_sec bigint  NOT NULL,
  enabled      integer NOT NULL,
  severity     text    NOT NULL,
  created_at   text    NOT NULL
               DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

CREATE SEQUENCE frame_batches_id_seq CACHE 1000;
CREATE TABLE frame_batches (
  id        bigint  NOT NULL DEFAULT nextval('frame_batches_id_seq'),
  date      integer NOT NULL,
  first_seq bigint  NOT NULL,
  count     bigint  NOT NULL,
  raw_bytes bigint  NOT NULL,
  data      bytea   NOT NULL
) PARTITION BY RANGE (date);
CREATE INDEX frame_batches_by_date ON frame_batches(date, id);

CREATE TABLE trading_days (date integer PRIMARY KEY);
)sql";

struct Migration {
  int version;
  std::string_view sql;
};
// Version 2: structured alerts and richer rules (as SQLite's version 4).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE alerts ADD COLUMN contract   text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN alias      text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN rule_name  text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN metric     text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN unit       text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN direction  text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN comparison text    NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN window_sec integer NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN details    text    NOT NULL DEFAULT '';
ALTER TABLE alert_rules ADD COLUMN frequency   text    NOT NULL DEFAULT 'every_time';
ALTER TABLE alert_rules ADD COLUMN window_min  integer NOT NULL DEFAULT 5;
ALTER TABLE alert_rules ADD COLUMN webhook_url text    NOT NULL DEFAULT '';
)sql";

// Version 3: delivery outcomes and the process epoch of alerts (as SQLite's version 5).
constexpr std::string_view kV3 = R"sql(
ALTER TABLE alerts ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
CREATE TABLE alert_deliveries (
  id        bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  epoch     bigint  NOT NULL,
  engine_id bigint  NOT NULL,
  date      integer NOT NULL,
  time      integer NOT NULL,
  channel   text    NOT NULL,
  result    text    NOT NULL,
  attempts  integer NOT NULL,
  status    integer NOT NULL,
  error     text    NOT NULL,
  done_ms   bigint  NOT NULL
);
CREATE INDEX alert_deliveries_by_alert ON alert_deliveries(epoch, engine_id, id);
CREATE INDEX alert_deliveries_by_date ON alert_deliveries(date);
)sql";

// Version 4: candles_1d for every database. It joined version 1 after databases had already reached it, so
// such a database has no table; created where missing and backfilled from the stored minutes (as
// history_sql.h DailyBarsSql aggregates them), rows already there kept.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE IF NOT EXISTS candles_1d (LIKE candles_1m INCLUDING ALL);
INSERT INTO candles_1d(symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count)
  SELECT symbol, date, 0,
         coalesce(min(CASE WHEN open <> 0 THEN minute * 1000000000000 + open END) % 1000000000000, 0),
         max(high), coalesce(min(CASE WHEN low <> 0 THEN low END), 0),
         coalesce(max(CASE WHEN close <> 0 THEN minute * 1000000000000 + close END) % 1000000000000, 0),
         sum(volume), sum(buy_vol), sum(sell_vol), sum(neutral_vol), sum(value), sum(trade_count)
  FROM candles_1m GROUP BY symbol, date
  ON CONFLICT DO NOTHING;
)sql";

// Version 5: the history queries of one symbol (or contract) from the index alone. The rows of a day
// interleave every symbol in arrival order, so reading one symbol through its key fetched table pages all
// over the day (EXPLAIN ANALYZE at 250 trading days: VNM's 4,721 ticks of a day, a bitmap heap scan of 2,377
// pages and a sort, 203 ms; its 5,198 minutes of a month, 876 pages, 100 ms; the front contract's 10,000
// basis rows, 495 pages). The same keys carrying every column the queries read (row_decode.h) serve them by
// index-only scans in order, no sort (the same ticks: 76 pages, 3.5 ms; the minutes: 82 pages, 7 ms), once
// the rows are all-visible (VACUUM: autovacuum does it for the insert-only partitions of past days). On the
// partitioned tables the covering index replaces the narrower one, a prefix of it (a partitioned index is
// created on, and dropped from, every partition); candles_1m keeps its primary key, the writer's ON CONFLICT
// target. Cost: about 3x the ticks index's size (bench/RESULTS.md), and a migration that builds them once.
constexpr std::string_view kV5 = R"sql(
CREATE INDEX ticks_by_symbol_day ON ticks(symbol, date, time, id)
  INCLUDE (price, volume, value, unattributed, side, method, session, bid, ask, futures);
DROP INDEX ticks_by_symbol_time;
CREATE INDEX basis_by_contract_day ON futures_basis(krx_code, date, time, id)
  INCLUDE (legacy_code, last, spot, basis, basis_pct, fair_basis, volume);
DROP INDEX basis_by_contract_time;
CREATE INDEX candles_by_symbol_day ON candles_1m(symbol, date, minute)
  INCLUDE (open, high, low, close, volume, buy_vol, sell_vol, neutral_vol, value, trade_count);
)sql";

// Version 6: the live trading date's ticks partition carries no index while it is written. The covering
// index of version 5 costs the server most of its COPY time (1 M tick rows, same run: writer 75k rows/s with
// it, 256k without; bench/RESULTS.md): one btree insert per row, the rows of every symbol interleaved. Each
// partition now gets the same index of its own once its date is finished (IndexFinishedPartitions, run by the
// writer when a newer trading date appears and at its start), built in one sorted pass, which also packs it
// full (schema 5's row by row fill left it about half empty). A partitioned index on the parent cannot have a
// partition without it, so the parent's index goes: every partition is detached (its index stays, as an index
// of its own), the parent index dropped, the partition attached back (a scan of it checks its date bound).
// The partitions not written yet (created ahead of need) lose their index; the one being written keeps it.
// The ticks of the live day are read by a scan of that day's partition (bench/RESULTS.md: its cost).
// Also: foreign_daily, the last foreign snapshot of each (symbol, trading date), the row the foreign daily
// summary serves (its LATERAL probe per day over foreign_snapshots planned every partition: p99 51-90 ms for
// a year); kept by the writer from the stored snapshots at each commit, backfilled here.
constexpr std::string_view kV6 = R"sql(
DO $$
DECLARE
  p record;
  ix record;
  parts text[] := '{}';
  bounds text[] := '{}';
  i integer;
  empty boolean;
BEGIN
  FOR p IN SELECT c.oid::regclass::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
           FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
           WHERE h.inhparent = 'ticks'::regclass ORDER BY 1
  LOOP
    EXECUTE format('ALTER TABLE ticks DETACH PARTITION %s', p.name);
    parts := parts || p.name;
    bounds := bounds || p.bound;
  END LOOP;
  DROP INDEX ticks_by_symbol_day;
  FOR i IN 1 .. coalesce(array_length(parts, 1), 0) LOOP
    EXECUTE format('ALTER TABLE ticks ATTACH PARTITION %s %s', parts[i], bounds[i]);
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %s)', parts[i]) INTO empty;
    IF empty THEN
      FOR ix IN SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = parts[i]::regclass LOOP
        EXECUTE format('DROP INDEX %s', ix.name);
      END LOOP;
    END IF;
  END LOOP;
END $$;

CREATE TABLE foreign_daily (LIKE foreign_snapshots, PRIMARY KEY (symbol, date));
INSERT INTO foreign_daily
  SELECT DISTINCT ON (symbol, date) * FROM foreign_snapshots ORDER BY symbol, date, time DESC, id DESC;
)sql";

// The ticks slices of a trading day (schema 7): their starts, seconds of the day. The first runs from
// MINVALUE (the derivatives' pre-open from 08:45, an invalid time), the last to MAXVALUE (after the close).
// Half hours while the market trades, quarters for the busiest ones (the open, and the half hour before the
// closing auction: intraday volume is U-shaped), so that the slice being written holds at most about an
// eighth of a day's ticks (the rest of the day is read from the slices' indexes); the lunch break and the
// closing auction with the put-through half hour one slice each. 14 leaves per day: the rows of one COPY go
// almost all to one (tuple routing costs little), and fewer than the 32 leaves PostgreSQL 15's COPY keeps
// buffers for.
constexpr std::array<int, 14> kTickSliceStarts{0,
                                               9 * 3600,
                                               9 * 3600 + 900,
                                               9 * 3600 + 1800,
                                               10 * 3600,
                                               10 * 3600 + 1800,
                                               11 * 3600,
                                               11 * 3600 + 1800,
                                               13 * 3600,
                                               13 * 3600 + 1800,
                                               14 * 3600,
                                               14 * 3600 + 900,
                                               14 * 3600 + 1800,
                                               15 * 3600};

// "HHMM" of a slice start: the suffix of its table's name.
std::string SliceSuffix(int start) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02d", start / 3600 % 100, start / 60 % 60);
  return buf;
}

// The statements that create the slices of a sliced day partition, each made by `make` from the slice's
// name suffix ("0930") and its bounds ("FOR VALUES FROM (34200) TO (36000)"): a plain statement, or an
// EXECUTE of a PL/pgSQL string.
std::string SlicesSql(
    const std::function<std::string(const std::string& suffix, const std::string& bounds)>& make) {
  std::string sql;
  for (std::size_t i = 0; i < kTickSliceStarts.size(); ++i) {
    const std::string from = i == 0 ? "MINVALUE" : std::to_string(kTickSliceStarts[i]);
    const std::string to =
        i + 1 == kTickSliceStarts.size() ? "MAXVALUE" : std::to_string(kTickSliceStarts[i + 1]);
    sql += make(SliceSuffix(kTickSliceStarts[i]), "FOR VALUES FROM (" + from + ") TO (" + to + ")");
  }
  return sql;
}

// Version 7: each trading day's ticks partition is partitioned by RANGE (time) into the slices above. Schema
// 6 left the live day's partition without an index (ingest at the speed of a bare COPY), so its ticks were
// read by a scan of the whole day (p50/p99 67/116 ms at 194k rows, bench/RESULTS.md). Now the writer builds
// the covering index on each slice once a later slice has rows (IndexFinishedPartitions), so a query of the
// live day reads the finished slices from their indexes and scans the current slice only. The day partitions
// that already have their index (finished days) stay as they are: a partitioned table mixes plain and sliced
// partitions. Those without (the live day's, the ones created ahead of need, a day whose index was never
// built) are made again sliced, their rows (ids kept) moved into the slices: about a day's ticks at most,
// a second or two, under the migration's lock.
std::string V7Sql() {
  return R"sql(
DO $$
DECLARE
  p record;
  cols text := 'id, symbol, date, time, price, volume, value, unattributed, side, method, session, bid, ask, '
               || 'futures';
BEGIN
  FOR p IN SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
           FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
           WHERE h.inhparent = 'ticks'::regclass AND c.relkind = 'r' AND c.relname ~ '^ticks_[0-9]{8}$'
             AND NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indnatts > 1)
           ORDER BY 1
  LOOP
    EXECUTE format('ALTER TABLE ticks DETACH PARTITION %s', p.name);
    EXECUTE format('ALTER TABLE %s RENAME TO %s_v6', p.name, p.name);
    EXECUTE format('CREATE TABLE %s PARTITION OF ticks %s PARTITION BY RANGE (time)', p.name, p.bound);
)sql" + SlicesSql([](const std::string& suffix, const std::string& bounds) {
           return "    EXECUTE format('CREATE TABLE %s_" + suffix + " PARTITION OF %s " + bounds +
                  "', p.name, p.name);\n";
         }) +
         R"sql(    EXECUTE format('INSERT INTO %s SELECT %s FROM %s_v6 ORDER BY id', p.name, cols, p.name);
    EXECUTE format('DROP TABLE %s_v6', p.name);
  END LOOP;
END $$;
)sql";
}

struct Step {
  int version;
  std::string sql;
};
std::vector<Step> Migrations() {
  std::vector<Step> steps;
  for (const Migration& m : {Migration{1, kV1}, Migration{2, kV2}, Migration{3, kV3}, Migration{4, kV4},
                             Migration{5, kV5}, Migration{6, kV6}})
    steps.push_back({m.version, std::string(m.sql)});
  steps.push_back({7, V7Sql()});
  return steps;
}
static_assert(kPgSchemaVersion == 7, "a migration step for every schema version (Migrations)");

constexpr std::array<std::string_view, 5> kPartitioned{"ticks", "foreign_snapshots", "index_snapshots",
                                                       "futures_basis", "frame_batches"};

}  // namespace

void Migrate(Conn& conn, const std::string& url, int up_to) {
  std::string err;
  const auto fail = [&](const std::string& what) {
    std::string ignored;
    conn.Exec("ROLLBACK", &ignored);
    throw StoreError("store: " + what + " in " + RedactLocation(url) + ": " + err);
  };
  if (!conn.Exec("BEGIN", &err)) fail("cannot begin the migration");
  if (!conn.Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")", &err))
    fail("cannot take the migration lock");
  if (!conn.Exec("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
                 "applied_at timestamptz NOT NULL DEFAULT now())",
                 &err)) {
    fail("cannot create schema_version (does the role have CREATE on the database's schema?)");
  }
  ResultPtr r = conn.Query("SELECT coalesce(max(version), 0) FROM schema_version", {}, &err);
  if (!r) fail("cannot read schema_version");
  const int found = static_cast<int>(Row(r.get(), 0).ColInt(0));
  if (found > kPgSchemaVersion) {
    err = "schema version " + std::to_string(found) + " is newer than this build supports (" +
          std::to_string(kPgSchemaVersion) + "); upgrade vntracker or use another database";
    fail("refusing the database");
  }
  for (const Step& m : Migrations()) {
    if (m.version <= found || m.version > up_to) continue;
    if (!conn.Exec(m.sql, &err) ||
        !conn.Exec("INSERT INTO schema_version(version) VALUES (" + std::to_string(m.version) + ")", &err)) {
      fail("migration to version " + std::to_string(m.version) + " failed");
    }
  }
  if (!conn.Exec("COMMIT", &err)) fail("cannot commit the migration");
}

bool EnsurePartitions(Conn& conn, Date date, std::string* error) {
  // One lock for partition DDL: two trackers creating the same day's partitions wait for each other
  // instead of failing on the catalog's unique index (IF NOT EXISTS alone does not settle that race).
  std::string sql = "SELECT pg_advisory_xact_lock(" + std::to_string(kPartitionLock) + ");";
  // Ahead of need: the next business day's (a Friday's next is Monday's, not Saturday's: a weekend or
  // holiday partition would stay empty, one more for every query of a date range to plan over).
  for (const Date d : {date, core::HolidayCalendar::Vietnam().NextBusinessDay(date)}) {
    const std::string from = std::to_string(d.ymd), to = std::to_string(d.ymd + 1);
    for (std::string_view t : kPartitioned) {
      const bool ticks = t == "ticks";
      const std::string day = std::string(t) + "_" + from;
      sql += "CREATE TABLE IF NOT EXISTS " + day + " PARTITION OF " + std::string(t) + " FOR VALUES FROM (" +
             from + ") TO (" + to + ")" + (ticks ? " PARTITION BY RANGE (time);" : ";");
      if (!ticks) continue;
      // The slices, when the day partition is sliced (one made before schema 7 is not, and stays so).
      sql += "DO $$BEGIN IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('" + day +
             "')) = 'p' THEN " + SlicesSql([&](const std::string& suffix, const std::string& bounds) {
               return "CREATE TABLE IF NOT EXISTS " + day + "_" + suffix + " PARTITION OF " + day + " " +
                      bounds + ";";
             }) +
             " END IF; END$$;";
    }
  }
  sql += "INSERT INTO trading_days(date) VALUES (" + std::to_string(date.ymd) + ") ON CONFLICT DO NOTHING;";
  return conn.Exec(sql, error);
}

int TickSliceStart(TimeOfDay t) {
  int start = kTickSliceStarts.front();
  for (const int s : kTickSliceStarts) {
    if (t.sec >= s) start = s;
  }
  return start;
}

int IndexFinishedPartitions(Conn& conn, ExchangeTime newest, std::string* error) {
  // The tables of ticks that hold rows (slices, and day partitions made before schema 7) without the
  // covering index (no index of more than one column): the slice being written, those of the days created
  // ahead of need, and finished ones whose index was not built yet (the tracker stopped before a later slice
  // came). (A narrow index of the symbol alone on the live day was measured and not kept: server-side COPY
  // of 970k rows 3.2-4.4 s without, 8.6-9.6 s with it, 15.9-17.4 s with the covering one; bench/RESULTS.md.)
  ResultPtr r = conn.Query(
      "SELECT c.relname FROM pg_partition_tree('ticks') t JOIN pg_class c ON c.oid = t.relid "
      "WHERE t.isleaf AND NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indnatts > 1) "
      "ORDER BY c.relname",
      {}, error);
  if (!r) return -1;
  const int newest_slice = TickSliceStart(newest.time);
  int built = 0;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    // ticks_YYYYMMDD (a day partition) or ticks_YYYYMMDD_HHMM (a slice of it)
    const std::string name(Row(r.get(), i).ColText(0));
    const bool slice = name.size() == 19 && name[14] == '_';
    if ((name.size() != 14 && !slice) || name.compare(0, 6, "ticks_") != 0) continue;
    const std::string digits = name.substr(6, 8) + (slice ? name.substr(15) : "");
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const int date = std::stoi(name.substr(6, 8));
    const int start = slice ? std::stoi(name.substr(15, 2)) * 3600 + std::stoi(name.substr(17, 2)) * 60 : 0;
    // A day partition is finished with its date; a slice also when a later slice of its date has rows.
    const bool finished =
        date < newest.date.ymd || (slice && date == newest.date.ymd && start < newest_slice);
    if (!finished) continue;
    // One transaction per table, under a lock of its own: two trackers finishing the same slice build the
    // index once (the second finds it there), and neither holds up the other's partition DDL.
    std::string ignored;
    if (!conn.Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kIndexLock) +
                       "); CREATE INDEX IF NOT EXISTS " + name + "_by_symbol_day ON " + name + " " +
                       std::string(kTicksIndexColumns) + "; COMMIT",
                   error)) {
      conn.Exec("ROLLBACK", &ignored);
      return -1;
    }
    // Every row of it visible to all, so that the index answers alone (autovacuum of an insert-only table
    // leaves the last inserts until another 20 % of rows come, which they do not), and the planner's
    // statistics of it.
    if (!conn.Exec("VACUUM (ANALYZE) " + name, error)) return -1;
    ++built;
  }
  return built;
}

std::int64_t DropPartitionsBefore(Conn& conn, const std::string& table, Date keep_from, std::string* error,
                                  const std::string& count_expr) {
  ResultPtr r = conn.Query(
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
      "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 ORDER BY c.relname",
      {table}, error);
  if (!r) return -1;
  std::int64_t dropped = 0;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    const std::string name(Row(r.get(), i).ColText(0));
    const std::string suffix = name.substr(table.size() + 1);
    if (name.size() != table.size() + 9 || suffix.find_first_not_of("0123456789") != std::string::npos)
      continue;
    if (std::stoi(suffix) >= keep_from.ymd) continue;
    // The row count is what the caller reports (as SQLite's DELETE does); the drop itself is instant.
    ResultPtr count = conn.Query("SELECT coalesce(" + count_expr + ", 0) FROM " + name, {}, error);
    if (!count || !conn.Exec("DROP TABLE IF EXISTS " + name, error)) return -1;
    dropped += Row(count.get(), 0).ColInt(0);
  }
  return dropped;
}

}  // namespace vnt::store::pg
