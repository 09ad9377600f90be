#include "api/json_writer.h"

#include <cmath>
#include <cstdio>

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
  if (!std::isfinite(v)) {
    *out_ += "null";
  } else {
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    // Trim trailing zeros (and a bare '.') so 1.500000 -> 1.5 and 2.000000 -> 2.
    while (n > 1 && buf[n - 1] == '0') --n;
    if (n > 1 && buf[n - 1] == '.') --n;
    if (n == 2 && buf[0] == '-' && buf[1] == '0') {
      buf[0] = '0';
      n = 1;
    }
    out_->append(buf, static_cast<std::size_t>(n));
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
