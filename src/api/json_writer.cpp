#include "api/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace vnt::api {

void AppendQuoted(std::string_view s, std::string* out) {
  AppendJsonString(s, out);
}

void JsonWriter::Separate() {
  if (need_comma_) out_->push_back(',');
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_->push_back('{');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  out_->push_back('}');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_->push_back('[');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  out_->push_back(']');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::Key(std::string_view k) {
  Separate();
  AppendQuoted(k, out_);
  out_->push_back(':');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view v) {
  Separate();
  AppendQuoted(v, out_);
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::Int(std::int64_t v) {
  Separate();
  *out_ += std::to_string(v);
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::Price(Fixed4 v) {
  Separate();
  char buf[32];
  out_->append(buf, static_cast<std::size_t>(FormatFixed4(v, buf)));
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::Double(double v, int decimals) {
  Separate();
  // Fixed notation of the largest double is 309 digits + sign + point + decimals: the buffer holds any
  // finite value; to_chars reports (never overruns) if it would not.
  char buf[400];
  decimals = std::clamp(decimals, 0, 17);
  const auto res = std::isfinite(v)
                       ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals)
                       : std::to_chars_result{buf, std::errc::value_too_large};
  if (res.ec != std::errc()) {
    *out_ += "null";
  } else {
    char* end = res.ptr;
    // Trim trailing zeros (and a bare '.') so 1.500000 -> 1.5 and 2.000000 -> 2.
    if (std::find(buf, end, '.') != end) {
      while (end[-1] == '0') --end;
      if (end[-1] == '.') --end;
    }
    std::string_view text(buf, static_cast<std::size_t>(end - buf));
    if (text == "-0") text = "0";
    out_->append(text);
  }
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  *out_ += v ? "true" : "false";
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::Null() {
  Separate();
  *out_ += "null";
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_->append(json);
  need_comma_ = true;
  return *this;
}

}  // namespace vnt::api
