#include "store/writer.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "store/schema.h"
#include "store/sqlite_handle.h"

namespace vnt::store {
namespace {

using Clock = std::chrono::steady_clock;
using internal::Stmt;

// SQLite's default maximum page count (SQLITE_MAX_PAGE_COUNT of the 3.40 build): "no limit" for
// SetMaxPageCount(0).
constexpr std::int64_t kDefaultMaxPageCount = 1'073'741'823;

constexpr std::string_view kInsertSql[kTableCount] = {
    "INSERT INTO ticks(symbol,date,time,price,volume,value,unattributed,side,method,session,bid,ask,futures) "
    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
    // A candle re-closed by a journal replay replaces the stored one instead of failing the batch.
    "INSERT OR REPLACE INTO candles_1m(symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,"
    "neutral_vol,value,trade_count) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO "
    "foreign_snapshots(symbol,date,time,buy_vol,sell_vol,buy_val,sell_val,total_room,current_room,"
    "net_speed_vol,net_speed_val,net_accel_vol,net_accel_val) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO index_snapshots(index_id,date,time,value,change,change_pct,advances,declines,no_changes,"
    "ceilings,floors,total_trade,total_qtty,total_value,total_qtty_pt,total_value_pt,all_qty,all_value,"
    "session) "
    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO futures_basis(krx_code,legacy_code,date,time,last,spot,basis,basis_pct,fair_basis,volume) "
    "VALUES(?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO alerts(engine_id,type,severity,symbol,rule_id,message,value,threshold,date,time) "
    "VALUES(?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO frames(date,seq,recv_ms,text) VALUES(?,?,?,?)",
};

// Binders: every parameter is bound on every row, so statements are only reset (not cleared) between rows.
// Text is bound SQLITE_STATIC: the row (or the static enum name) outlives the step.
void Bind(Stmt& s, const TickRow& r) {
  s.Text(1, r.symbol.view());
  s.Int(2, r.time.date.ymd);
  s.Int(3, r.time.time.sec);
  s.Int(4, r.price.raw);
  s.Int(5, r.volume);
  s.Int(6, r.value);
  s.Int(7, r.unattributed);
  s.Text(8, core::ToString(r.side));
  s.Text(9, core::ToString(r.method));
  s.Text(10, ToString(r.session));
  s.Int(11, r.bid.raw);
  s.Int(12, r.ask.raw);
  s.Int(13, r.futures ? 1 : 0);
}

void Bind(Stmt& s, const CandleRow& r) {
  s.Text(1, r.symbol.view());
  s.Int(2, r.date.ymd);
  s.Int(3, r.minute);
  s.Int(4, r.open.raw);
  s.Int(5, r.high.raw);
  s.Int(6, r.low.raw);
  s.Int(7, r.close.raw);
  s.Int(8, r.volume);
  s.Int(9, r.buy_vol);
  s.Int(10, r.sell_vol);
  s.Int(11, r.neutral_vol);
  s.Int(12, r.value);
  s.Int(13, r.trade_count);
}

void BindOptional(Stmt& s, int i, const std::optional<std::int64_t>& v) {
  if (v)
    s.Int(i, *v);
  else
    s.Null(i);
}

void Bind(Stmt& s, const ForeignRow& r) {
  s.Text(1, r.symbol.view());
  s.Int(2, r.time.date.ymd);
  s.Int(3, r.time.time.sec);
  s.Int(4, r.buy_vol);
  s.Int(5, r.sell_vol);
  s.Int(6, r.buy_val);
  s.Int(7, r.sell_val);
  BindOptional(s, 8, r.total_room);
  BindOptional(s, 9, r.current_room);
  s.Real(10, r.net_speed_vol);
  s.Real(11, r.net_speed_val);
  s.Real(12, r.net_accel_vol);
  s.Real(13, r.net_accel_val);
}

void Bind(Stmt& s, const IndexRow& r) {
  s.Text(1, r.id.view());
  s.Int(2, r.time.date.ymd);
  s.Int(3, r.time.time.sec);
  s.Int(4, r.value.raw);
  s.Int(5, r.change.raw);
  s.Real(6, r.change_pct);
  s.Int(7, r.advances);
  s.Int(8, r.declines);
  s.Int(9, r.no_changes);
  s.Int(10, r.ceilings);
  s.Int(11, r.floors);
  s.Int(12, r.total_trade);
  s.Int(13, r.total_qtty);
  s.Int(14, r.total_value);
  s.Int(15, r.total_qtty_pt);
  s.Int(16, r.total_value_pt);
  s.Int(17, r.all_qty);
  s.Int(18, r.all_value);
  s.Text(19, ToString(r.session));
}

void Bind(Stmt& s, const BasisRow& r) {
  s.Text(1, r.krx_code.view());
  s.Text(2, r.legacy_code.view());
  s.Int(3, r.time.date.ymd);
  s.Int(4, r.time.time.sec);
  s.Int(5, r.last.raw);
  s.Int(6, r.spot.raw);
  s.Int(7, r.basis.raw);
  s.Real(8, r.basis_pct);
  s.Real(9, r.fair_basis);
  s.Int(10, r.volume);
}

void Bind(Stmt& s, const AlertRow& r) {
  s.Int(1, static_cast<std::int64_t>(r.engine_id));
  s.Text(2, core::ToString(r.type));
  s.Text(3, core::ToString(r.severity));
  s.Text(4, r.symbol.view());
  s.Int(5, r.rule_id);
  s.Text(6, r.message);
  s.Real(7, r.value);
  s.Real(8, r.threshold);
  s.Int(9, r.time.date.ymd);
  s.Int(10, r.time.time.sec);
}

void Bind(Stmt& s, const FrameRow& r) {
  s.Int(1, r.date.ymd);
  s.Int(2, r.seq);
  s.Int(3, r.recv_ms);
  s.Text(4, r.text);
}

}  // namespace

struct Writer::Conn {
  internal::Db db;
  std::array<Stmt, kTableCount> insert;
  Stmt begin, commit, rollback;
};

Writer::Writer(WriterConfig cfg) : cfg_(std::move(cfg)), conn_(std::make_unique<Conn>()) {
  if (cfg_.queue_capacity == 0) cfg_.queue_capacity = 1;
  if (cfg_.wake_rows == 0) cfg_.wake_rows = 1;
  if (cfg_.min_backoff.count() <= 0) cfg_.min_backoff = std::chrono::milliseconds(1);
  if (cfg_.max_backoff < cfg_.min_backoff) cfg_.max_backoff = cfg_.min_backoff;
  conn_->db = internal::OpenDatabase(cfg_.path, cfg_.busy_timeout, cfg_.synchronous_full);
  sqlite3* db = conn_->db.get();
  // SQLite's default 2 MB cache spills dirty pages of a large batch to the WAL before COMMIT (and re-reads
  // index pages); a bigger cache keeps one batch's pages in memory.
  if (cfg_.cache_kib > 0) internal::Exec(db, "PRAGMA cache_size=-" + std::to_string(cfg_.cache_kib));
  if (cfg_.checkpoint_pages > 0) {
    internal::Exec(db, "PRAGMA wal_autocheckpoint=" + std::to_string(cfg_.checkpoint_pages));
    // After a checkpoint has reset the WAL, truncate it back to at most this size rather than keep its peak.
    internal::Exec(
        db, "PRAGMA journal_size_limit=" + std::to_string(std::int64_t{cfg_.checkpoint_pages} * 4096 * 2));
  }
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (conn_->insert[t].Prepare(db, kInsertSql[t]) != SQLITE_OK) {
      throw StoreError("store: cannot prepare the insert into " +
                       std::string(TableName(static_cast<Table>(t))) + ": " + conn_->db.ErrorMessage());
    }
  }
  // IMMEDIATE: take the write lock at BEGIN, so a busy database fails before any row is stepped.
  if (conn_->begin.Prepare(db, "BEGIN IMMEDIATE") != SQLITE_OK ||
      conn_->commit.Prepare(db, "COMMIT") != SQLITE_OK ||
      conn_->rollback.Prepare(db, "ROLLBACK") != SQLITE_OK) {
    throw StoreError("store: cannot prepare transaction statements: " + conn_->db.ErrorMessage());
  }
  queue_.reserve(std::min<std::size_t>(cfg_.queue_capacity, 4096));
  batch_.reserve(std::min<std::size_t>(cfg_.queue_capacity, 4096));
  thread_ = std::thread([this] { Run(); });
}

