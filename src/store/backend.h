#pragma once
// What a storage engine implements behind store::Reader and store::Writer: the history queries and rule CRUD
// on a reading connection, and one batch commit on the writer thread. Two implementations: SQLite (a file,
// the embedded default) and PostgreSQL (a server shared by several trackers). Nothing above src/store sees
// which one runs: the location string picks it ("postgresql://..." or a file path).

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/reader.h"
#include "store/rows.h"

namespace vnt::store {

class ReaderBackend {
 public:
  virtual ~ReaderBackend() = default;
  virtual Result<std::vector<CandleRow>> Candles(Symbol symbol, const TimeRange& range) = 0;
  virtual Result<std::vector<CandleRow>> CandlesAggregated(Symbol symbol, CandleInterval interval, Date from,
                                                           Date to, std::int64_t limit) = 0;
  virtual Result<std::vector<TickRow>> Ticks(Symbol symbol, const TimeRange& range) = 0;
  virtual Result<std::vector<ForeignRow>> ForeignHistory(Symbol symbol, const TimeRange& range) = 0;
  virtual Result<std::vector<ForeignRow>> ForeignDaily(Symbol symbol, Date from, Date to) = 0;
  virtual Result<std::vector<IndexRow>> IndexHistory(Symbol id, const TimeRange& range) = 0;
  virtual Result<std::vector<BasisRow>> BasisHistory(Symbol krx_code, const TimeRange& range) = 0;
  virtual Result<std::vector<AlertRow>> Alerts(const TimeRange& range, const AlertFilter& filter) = 0;
  virtual Result<std::vector<DeliveryRow>> AlertDeliveries(const TimeRange& range,
                                                           const AlertFilter& filter) = 0;
  virtual Result<std::vector<StoredRule>> ListRules() = 0;
  virtual Result<std::optional<StoredRule>> GetRule(std::int64_t id) = 0;
  virtual Result<std::int64_t> CreateRule(const core::AlertRule& rule) = 0;
  virtual Result<bool> UpdateRule(const core::AlertRule& rule) = 0;
  virtual Result<bool> DeleteRule(std::int64_t id) = 0;
  virtual Result<std::int64_t> FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn) = 0;
  virtual Result<std::int64_t> PruneFramesBefore(Date keep_from) = 0;
  virtual Result<std::int64_t> PruneHistoryBefore(Date keep_from) = 0;
  virtual Result<std::optional<Date>> LatestTradingDate() = 0;
};

// What one commit attempt did.
struct CommitOutcome {
  bool ok = false;                                   // committed (possibly with rejected rows)
  std::array<std::uint64_t, kTableCount> written{};  // rows committed per table
  std::uint64_t rejected = 0;                        // rows the database refused for their data; skipped
  std::string reject_text;                           // the last such refusal
  std::string error;                                 // why the batch did not commit (retried later)
};

class WriterBackend {
 public:
  virtual ~WriterBackend() = default;
  // Writes the batch in one transaction. On failure nothing of the batch is kept (the caller retries it).
  virtual CommitOutcome Commit(const std::vector<Row>& batch) = 0;
  // A size cap (SQLite's max_page_count; 0 = no cap). Stores without one ignore it.
  virtual void SetMaxPageCount(std::int64_t /*pages*/) {}
};

std::unique_ptr<ReaderBackend> OpenSqliteReader(const std::string& path,
                                                std::chrono::milliseconds busy_timeout);
std::unique_ptr<WriterBackend> OpenSqliteWriter(const struct WriterConfig& cfg);
std::unique_ptr<ReaderBackend> OpenPgReader(const std::string& url);
std::unique_ptr<WriterBackend> OpenPgWriter(const struct WriterConfig& cfg);

}  // namespace vnt::store
