#pragma once
// Writes SSI FastConnect v2 Broadcast frames exactly as the hub sends them (fastconnect-v2.md §3.4):
//   {"C":"<cursor>","M":[{"H":"FcMarketDataV2Hub","M":"Broadcast","A":["<payload>"]}]}
// where <payload> is the JSON string of {"DataType":"<type>","Content":"<content>"} and <content> is
// itself a JSON string (double encoding). Content keys and values are appended already escaped twice, so
// a frame is built in one pass with no intermediate strings. Numbers follow .NET's formatting: doubles
// keep ".0" when whole (22950.0), integers do not (23050).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.h"

namespace vnt::sim {

// Appends one frame to a string. Usage: Begin, then one call per Content key in SSI's order, then End.
class FrameBuilder {
 public:
  // Starts a frame in *out (cleared first) with message cursor `cursor` and DataType `data_type`.
  void Begin(std::string* out, std::string_view cursor, std::string_view data_type);
  // "key":"value"; value must not contain '"' or '\\' (tickers, dates, session codes).
  void Str(std::string_view key, std::string_view value);
  // "key":null
  void Null(std::string_view key);
  // A .NET double: 22950.0, 1283.9, -6.1, 0.0.
  void Dbl(std::string_view key, Fixed4 v);
  // A whole number serialised as a .NET double: 100.0, 201713015000.0.
  void DblInt(std::string_view key, std::int64_t v);
  // A .NET integer: 23050, 18.
  void Int(std::string_view key, std::int64_t v);
  // A decimal without a forced ".0": 23050 or 1283.9 (Highest/Lowest, B bars).
  void Plain(std::string_view key, Fixed4 v);
  // Closes Content, payload and envelope.
  void End();

 private:
  void Key(std::string_view key);
  std::string* out_ = nullptr;
  bool first_ = true;
};

// "dd/MM/yyyy" (TradingDate).
std::string FormatTradingDate(Date d);
// "HH:mm:ss" (Time) written into 8 chars at out.
void FormatTime(TimeOfDay t, char out[8]);

}  // namespace vnt::sim
