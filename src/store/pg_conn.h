#pragma once
// libpq, wrapped for the store: RAII connection and result (errors carry the URL with its password redacted),
// a reader of text-format result rows with the same column accessors as the SQLite statement (so one set of
// row decoders serves both stores), and the binary COPY encoder of the writer. libpq stays out of every
// header above the store: only the store's PostgreSQL translation units include this one.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnt::store::pg {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// One text-format result row, read like internal::Stmt's columns.
class Row {
 public:
  Row(const PGresult* r, int row) : r_(r), row_(row) {}
  bool ColIsNull(int c) const { return PQgetisnull(r_, row_, c) != 0; }
  std::int64_t ColInt(int c) const;
  double ColReal(int c) const;
  std::string_view ColText(int c) const {
    return {PQgetvalue(r_, row_, c), static_cast<std::size_t>(PQgetlength(r_, row_, c))};
  }
  // A bytea column in hex output ("\x4142..."), decoded.
  std::string ColBytes(int c) const;

 private:
  const PGresult* r_;
  int row_;
};

// One connection. Not thread-safe: one per thread.
class Conn {
 public:
  // Connects (connect_timeout 5 s unless the URL sets one). nullptr with *error (password redacted).
  static std::unique_ptr<Conn> Open(const std::string& url, std::string* error);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  PGconn* get() const { return conn_; }
  // False once the connection is lost (a reset server, a network failure).
  bool alive() const { return PQstatus(conn_) == CONNECTION_OK; }
  // The last error message of the connection, one line.
  std::string Error() const;

  // Runs SQL (one or more statements, no parameters); false with *error.
  bool Exec(std::string_view sql, std::string* error);
  // Runs one statement with text parameters (nullopt = NULL); the result when it succeeded (tuples or
  // command), else nullptr with *error (and *sqlstate when given).
  ResultPtr Query(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                  std::string* error, std::string* sqlstate = nullptr);

 private:
  explicit Conn(PGconn* c) : conn_(c) {}
  PGconn* conn_;
};

// The error text of a failed result plus its SQLSTATE, one line.
std::string ResultError(const PGresult* r, std::string* sqlstate = nullptr);
// True for SQLSTATEs caused by the data of one row (classes 22 data exception and 23 integrity), which a
// retry cannot fix; everything else (connection, resources, locks) is worth retrying.
bool IsRowError(std::string_view sqlstate);

// Encodes rows in PostgreSQL's binary COPY format (network byte order).
class CopyEncoder {
 public:
  CopyEncoder();
  void BeginRow(int fields);
  void Int4(std::int32_t v);
  void Int8(std::int64_t v);
  void Float8(double v);
  void Text(std::string_view v);
  void Bytes(std::string_view v) { Text(v); }  // bytea travels as its raw bytes
  void Null();
  // The complete stream (header, rows, trailer).
  const std::string& Finish();
  std::size_t rows() const { return rows_; }

 private:
  std::string buf_;
  std::size_t rows_ = 0;
};

// Runs `COPY table(cols) FROM STDIN (FORMAT binary)` with the encoded stream; false with *error/*sqlstate.
bool CopyIn(Conn& conn, const std::string& copy_sql, const std::string& data, std::string* error,
            std::string* sqlstate);

}  // namespace vnt::store::pg
