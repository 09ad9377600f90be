// The SQLite implementation of the writer's commit: prepared INSERTs stepped in one IMMEDIATE transaction.
#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "store/backend.h"
#include "store/frame_batch.h"
#include "store/history_sql.h"
#include "store/schema.h"
#include "store/sqlite_handle.h"
#include "store/writer.h"

namespace vnt::store {
namespace {

using internal::Stmt;

// SQLite's default maximum page count (SQLITE_MAX_PAGE_COUNT of the 3.40 build): "no limit" for
// SetMaxPageCount(0).
constexpr std::int64_t kDefaultMaxPageCount = 1'073'741'823;

// The columns of a tick row as Bind(Stmt&, const TickRow&, ...) binds them.
constexpr std::string_view kTickInsert =
    "INSERT INTO "
    "ticks(symbol,date,time,seq,price,volume,value,unattributed,side,method,session,bid,ask,futures) "
    "VALUES";
constexpr int kTickParams = 14;
constexpr std::string_view kTickValues = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
// Ticks go in INSERTs of this many rows (the rest of a batch one by one): one statement step per chunk
// instead of per row; with the rows in key order, each chunk extends one symbol's key range in a page or two.
constexpr std::size_t kTickChunk = 64;

constexpr std::string_view kInsertSql[kTableCount] = {
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): every statement is split over lines, none is a list
    "INSERT INTO "
    "ticks(symbol,date,time,seq,price,volume,value,unattributed,side,method,session,bid,ask,futures) "
    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
    "INSERT INTO "
    "alerts(engine_id,type,severity,symbol,rule_id,message,value,threshold,date,time,contract,alias,"
    "rule_name,metric,unit,direction,comparison,window_sec,details,epoch) "
    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    // Frames go in compressed batches (frame_batch.h), one row per trading date per commit.
    "INSERT INTO frame_batches(date,first_seq,count,raw_bytes,data) VALUES(?,?,?,?,?)",
    "INSERT INTO alert_deliveries(epoch,engine_id,date,time,channel,result,attempts,status,error,done_ms) "
    "VALUES(?,?,?,?,?,?,?,?,?,?)",
};

// Binders: every parameter is bound on every row, so statements are only reset (not cleared) between rows.
// Text is bound SQLITE_STATIC: the row (or the static enum name) outlives the step.
// A tick and its seq as the parameters after `base` (0 for the first row of a statement).
void Bind(Stmt& s, const TickRow& r, std::int64_t seq, int base = 0) {
  s.Text(base + 1, r.symbol.view());
  s.Int(base + 2, r.time.date.ymd);
  s.Int(base + 3, r.time.time.sec);
  s.Int(base + 4, seq);
  s.Int(base + 5, r.price.raw);
  s.Int(base + 6, r.volume.raw());
  s.Int(base + 7, r.value.raw());
  s.Int(base + 8, r.unattributed.raw());
  s.Text(base + 9, core::ToString(r.side));
  s.Text(base + 10, core::ToString(r.method));
  s.Text(base + 11, ToString(r.session));
  s.Int(base + 12, r.bid.raw);
  s.Int(base + 13, r.ask.raw);
  s.Int(base + 14, r.futures ? 1 : 0);
}

// A tick of the batch being written, with the seq it was given, its TickKey and its symbol's ordinal.
struct PendingTick {
  const TickRow* row;
  std::int64_t key;
  std::int64_t seq;
  std::uint32_t symbol;
};

// (date, time) as one ordered integer (time < 2^20 seconds).
std::int64_t TickKey(const TickRow& r) {
  return (std::int64_t{r.time.date.ymd} << 20) + r.time.time.sec;
}

void Bind(Stmt& s, const CandleRow& r) {
  s.Text(1, r.symbol.view());
  s.Int(2, r.date.ymd);
  s.Int(3, r.minute);
  s.Int(4, r.open.raw);
  s.Int(5, r.high.raw);
  s.Int(6, r.low.raw);
  s.Int(7, r.close.raw);
  s.Int(8, r.volume.raw());
  s.Int(9, r.buy_vol.raw());
  s.Int(10, r.sell_vol.raw());
  s.Int(11, r.neutral_vol.raw());
  s.Int(12, r.value.raw());
  s.Int(13, r.trade_count);
}

void BindOptional(Stmt& s, int i, const std::optional<Volume>& v) {
  if (v)
    s.Int(i, v->raw());
  else
    s.Null(i);
}

void Bind(Stmt& s, const ForeignRow& r) {
  s.Text(1, r.symbol.view());
  s.Int(2, r.time.date.ymd);
  s.Int(3, r.time.time.sec);
  s.Int(4, r.buy_vol.raw());
  s.Int(5, r.sell_vol.raw());
  s.Int(6, r.buy_val.raw());
  s.Int(7, r.sell_val.raw());
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
  s.Int(13, r.total_qtty.raw());
  s.Int(14, r.total_value.raw());
  s.Int(15, r.total_qtty_pt.raw());
  s.Int(16, r.total_value_pt.raw());
  s.Int(17, r.all_qty.raw());
  s.Int(18, r.all_value.raw());
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
  s.Int(10, r.volume.raw());
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
  s.Text(11, r.contract.view());
  s.Text(12, r.alias);
  s.Text(13, r.rule_name);
  s.Text(14, r.metric);
  s.Text(15, core::ToString(r.unit));
  s.Text(16, core::ToString(r.direction));
  s.Text(17, r.comparison);
  s.Int(18, r.window_sec);
  s.Text(19, r.details);
  s.Int(20, r.epoch);
}

void Bind(Stmt& s, const DeliveryRow& r) {
  s.Int(1, r.epoch);
  s.Int(2, static_cast<std::int64_t>(r.engine_id));
  s.Int(3, r.alert_time.date.ymd);
  s.Int(4, r.alert_time.time.sec);
  s.Text(5, r.channel);
  s.Text(6, r.result);
  s.Int(7, r.attempts);
  s.Int(8, r.status);
  s.Text(9, r.error);
  s.Int(10, r.done_ms);
}

void Bind(Stmt& s, const PackedFrames& p) {
  s.Int(1, p.date.ymd);
  s.Int(2, p.first_seq);
  s.Int(3, p.count);
  s.Int(4, p.raw_bytes);
  s.Blob(5, p.blob);
}

class SqliteWriter final : public WriterBackend {
 public:
  explicit SqliteWriter(const WriterConfig& cfg);
  ~SqliteWriter() override;
  CommitOutcome Commit(const std::vector<Row>& batch) override;
  void SetMaxPageCount(std::int64_t pages) override {
    max_pages_request_.store(pages <= 0 ? kDefaultMaxPageCount : pages, std::memory_order_relaxed);
  }