Writer::~Writer() {
  Stop();
}

bool Writer::Enqueue(Row row) {
  const std::size_t table = row.index();
  bool wake = false;
  {
    std::lock_guard lk(mu_);
    if (!stop_ && queue_.size() < cfg_.queue_capacity) {
      queue_.push_back(std::move(row));
      ++accepted_;
      queue_depth_.fetch_add(1, std::memory_order_relaxed);
      // Notify once when the threshold is crossed, not on every row: a futex call per row would cost more
      // than the insert itself.
      wake = queue_.size() == cfg_.wake_rows;
    } else {
      dropped_[table].fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  }
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
  max_pages_request_.store(pages <= 0 ? kDefaultMaxPageCount : pages, std::memory_order_relaxed);
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
  sqlite3* db = conn_->db.get();
  const std::int64_t pages = max_pages_request_.exchange(-1, std::memory_order_relaxed);
  if (pages >= 0) internal::Exec(db, "PRAGMA max_page_count=" + std::to_string(pages));

  const auto fail = [&](int rc, std::string_view what) {
    std::string text = std::string(what) + ": " + sqlite3_errmsg(db) + " (" + sqlite3_errstr(rc) + ")";
    // Some errors (full, I/O, busy) roll the transaction back themselves; others leave it open.
    if (!sqlite3_get_autocommit(db)) {
      sqlite3_step(conn_->rollback.get());
      sqlite3_reset(conn_->rollback.get());
    }
    errors_.fetch_add(1, std::memory_order_relaxed);
    healthy_.store(false, std::memory_order_relaxed);
    SetError(std::move(text));
    return false;
  };

  const auto t0 = Clock::now();
  int rc = sqlite3_step(conn_->begin.get());
  sqlite3_reset(conn_->begin.get());
  if (rc != SQLITE_DONE) return fail(rc, "begin");

  std::array<std::uint64_t, kTableCount> written{};
  std::uint64_t rejected = 0;
  std::string reject_text;
  for (const Row& row : batch_) {
    const std::size_t t = row.index();
    Stmt& st = conn_->insert[t];
    std::visit([&](const auto& r) { Bind(st, r); }, row);
    rc = sqlite3_step(st.get());
    sqlite3_reset(st.get());
    if (rc == SQLITE_DONE) {
      ++written[t];
      continue;
    }
    if (!internal::IsRowError(rc)) return fail(rc, "insert into " + std::string(TableName(TableOf(row))));
    // A row SQLite refuses (constraint, type) would fail every retry: skip it, count it, keep the rest.
    ++rejected;
    reject_text =
        std::string("rejected a row of ") + std::string(TableName(TableOf(row))) + ": " + sqlite3_errmsg(db);
  }
  rc = sqlite3_step(conn_->commit.get());
  sqlite3_reset(conn_->commit.get());
  if (rc != SQLITE_DONE) return fail(rc, "commit");

  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  last_commit_us_.store(us, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(us, std::memory_order_relaxed);
  const double ms = static_cast<double>(us) / 1000.0;
  std::size_t bucket = 0;
  while (bucket < kCommitLatencyBoundsMs.size() && ms > kCommitLatencyBoundsMs[bucket]) ++bucket;
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (written[t]) rows_written_[t].fetch_add(written[t], std::memory_order_relaxed);
  }
  batches_.fetch_add(1, std::memory_order_relaxed);
  if (rejected) {
    rejected_.fetch_add(rejected, std::memory_order_relaxed);
    errors_.fetch_add(rejected, std::memory_order_relaxed);
    SetError(std::to_string(rejected) + " row(s) skipped; last: " + reject_text);
  }
  healthy_.store(true, std::memory_order_relaxed);
  return true;
}

}  // namespace vnt::store
