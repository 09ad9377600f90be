#include "api/csv.h"

#include <simdjson.h>

#include <charconv>
#include <map>
#include <utility>
#include <vector>

namespace vnt::api {

namespace {

using Row = std::vector<std::pair<std::string, std::string>>;  // column -> cell text, in row order

std::string Scalar(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::INT64:
      return std::to_string(int64_t(e));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(uint64_t(e));
    case simdjson::dom::element_type::DOUBLE: {
      char buf[32];
      // Shortest text that reads back as the same double: the JSON's "0.1" stays "0.1".
      const auto r = std::to_chars(buf, buf + sizeof buf, double(e));
      return std::string(buf, r.ptr);
    }
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(e));
    case simdjson::dom::element_type::BOOL:
      return bool(e) ? "true" : "false";
    case simdjson::dom::element_type::NULL_VALUE:
      return {};
    case simdjson::dom::element_type::ARRAY:
    case simdjson::dom::element_type::OBJECT:
      break;
  }
  return simdjson::minify(e);
}

void Flatten(simdjson::dom::element e, const std::string& prefix, Row* row) {
  if (e.type() == simdjson::dom::element_type::OBJECT) {
    for (auto [key, value] : simdjson::dom::object(e)) {
      Flatten(value, prefix.empty() ? std::string(key) : prefix + "." + std::string(key), row);
    }
    return;
  }
  row->emplace_back(prefix, Scalar(e));
}

void Cell(std::string* out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

Result<std::string> JsonToCsv(std::string_view json, std::string_view rows_key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc)) return Error{ErrorCode::kParse, "not JSON"};
  simdjson::dom::element rows = doc;
  if (!rows_key.empty() && (!doc.is_object() || doc[rows_key].get(rows)))
    return Error{ErrorCode::kNotFound, "no member '" + std::string(rows_key) + "'", std::string(rows_key)};
  std::vector<Row> table;
  if (rows.is_array()) {
    for (simdjson::dom::element r : simdjson::dom::array(rows)) {
      Row row;
      Flatten(r, r.is_object() ? "" : "value", &row);
      table.push_back(std::move(row));
    }
  } else if (rows.is_object()) {
    for (auto [key, value] : simdjson::dom::object(rows)) {
      Row row;
      if (!value.is_object() || value["symbol"].error()) row.emplace_back("key", std::string(key));
      Flatten(value, value.is_object() ? "" : "value", &row);
      table.push_back(std::move(row));
    }
  } else {
    return Error{ErrorCode::kParse, "the rows are neither an array nor an object", std::string(rows_key)};
  }
  // Columns: every member any row has, in order of first appearance.
  std::vector<std::string> columns;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const Row& row : table) {
    for (const auto& [name, value] : row) {
      if (index.emplace(name, columns.size()).second) columns.push_back(name);
    }
  }
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark: Excel then reads Vietnamese text correctly
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    Cell(&out, columns[i]);
  }
  out += "\r\n";
  std::vector<const std::string*> cells(columns.size());
  for (const Row& row : table) {
    std::fill(cells.begin(), cells.end(), nullptr);
    for (const auto& [name, value] : row) cells[index.find(name)->second] = &value;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out.push_back(',');
      if (cells[i]) Cell(&out, *cells[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string SafeFileName(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    out.push_back(ok ? c : '_');
  }
  return out;
}

}  // namespace vnt::api
