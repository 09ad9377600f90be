#pragma once
// The FcMarketDataV2Hub's connections, without I/O: negotiate creates a connection (token, id, empty
// subscription); WebSocket transports attach to it by token and detach; SwitchChannels changes its
// subscription; a connection no transport has used for DisconnectTimeout is forgotten.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "simserver/channels.h"

namespace vnt::simserver {

class Hub {
 public:
  // replace_subscriptions: a SwitchChannels call replaces everything (default: per channel type).
  Hub(bool replace_subscriptions, double disconnect_timeout_s)
      : replace_(replace_subscriptions), disconnect_s_(disconnect_timeout_s) {}

  struct Created {
    std::string token, id;
  };
  // A new connection from two random numbers of the caller; `now` in seconds of a monotonic clock.
  Created Negotiate(std::uint64_t r1, std::uint64_t r2, double now);
  // True when `token` names a live connection.
  bool Known(std::string_view token) const { return conns_.count(std::string(token)) > 0; }
  // The ConnectionId of `token` ("?" when unknown).
  const std::string& IdOf(std::string_view token) const;
  // A transport attached to / detached from the connection (detach starts its DisconnectTimeout).
  void Attach(std::string_view token);
  void Detach(std::string_view token, double now);
  // Forgets a connection (/abort); false when unknown.
  bool Abort(std::string_view token);
  // Forgets connections without a transport for longer than DisconnectTimeout; returns how many.
  std::size_t Expire(double now);
  std::size_t size() const { return conns_.size(); }

  // What an invocation sends back and logs.
  struct Reply {
    std::vector<std::string> frames;  // to the calling connection, in order
    std::string log;                  // one line for the log ("" = nothing worth logging)
    bool failed = false;              // the invocation was refused (logged as a warning)
  };
  // Handles one text message from `token`'s WebSocket. `cursor` is the "C" of any hub call it sends.
  Reply Invoke(std::string_view token, std::string_view text, std::string_view cursor);

  // The subscription of `token` (nullptr when unknown). It stays valid until Abort(token), or Expire()
  // once no transport is attached.
  const Subscription* SubscriptionOf(std::string_view token) const;

 private:
  struct Conn {
    std::string id;
    Subscription sub;
    int transports = 0;
    double idle_since = 0;  // when the last transport detached (or negotiate)
  };
  bool replace_;
  double disconnect_s_;
  std::unordered_map<std::string, Conn> conns_;
};

}  // namespace vnt::simserver
