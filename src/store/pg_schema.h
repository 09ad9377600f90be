#pragma once
// The PostgreSQL schema: the SQLite store's tables with the same columns and meanings (see schema.cpp), the
// high-rate ones (ticks, per-second foreign/index/basis snapshots, the frame journal) partitioned by trading
// date, one partition per day, created ahead of need and dropped whole for retention.

#include <cstdint>
#include <string>

#include "core/types.h"
#include "store/pg_conn.h"

namespace vnt::store::pg {

// Schema version of this build (the PostgreSQL migrations count on their own).
// 5 = covering indexes of ticks, futures_basis, candles_1m; 6 = a ticks partition is indexed once its date
// is finished (IndexFinishedPartitions), not while it is written
inline constexpr int kPgSchemaVersion = 6;

// Applies the missing migrations in one transaction under an advisory lock, so two trackers starting
// together do not race. Throws StoreError (password redacted) when the database cannot be migrated, is newer
// than this build, or the role lacks the rights.
void Migrate(Conn& conn, const std::string& url_for_errors);

// Creates the day's partitions of every partitioned table (and of the next business day, ahead of need)
// and lists the day in trading_days; false with *error. A new ticks partition has no index (see
// IndexFinishedPartitions).
bool EnsurePartitions(Conn& conn, Date date, std::string* error);

// Builds the covering index of the ticks query (symbol, date, time, id INCLUDE the columns it reads) on
// every ticks partition dated before `newest` that has no index: the days finished once `newest` has data
// (then VACUUM ANALYZE of the partition). Each in its own transaction (the connection must not be inside
// one). Returns how many it built, -1 with *error. The writer calls it at its start and whenever a batch
// brings a trading date it had not seen.
int IndexFinishedPartitions(Conn& conn, Date newest, std::string* error);

// Drops the partitions of the partitioned table `table` for trading dates before `keep_from`; returns what
// `count_expr` counts in them (rows; for the journal, sum(count) = frames), -1 with *error.
std::int64_t DropPartitionsBefore(Conn& conn, const std::string& table, Date keep_from, std::string* error,
                                  const std::string& count_expr = "count(*)");

}  // namespace vnt::store::pg
