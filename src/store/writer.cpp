#include "store/writer.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "store/backend.h"
#include "store/location.h"

namespace vnt::store {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Writer::Writer(WriterConfig cfg) : cfg_(std::move(cfg)) {
  if (cfg_.queue_capacity == 0) cfg_.queue_capacity = 1;
  if (cfg_.wake_rows == 0) cfg_.wake_rows = 1;
  if (cfg_.min_backoff.count() <= 0) cfg_.min_backoff = std::chrono::milliseconds(1);
  if (cfg_.max_backoff < cfg_.min_backoff) cfg_.max_backoff = cfg_.min_backoff;
  backend_ = IsPostgresUrl(cfg_.path) ? OpenPgWriter(cfg_) : OpenSqliteWriter(cfg_);
  queue_.reserve(std::min<std::size_t>(cfg_.queue_capacity, 4096));
  batch_.reserve(std::min<std::size_t>(cfg_.queue_capacity, 4096));
  thread_ = std::thread([this] { Run(); });
}

Writer::~Writer() {
  Stop();
}

bool Writer::Enqueue(Row row) {
  const std::size_t table = row.index();
  bool wake = false, report_drop = false, accepted = false, stopped = false;
  {
    std::lock_guard lk(mu_);
    stopped = stop_;
    if (!stop_ && queue_.size() < cfg_.queue_capacity) {
      queue_.push_back(std::move(row));
      ++accepted_;
      accepted = true;
      queue_depth_.fetch_add(1, std::memory_order_relaxed);
      // Notify once when the threshold is crossed, not on every row: a futex call per row would cost more
      // than the insert itself.
      wake = queue_.size() == cfg_.wake_rows;
    } else {
      dropped_[table].fetch_add(1, std::memory_order_relaxed);
      report_drop = !drop_reported_.exchange(true, std::memory_order_relaxed);
    }
  }
  if (report_drop && cfg_.on_drop) {
    cfg_.on_drop(stopped ? "the writer is stopped"
                         : "the store queue is full (" + std::to_string(cfg_.queue_capacity) +
                               " rows waiting): rows are dropped and counted until it drains");
  }
  if (!accepted) return false;
  if (wake) wake_cv_.notify_one();
  return true;
}

bool Writer::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  const std::uint64_t target = accepted_;
  if (settled_ < target) {
    flush_target_ = std::max(flush_target_, target);
    wake_cv_.notify_one();
    flushed_cv_.wait_for(lk, timeout, [&] { return settled_ >= target || exited_; });
  }
  // Rows count as flushed only when committed (or rejected by SQLite, which is reported), not abandoned.
  return settled_ >= target && target <= abandoned_from_;
}

