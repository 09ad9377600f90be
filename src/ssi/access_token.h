#pragma once
// The access token's lifetime, without I/O: when it was issued and when it expires (the JWT's exp, else
// eight hours), whether it is still good for a (re)connect, and how long to wait before refreshing it.

#include <chrono>
#include <cstdint>
#include <string>

namespace vnt::ssi {

class AccessToken {
 public:
  // A token received at `now` (epoch seconds).
  void Set(std::string token, std::int64_t now);
  // Refused by the server: the next attempt fetches a new one.
  void Clear() { token_.clear(); }
  bool empty() const { return token_.empty(); }
  const std::string& value() const { return token_; }
  std::int64_t expires() const { return exp_; }
  // Present and not due for replacement at `now` (protocol.h TokenNeedsRefresh).
  bool Usable(std::int64_t now) const;
  // How long the refresher waits at `now`: until a margin before expiry (a quarter of the lifetime, at most
  // an hour), between 1 and 60 s so that a changed clock is noticed; 1 s without a token.
  std::chrono::seconds RefreshWait(std::int64_t now) const;

 private:
  std::string token_;
  std::int64_t issued_ = 0, exp_ = 0;
};

}  // namespace vnt::ssi
