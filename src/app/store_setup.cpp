#include "app/store_setup.h"

#include <chrono>
#include <filesystem>

#include "app/store_glue.h"
#include "common/log.h"
#include "store/location.h"

namespace vnt::app {

std::optional<OpenedStore> OpenStore(const std::string& db, std::size_t buffer_rows,
                                     core::MarketEngine& engine, pipeline::Pipeline& pipe) {
  OpenedStore s;
  const bool pg = store::IsPostgresUrl(db);
  const std::string path = pg ? db : db.substr(7);  // a PostgreSQL URL, or the file after "sqlite:"
  s.location = path;
  try {
    if (!pg) {
      const std::filesystem::path dir = std::filesystem::path(path).parent_path();
      if (!dir.empty()) std::filesystem::create_directories(dir);
    }
    store::WriterConfig wc;
    wc.path = path;
    wc.queue_capacity = buffer_rows;
    wc.on_health_change = [](bool healthy, const std::string& reason) {
      if (healthy)
        LogInfo("store: recovered: " + reason);
      else
        LogError("store: degraded, rows are kept in memory and retried: " + reason);
    };
    wc.on_drop = [](const std::string& reason) {
      LogError("store: " + reason + " (vnt_store_rows_dropped_total)");
    };
    s.writer = std::make_unique<store::Writer>(wc);
    s.reader = std::make_unique<store::Reader>(path);
  } catch (const std::exception& e) {
    const std::string what = e.what();  // StoreError says "store: ..." (any password redacted)
    LogError(what.rfind("store:", 0) == 0 ? what : "store: " + what);
    return std::nullopt;
  }
  const Result<int> loaded = LoadRules(*s.reader, engine);
  if (!loaded) LogWarning("store: rules not loaded: " + loaded.error().message);
  const int rules = loaded.value_or(-1);
  const auto t0 = std::chrono::steady_clock::now();
  const auto restored = RestoreLatestDay(*s.reader, pipe);
  if (!restored) {
    LogError("store: restore failed: " + restored.error().message);
    return std::nullopt;
  }
  s.restored_date = restored->date;
  const std::int64_t frames = restored->frames;
  if (frames > 0) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    LogInfo("store: restored " + ToString(s.restored_date) + " from " + std::to_string(frames) +
            " journaled frames in " + std::to_string(ms) + " ms (" + std::to_string(rules) + " rules)");
  }
  LogInfo(std::string("store: ") + (pg ? "postgresql " : "sqlite ") + store::RedactLocation(path));
  return s;
}

Result<RestoredDay> RestoreLatestDay(store::Reader& reader, pipeline::Pipeline& pipe) {
  auto latest = reader.LatestTradingDate();
  if (!latest.ok()) return Error{ErrorCode::kIo, latest.error};
  RestoredDay day;
  if (!latest.value) return day;
  day.date = *latest.value;
  auto res = reader.FramesOfDay(*latest.value, [&](const store::FrameView& f) {
    pipe.Push(std::string_view(f.text));
    return true;
  });
  if (!res.ok()) return Error{ErrorCode::kIo, res.error};
  day.frames = res.value;
  return day;
}

void RegisterStoreMetrics(server::Registry& metrics, const store::Writer& writer) {
  metrics.Declare("vnt_store_rows_written_total", "counter", "Rows committed to the store, by table.");
  metrics.Declare("vnt_store_rows_dropped_total", "counter",
                  "Rows refused by a full store queue (never silent).");
  metrics.Declare("vnt_store_queue_depth", "gauge", "Rows accepted and not yet committed.");
  metrics.Declare("vnt_store_errors_total", "counter", "Failed store commits (retried) and rejected rows.");
  metrics.Declare("vnt_store_healthy", "gauge", "1 when the last store commit succeeded.");
  metrics.Declare("vnt_store_commit_seconds", "histogram", "Store commit latency.");
  const store::Writer* w = &writer;
  for (std::size_t t = 0; t < store::kTableCount; ++t) {
    metrics.Callback("vnt_store_rows_written_total",
                     {{"table", std::string(store::TableName(static_cast<store::Table>(t)))}},
                     [w, t] { return static_cast<double>(w->Stats().rows_written[t]); });
  }
  metrics.Callback("vnt_store_rows_dropped_total", {},
                   [w] { return static_cast<double>(w->Stats().dropped); });
  metrics.Callback("vnt_store_queue_depth", {}, [w] { return static_cast<double>(w->Stats().queue_depth); });
  metrics.Callback("vnt_store_errors_total", {}, [w] { return static_cast<double>(w->Stats().errors); });
  metrics.Callback("vnt_store_healthy", {}, [w] { return w->healthy() ? 1.0 : 0.0; });
  metrics.HistogramCallback("vnt_store_commit_seconds", [w] {
    const store::WriterStats st = w->Stats();
    std::vector<double> bounds;
    for (double ms : store::kCommitLatencyBoundsMs) bounds.push_back(ms / 1000.0);
    return server::Histogram::FromBuckets(
        bounds, std::vector<std::uint64_t>(st.latency_buckets.begin(), st.latency_buckets.end()),
        st.latency_sum_ms / 1000.0);
  });
}

std::string StoreState(const store::Writer* writer) {
  if (!writer) return "none";
  const store::WriterStats st = writer->Stats();
  if (!st.healthy) return "degraded: " + st.last_error;
  if (st.dropped > 0) return "degraded: " + std::to_string(st.dropped) + " rows dropped (queue full)";
  return "ok";
}

}  // namespace vnt::app
