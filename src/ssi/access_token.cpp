#include "ssi/access_token.h"

#include <algorithm>

#include "ssi/protocol.h"

namespace vnt::ssi {

void AccessToken::Set(std::string token, std::int64_t now) {
  token_ = std::move(token);
  issued_ = now;
  exp_ = JwtExpiry(token_).value_or(now + 8 * 3600);
}

bool AccessToken::Usable(std::int64_t now) const {
  return !token_.empty() && !TokenNeedsRefresh(issued_, exp_, now);
}

std::chrono::seconds AccessToken::RefreshWait(std::int64_t now) const {
  if (token_.empty()) return std::chrono::seconds(1);  // no token yet: the run loop is fetching the first one
  const std::int64_t margin = std::min<std::int64_t>(3600, (exp_ - issued_) / 4);
  return std::chrono::seconds(std::clamp<std::int64_t>(exp_ - margin - now, 1, 60));
}

}  // namespace vnt::ssi
