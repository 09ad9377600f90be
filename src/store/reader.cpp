#include "store/reader.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "core/futures.h"
#include "core/index_state.h"
#include "store/sqlite_handle.h"

namespace vnt::store {
namespace {

using internal::Stmt;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

constexpr std::string_view kTickCols =
    "symbol,date,time,price,volume,value,unattributed,side,method,session,bid,ask,futures";
constexpr std::string_view kCandleCols =
    "symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count";
constexpr std::string_view kForeignCols =
    "symbol,date,time,buy_vol,sell_vol,buy_val,sell_val,total_room,current_room,net_speed_vol,net_speed_val,"
    "net_accel_vol,net_accel_val";
constexpr std::string_view kIndexCols =
    "index_id,date,time,value,change,change_pct,advances,declines,no_changes,ceilings,floors,total_trade,"
    "total_qtty,total_value,total_qtty_pt,total_value_pt,all_qty,all_value,session";
constexpr std::string_view kBasisCols =
    "krx_code,legacy_code,date,time,last,spot,basis,basis_pct,fair_basis,volume";
constexpr std::string_view kAlertCols =
    "id,engine_id,type,severity,symbol,rule_id,message,value,threshold,date,time";
constexpr std::string_view kRuleCols =
    "id,name,metric,symbol,comparison,threshold,cooldown_sec,enabled,severity,created_at";

Symbol SymbolCol(const Stmt& s, int i) {
  Symbol out;
  Symbol::Make(s.ColText(i), &out);  // stored symbols come from Symbol values: they fit
  return out;
}
ExchangeTime TimeCols(const Stmt& s, int date_col) {
  return ExchangeTime{Date{static_cast<std::int32_t>(s.ColInt(date_col))},
                      TimeOfDay{static_cast<std::int32_t>(s.ColInt(date_col + 1))}};
}
Price PriceCol(const Stmt& s, int i) {
  return Price::FromRaw(s.ColInt(i));
}

// Column decoders: false (with *error) when a stored enum name is unknown to this build.
bool Decode(const Stmt& s, TickRow* r, std::string* error) {
  r->symbol = SymbolCol(s, 0);
  r->time = TimeCols(s, 1);
  r->price = PriceCol(s, 3);
  r->volume = s.ColInt(4);
  r->value = s.ColInt(5);
  r->unattributed = s.ColInt(6);
  const auto side = ParseAggressor(s.ColText(7));
  const auto method = ParseClassifyMethod(s.ColText(8));
  if (!side || !method) {
    *error = "unknown side or method in ticks: '" + std::string(s.ColText(7)) + "', '" +
             std::string(s.ColText(8)) + "'";
    return false;
  }
  r->side = *side;
  r->method = *method;
  r->session = ParseSession(s.ColText(9));
  r->bid = PriceCol(s, 10);
  r->ask = PriceCol(s, 11);
  r->futures = s.ColInt(12) != 0;
  return true;
}

bool Decode(const Stmt& s, CandleRow* r, std::string*) {
  r->symbol = SymbolCol(s, 0);
  r->date = Date{static_cast<std::int32_t>(s.ColInt(1))};
  r->minute = static_cast<std::int32_t>(s.ColInt(2));
  r->open = PriceCol(s, 3);
  r->high = PriceCol(s, 4);
  r->low = PriceCol(s, 5);
  r->close = PriceCol(s, 6);
  r->volume = s.ColInt(7);
  r->buy_vol = s.ColInt(8);
  r->sell_vol = s.ColInt(9);
  r->neutral_vol = s.ColInt(10);
  r->value = s.ColInt(11);
  r->trade_count = static_cast<std::int32_t>(s.ColInt(12));
  return true;
}

bool Decode(const Stmt& s, ForeignRow* r, std::string*) {
  r->symbol = SymbolCol(s, 0);
  r->time = TimeCols(s, 1);
  r->buy_vol = s.ColInt(3);
  r->sell_vol = s.ColInt(4);
  r->buy_val = s.ColInt(5);
  r->sell_val = s.ColInt(6);
  r->total_room = s.ColIsNull(7) ? std::nullopt : std::optional<Volume>(s.ColInt(7));
  r->current_room = s.ColIsNull(8) ? std::nullopt : std::optional<Volume>(s.ColInt(8));
  r->net_speed_vol = s.ColReal(9);
  r->net_speed_val = s.ColReal(10);
  r->net_accel_vol = s.ColReal(11);
  r->net_accel_val = s.ColReal(12);
  return true;
}

bool Decode(const Stmt& s, IndexRow* r, std::string*) {
  r->id = SymbolCol(s, 0);
  r->time = TimeCols(s, 1);
  r->value = PriceCol(s, 3);
  r->change = PriceCol(s, 4);
  r->change_pct = s.ColReal(5);
  r->advances = static_cast<std::int32_t>(s.ColInt(6));
  r->declines = static_cast<std::int32_t>(s.ColInt(7));
  r->no_changes = static_cast<std::int32_t>(s.ColInt(8));
  r->ceilings = static_cast<std::int32_t>(s.ColInt(9));
  r->floors = static_cast<std::int32_t>(s.ColInt(10));
  r->total_trade = s.ColInt(11);
  r->total_qtty = s.ColInt(12);
  r->total_value = s.ColInt(13);
  r->total_qtty_pt = s.ColInt(14);
  r->total_value_pt = s.ColInt(15);
  r->all_qty = s.ColInt(16);
  r->all_value = s.ColInt(17);
  r->session = ParseSession(s.ColText(18));
  return true;
}

bool Decode(const Stmt& s, BasisRow* r, std::string*) {
  r->krx_code = SymbolCol(s, 0);
  r->legacy_code = SymbolCol(s, 1);
  r->time = TimeCols(s, 2);
  r->last = PriceCol(s, 4);
  r->spot = PriceCol(s, 5);
  r->basis = PriceCol(s, 6);
  r->basis_pct = s.ColReal(7);
  r->fair_basis = s.ColReal(8);
  r->volume = s.ColInt(9);
  return true;
}

bool Decode(const Stmt& s, AlertRow* r, std::string* error) {
  r->id = s.ColInt(0);
  r->engine_id = static_cast<std::uint64_t>(s.ColInt(1));
  const auto type = ParseAlertType(s.ColText(2));
  const auto severity = core::ParseSeverity(s.ColText(3));
  if (!type || !severity) {
    *error = "unknown alert type or severity: '" + std::string(s.ColText(2)) + "', '" +
             std::string(s.ColText(3)) + "'";
    return false;
  }
  r->type = *type;
  r->severity = *severity;
  r->symbol = SymbolCol(s, 4);
  r->rule_id = s.ColInt(5);
  r->message = std::string(s.ColText(6));
  r->value = s.ColReal(7);
  r->threshold = s.ColReal(8);
  r->time = TimeCols(s, 9);
  return true;
}

bool Decode(const Stmt& s, StoredRule* r, std::string* error) {
  core::AlertRule& rule = r->rule;
  rule.id = s.ColInt(0);
  rule.name = std::string(s.ColText(1));
  const auto metric = core::ParseMetric(s.ColText(2));
  const auto cmp = core::ParseComparison(s.ColText(4));
  const auto severity = core::ParseSeverity(s.ColText(8));
  if (!metric || !cmp || !severity) {
    *error = "rule " + std::to_string(rule.id) + " has an unknown metric, comparison or severity";
    return false;
  }
  rule.metric = *metric;
  rule.symbol = std::string(s.ColText(3));
  rule.comparison = *cmp;
  rule.threshold = s.ColReal(5);
  rule.cooldown_sec = static_cast<int>(s.ColInt(6));
  rule.enabled = s.ColInt(7) != 0;
  rule.severity = *severity;
  r->created_at = std::string(s.ColText(9));
  return true;
}

// Steps a bound statement to the end, decoding every row.
template <class T>
Result<std::vector<T>> Collect(sqlite3* db, Stmt& st) {
  Result<std::vector<T>> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    T row;
    if (!Decode(st, &row, &out.error)) {
      sqlite3_reset(st.get());
      out.value.clear();
      return out;
    }
    out.value.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE)
    out = Result<std::vector<T>>::Fail(std::string("store query failed: ") + sqlite3_errmsg(db));
  sqlite3_reset(st.get());
  return out;
}

// Inclusive bounds of a TimeRange as (date, time) pairs; false (with *error) when the range is bad.
struct Bounds {
  std::int64_t from_date, from_time, to_date, to_time;
};
bool MakeBounds(const TimeRange& r, Bounds* b, std::string* error) {
  if (r.limit <= 0) {
    *error = "limit must be positive";
    return false;
  }
  b->from_date = r.from.date.valid() ? r.from.date.ymd : kMin;
  b->from_time = r.from.date.valid() && r.from.time.valid() ? r.from.time.sec : kMin;
  b->to_date = r.to.date.valid() ? r.to.date.ymd : kMax;
  b->to_time = r.to.date.valid() && r.to.time.valid() ? r.to.time.sec : kMax;
  if (std::pair(b->from_date, b->from_time) > std::pair(b->to_date, b->to_time)) {
    *error = "range start is after its end";
    return false;
  }
  return true;
}

// SELECT ... WHERE over a (key, date, time) index with the range of a TimeRange. Parameters: ?1 key, ?2/?3
// from, ?4/?5 to (row-value comparisons: SQLite seeks the index range with them).
std::string RangeSql(std::string_view cols, std::string_view table, std::string_view key_col,
                     std::string_view time_col) {
  std::string sql = "SELECT " + std::string(cols) + " FROM " + std::string(table) + " WHERE ";
  if (!key_col.empty()) sql += std::string(key_col) + "=?1 AND ";
  sql += "(date," + std::string(time_col) + ")>=(?2,?3) AND (date," + std::string(time_col) + ")<=(?4,?5)";
  return sql;  // completed by the caller (filters) and OrderLimit
}
// ORDER BY + LIMIT ?6 of a TimeRange; `tiebreak` orders the rows of one second (rowid = arrival order).
std::string OrderLimit(std::string_view time_col, std::string_view tiebreak, Order order) {
  const char* dir = order == Order::kNewestFirst ? " DESC" : "";
  std::string sql = " ORDER BY date" + std::string(dir) + "," + std::string(time_col) + dir;
  if (!tiebreak.empty()) sql += "," + std::string(tiebreak) + dir;
  return sql + " LIMIT ?6";
}

}  // namespace