 private:
  // Gives the tick its seq: above every seq stored under its symbol and second (SQLite result code).
  int AssignSeq(const TickRow& r, PendingTick* p);
  // Inserts ticks_ (in key order); counts what was written or rejected. SQLite result code of a failure that
  // is not about one row (SQLITE_DONE otherwise).
  int InsertTicks(CommitOutcome& out);

  internal::Db db_;
  std::array<Stmt, kTableCount> insert_;
  Stmt tick_chunk_;  // kTickChunk ticks
  Stmt newest_;      // the newest (date, time, seq) of a symbol
  Stmt max_seq_;     // the highest seq of a symbol and second
  Stmt daily_;       // refreshes one (symbol, date) of candles_1d from its minutes
  Stmt begin_, commit_, rollback_;
  std::atomic<std::int64_t> max_pages_request_{-1};  // -1 = unchanged
  // seq: the next one to give (only grows, so the ticks of one second stay in arrival order, across batches
  // and retries), and per symbol the newest TickKey stored or given (read from the file on the symbol's
  // first tick). A tick at or after its symbol's newest key takes next_seq_: every seq stored at that key is
  // below it; one before it (out of order) is also raised above that second's stored seqs (one lookup).
  // The writer is the only one inserting ticks into its file.
  struct SymbolSeq {
    std::int64_t newest_key;
    std::uint32_t ordinal;  // order of first sight: groups a batch's ticks by symbol
  };
  std::int64_t next_seq_ = 1;
  std::unordered_map<Symbol, SymbolSeq, SymbolHash> symbols_;
  std::vector<PendingTick> ticks_, sorted_;  // the batch's ticks in arrival, then key order (reused)
  std::vector<std::uint32_t> starts_;        // counting sort by symbol
};

SqliteWriter::SqliteWriter(const WriterConfig& cfg_) {
  db_ = internal::OpenDatabase(cfg_.path, cfg_.busy_timeout, cfg_.synchronous_full);
  sqlite3* db = db_.get();
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
    if (insert_[t].Prepare(db, kInsertSql[t]) != SQLITE_OK) {
      throw StoreError("store: cannot prepare the insert into " +
                       std::string(TableName(static_cast<Table>(t))) + ": " + db_.ErrorMessage());
    }
  }
  std::string chunk(kTickInsert);
  for (std::size_t i = 0; i < kTickChunk; ++i) chunk += (i ? "," : "") + std::string(kTickValues);
  if (tick_chunk_.Prepare(db, chunk) != SQLITE_OK ||
      newest_.Prepare(db,
                      "SELECT date,time,seq FROM ticks WHERE symbol=?1 ORDER BY date DESC,time DESC,seq DESC "
                      "LIMIT 1") != SQLITE_OK ||
      max_seq_.Prepare(db, "SELECT max(seq) FROM ticks WHERE symbol=?1 AND date=?2 AND time=?3") !=
          SQLITE_OK) {
    throw StoreError("store: cannot prepare the insert into ticks: " + db_.ErrorMessage());
  }
  if (daily_.Prepare(db, "INSERT OR REPLACE INTO candles_1d " +
                             internal::DailyBarsSql("(SELECT ?1 AS symbol, ?2 AS date)")) != SQLITE_OK) {
    throw StoreError("store: cannot prepare the daily bars: " + db_.ErrorMessage());
  }
  // IMMEDIATE: take the write lock at BEGIN, so a busy database fails before any row is stepped.
  if (begin_.Prepare(db, "BEGIN IMMEDIATE") != SQLITE_OK || commit_.Prepare(db, "COMMIT") != SQLITE_OK ||
      rollback_.Prepare(db, "ROLLBACK") != SQLITE_OK) {
    throw StoreError("store: cannot prepare transaction statements: " + db_.ErrorMessage());
  }
}

