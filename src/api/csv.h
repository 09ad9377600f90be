#pragma once
// CSV export of the REST answers (`?format=csv`): the rows of a JSON document as RFC 4180 text that Excel
// opens as UTF-8 (a byte-order mark, CRLF line ends, fields quoted when they hold a comma, quote or line
// break). Columns carry the JSON member names, so a CSV column traces to the same field of the JSON answer:
// nested objects become dotted names ("foreign.buy_vol", "sessions.ato.buy_vol"), an array stays as its
// JSON text in one cell, null is an empty cell, numbers keep the value the JSON has (shortest round-trip
// form). The columns are the union of the rows' members in order of first appearance.

#include <string>
#include <string_view>

#include "common/result.h"

namespace vnt::api {

// rows_key "": the document is an array of objects; otherwise the member `rows_key` of the top-level object,
// an array of objects or an object whose members are the rows (a "key" column is added for its names when a
// row does not carry "symbol"). An error when the document has no such rows: kParse for text that is not
// JSON or rows that are neither an array nor an object, kNotFound for a missing `rows_key` (its field).
Result<std::string> JsonToCsv(std::string_view json, std::string_view rows_key);

// A name safe in a Content-Disposition filename: letters, digits, '-', '_' and '.' kept, others '_'.
std::string SafeFileName(std::string_view s);

}  // namespace vnt::api