struct Reader::Conn {
  internal::Db db;
  std::unordered_map<std::string, Stmt> cache;  // prepared once per distinct SQL text

  // A cached statement, reset and ready to bind; nullptr (with *error) when it cannot be prepared.
  Stmt* Get(const std::string& sql, std::string* error) {
    auto it = cache.find(sql);
    if (it == cache.end()) {
      Stmt st;
      if (st.Prepare(db.get(), sql) != SQLITE_OK) {
        *error = std::string("store: cannot prepare query: ") + sqlite3_errmsg(db.get());
        return nullptr;
      }
      it = cache.emplace(sql, std::move(st)).first;
    }
    it->second.Reset();
    return &it->second;
  }

  template <class T>
  Result<std::vector<T>> Range(std::string_view cols, std::string_view table, std::string_view key_col,
                               std::string_view key, std::string_view time_col, std::string_view tiebreak,
                               const TimeRange& range) {
    Bounds b;
    std::string error;
    if (!MakeBounds(range, &b, &error)) return Result<std::vector<T>>::Fail(error);
    const std::string sql =
        RangeSql(cols, table, key_col, time_col) + OrderLimit(time_col, tiebreak, range.order);
    Stmt* st = Get(sql, &error);
    if (!st) return Result<std::vector<T>>::Fail(error);
    st->Text(1, key);
    st->Int(2, b.from_date);
    st->Int(3, b.from_time);
    st->Int(4, b.to_date);
    st->Int(5, b.to_time);
    st->Int(6, range.limit);
    return Collect<T>(db.get(), *st);
  }
};

