#include "store/pg_conn.h"

#include "store/location.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>

namespace vnt::store::pg {

namespace {

void OneLine(std::string* s) {
  while (!s->empty() && (s->back() == '\n' || s->back() == ' ')) s->pop_back();
  for (char& c : *s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
}

template <typename T>
void PutBigEndian(std::string* out, T v) {
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(v);
  char bytes[sizeof(U)];
  for (std::size_t i = 0; i < sizeof(U); ++i) {
    bytes[sizeof(U) - 1 - i] = static_cast<char>(u & 0xff);
    u = static_cast<U>(u >> 8);
  }
  out->append(bytes, sizeof(U));
}

}  // namespace

std::int64_t Row::ColInt(int c) const {
  const std::string_view t = ColText(c);
  if (t == "t") return 1;  // boolean columns
  if (t == "f") return 0;
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

double Row::ColReal(int c) const {
  const std::string_view t = ColText(c);
  double v = 0;
  // PostgreSQL 12+ prints float8 with the shortest text that reads back to the same double (and Infinity,
  // NaN by name).
  if (t == "Infinity") return std::numeric_limits<double>::infinity();
  if (t == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

std::string Row::ColBytes(int c) const {
  std::size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row_, c)), &n);
  if (!raw) return {};
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

std::unique_ptr<Conn> Conn::Open(const std::string& url, std::string* error) {
  char* parse_error = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &parse_error);
  if (!opts) {
    *error = "malformed PostgreSQL URL '" + RedactLocation(url) + "'";
    if (parse_error) {
      std::string why = parse_error;
      OneLine(&why);
      *error += ": " + why;
      PQfreemem(parse_error);
    }
    return nullptr;
  }
  bool has_timeout = false;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (std::strcmp(o->keyword, "connect_timeout") == 0 && o->val && *o->val) has_timeout = true;
  }
  PQconninfoFree(opts);
  // Keywords first, then the URL (expanded by libpq): a timeout given in the URL wins.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* vals[] = {has_timeout ? nullptr : "5", "vntracker", url.c_str(), nullptr};
  const char* k2[] = {"application_name", "dbname", nullptr};
  const char* v2[] = {"vntracker", url.c_str(), nullptr};
  PGconn* c = has_timeout ? PQconnectdbParams(k2, v2, 1) : PQconnectdbParams(keys, vals, 1);
  if (!c) {
    *error = "out of memory connecting to PostgreSQL";
    return nullptr;
  }
  std::unique_ptr<Conn> conn(new Conn(c));
  // Server notices ("relation already exists, skipping") are not errors: keep them out of stderr.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  if (PQstatus(c) != CONNECTION_OK) {
    *error = "cannot connect to PostgreSQL at " + RedactLocation(url) + ": " + conn->Error();
    return nullptr;
  }
  return conn;
}

Conn::~Conn() {
  PQfinish(conn_);
}

std::string Conn::Error() const {
  std::string e = PQerrorMessage(conn_);
  OneLine(&e);
  return e;
}

bool Conn::Exec(std::string_view sql, std::string* error) {
  ResultPtr r(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return true;
  *error = r ? ResultError(r.get()) : Error();
  return false;
}

ResultPtr Conn::Query(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                      std::string* error, std::string* sqlstate) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  ResultPtr r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                           nullptr, nullptr, 0));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
  *error = r ? ResultError(r.get(), sqlstate) : Error();
  return nullptr;
}

std::string ResultError(const PGresult* r, std::string* sqlstate) {
  std::string e = PQresultErrorMessage(r);
  OneLine(&e);
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  if (sqlstate) *sqlstate = state ? state : "";
  if (state) e += " (SQLSTATE " + std::string(state) + ")";
  return e;
}

bool IsRowError(std::string_view sqlstate) {
  return sqlstate.size() == 5 && (sqlstate.substr(0, 2) == "22" || sqlstate.substr(0, 2) == "23");
}

CopyEncoder::CopyEncoder() {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // 11 bytes with the trailing NUL
  buf_.append(kSignature, 11);
  PutBigEndian<std::int32_t>(&buf_, 0);  // flags
  PutBigEndian<std::int32_t>(&buf_, 0);  // header extension length
}

void CopyEncoder::BeginRow(int fields) {
  PutBigEndian<std::int16_t>(&buf_, static_cast<std::int16_t>(fields));
  ++rows_;
}

void CopyEncoder::Int4(std::int32_t v) {
  PutBigEndian<std::int32_t>(&buf_, 4);
  PutBigEndian<std::int32_t>(&buf_, v);
}

void CopyEncoder::Int8(std::int64_t v) {
  PutBigEndian<std::int32_t>(&buf_, 8);
  PutBigEndian<std::int64_t>(&buf_, v);
}

void CopyEncoder::Float8(double v) {
  PutBigEndian<std::int32_t>(&buf_, 8);
  PutBigEndian<std::uint64_t>(&buf_, std::bit_cast<std::uint64_t>(v));
}

void CopyEncoder::Text(std::string_view v) {
  PutBigEndian<std::int32_t>(&buf_, static_cast<std::int32_t>(v.size()));
  buf_.append(v);
}

void CopyEncoder::Null() {
  PutBigEndian<std::int32_t>(&buf_, -1);
}

const std::string& CopyEncoder::Finish() {
  PutBigEndian<std::int16_t>(&buf_, -1);
  return buf_;
}

bool CopyIn(Conn& conn, const std::string& copy_sql, const std::string& data, std::string* error,
            std::string* sqlstate) {
  ResultPtr r(PQexec(conn.get(), copy_sql.c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) {
    *error = r ? ResultError(r.get(), sqlstate) : conn.Error();
    return false;
  }
  // libpq buffers; send in 1 MiB pieces so one call never needs a huge contiguous write.
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t off = 0; off < data.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, data.size() - off));
    if (PQputCopyData(conn.get(), data.data() + off, n) != 1) {
      *error = "COPY send failed: " + conn.Error();
      if (sqlstate) sqlstate->clear();
      return false;
    }
  }
  if (PQputCopyEnd(conn.get(), nullptr) != 1) {
    *error = "COPY end failed: " + conn.Error();
    if (sqlstate) sqlstate->clear();
    return false;
  }
  bool ok = true;
  while (PGresult* res = PQgetResult(conn.get())) {
    ResultPtr owned(res);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      *error = ResultError(res, sqlstate);
      ok = false;
    }
  }
  return ok;
}

}  // namespace vnt::store::pg
