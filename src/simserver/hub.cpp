#include "simserver/hub.h"

#include <cstdio>

#include "simserver/access_token.h"
#include "simserver/signalr.h"

namespace vnt::simserver {

Hub::Created Hub::Negotiate(std::uint64_t r1, std::uint64_t r2, double now) {
  char id[40];
  std::snprintf(id, sizeof id, "%08x-%04x-4%03x-a%03x-%012llx", static_cast<unsigned>(r1 >> 32),
                static_cast<unsigned>(r1 >> 16) & 0xffffu, static_cast<unsigned>(r1) & 0xfffu,
                static_cast<unsigned>(r2 >> 52) & 0xfffu,
                static_cast<unsigned long long>(r2 & 0xffffffffffffULL));
  // Like SignalR's protected token: opaque, with '+', '/' and '=' that clients must URL-encode.
  Created c{Base64(std::string(id) + ":" + std::to_string(r1 ^ r2), false), id};
  Conn& conn = conns_[c.token];
  conn.id = c.id;
  conn.idle_since = now;
  return c;
}

const std::string& Hub::IdOf(std::string_view token) const {
  static const std::string kUnknown = "?";
  auto it = conns_.find(std::string(token));
  return it == conns_.end() ? kUnknown : it->second.id;
}

void Hub::Attach(std::string_view token) {
  auto it = conns_.find(std::string(token));
  if (it != conns_.end()) ++it->second.transports;
}

void Hub::Detach(std::string_view token, double now) {
  auto it = conns_.find(std::string(token));
  if (it == conns_.end()) return;
  if (--it->second.transports <= 0) {
    it->second.transports = 0;
    it->second.idle_since = now;
  }
}

bool Hub::Abort(std::string_view token) {
  return conns_.erase(std::string(token)) > 0;
}

std::size_t Hub::Expire(double now) {
  std::size_t n = 0;
  for (auto it = conns_.begin(); it != conns_.end();) {
    if (it->second.transports == 0 && now - it->second.idle_since > disconnect_s_) {
      it = conns_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

Hub::Reply Hub::Invoke(std::string_view token, std::string_view text, std::string_view cursor) {
  Reply r;
  auto it = conns_.find(std::string(token));
  if (it == conns_.end()) return r;
  Conn& conn = it->second;
  auto inv = ParseInvocation(text);
  if (!inv) {
    r.log = "connection " + conn.id + ": ignored a message (" + inv.error().message + ")";
    r.failed = true;
    return r;
  }
  auto refuse = [&](std::string e) {
    r.frames.push_back(Completion(inv->id, &e));
    r.log = "connection " + conn.id + ": " + e;
    r.failed = true;
    return r;
  };
  if (!IEquals(inv->hub, kHubName)) return refuse("'" + inv->hub + "' Hub could not be resolved.");
  if (!IEquals(inv->method, "SwitchChannels")) {
    return refuse("'" + inv->method + "' method could not be resolved on hub '" + std::string(kHubName) +
                  "'.");
  }
  if (inv->args.size() != 1) return refuse("SwitchChannels takes one argument (the channel list)");
  auto specs = ParseChannels(inv->args[0]);
  if (!specs) {
    r.frames.push_back(ErrorCall(cursor, specs.error().message));
    return refuse(specs.error().message);
  }
  conn.sub.Switch(*specs, replace_);
  r.frames.push_back(Completion(inv->id, nullptr));
  r.log = "connection " + conn.id + " SwitchChannels " + inv->args[0] + " -> " + conn.sub.Describe();
  return r;
}

const Subscription* Hub::SubscriptionOf(std::string_view token) const {
  auto it = conns_.find(std::string(token));
  return it == conns_.end() ? nullptr : &it->second.sub;
}

}  // namespace vnt::simserver