SqliteWriter::~SqliteWriter() {
  for (Stmt& st : insert_) st = Stmt();  // statements before their connection
  tick_chunk_ = Stmt();
  newest_ = Stmt();
  max_seq_ = Stmt();
  daily_ = Stmt();
  begin_ = Stmt();
  commit_ = Stmt();
  rollback_ = Stmt();
}

CommitOutcome SqliteWriter::Commit(const std::vector<Row>& batch) {
  CommitOutcome out;
  sqlite3* db = db_.get();
  const std::int64_t pages = max_pages_request_.exchange(-1, std::memory_order_relaxed);
  if (pages >= 0) internal::Exec(db, "PRAGMA max_page_count=" + std::to_string(pages));

  const auto fail = [&](int rc, std::string_view what) {
    out.error = std::string(what) + ": " + sqlite3_errmsg(db) + " (" + sqlite3_errstr(rc) + ")";
    // Some errors (full, I/O, busy) roll the transaction back themselves; others leave it open.
    if (!sqlite3_get_autocommit(db)) {
      sqlite3_step(rollback_.get());
      sqlite3_reset(rollback_.get());
    }
    out.ok = false;
    out.written = {};
    return out;
  };

  int rc = sqlite3_step(begin_.get());
  sqlite3_reset(begin_.get());
  if (rc != SQLITE_DONE) return fail(rc, "begin");

  ticks_.clear();
  for (const Row& row : batch) {
    const std::size_t t = row.index();
    if (t == static_cast<std::size_t>(Table::kFrames)) continue;  // packed below
    if (const auto* tick = std::get_if<TickRow>(&row)) {          // after the loop, in key order
      PendingTick& p = ticks_.emplace_back();
      rc = AssignSeq(*tick, &p);
      if (rc != SQLITE_OK) return fail(rc, "seq of ticks");
      continue;
    }
    Stmt& st = insert_[t];
    std::visit(
        [&](const auto& r) {
          using R = std::decay_t<decltype(r)>;
          if constexpr (!std::is_same_v<R, FrameRow> && !std::is_same_v<R, TickRow>) Bind(st, r);
        },
        row);
    rc = sqlite3_step(st.get());
    sqlite3_reset(st.get());
    if (rc == SQLITE_DONE) {
      ++out.written[t];
      continue;
    }
    if (!internal::IsRowError(rc)) return fail(rc, "insert into " + std::string(TableName(TableOf(row))));
    // A row SQLite refuses (constraint, type) would fail every retry: skip it, count it, keep the rest.
    ++out.rejected;
    out.reject_text =
        std::string("rejected a row of ") + std::string(TableName(TableOf(row))) + ": " + sqlite3_errmsg(db);
  }
  rc = InsertTicks(out);
  if (rc != SQLITE_DONE) return fail(rc, "insert into ticks");
  // The daily bars of the days whose minutes this batch wrote, recomputed from the stored minutes.
  std::set<std::pair<std::string_view, std::int32_t>> days;
  for (const Row& row : batch) {
    if (const auto* c = std::get_if<CandleRow>(&row)) days.emplace(c->symbol.view(), c->date.ymd);
  }
  for (const auto& [symbol, date] : days) {
    daily_.Text(1, symbol);
    daily_.Int(2, date);
    rc = sqlite3_step(daily_.get());
    sqlite3_reset(daily_.get());
    if (rc != SQLITE_DONE) return fail(rc, "refresh candles_1d");
  }
  bool frames_failed = false;
  ForEachFrameRun(batch, [&](const std::vector<const FrameRow*>& run) {
    if (frames_failed) return;
    const PackedFrames packed = PackFrames(run);
    Stmt& st = insert_[static_cast<std::size_t>(Table::kFrames)];
    Bind(st, packed);
    rc = sqlite3_step(st.get());
    sqlite3_reset(st.get());
    if (rc == SQLITE_DONE)
      out.written[static_cast<std::size_t>(Table::kFrames)] += static_cast<std::uint64_t>(packed.count);
    else
      frames_failed = true;
  });
  if (frames_failed) return fail(rc, "insert into frame_batches");
  rc = sqlite3_step(commit_.get());
  sqlite3_reset(commit_.get());
  if (rc != SQLITE_DONE) return fail(rc, "commit");
  out.ok = true;
  return out;
}

