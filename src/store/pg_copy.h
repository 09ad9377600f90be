#pragma once
// Rows in PostgreSQL's binary COPY format: the writer's encoding of every table, shared with the ingest
// benchmark's bare-COPY ceiling so that both send the same bytes.

#include "store/frame_batch.h"
#include "store/pg_conn.h"
#include "store/rows.h"

namespace vnt::store::pg {

// The COPY statement of a table's rows (candles go to the session's staging table, merged afterwards).
const char* CopySql(Table t);
// Appends the row in binary COPY format, its columns as CopySql(TableOf(row)) lists them. Frame rows are not
// encoded one by one: the journal takes them packed (EncodePacked).
void EncodeRow(CopyEncoder& e, const store::Row& row);
// Appends one packed journal batch (the COPY of Table::kFrames).
void EncodePacked(CopyEncoder& e, const PackedFrames& p);

}  // namespace vnt::store::pg
