#include "store/sqlite_handle.h"

#include "store/schema.h"

namespace vnt::store::internal {

int Stmt::Prepare(sqlite3* db, std::string_view sql, bool persistent) {
  Finalize();
  return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                            persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st_, nullptr);
}

int Exec(sqlite3* db, std::string_view sql, std::string* error) {
  // sqlite3_exec needs a NUL-terminated string; migrations and pragmas are small.
  const std::string text(sql);
  char* msg = nullptr;
  const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK && error) *error = msg ? msg : sqlite3_errstr(rc);
  sqlite3_free(msg);
  return rc;
}

bool IsRowError(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return true;
    default:
      return false;
  }
}

Db OpenDatabase(const std::string& path, std::chrono::milliseconds busy_timeout, bool synchronous_full) {
  // Memory statistics make every SQLite allocation take a global mutex (a few per inserted row); nothing
  // here reads them. Only possible before SQLite initialises, hence once, before the first open.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (the writer thread, or the reader's caller).
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);  // owns the handle even when open failed (SQLite allocates one to carry the error)
  if (rc != SQLITE_OK) {
    throw StoreError("store: cannot open database '" + path +
                     "': " + (raw ? db.ErrorMessage() : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  std::string err;
  // WAL: readers never block the writer and the writer never blocks readers; the mode is stored in the file.
  if (Exec(db.get(), "PRAGMA journal_mode=WAL", &err) != SQLITE_OK) {
    throw StoreError("store: cannot switch '" + path + "' to WAL: " + err);
  }
  const char* sync = synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  if (Exec(db.get(), sync, &err) != SQLITE_OK) throw StoreError("store: " + err);
  Migrate(db.get(), path, kSchemaVersion);
  return db;
}

}  // namespace vnt::store::internal