int SqliteWriter::AssignSeq(const TickRow& r, PendingTick* p) {
  p->row = &r;
  p->key = TickKey(r);
  auto [it, first] = symbols_.try_emplace(r.symbol, SymbolSeq{std::numeric_limits<std::int64_t>::min(),
                                                              static_cast<std::uint32_t>(symbols_.size())});
  if (first) {  // the symbol's newest stored tick (none: a new symbol)
    newest_.Text(1, r.symbol.view());
    const int rc = sqlite3_step(newest_.get());
    if (rc == SQLITE_ROW) {
      it->second.newest_key = (newest_.ColInt(0) << 20) + newest_.ColInt(1);
      next_seq_ = std::max(next_seq_, newest_.ColInt(2) + 1);
    }
    sqlite3_reset(newest_.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      symbols_.erase(it);
      return rc;
    }
  }
  p->symbol = it->second.ordinal;
  p->seq = next_seq_;
  if (p->key > it->second.newest_key) {
    it->second.newest_key = p->key;
  } else if (p->key < it->second.newest_key) {  // a second the symbol may have ticks of: above their seqs
    max_seq_.Text(1, r.symbol.view());
    max_seq_.Int(2, r.time.date.ymd);
    max_seq_.Int(3, r.time.time.sec);
    const int rc = sqlite3_step(max_seq_.get());
    if (rc == SQLITE_ROW && !max_seq_.ColIsNull(0)) p->seq = std::max(p->seq, max_seq_.ColInt(0) + 1);
    sqlite3_reset(max_seq_.get());
    if (rc != SQLITE_ROW) return rc;
  }
  next_seq_ = p->seq + 1;
  return SQLITE_OK;
}

