#pragma once
// Exponential backoff with jitter, shared by the SSI client's reconnects and the alert delivery's retries.

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace vnt::client {

// base x 2^attempt capped at max, then scaled by a factor in [1 - jitter, 1 + jitter] drawn from `unit`
// (a number in [0, 1)): clients that failed together do not retry together.
inline std::chrono::milliseconds BackoffDelay(int attempt, std::chrono::milliseconds base,
                                              std::chrono::milliseconds max, double jitter, double unit) {
  double d = static_cast<double>(base.count());
  for (int i = 0; i < attempt && d < static_cast<double>(max.count()); ++i) d *= 2;
  d = std::min(d, static_cast<double>(max.count()));
  jitter = std::clamp(jitter, 0.0, 1.0);
  d *= 1.0 - jitter + 2.0 * jitter * std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(d));
}

}  // namespace vnt::client
