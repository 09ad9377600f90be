#pragma once
// The client's connection policy, without I/O: after each streaming attempt, whether to resume the
// connection (/reconnect within negotiate's DisconnectTimeout) or negotiate a new one, which state and
// counter the outcome means, the exponential backoff with jitter, and the failure log that says a repeated
// failure once in ten attempts. The run loop (ssi_client.cpp) connects and sleeps; this decides.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/log.h"
#include "ssi/protocol.h"

namespace vnt::ssi {

// Why a streaming attempt ended.
enum class End { kStopped, kAuth, kFailed, kLost };
struct Outcome {
  Outcome(End e, std::string r, bool s = false) : end(e), reason(std::move(r)), streamed(s) {}
  End end;
  std::string reason;
  bool streamed;  // the connection was up and subscribed
};

// "12.5 s": a duration in log lines.
std::string Seconds(std::chrono::milliseconds d);

class ReconnectPolicy {
 public:
  ReconnectPolicy(std::chrono::milliseconds backoff_base, std::chrono::milliseconds backoff_max)
      : base_(backoff_base), max_(backoff_max) {}

  // The delay before the next attempt, from `unit` (uniform in [0, 1)); each call doubles the next one.
  std::chrono::milliseconds NextDelay(double unit);
  // A healthy stream: the backoff starts over.
  void ResetBackoff() { attempt_ = 0; }

  // The negotiated connection (for /reconnect), or none.
  void Negotiated(NegotiateInfo info) { info_ = std::move(info); }
  void Forget() { info_.reset(); }
  const std::optional<NegotiateInfo>& info() const { return info_; }
  // The connection to resume at `now_ms` (steady clock): lost less than its DisconnectTimeout ago.
  bool ShouldResume(std::int64_t now_ms) const {
    return info_ && now_ms - lost_at_ms_ < info_->disconnect_timeout.count();
  }

  // What an attempt's outcome (not kStopped) means.
  struct Step {
    std::string state;                  // "reconnecting", "auth-failed", "unreachable"
    bool lost = false;                  // count a connection loss
    bool auth = false;                  // count an auth failure and drop the token
    bool connect = false;               // count a connect failure
    bool retry_now = false;             // resume at once, without a backoff
    LogLevel level = LogLevel::kError;  // of the failure line (when not retrying at once)
  };
  Step After(const Outcome& out, std::int64_t now_ms);

 private:
  std::chrono::milliseconds base_, max_;
  int attempt_ = 0;
  std::optional<NegotiateInfo> info_;
  std::int64_t lost_at_ms_ = 0;
};

// One line per new failure; the same failure again only every tenth attempt, at debug level otherwise (no
// log flood while a host stays down or the credentials stay wrong).
class FailureLog {
 public:
  struct Line {
    LogLevel level;
    std::string text;
  };
  Line Note(LogLevel level, const std::string& reason, std::chrono::milliseconds retry_in);
  // A success: the next failure is new again.
  void Clear() { last_.clear(); }

 private:
  std::string last_;
  int repeats_ = 0;
};

}  // namespace vnt::ssi