int SqliteWriter::InsertTicks(CommitOutcome& out) {
  constexpr std::size_t kT = static_cast<std::size_t>(Table::kTicks);
  // Key order within each symbol, so each symbol's ticks go in as one run at the end of its key range: a
  // counting sort by symbol (stable: arrival order within a symbol, which is key order unless the feed sent
  // a second out of order), then a sort of any symbol's run that is not in key order.
  starts_.assign(symbols_.size() + 1, 0);
  for (const PendingTick& p : ticks_) ++starts_[p.symbol + 1];
  for (std::size_t k = 1; k < starts_.size(); ++k) starts_[k] += starts_[k - 1];
  sorted_.resize(ticks_.size());
  for (const PendingTick& p : ticks_) sorted_[starts_[p.symbol]++] = p;
  for (auto run = sorted_.begin(); run != sorted_.end();) {
    const auto end =
        std::find_if(run, sorted_.end(), [&](const PendingTick& p) { return p.symbol != run->symbol; });
    const auto by_key = [](const PendingTick& a, const PendingTick& b) {
      return a.key != b.key ? a.key < b.key : a.seq < b.seq;
    };
    if (!std::is_sorted(run, end, by_key)) std::sort(run, end, by_key);
    run = end;
  }
  ticks_.swap(sorted_);
  Stmt& one = insert_[kT];
  // One by one: a row SQLite refuses (constraint, type) would fail every retry, so it is skipped and counted.
  const auto insert_one = [&](const PendingTick& p) {
    Bind(one, *p.row, p.seq);
    const int rc = sqlite3_step(one.get());
    sqlite3_reset(one.get());
    if (rc == SQLITE_DONE) {
      ++out.written[kT];
    } else if (internal::IsRowError(rc)) {
      ++out.rejected;
      out.reject_text = std::string("rejected a row of ticks: ") + sqlite3_errmsg(db_.get());
    } else {
      return rc;
    }
    return SQLITE_DONE;
  };
  std::size_t i = 0;
  for (; i + kTickChunk <= ticks_.size(); i += kTickChunk) {
    for (std::size_t k = 0; k < kTickChunk; ++k) {
      Bind(tick_chunk_, *ticks_[i + k].row, ticks_[i + k].seq, static_cast<int>(k) * kTickParams);
    }
    const int rc = sqlite3_step(tick_chunk_.get());
    sqlite3_reset(tick_chunk_.get());
    if (rc == SQLITE_DONE) {
      out.written[kT] += kTickChunk;
      continue;
    }
    if (!internal::IsRowError(rc)) return rc;
    // The statement was undone as a whole: its rows again one by one, so only the refused ones are lost.
    for (std::size_t k = 0; k < kTickChunk; ++k) {
      const int one_rc = insert_one(ticks_[i + k]);
      if (one_rc != SQLITE_DONE) return one_rc;
    }
  }
  for (; i < ticks_.size(); ++i) {
    const int rc = insert_one(ticks_[i]);
    if (rc != SQLITE_DONE) return rc;
  }
  return SQLITE_DONE;
}

}  // namespace

std::unique_ptr<WriterBackend> OpenSqliteWriter(const WriterConfig& cfg) {
  return std::make_unique<SqliteWriter>(cfg);
}

}  // namespace vnt::store
