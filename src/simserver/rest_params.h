#pragma once
// REST plumbing of the sim-server (fastconnect-v2.md §2.1), without I/O: query parameters bound like
// ASP.NET's [FromUri] (names in any case, optional "lookupRequest." prefix), paging, dd/MM/yyyy dates
// and the response envelopes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace vnt::simserver {

// Query parameters: names compared case-insensitively with "lookupRequest." stripped; values
// percent-decoded ('+' a space). A repeated name keeps its last value.
class Params {
 public:
  explicit Params(std::string_view query);
  // The value of `name` (any case), or nullopt when absent.
  std::optional<std::string> Get(std::string_view name) const;

 private:
  std::map<std::string, std::string> values_;  // lower-cased name -> value
};

// "dd/MM/yyyy" -> Date; false when malformed.
bool ParseDmy(std::string_view s, Date* out);
// Date -> "dd/MM/yyyy".
std::string FormatDmy(Date d);

// A list request's paging (pageIndex 1-10, pageSize 10/20/50/100/500/1000), date range and order.
struct PageQuery {
  int page_index = 1, page_size = 10;
  bool ascending = false;
  Date from, to;      // invalid = open
  std::string error;  // set when a parameter is invalid (the reply is then an error envelope)
  // True when d lies in [from, to].
  bool Covers(Date d) const;
};
// Reads pageIndex, pageSize, ascending, fromDate and toDate (the dates required when `dates_required`).
PageQuery ReadPageQuery(const Params& p, bool dates_required);

// {"data":[...],"message":"Success","status":"Success","totalRecord":N}: the page of `items` (JSON objects)
// that q asks for, with N = items.size().
std::string PageEnvelope(const std::vector<std::string>& items, const PageQuery& q);
// The envelope around a ready data array.
std::string Envelope(std::string_view data_array, std::int64_t total);
// {"data":null,"message":"<message>","status":"BadRequest","totalRecord":0}: a request the server refuses.
std::string ErrorEnvelope(std::string_view message, std::string_view status = "BadRequest");
// {"message":"Missing Authorization header","status":401}: SSI's REST reply (HTTP 200) without a valid token.
std::string UnauthorizedBody();

// One REST item: PascalCase keys, every value a JSON string (SSI sends numbers as strings) or null.
class ItemWriter {
 public:
  ItemWriter& Field(std::string_view key, std::string_view value);
  ItemWriter& Field(std::string_view key, Fixed4 value) { return Field(key, ToString(value)); }
  ItemWriter& Field(std::string_view key, std::int64_t value) { return Field(key, std::to_string(value)); }
  ItemWriter& Field(std::string_view key, Volume value) { return Field(key, value.raw()); }
  ItemWriter& Field(std::string_view key, Vnd value) { return Field(key, value.raw()); }
  ItemWriter& Null(std::string_view key);
  // A nested JSON value written as is (arrays of sub-items).
  ItemWriter& Raw(std::string_view key, std::string_view json);
  // The finished object.
  std::string Done() const { return out_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string out_ = "{";
};

}  // namespace vnt::simserver
