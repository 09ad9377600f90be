#include "bus/redis_conn.h"

namespace vnt::bus {

namespace {
timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}
}  // namespace

Reply Command(redisContext* c, const std::vector<std::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (std::string_view a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return Reply(
      static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data())));
}

Result<Context> Connect(const RedisUrl& url, std::chrono::milliseconds timeout) {
  Context c(redisConnectWithTimeout(url.host.c_str(), url.port, ToTimeval(timeout)));
  if (!c || c->err) {
    return Error{ErrorCode::kIo,
                 "cannot connect to " + url.Redacted() + ": " + (c ? c->errstr : "out of memory")};
  }
  redisSetTimeout(c.get(), ToTimeval(timeout));
  redisEnableKeepAlive(c.get());
  auto check = [&](Reply r, const char* what) -> Status {
    if (!r)
      return Error{ErrorCode::kIo, std::string(what) + " failed on " + url.Redacted() + ": " + c->errstr};
    if (r->type == REDIS_REPLY_ERROR) {
      return Error{ErrorCode::kRejected,
                   std::string(what) + " failed on " + url.Redacted() + ": " + std::string(r->str, r->len)};
    }
    return {};
  };
  if (!url.password.empty()) {
    if (Status st = check(Command(c.get(), {"AUTH", url.password}), "AUTH"); !st)
      return std::move(st).error();
  }
  if (url.db != 0) {
    if (Status st = check(Command(c.get(), {"SELECT", std::to_string(url.db)}), "SELECT"); !st) {
      return std::move(st).error();
    }
  }
  return c;
}

std::string SnapshotKey(server::WsChannel c) {
  return "vnt:" + std::string(server::ToString(c)) + ":snapshot";
}
std::string StreamKey(server::WsChannel c) {
  return "vnt:" + std::string(server::ToString(c)) + ":stream";
}
std::string EntryId(std::uint64_t epoch, std::uint64_t seq) {
  return std::to_string(epoch) + "-" + std::to_string(seq);
}

}  // namespace vnt::bus
