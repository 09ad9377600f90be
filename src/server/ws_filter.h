#pragma once
// Narrowing a channel message to a client's symbol filter, and reading a message's header. Every message
// is built once for all symbols (the publisher's, or one received from the bus) and narrowed here, per
// distinct filter: the engine node and every edge run this one function over the same bytes, so clients
// with the same filter get the same bytes wherever they are connected. Pure.
//
// What a filter narrows: market and foreign `data.symbols` (by key), trades `data.trades` (by each
// trade's symbol), alerts (the alert's symbol, contract or alias; a snapshot's `data.alerts`). Index
// messages, market indices/futures and foreign totals are for everyone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/publisher.h"

namespace vnt::server {

// The message for a client with `names` (empty = everything: `msg` itself); nullopt when nothing in it
// is for that client (an alert about another symbol). `names` should hold every code a futures alias
// stands for (the caller expands it). A message that is not of the publisher's shape passes unchanged.
std::optional<std::string> FilterMessage(WsChannel c, std::string_view msg, const SymbolFilter& names);

// The header members every message carries: {"type":..,"channel":..,"seq":N,"epoch":E,...}.
struct MessageHead {
  std::string type;     // snapshot | delta | alert
  std::string channel;  // market | foreign | index | alerts | trades
  std::uint64_t seq = 0, epoch = 0;
  bool full = false;         // a delta that replaces the state (a new trading day)
  std::int64_t sent_ms = 0;  // when the engine built it (Unix ms), 0 = not stamped
};
// False when `msg` does not start with the header (not a channel message).
bool ReadHead(std::string_view msg, MessageHead* out);

}  // namespace vnt::server
