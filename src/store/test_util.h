#pragma once
// Helpers shared by the store tests: a temporary directory per test and raw SQLite access to inspect files.

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/history_sql.h"
#include "store/rows.h"

namespace vnt::store::testing {

// A fresh directory under TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/vnt_store_test_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // A file path inside the directory.
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A raw connection for assertions the public API does not offer (integrity_check, sqlite_master, ...).
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << "open " << path;
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  sqlite3* get() const { return db_; }
  // Runs SQL; returns the SQLite code.
  int Exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  // First column of the first row as text ("" when no row).
  std::string Text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "prepare: " << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }
  // First column of the first row as an integer (-1 when no row).
  std::int64_t Int(const std::string& sql) {
    const std::string t = Text(sql);
    return t.empty() ? -1 : std::stoll(t);
  }

 private:
  sqlite3* db_ = nullptr;
};

inline constexpr Date kDay = Date::Of(2026, 3, 10);

inline ExchangeTime At(int h, int m, int s, Date d = kDay) {
  return ExchangeTime{d, TimeOfDay::Of(h, m, s)};
}

// A tick whose volume carries a sequence number (for prefix checks).
inline TickRow Tick(std::int64_t n, ExchangeTime t = At(10, 0, 0), std::string_view symbol = "FPT") {
  TickRow r;
  r.symbol = Symbol::Of(symbol);
  r.time = t;
  r.price = Price::FromInt(22950);
  r.volume = Volume{n};
  r.value = Vnd{22950 * n};
  r.side = core::Aggressor::kBuy;
  r.method = core::ClassifyMethod::kQuote;
  r.session = Session::kLo;
  r.bid = Price::FromInt(22900);
  r.ask = Price::FromInt(22950);
  return r;
}

// The count of rows that differ between candles_1d and the daily bars aggregated on request from candles_1m
// by the reader's own bucket query (history_sql.h AggregatedCandlesSql with a day's bucket, over every
// symbol and date): 0 when the table holds exactly what that aggregation answers. Runs on both stores.
inline std::string DailyBarsMismatchSql() {
  std::string agg = internal::AggregatedCandlesSql();
  const auto replace = [&](std::string_view from, std::string_view to) {
    const auto at = agg.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) agg.replace(at, from.size(), to);
  };
  replace("WHERE symbol = ?1 AND date >= ?2 AND date <= ?3", "");
  replace(" ORDER BY date, bucket LIMIT ?5", "");
  for (auto at = agg.find("?4"); at != std::string::npos; at = agg.find("?4")) agg.replace(at, 2, "86400");
  const std::string table =
      "SELECT symbol,date,minute,open,high,low,close,volume,buy_vol,sell_vol,neutral_vol,value,trade_count "
      "FROM candles_1d";
  return "SELECT (SELECT count(*) FROM (" + agg + " EXCEPT " + table + ") a) + (SELECT count(*) FROM (" +
         table + " EXCEPT " + agg + ") b)";
}

// A one-minute candle of `symbol` at 09:15 + m; open/close 0 = a minute without a price at that end.
inline CandleRow Minute(std::string_view symbol, Date d, int m, int open, int close, std::int64_t vol) {
  CandleRow c;
  c.symbol = Symbol::Of(symbol);
  c.date = d;
  c.minute = 9 * 3600 + (15 + m) * 60;
  c.open = Price::FromInt(open);
  c.close = Price::FromInt(close);
  c.high = Price::FromInt(std::max(open, close) + 5 * (m % 3));
  c.low = open && close ? Price::FromInt(std::min(open, close) - 5 * (m % 4)) : Price{};
  c.volume = Volume{vol};
  c.buy_vol = Volume{vol / 2};
  c.sell_vol = Volume{vol / 3};
  c.neutral_vol = Volume{vol - vol / 2 - vol / 3};
  c.value = Vnd{vol * 1000};
  c.trade_count = 1 + m % 5;
  return c;
}

}  // namespace vnt::store::testing
