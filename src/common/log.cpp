#include "common/log.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace vnt {

namespace {

constexpr std::array<std::string_view, 4> kNames{"DEBUG", "INFO", "WARNING", "ERROR"};
std::atomic<LogLevel> g_level{LogLevel::kInfo};  // set once at start, read from every thread

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  return kNames[static_cast<std::size_t>(level)];
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  if (IEquals(name, "WARN")) return LogLevel::kWarning;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (IEquals(name, kNames[i])) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

void SetLogLevel(LogLevel level) {
  g_level.store(level, std::memory_order_relaxed);
}

void Log(LogLevel level, const std::string& msg) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  // One fprintf per line: stdio locks the stream, so lines from several threads do not interleave.
  std::fprintf(stderr, "%s.%03dZ %s %s\n", ts, ms, LogLevelName(level).data(), msg.c_str());
}

}  // namespace vnt
