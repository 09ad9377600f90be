#pragma once
// The store writer: a dedicated thread with its own database connection (SQLite or PostgreSQL, see
// backend.h) that commits queued rows in batches.
//
// The engine thread calls Enqueue(), which never blocks on I/O: it appends to a bounded in-memory queue under
// a mutex held only for a push_back or a vector swap. When the queue is full the row is refused: Enqueue
// returns false and `dropped` counts it (per table), never silently.
//
// The thread wakes every `commit_interval` (default 100 ms), earlier when `wake_rows` rows wait or on
// Flush()/Stop(), swaps the queue out and writes the whole batch in one transaction (SQLite: prepared
// statements; PostgreSQL: binary COPY per table).
// Failures:
//   - busy/locked, I/O errors, disk full (SQLITE_FULL), read-only, a lost PostgreSQL connection (reconnected
//     on the next attempt), anything not about one row: the transaction is rolled back, the batch stays in
//     memory and is retried with exponential backoff (up to `max_backoff`); `errors` counts attempts,
//     healthy() turns false with the error text until a commit succeeds again. New rows keep queueing up to
//     the capacity (then they are refused and counted), so memory stays bounded by about 2 x queue_capacity
//     rows.
//   - a row the database rejects for its data (constraint, type, encoding): that row is skipped and counted
//   in `rejected` (and
//     `errors`, with last_error), the rest commit.
//   - Stop() while the database keeps failing gives up after `stop_timeout`: what is still held is counted in
//     `abandoned` (and reported in last_error), so shutdown cannot hang on a full disk.
// Durability: SQLite runs WAL with synchronous=NORMAL: a committed batch survives a process crash (kill -9);
// at most the batch being written is lost. synchronous_full=true also survives power loss, at a cost per
// commit. PostgreSQL: a committed batch is the server's to keep.

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/rows.h"

namespace vnt::store {

class WriterBackend;

// Writer settings.
struct WriterConfig {
  // The database: a SQLite file path (created and migrated when needed) or a PostgreSQL URL
  // ("postgresql://user:pass@host:port/db", migrated at start under an advisory lock).
  std::string path;
  std::size_t queue_capacity = 65'536;             // rows accepted but not yet taken by the thread
  std::size_t wake_rows = 16'384;                  // wake before the interval once this many rows wait
  std::chrono::milliseconds commit_interval{100};  // longest time an accepted row waits for its commit
  std::chrono::milliseconds busy_timeout{250};     // SQLite busy handler wait before a busy error is retried
  std::chrono::milliseconds min_backoff{10};       // first retry delay after a failed commit
  std::chrono::milliseconds max_backoff{1000};     // retry delay cap
  std::chrono::milliseconds stop_timeout{5000};    // Stop() gives up on a failing database after this
  bool synchronous_full = false;                   // fsync every commit (power-loss safe, slower)
  int cache_kib = 16'384;  // page cache of the writer's connection: big batches stay in memory until COMMIT
  // WAL pages after which a commit also checkpoints into the database file (~40 MB): SQLite's default of 1000
  // checkpoints (and fsyncs) after nearly every busy batch, which cost about a fifth of the ingest rate.
  int checkpoint_pages = 10'000;
  // Called on the writer thread when the store turns unhealthy (a commit failed: full disk, I/O error,
  // busy) and when it recovers, once per change, with the reason. Empty = not reported.
  std::function<void(bool healthy, const std::string& reason)> on_health_change{};
  // Called once when rows start being refused (the queue is full), on the thread that enqueued, and again
  // only after the queue has drained below half its capacity. Empty = not reported.
  std::function<void(const std::string& reason)> on_drop{};
};

// Commit latency histogram bucket upper bounds, milliseconds (a last, implicit bucket is +Inf).
inline constexpr std::array<double, 10> kCommitLatencyBoundsMs{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000};

// A consistent-enough snapshot of the writer's counters (each field read atomically).
struct WriterStats {
  std::array<std::uint64_t, kTableCount> rows_written{};  // committed rows per Table
  std::array<std::uint64_t, kTableCount> dropped_by_table{};
  std::uint64_t dropped = 0;      // rows refused by Enqueue (queue full or writer stopped)
  std::uint64_t rejected = 0;     // rows SQLite refused (constraint/type); skipped
  std::uint64_t abandoned = 0;    // rows still held when Stop() gave up on a failing database
  std::uint64_t errors = 0;       // failed commit attempts (each retried) and rejected rows
  std::uint64_t batches = 0;      // committed transactions
  std::uint64_t queue_depth = 0;  // rows accepted and not yet committed (queue + batch in progress)
  double last_commit_ms = 0;      // duration of the last successful commit (BEGIN..COMMIT)
  // Non-cumulative counts per kCommitLatencyBoundsMs bucket, then +Inf; sum in ms (Prometheus histogram).
  std::array<std::uint64_t, kCommitLatencyBoundsMs.size() + 1> latency_buckets{};
  double latency_sum_ms = 0;
  bool healthy = true;     // false from a failed commit until the next successful one
  std::string last_error;  // most recent error text (kept after recovery; empty when none ever)
};

// Owns the writer thread and its connection.
class Writer {
 public:
  // Opens/migrates the database and starts the thread. Throws StoreError (start-up failure).
  explicit Writer(WriterConfig cfg);
  // Stop()s.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues a row for the next batch; false (counted in dropped) when the queue is full or the writer stopped.
  // Never waits for the database. Any thread.
  bool Enqueue(Row row);
  // Blocks until every row accepted before the call is committed (or given up); false on timeout, or when the
  // writer stopped without committing them. Any thread except from inside a sink callback that must not
  // block.
  bool Flush(std::chrono::milliseconds timeout = std::chrono::hours(24));
  // Commits what is queued, then joins the thread (bounded by stop_timeout). Idempotent; later Enqueues fail.
  void Stop();
  // Caps the database at `pages` pages (PRAGMA max_page_count; 0 = SQLite's default limit): a size limit, and
  // how tests simulate a full disk. Applied by the thread before its next commit attempt.
  void SetMaxPageCount(std::int64_t pages);
  // The counters (any thread).
  WriterStats Stats() const;
  // Shorthand for Stats().healthy.
  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }
  // The configuration in use.
  const WriterConfig& config() const { return cfg_; }

