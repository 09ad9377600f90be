#pragma once
// The history store as `serve` uses it: open (migrations), load the rules, rebuild today's state from the
// frame journal (older journals are pruned by store::Maintenance, at start and at each new trading date);
// its metrics and its /health state.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "core/engine.h"
#include "pipeline/pipeline.h"
#include "server/metrics.h"
#include "store/reader.h"
#include "store/writer.h"

namespace vnt::app {

struct OpenedStore {
  std::string location;  // the file path or PostgreSQL URL
  std::unique_ptr<store::Writer> writer;
  std::unique_ptr<store::Reader> reader;
  Date restored_date;  // the trading date rebuilt from the journal (invalid when none)
};

// Opens `db` ("sqlite:PATH" or "postgresql://..."), loads the stored rules into the engine and replays the
// latest day's journal through `pipe` (attach the sinks that must not see the replay afterwards). Rows wait
// in memory up to `buffer_rows` while the database is slow or down. nullopt when the store cannot be used:
// the reason is logged (a password never is).
std::optional<OpenedStore> OpenStore(const std::string& db, std::size_t buffer_rows,
                                     core::MarketEngine& engine, pipeline::Pipeline& pipe);

// What RestoreLatestDay replayed: the day (none when the store holds no day) and its frames.
struct RestoredDay {
  Date date;
  std::int64_t frames = 0;
};
// Replays the journal of the latest stored trading date through the pipeline; an error (kIo, the store's
// reason) on a read failure.
Result<RestoredDay> RestoreLatestDay(store::Reader& reader, pipeline::Pipeline& pipe);

// vnt_store_* series read from the writer's counters (`writer` must outlive the registry's use).
void RegisterStoreMetrics(server::Registry& metrics, const store::Writer& writer);

// "ok", "none" or "degraded: why" for /health.
std::string StoreState(const store::Writer* writer);

}  // namespace vnt::app
