#pragma once
// The classic ASP.NET SignalR 2 server protocol of FastConnect Data v2 (fastconnect-v2.md §3), without
// I/O: the negotiate reply, the frames the server sends, and the hub invocations clients send.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace vnt::simserver {

inline constexpr std::string_view kHubName = "FcMarketDataV2Hub";

// The client's clientProtocol echoed as sent, clamped to [1.2, 2.1] ("1.4" stays "1.4": the C++ SDK wants
// exactly that back); "1.5" when absent or not a number.
std::string NegotiatedProtocol(std::string_view requested);

// What negotiate tells the client.
struct NegotiateInfo {
  std::string protocol, connection_token, connection_id;
  double keep_alive_s = 10;  // the server's keep-alive interval; KeepAliveTimeout is twice this
  double disconnect_s = 30;  // DisconnectTimeout: how long /reconnect can resume
};
// {"Url":"/v2.0/signalr","ConnectionToken":..,"ConnectionId":..,"KeepAliveTimeout":..,"DisconnectTimeout":..,
//  "ConnectionTimeout":110.0,"TryWebSockets":true,"ProtocolVersion":..,"TransportConnectTimeout":5.0,
//  "LongPollDelay":0.0}
std::string NegotiateReply(const NegotiateInfo& info);

// The first frame on a WebSocket: {"C":"<cursor>","S":1,"M":[]} after connect, {"C":"<cursor>","T":1,"M":[]}
// after reconnect (as fastconnect-v2.md §3.6 describes; WebSocket clients ignore "T").
std::string InitFrame(std::string_view cursor, bool reconnect);
// The completion of invocation `id`: {"I":"<id>"}, with "E":"<error>" when error is non-null.
std::string Completion(std::string_view id, const std::string* error);
// The hub calling the client's Error method: {"C":..,"M":[{"H":"FcMarketDataV2Hub","M":"Error","A":[msg]}]}.
std::string ErrorCall(std::string_view cursor, std::string_view message);
// The replies of the other endpoints.
inline constexpr std::string_view kStartReply = R"({ "Response": "started" })";
inline constexpr std::string_view kPingReply = R"({ "Response": "pong" })";
inline constexpr std::string_view kKeepAlive = "{}";

// A frame cut in the middle, so it is no longer JSON (--fault-malformed-every); the cut never splits a
// UTF-8 character, so the WebSocket text frame stays valid.
std::string GarbleFrame(std::string_view frame);

// A client -> server hub invocation {"H":..,"M":..,"A":[..],"I":..}.
struct Invocation {
  std::string hub, method;
  std::string id;                 // "I", a number or a string on the wire
  std::vector<std::string> args;  // string arguments as strings, others as their JSON text
};
// Parses an invocation (keys in any case); an error (kParse) when it is not one.
Result<Invocation> ParseInvocation(std::string_view text);

}  // namespace vnt::simserver
