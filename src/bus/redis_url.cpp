#include "bus/redis_url.h"

#include <charconv>

namespace vnt::bus {

namespace {
bool ToInt(std::string_view s, int lo, int hi, int* out) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}
}  // namespace

std::string RedisUrl::Redacted() const {
  return std::string("redis://") + (password.empty() ? "" : "***@") + host + ":" + std::to_string(port) +
         "/" + std::to_string(db);
}

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
  const auto bad = [](const char* message) { return Error{ErrorCode::kInvalidArgument, message, "--bus"}; };
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return bad("--bus must be redis://HOST[:PORT][/DB]");
  }
  std::string_view rest = url.substr(kScheme.size());
  RedisUrl u;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view auth = rest.substr(0, at);
    const auto colon = auth.find(':');
    u.password = std::string(colon == std::string_view::npos ? auth : auth.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  std::string_view hostport = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !ToInt(db, 0, 15, &u.db)) {
      return bad("--bus: the database must be a number 0-15");
    }
  }
  if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    if (!ToInt(hostport.substr(colon + 1), 1, 65535, &u.port)) {
      return bad("--bus: bad port");
    }
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) {
    return bad("--bus: no host");
  }
  u.host = std::string(hostport);
  return u;
}

}  // namespace vnt::bus
