#pragma once
// A blocking hiredis connection (Debian's hiredis 0.14 has no Asio adapter): each bus part runs it on a
// thread of its own, so Redis being slow or down never blocks the event loop. Keys (one set per channel):
//   vnt:{channel}:snapshot  the channel's latest snapshot message (JSON, with its epoch and seq)
//   vnt:{channel}:stream    the deltas, a Redis Stream, entry id EPOCH-SEQ, field "m" = the message

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bus/redis_url.h"
#include "server/publisher.h"

namespace vnt::bus {

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Context = std::unique_ptr<redisContext, ContextFree>;
using Reply = std::unique_ptr<redisReply, ReplyFree>;

// Connects (AUTH and SELECT as the URL says) with `timeout` for the connect and each command; an error
// (kIo when unreachable, kRejected when Redis refuses AUTH or SELECT) when it fails.
Result<Context> Connect(const RedisUrl& url, std::chrono::milliseconds timeout);
// Runs one command (binary-safe arguments); null when the connection failed (see c->errstr).
Reply Command(redisContext* c, const std::vector<std::string_view>& args);

std::string SnapshotKey(server::WsChannel c);
std::string StreamKey(server::WsChannel c);
// The stream entry id of a message: "EPOCH-SEQ".
std::string EntryId(std::uint64_t epoch, std::uint64_t seq);

}  // namespace vnt::bus
