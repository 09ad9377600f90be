#pragma once
// Raises the soft limit on open files to the hard one: each client is a descriptor, and the default
// soft limit (1024) is reached long before the machine's. For the commands that serve clients.

#include <sys/resource.h>

#include <string>

#include "common/log.h"

namespace vnt::app {

inline void RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) return;
  const rlim_t before = lim.rlim_cur;
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) == 0)
    LogDebug("open files limit raised from " + std::to_string(before) + " to " +
             std::to_string(lim.rlim_max));
}

}  // namespace vnt::app
