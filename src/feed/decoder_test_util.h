#pragma once
// Shared helpers of the decoder tests (decoder_test.cpp, fast_path_test.cpp, json_path_test.cpp,
// field_values_test.cpp, event_builder_test.cpp): frames written the way the hub writes them, a decode
// with a fresh decoder, and a known-good X-TRADE Content to break in one place.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "feed/decoder.h"

namespace vnt::feed::decoder_test {

// Quotes s as the hub does, byte for byte: invalid UTF-8 is kept (AppendJsonString would replace it, and the
// broken-frame tests need the broken bytes on the wire).
inline std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[(c >> 4) & 15]);
      out.push_back(kHex[c & 15]);
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Wraps a Broadcast argument the way the hub sends it: A[0] is the payload as a JSON string.
inline std::string Frame(std::string_view payload, std::string_view hub = "FcMarketDataV2Hub",
                         std::string_view method = "Broadcast") {
  return std::string("{\"C\":\"d-1F2A,0|B,1\",\"M\":[{\"H\":\"") + std::string(hub) + "\",\"M\":\"" +
         std::string(method) + "\",\"A\":[" + JsonString(payload) + "]}]}";
}

// {"DataType":dt,"Content":"<content as JSON string>"}: SSI's double encoding.
inline std::string Payload(std::string_view datatype, std::string_view content) {
  return std::string("{\"DataType\":\"") + std::string(datatype) + "\",\"Content\":" + JsonString(content) +
         "}";
}

struct Decoded {
  DecodeOutput out;
  bool ok = false;
};

inline Decoded Decode(std::string_view frame) {
  Decoder d;
  Decoded r;
  r.ok = d.Decode(frame, r.out);
  return r;
}

template <typename T>
const T& Only(const Decoded& r) {
  EXPECT_TRUE(r.ok) << (r.out.errors.empty() ? "" : r.out.errors[0].detail);
  EXPECT_EQ(r.out.events.size(), 1u);
  static const T empty{};
  if (r.out.events.size() != 1 || !std::holds_alternative<T>(r.out.events[0])) {
    ADD_FAILURE() << "unexpected event type";
    return empty;
  }
  return std::get<T>(r.out.events[0]);
}

inline ErrorKind OnlyError(std::string_view frame) {
  Decoded r = Decode(frame);
  EXPECT_FALSE(r.ok) << frame.substr(0, 200);
  EXPECT_TRUE(r.out.events.empty());
  if (r.out.errors.empty()) return ErrorKind::kCount;
  return r.out.errors[0].kind;
}

inline Price P(std::string_view s) {
  Price p;
  std::int64_t whole = 0, frac = 0, scale = 1000;
  bool neg = false, dot = false;
  for (char c : s) {
    if (c == '-')
      neg = true;
    else if (c == '.')
      dot = true;
    else if (!dot)
      whole = whole * 10 + (c - '0');
    else {
      frac += (c - '0') * scale;
      scale /= 10;
    }
  }
  p.raw = (whole * Fixed4::kScale + frac) * (neg ? -1 : 1);
  return p;
}

// A valid X-TRADE Content, the base of the broken-frame tests.
inline const std::string kGoodContent =
    "{\"RType\":\"X-TRADE\",\"TradingDate\":\"14/08/2023\",\"Time\":\"14:07:53\",\"Symbol\":\"ACB\","
    "\"LastPrice\":22950.0,\"LastVol\":100.0,\"TotalVol\":8797700.0,\"TotalVal\":201713015000.0}";

// The good Content with one more key and value, in a full frame.
inline std::string WithField(std::string_view field_json) {
  std::string c = kGoodContent;
  c.insert(c.size() - 1, "," + std::string(field_json));
  return Frame(Payload("X-TRADE", c));
}
// s with the first `from` replaced by `to` (which must be there).
inline std::string Replace(std::string s, std::string_view from, std::string_view to) {
  const auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

}  // namespace vnt::feed::decoder_test