 private:
  void Run();
  // Writes `batch_` in one transaction; true when committed (rows rejected by SQLite are skipped and
  // counted).
  bool CommitBatch();
  void SetError(std::string text);

  WriterConfig cfg_;
  std::unique_ptr<WriterBackend> backend_;  // SQLite or PostgreSQL (neither appears in this header)

  std::mutex mu_;
  std::condition_variable wake_cv_;     // the thread waits here for rows / flush / stop
  std::condition_variable flushed_cv_;  // Flush() waits here for commits
  std::vector<Row> queue_;              // filled by Enqueue (guarded by mu_)
  std::vector<Row> batch_;              // owned by the thread: rows being (re)tried
  std::uint64_t accepted_ = 0;          // rows ever accepted (mu_)
  std::uint64_t settled_ = 0;           // rows committed, rejected or abandoned, in acceptance order (mu_)
  std::uint64_t flush_target_ = 0;      // highest accepted_ a Flush() waits for (mu_)
  bool stop_ = false;                   // (mu_)
  bool exited_ = false;                 // the thread finished (mu_)
  bool retry_now_ = false;              // cut the current backoff short (mu_)
  // settled_ when Stop() gave up: rows from there on were abandoned, not committed (mu_).
  std::uint64_t abandoned_from_ = std::numeric_limits<std::uint64_t>::max();
  std::mutex stop_mu_;  // serialises Stop() callers
  std::thread thread_;

  std::array<std::atomic<std::uint64_t>, kTableCount> rows_written_{};
  std::array<std::atomic<std::uint64_t>, kTableCount> dropped_{};
  std::atomic<std::uint64_t> rejected_{0}, abandoned_{0}, errors_{0}, batches_{0}, queue_depth_{0};
  std::atomic<std::int64_t> last_commit_us_{0}, latency_sum_us_{0};
  std::array<std::atomic<std::uint64_t>, kCommitLatencyBoundsMs.size() + 1> latency_buckets_{};
  std::atomic<bool> healthy_{true};
  std::atomic<bool> drop_reported_{false};  // on_drop called for the current episode of a full queue
  mutable std::mutex error_mu_;
  std::string last_error_;  // (error_mu_)
};

}  // namespace vnt::store
