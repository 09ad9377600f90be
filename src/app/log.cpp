#include "app/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace vnt::app {

namespace {
int g_level = 1;  // 0 debug, 1 info, 2 warning, 3 error

void Write(int level, const char* tag, const std::string& msg) {
  if (level < g_level) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::fprintf(stderr, "%s.%03dZ %s %s\n", ts, ms, tag, msg.c_str());
}
}  // namespace

void SetLogLevel(const std::string& level) {
  if (level == "DEBUG" || level == "debug")
    g_level = 0;
  else if (level == "WARNING" || level == "warning" || level == "WARN")
    g_level = 2;
  else if (level == "ERROR" || level == "error")
    g_level = 3;
  else
    g_level = 1;
}
void LogDebug(const std::string& msg) {
  Write(0, "DEBUG", msg);
}
void LogInfo(const std::string& msg) {
  Write(1, "INFO", msg);
}
void LogWarning(const std::string& msg) {
  Write(2, "WARNING", msg);
}
void LogError(const std::string& msg) {
  Write(3, "ERROR", msg);
}

void LogAt(int level, const std::string& msg) {
  if (level <= 0) return LogDebug(msg);
  if (level == 1) return LogInfo(msg);
  if (level == 2) return LogWarning(msg);
  LogError(msg);
}

}  // namespace vnt::app
