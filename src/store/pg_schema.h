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
inline constexpr int kPgSchemaVersion = 5;  // 5 = covering indexes of ticks, futures_basis, candles_1m

// Applies the missing migrations in one transaction under an advisory lock, so two trackers starting
// together do not race. Throws StoreError (password redacted) when the database cannot be migrated, is newer
// than this build, or the role lacks the rights.
void Migrate(Conn& conn, const std::string& url_for_errors);

// Creates the day's partitions of every partitioned table (and of the next day, ahead of need); false
// with *error.
bool EnsurePartitions(Conn& conn, Date date, std::string* error);

// Drops the partitions of the partitioned table `table` for trading dates before `keep_from`; returns what
// `count_expr` counts in them (rows; for the journal, sum(count) = frames), -1 with *error.
std::int64_t DropPartitionsBefore(Conn& conn, const std::string& table, Date keep_from, std::string* error,
                                  const std::string& count_expr = "count(*)");

}  // namespace vnt::store::pg
