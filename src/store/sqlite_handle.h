#pragma once
// Internal RAII wrappers over the SQLite C API for the store's translation units. Not part of the public API:
// only .cpp files of src/store (and its tests) include this header.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace vnt::store::internal {

// Owns one connection.
class Db {
 public:
  Db() = default;
  explicit Db(sqlite3* db) : db_(db) {}
  Db(Db&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  Db& operator=(Db&& o) noexcept {
    if (this != &o) {
      Close();
      db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { Close(); }

  // The raw handle (nullptr when closed).
  sqlite3* get() const { return db_; }
  // The connection's last error message.
  std::string ErrorMessage() const { return db_ ? sqlite3_errmsg(db_) : "no connection"; }
  // Closes the connection (statements must be finalised first: Stmt objects die before their Db).
  void Close() {
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Owns one prepared statement.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& o) noexcept : st_(std::exchange(o.st_, nullptr)) {}
  Stmt& operator=(Stmt&& o) noexcept {
    if (this != &o) {
      Finalize();
      st_ = std::exchange(o.st_, nullptr);
    }
    return *this;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { Finalize(); }

  // Prepares `sql` (persistent: kept for the connection's lifetime); returns the SQLite result code.
  int Prepare(sqlite3* db, std::string_view sql, bool persistent = true);
  sqlite3_stmt* get() const { return st_; }
  // Resets the statement and clears its bindings so it can run again.
  void Reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  void Finalize() {
    if (st_) sqlite3_finalize(st_);
    st_ = nullptr;
  }

  // Binding helpers (1-based parameter index). Text is bound SQLITE_TRANSIENT unless `stable` says the bytes
  // outlive the next step.
  void Int(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
  void Real(int i, double v) { sqlite3_bind_double(st_, i, v); }
  // Always text, never NULL: SQLite binds a null pointer as NULL, and an empty string_view may have one.
  void Text(int i, std::string_view v, bool stable = true) {
    sqlite3_bind_text(st_, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                      stable ? SQLITE_STATIC : SQLITE_TRANSIENT);
  }
  void Null(int i) { sqlite3_bind_null(st_, i); }
  void Blob(int i, std::string_view v) {
    sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }

  // Column readers (0-based).
  std::int64_t ColInt(int i) const { return sqlite3_column_int64(st_, i); }
  double ColReal(int i) const { return sqlite3_column_double(st_, i); }
  bool ColIsNull(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
  std::string_view ColBlob(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, i));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, i)))
             : std::string_view();
  }
  std::string_view ColText(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, i)))
             : std::string_view();
  }

 private:
  sqlite3_stmt* st_ = nullptr;
};

// Runs one or more SQL statements without results; returns the SQLite result code and sets *error on failure.
int Exec(sqlite3* db, std::string_view sql, std::string* error = nullptr);

// Opens (creating when absent) a database file with the store's settings: extended result codes, busy
// timeout, WAL journal, synchronous=NORMAL (a commit survives a process crash; the last commits may be lost
// on power loss, never corrupted), then applies the migrations. Throws StoreError with a clear message.
Db OpenDatabase(const std::string& path, std::chrono::milliseconds busy_timeout,
                bool synchronous_full = false);

// Applies migrations up to `target` on an open connection (each in its own IMMEDIATE transaction). Throws
// StoreError when the file's version is newer than this build's kSchemaVersion.
void Migrate(sqlite3* db, const std::string& path, int target);

// True for result codes that condemn one row only (constraint, type mismatch, too big, bad parameter): the
// writer skips such a row. Every other failure (busy, full, I/O, read-only, corrupt...) fails the whole
// batch, which is kept and retried, so no accepted row is lost to an error that is not about the row itself.
bool IsRowError(int rc);

}  // namespace vnt::store::internal
