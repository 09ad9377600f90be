#include "ssi/reconnect_policy.h"

#include <cstdio>

namespace vnt::ssi {

std::string Seconds(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

std::chrono::milliseconds ReconnectPolicy::NextDelay(double unit) {
  return BackoffDelay(attempt_++, base_, max_, 0.2, unit);
}

ReconnectPolicy::Step ReconnectPolicy::After(const Outcome& out, std::int64_t now_ms) {
  Step s;
  if (out.streamed) attempt_ = 0;
  if (out.end == End::kLost) {
    lost_at_ms_ = now_ms;
    s.state = "reconnecting";
    s.lost = true;
    s.level = LogLevel::kWarning;
    s.retry_now = out.streamed;  // try /reconnect at once, within the DisconnectTimeout
    return s;
  }
  info_.reset();
  if (out.end == End::kAuth) {
    s.state = "auth-failed";
    s.auth = true;  // refused: the next attempt fetches a new token
  } else {
    s.state = "unreachable";
    s.connect = true;
  }
  return s;
}

FailureLog::Line FailureLog::Note(LogLevel level, const std::string& reason,
                                  std::chrono::milliseconds retry_in) {
  if (reason == last_) {
    if (++repeats_ % 10 != 0) return Line{LogLevel::kDebug, reason + "; retrying in " + Seconds(retry_in)};
    return Line{level,
                reason + " (" + std::to_string(repeats_ + 1) + " times); retrying in " + Seconds(retry_in)};
  }
  last_ = reason;
  repeats_ = 0;
  return Line{level, reason + "; retrying in " + Seconds(retry_in)};
}

}  // namespace vnt::ssi
