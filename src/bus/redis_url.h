#pragma once
// `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (REDIS_URL), as --bus takes it.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace vnt::bus {

struct RedisUrl {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string password;  // never logged: Redacted() hides it
  std::string Redacted() const;
};

// An error (kInvalidArgument, field "--bus"; one line, without the password) when `url` is not of that shape.
Result<RedisUrl> ParseRedisUrl(std::string_view url);

}  // namespace vnt::bus