void Writer::Stop() {
  std::lock_guard stop_lk(stop_mu_);
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  wake_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Writer::SetMaxPageCount(std::int64_t pages) {
  backend_->SetMaxPageCount(pages);
  {
    std::lock_guard lk(mu_);
    retry_now_ = true;  // do not sit out a long backoff when space just came back
  }
  wake_cv_.notify_one();
}

WriterStats Writer::Stats() const {
  WriterStats s;
  for (std::size_t t = 0; t < kTableCount; ++t) {
    s.rows_written[t] = rows_written_[t].load(std::memory_order_relaxed);
    s.dropped_by_table[t] = dropped_[t].load(std::memory_order_relaxed);
    s.dropped += s.dropped_by_table[t];
  }
  s.rejected = rejected_.load(std::memory_order_relaxed);
  s.abandoned = abandoned_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.batches = batches_.load(std::memory_order_relaxed);
  s.queue_depth = queue_depth_.load(std::memory_order_relaxed);
  s.last_commit_ms = static_cast<double>(last_commit_us_.load(std::memory_order_relaxed)) / 1000.0;
  for (std::size_t i = 0; i < s.latency_buckets.size(); ++i) {
    s.latency_buckets[i] = latency_buckets_[i].load(std::memory_order_relaxed);
  }
  s.latency_sum_ms = static_cast<double>(latency_sum_us_.load(std::memory_order_relaxed)) / 1000.0;
  s.healthy = healthy_.load(std::memory_order_relaxed);
  std::lock_guard lk(error_mu_);
  s.last_error = last_error_;
  return s;
}

void Writer::SetError(std::string text) {
  std::lock_guard lk(error_mu_);
  last_error_ = std::move(text);
}

void Writer::Run() {
  auto next_commit = Clock::now() + cfg_.commit_interval;
  auto backoff = cfg_.min_backoff;
  Clock::time_point retry_at{};
  std::optional<Clock::time_point> stop_deadline;
  bool reported_healthy = true;
  std::unique_lock lk(mu_);
  for (;;) {
    if (stop_ && !stop_deadline) stop_deadline = Clock::now() + cfg_.stop_timeout;
    if (batch_.empty()) {
      // Wait for the interval, a full-enough queue, a Flush() or Stop(); then take the whole queue.
      wake_cv_.wait_until(lk, next_commit, [&] {
        return stop_ || flush_target_ > settled_ || queue_.size() >= cfg_.wake_rows;
      });
      if (queue_.empty()) {
        if (stop_) break;
        next_commit = Clock::now() + cfg_.commit_interval;
        continue;
      }
      // queue_ gets the previous batch's (cleared) buffer: no allocation in steady state.
      batch_.swap(queue_);
      // The cadence counts from the start of this commit, so a row waits at most one interval plus one
      // commit.
      next_commit = Clock::now() + cfg_.commit_interval;
    } else {
      // A failed batch: wait out the backoff (shortened by SetMaxPageCount or the stop deadline), then retry.
      auto until = retry_at;
      if (stop_deadline) until = std::min(until, *stop_deadline);
      wake_cv_.wait_until(lk, until, [&] { return retry_now_ || (stop_ && !stop_deadline); });
      retry_now_ = false;
      if (stop_ && !stop_deadline) continue;  // Stop() arrived during the wait: set the deadline first
      if (stop_deadline && Clock::now() >= *stop_deadline) {
        // Shutdown cannot wait forever for a full or broken disk: count what is lost and say why.
        const std::uint64_t lost = batch_.size() + queue_.size();
        abandoned_.fetch_add(lost, std::memory_order_relaxed);
        abandoned_from_ = std::min(abandoned_from_, settled_);
        settled_ += lost;
        batch_.clear();
        queue_.clear();
        queue_depth_.store(0, std::memory_order_relaxed);
        std::string prev;
        {
          std::lock_guard elk(error_mu_);
          prev = last_error_;
        }
        SetError("stopped with " + std::to_string(lost) + " rows not written: " + prev);
        break;
      }
    }
    lk.unlock();
    const bool ok = CommitBatch();
    const std::size_t done = ok ? batch_.size() : 0;
    if (ok) batch_.clear();  // batch_ belongs to this thread: free the rows without holding up Enqueue
    lk.lock();
    if (ok) {
      settled_ += done;
      backoff = cfg_.min_backoff;
      flushed_cv_.notify_all();
      // A later episode of a full queue is reported again once this one has drained.
      if (queue_.size() < cfg_.queue_capacity / 2) drop_reported_.store(false, std::memory_order_relaxed);
    } else {
      retry_at = Clock::now() + backoff;
      backoff = std::min(backoff * 2, cfg_.max_backoff);
    }
    if (ok != reported_healthy && cfg_.on_health_change) {
      // One report per change of state, not per retry: a full disk retried for an hour is one line.
      reported_healthy = ok;
      std::string reason;
      {
        std::lock_guard elk(error_mu_);
        reason = ok ? "commits succeed again after " + last_error_ : last_error_;
      }
      lk.unlock();
      cfg_.on_health_change(ok, reason);
      lk.lock();
    }
    queue_depth_.store(queue_.size() + batch_.size(), std::memory_order_relaxed);
  }
  exited_ = true;
  flushed_cv_.notify_all();
}

bool Writer::CommitBatch() {
  const auto t0 = Clock::now();
  const CommitOutcome out = backend_->Commit(batch_);
  if (!out.ok) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    healthy_.store(false, std::memory_order_relaxed);
    SetError(out.error);
    return false;
  }
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  last_commit_us_.store(us, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(us, std::memory_order_relaxed);
  const double ms = static_cast<double>(us) / 1000.0;
  std::size_t bucket = 0;
  while (bucket < kCommitLatencyBoundsMs.size() && ms > kCommitLatencyBoundsMs[bucket]) ++bucket;
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (out.written[t]) rows_written_[t].fetch_add(out.written[t], std::memory_order_relaxed);
  }
  batches_.fetch_add(1, std::memory_order_relaxed);
  if (out.rejected) {
    rejected_.fetch_add(out.rejected, std::memory_order_relaxed);
    errors_.fetch_add(out.rejected, std::memory_order_relaxed);
    SetError(std::to_string(out.rejected) + " row(s) skipped; last: " + out.reject_text);
  }
  healthy_.store(true, std::memory_order_relaxed);
  return true;
}

}  // namespace vnt::store