Reader::Reader(const std::string& path, std::chrono::milliseconds busy_timeout)
    : conn_(std::make_unique<Conn>()) {
  conn_->db = internal::OpenDatabase(path, busy_timeout);
}

Reader::~Reader() {
  conn_->cache.clear();  // statements before their connection
}

Result<std::vector<CandleRow>> Reader::Candles(Symbol symbol, const TimeRange& range) {
  return conn_->Range<CandleRow>(kCandleCols, "candles_1m", "symbol", symbol.view(), "minute", "", range);
}

Result<std::vector<TickRow>> Reader::Ticks(Symbol symbol, const TimeRange& range) {
  return conn_->Range<TickRow>(kTickCols, "ticks", "symbol", symbol.view(), "time", "rowid", range);
}

Result<std::vector<ForeignRow>> Reader::ForeignHistory(Symbol symbol, const TimeRange& range) {
  return conn_->Range<ForeignRow>(kForeignCols, "foreign_snapshots", "symbol", symbol.view(), "time", "rowid",
                                  range);
}

Result<std::vector<ForeignRow>> Reader::ForeignDaily(Symbol symbol, Date from, Date to) {
  using R = Result<std::vector<ForeignRow>>;
  const std::int64_t lo = from.valid() ? from.ymd : kMin;
  std::int64_t hi = to.valid() ? to.ymd : kMax;
  if (lo > hi) return R::Fail("range start is after its end");
  std::string error;
  // One index seek per stored day (newest day first): the last row of the newest day <= hi, then below it.
  Stmt* st = conn_->Get("SELECT " + std::string(kForeignCols) +
                            " FROM foreign_snapshots WHERE symbol=?1 AND date>=?2 AND date<=?3 "
                            "ORDER BY date DESC, time DESC, rowid DESC LIMIT 1",
                        &error);
  if (!st) return R::Fail(error);
  R out;
  while (hi >= lo) {
    st->Reset();
    st->Text(1, symbol.view());
    st->Int(2, lo);
    st->Int(3, hi);
    const int rc = sqlite3_step(st->get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      const std::string msg = std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get());
      st->Reset();
      return R::Fail(msg);
    }
    ForeignRow row;
    Decode(*st, &row, &error);
    hi = static_cast<std::int64_t>(row.time.date.ymd) - 1;
    out.value.push_back(std::move(row));
  }
  st->Reset();
  std::reverse(out.value.begin(), out.value.end());
  return out;
}

