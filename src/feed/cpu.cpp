#include "feed/cpu.h"

namespace vnt::feed {

// Compiled without -march flags on purpose: this check must run on any x86-64.
bool CpuSupported() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul");
#else
  return true;
#endif
}

}  // namespace vnt::feed
