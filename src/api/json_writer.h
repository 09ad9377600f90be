#pragma once
// A small streaming JSON writer: appends compact JSON to a std::string, inserting commas itself.
// Numbers: integers exactly, Fixed4 prices as their shortest decimal, doubles with up to 6 significant
// decimals (never exponent form, never NaN: non-finite doubles are written as null).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace vnt::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The key of the next value (inside an object).
  JsonWriter& Key(std::string_view k);

  JsonWriter& String(std::string_view v);
  JsonWriter& Int(std::int64_t v);
  JsonWriter& Price(Fixed4 v);
  JsonWriter& Double(double v, int decimals = 6);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // A value that is already JSON text (written by another JsonWriter), inserted as is.
  JsonWriter& Raw(std::string_view json);
  // Writes an empty string as null.
  JsonWriter& StringOrNull(std::string_view v) { return v.empty() ? Null() : String(v); }
  template <typename T>
  JsonWriter& Optional(const std::optional<T>& v) {
    if (!v) return Null();
    if constexpr (std::is_same_v<T, Fixed4>)
      return Price(*v);
    else if constexpr (std::is_floating_point_v<T>)
      return Double(*v);
    else if constexpr (std::is_same_v<T, Volume> || std::is_same_v<T, Vnd>)
      return Int(v->raw());
    else
      return Int(static_cast<std::int64_t>(*v));
  }

  // Key + value shorthands.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, std::int64_t v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, int v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, Volume v) { return Key(k).Int(v.raw()); }
  JsonWriter& Field(std::string_view k, Vnd v) { return Key(k).Int(v.raw()); }
  JsonWriter& Field(std::string_view k, Fixed4 v) { return Key(k).Price(v); }
  JsonWriter& Field(std::string_view k, double v) { return Key(k).Double(v); }
  JsonWriter& Field(std::string_view k, bool v) { return Key(k).Bool(v); }

 private:
  void Separate();
  std::string* out_;
  bool need_comma_ = false;
};

// Appends s as a quoted, escaped JSON string.
void AppendQuoted(std::string_view s, std::string* out);

}  // namespace vnt::api