Result<std::vector<IndexRow>> Reader::IndexHistory(Symbol id, const TimeRange& range) {
  const Symbol key = core::NormalizeIndexId(id);
  return conn_->Range<IndexRow>(kIndexCols, "index_snapshots", "index_id", key.view(), "time", "rowid",
                                range);
}

Result<std::vector<BasisRow>> Reader::BasisHistory(Symbol contract, const TimeRange& range) {
  Symbol key = contract;
  if (const auto month = core::ParseFuturesCode(contract.view())) {
    const Symbol krx = core::KrxCode(*month);
    if (!krx.empty()) key = krx;  // VN30F2603 and 41i1g3000 both find 41I1G3000
  }
  return conn_->Range<BasisRow>(kBasisCols, "futures_basis", "krx_code", key.view(), "time", "rowid", range);
}

Result<std::vector<AlertRow>> Reader::Alerts(const TimeRange& range, const AlertFilter& filter) {
  using R = Result<std::vector<AlertRow>>;
  Bounds b;
  std::string error;
  if (!MakeBounds(range, &b, &error)) return R::Fail(error);
  const std::string sql = RangeSql(kAlertCols, "alerts", "", "time") +
                          " AND (?7 IS NULL OR type=?7) AND (?8 IS NULL OR symbol=?8)" +
                          OrderLimit("time", "id", range.order);
  Stmt* st = conn_->Get(sql, &error);
  if (!st) return R::Fail(error);
  st->Int(2, b.from_date);
  st->Int(3, b.from_time);
  st->Int(4, b.to_date);
  st->Int(5, b.to_time);
  st->Int(6, range.limit);
  const Symbol sym = filter.symbol.value_or(Symbol());
  if (filter.type)
    st->Text(7, core::ToString(*filter.type));
  else
    st->Null(7);
  if (filter.symbol)
    st->Text(8, sym.view());
  else
    st->Null(8);
  return Collect<AlertRow>(conn_->db.get(), *st);
}

Result<std::vector<StoredRule>> Reader::ListRules() {
  std::string error;
  Stmt* st = conn_->Get("SELECT " + std::string(kRuleCols) + " FROM alert_rules ORDER BY id", &error);
  if (!st) return Result<std::vector<StoredRule>>::Fail(error);
  return Collect<StoredRule>(conn_->db.get(), *st);
}

Result<std::optional<StoredRule>> Reader::GetRule(std::int64_t id) {
  using R = Result<std::optional<StoredRule>>;
  std::string error;
  Stmt* st = conn_->Get("SELECT " + std::string(kRuleCols) + " FROM alert_rules WHERE id=?1", &error);
  if (!st) return R::Fail(error);
  st->Int(1, id);
  auto rows = Collect<StoredRule>(conn_->db.get(), *st);
  if (!rows.ok()) return R::Fail(rows.error);
  R out;
  if (!rows.value.empty()) out.value = std::move(rows.value.front());
  return out;
}

namespace {
void BindRule(Stmt& st, const core::AlertRule& r) {
  st.Text(2, r.name, false);
  st.Text(3, core::ToString(r.metric));
  st.Text(4, r.symbol, false);
  st.Text(5, core::ToString(r.comparison));
  st.Real(6, r.threshold);
  st.Int(7, r.cooldown_sec);
  st.Int(8, r.enabled ? 1 : 0);
  st.Text(9, core::ToString(r.severity));
}
}  // namespace

