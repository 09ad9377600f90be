#pragma once
// Leveled logging to stderr with a UTC timestamp (LOG_LEVEL: DEBUG, INFO, WARNING, ERROR), shared by the
// command-line wiring and the libraries with threads of their own (SSI client, sim-server), which take a
// LogSink so that they stay testable. Secrets are never passed to it. Any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace vnt {

enum class LogLevel : int { kDebug, kInfo, kWarning, kError };

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view LogLevelName(LogLevel level);
// The name (any case; "WARN" too) -> level; nullopt when unknown.
std::optional<LogLevel> ParseLogLevel(std::string_view name);

// Lines below `level` are dropped (default kInfo).
void SetLogLevel(LogLevel level);
void Log(LogLevel level, const std::string& msg);
inline void LogDebug(const std::string& msg) { Log(LogLevel::kDebug, msg); }
inline void LogInfo(const std::string& msg) { Log(LogLevel::kInfo, msg); }
inline void LogWarning(const std::string& msg) { Log(LogLevel::kWarning, msg); }
inline void LogError(const std::string& msg) { Log(LogLevel::kError, msg); }

// Where a library sends its lines (empty = nowhere).
using LogSink = std::function<void(LogLevel level, const std::string& line)>;

}  // namespace vnt
