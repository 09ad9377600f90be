#include "simserver/signalr.h"

#include <simdjson.h>

#include <charconv>
#include <cstdio>

#include "simserver/ascii.h"

namespace vnt::simserver {

namespace {

// Seconds as .NET writes a TimeSpan's TotalSeconds: "20.0", "0.4".
std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  std::string out = buf;
  while (out.size() > 1 && out.back() == '0' && out[out.size() - 2] != '.') out.pop_back();
  return out;
}

}  // namespace

std::string NegotiatedProtocol(std::string_view requested) {
  requested = TrimSpaces(requested);
  double v = 0;
  auto [p, ec] = std::from_chars(requested.data(), requested.data() + requested.size(), v);
  if (requested.empty() || ec != std::errc() || p != requested.data() + requested.size()) return "1.5";
  if (v < 1.2) return "1.2";
  if (v > 2.1) return "2.1";
  return std::string(requested);
}

std::string NegotiateReply(const NegotiateInfo& info) {
  return R"({"Url":"/v2.0/signalr","ConnectionToken":)" + JsonQuote(info.connection_token) +
         R"(,"ConnectionId":)" + JsonQuote(info.connection_id) + R"(,"KeepAliveTimeout":)" +
         Seconds(2 * info.keep_alive_s) + R"(,"DisconnectTimeout":)" + Seconds(info.disconnect_s) +
         R"(,"ConnectionTimeout":110.0,"TryWebSockets":true,"ProtocolVersion":)" + JsonQuote(info.protocol) +
         R"(,"TransportConnectTimeout":5.0,"LongPollDelay":0.0})";
}

std::string InitFrame(std::string_view cursor, bool reconnect) {
  return R"({"C":)" + JsonQuote(cursor) + (reconnect ? R"(,"T":1,"M":[]})" : R"(,"S":1,"M":[]})");
}

std::string Completion(std::string_view id, const std::string* error) {
  std::string out = R"({"I":)" + JsonQuote(id);
  if (error) out += R"(,"E":)" + JsonQuote(*error);
  return out + "}";
}

std::string ErrorCall(std::string_view cursor, std::string_view message) {
  return R"({"C":)" + JsonQuote(cursor) + R"(,"M":[{"H":)" + JsonQuote(kHubName) + R"(,"M":"Error","A":[)" +
         JsonQuote(message) + "]}]}";
}

std::string GarbleFrame(std::string_view frame) {
  std::size_t cut = frame.size() / 2;
  while (cut > 0 && (static_cast<unsigned char>(frame[cut]) & 0xC0) == 0x80) --cut;
  return std::string(frame.substr(0, cut));
}

Result<Invocation> ParseInvocation(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(text.data(), text.size(), true).get(obj)) {
    return Error{ErrorCode::kParse, "not a JSON object"};
  }
  Invocation inv;
  bool has_method = false, has_id = false;
  for (auto field : obj) {
    std::string_view s;
    if (IEquals(field.key, "H") && !field.value.get_string().get(s)) {
      inv.hub = std::string(s);
    } else if (IEquals(field.key, "M") && !field.value.get_string().get(s)) {
      inv.method = std::string(s);
      has_method = true;
    } else if (IEquals(field.key, "I")) {
      std::int64_t n = 0;
      if (!field.value.get_string().get(s)) {
        inv.id = std::string(s);
        has_id = true;
      } else if (!field.value.get_int64().get(n)) {
        inv.id = std::to_string(n);
        has_id = true;
      }
    } else if (IEquals(field.key, "A")) {
      simdjson::dom::array args;
      if (field.value.get_array().get(args)) continue;
      for (simdjson::dom::element a : args) {
        if (!a.get_string().get(s)) {
          inv.args.emplace_back(s);
        } else {
          inv.args.push_back(simdjson::minify(a));
        }
      }
    }
  }
  if (!has_method || !has_id) {
    return Error{ErrorCode::kParse, "not a hub invocation (it needs M and I)"};
  }
  return inv;
}

}  // namespace vnt::simserver