Result<std::int64_t> Reader::CreateRule(const core::AlertRule& rule) {
  using R = Result<std::int64_t>;
  std::string error;
  Stmt* st = conn_->Get(
      "INSERT INTO alert_rules(id,name,metric,symbol,comparison,threshold,cooldown_sec,enabled,severity) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
      &error);
  if (!st) return R::Fail(error);
  if (rule.id > 0)
    st->Int(1, rule.id);
  else
    st->Null(1);  // INTEGER PRIMARY KEY: NULL assigns max(id) + 1
  BindRule(*st, rule);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE) {
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      return R::Fail("rule id " + std::to_string(rule.id) + " already exists");
    return R::Fail(std::string("store: cannot create rule: ") + sqlite3_errmsg(conn_->db.get()));
  }
  R out;
  out.value = sqlite3_last_insert_rowid(conn_->db.get());
  return out;
}

Result<bool> Reader::UpdateRule(const core::AlertRule& rule) {
  using R = Result<bool>;
  std::string error;
  Stmt* st = conn_->Get(
      "UPDATE alert_rules SET "
      "name=?2,metric=?3,symbol=?4,comparison=?5,threshold=?6,cooldown_sec=?7,enabled=?8,"
      "severity=?9 WHERE id=?1",
      &error);
  if (!st) return R::Fail(error);
  st->Int(1, rule.id);
  BindRule(*st, rule);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store: cannot update rule: ") + sqlite3_errmsg(conn_->db.get()));
  R out;
  out.value = sqlite3_changes(conn_->db.get()) > 0;
  return out;
}

Result<bool> Reader::DeleteRule(std::int64_t id) {
  using R = Result<bool>;
  std::string error;
  Stmt* st = conn_->Get("DELETE FROM alert_rules WHERE id=?1", &error);
  if (!st) return R::Fail(error);
  st->Int(1, id);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store: cannot delete rule: ") + sqlite3_errmsg(conn_->db.get()));
  R out;
  out.value = sqlite3_changes(conn_->db.get()) > 0;
  return out;
}

Result<std::int64_t> Reader::FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn) {
  using R = Result<std::int64_t>;
  // Not cached: fn may run other queries on this reader while this statement is still stepping.
  Stmt st;
  if (st.Prepare(conn_->db.get(), "SELECT id,date,seq,recv_ms,text FROM frames WHERE date=?1 ORDER BY id",
                 false) != SQLITE_OK) {
    return R::Fail(std::string("store: cannot prepare query: ") + sqlite3_errmsg(conn_->db.get()));
  }
  st.Int(1, date.ymd);
  R out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    FrameView f;
    f.id = st.ColInt(0);
    f.date = Date{static_cast<std::int32_t>(st.ColInt(1))};
    f.seq = st.ColInt(2);
    f.recv_ms = st.ColInt(3);
    f.text = st.ColText(4);
    ++out.value;
    if (!fn(f)) return out;
  }
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get()));
  return out;
}

Result<std::int64_t> Reader::PruneFramesBefore(Date keep_from) {
  using R = Result<std::int64_t>;
  std::string error;
  Stmt* st = conn_->Get("DELETE FROM frames WHERE date<?1", &error);
  if (!st) return R::Fail(error);
  st->Int(1, keep_from.ymd);
  const int rc = sqlite3_step(st->get());
  st->Reset();
  if (rc != SQLITE_DONE)
    return R::Fail(std::string("store: cannot prune frames: ") + sqlite3_errmsg(conn_->db.get()));
  R out;
  out.value = sqlite3_changes(conn_->db.get());
  return out;
}

Result<std::optional<Date>> Reader::LatestTradingDate() {
  using R = Result<std::optional<Date>>;
  std::string error;
  // The date of the newest row of each rowid table: one b-tree seek each (rows are appended in exchange-time
  // order), where max(date) would scan the symbol-first indexes.
  Stmt* st = conn_->Get(
      "SELECT max(d) FROM ("
      "SELECT (SELECT date FROM ticks ORDER BY rowid DESC LIMIT 1) AS d "
      "UNION ALL SELECT (SELECT date FROM foreign_snapshots ORDER BY rowid DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT date FROM index_snapshots ORDER BY rowid DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT date FROM futures_basis ORDER BY rowid DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT date FROM alerts ORDER BY id DESC LIMIT 1) "
      "UNION ALL SELECT (SELECT max(date) FROM frames))",
      &error);
  if (!st) return R::Fail(error);
  const int rc = sqlite3_step(st->get());
  R out;
  if (rc == SQLITE_ROW) {
    if (!st->ColIsNull(0)) out.value = Date{static_cast<std::int32_t>(st->ColInt(0))};
  } else {
    out = R::Fail(std::string("store query failed: ") + sqlite3_errmsg(conn_->db.get()));
  }
  st->Reset();
  return out;
}

}  // namespace vnt::store
