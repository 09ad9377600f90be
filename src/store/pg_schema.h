#pragma once
// The PostgreSQL schema: the SQLite store's tables with the same columns and meanings (see schema.cpp), the
// high-rate ones (ticks, per-second foreign/index/basis snapshots, the frame journal) partitioned by trading
// date, one partition per day, created ahead of need and dropped whole for retention. A day's ticks partition
// is itself partitioned by the exchange time into slices (schema 7), indexed one by one as the day goes on.

#include <cstdint>
#include <string>

#include "core/types.h"
#include "store/pg_conn.h"

namespace vnt::store::pg {

// Schema version of this build (the PostgreSQL migrations count on their own).
// 5 = covering indexes of ticks, futures_basis, candles_1m; 6 = a ticks partition is indexed once its date
// is finished (IndexFinishedPartitions), not while it is written; 7 = a day's ticks partition is split into
// time slices, each indexed once a later slice has rows
inline constexpr int kPgSchemaVersion = 7;

// The start (seconds of the day) of the ticks slice that holds time `t`: 0 for the slice before the open
// (from MINVALUE, an invalid time included), then the half hours of the sessions (09:00-09:30 and
// 14:00-14:30 in quarters; 11:30-13:00 and 14:30-15:00 one slice each), 54,000 (15:00) for the one after the
// close (to MAXVALUE).
int TickSliceStart(TimeOfDay t);

// Applies the missing migrations in one transaction under an advisory lock, so two trackers starting
// together do not race. Throws StoreError (password redacted) when the database cannot be migrated, is newer
// than this build, or the role lacks the rights.
// `up_to` stops at an earlier version (tests make databases of an older schema with it).
void Migrate(Conn& conn, const std::string& url_for_errors, int up_to = kPgSchemaVersion);

// Creates the day's partitions of every partitioned table (and of the next business day, ahead of need)
// and lists the day in trading_days; false with *error. A new ticks partition is partitioned by time into
// the slices of TickSliceStart (`ticks_YYYYMMDD_HHMM`), none with an index (see IndexFinishedPartitions); a
// day partition that exists already unsliced (made before schema 7) is left as it is.
bool EnsurePartitions(Conn& conn, Date date, std::string* error);

// Builds the covering index of the ticks query (symbol, date, time, id INCLUDE the columns it reads) on
// every ticks table that holds rows (a slice, or an unsliced day partition) finished once `newest` has data
// and that has no index: the slices of earlier days, and of newest.date those before the slice of
// newest.time (an invalid time: none of that day); the unsliced partitions dated before newest.date. Then
// VACUUM ANALYZE of it. Each in its own transaction (the connection must not be inside one). Returns how
// many it built, -1 with *error. The writer calls it at its start and whenever a batch brings a trading date
// or a ticks slice later than any it had written.
int IndexFinishedPartitions(Conn& conn, ExchangeTime newest, std::string* error);

// Drops the partitions of the partitioned table `table` for trading dates before `keep_from`; returns what
// `count_expr` counts in them (rows; for the journal, sum(count) = frames), -1 with *error.
std::int64_t DropPartitionsBefore(Conn& conn, const std::string& table, Date keep_from, std::string* error,
                                  const std::string& count_expr = "count(*)");

}  // namespace vnt::store::pg
