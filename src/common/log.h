#pragma once
// Leveled logging to stderr with a UTC timestamp (LOG_LEVEL: DEBUG, INFO, WARNING, ERROR), shared by the
// command-line wiring and the libraries with threads of their own (SSI client, sim-server), which take a
// LogSink so that they stay testable. Secrets are never passed to it. Any thread.
//
// Two line formats (LOG_FORMAT, read from the environment at start; default text):
//   text: 2026-03-18T03:15:00.123Z INFO store: sqlite ./data/vntracker.db
//   json: {"time":"2026-03-18T03:15:00.123Z","level":"INFO","message":"store: sqlite ./data/vntracker.db",
//          "component":"store"}
// JSON is one object per line for log shippers (Loki, Vector, Fluent Bit, ...): always valid UTF-8 JSON
// whatever the message holds (bytes that are not UTF-8 become U+FFFD, control characters are escaped).
// "component" is the message's leading "name: " prefix (lower-case letters, spaces, '-' or '_', at most 24
// characters), the code's convention for the part that speaks (feed, store, http, alert delivery, ...);
// fields given to LogWith() follow as string members (text: ` key=value` after the message).

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/enum_names.h"

namespace vnt {

enum class LogLevel : int { kDebug, kInfo, kWarning, kError };
enum class LogFormat : int { kText, kJson };

// The level names (any case on input; "WARN" too).
inline constexpr auto kLogLevelNames =
    MakeEnumNames<LogLevel>({{LogLevel::kDebug, "DEBUG"},
                             {LogLevel::kInfo, "INFO"},
                             {LogLevel::kWarning, "WARNING"},
                             {LogLevel::kError, "ERROR"}},
                            {{LogLevel::kWarning, "WARN"}}, NameCase::kInsensitive);
// The format names (any case on input).
inline constexpr auto kLogFormatNames = MakeEnumNames<LogFormat>(
    {{LogFormat::kText, "text"}, {LogFormat::kJson, "json"}}, NameCase::kInsensitive);
static_assert(kLogLevelNames.Unique() && kLogFormatNames.Unique());

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view LogLevelName(LogLevel level);
// The name (any case; "WARN" too) -> level; nullopt when unknown.
std::optional<LogLevel> ParseLogLevel(std::string_view name);
// "text" or "json" (any case) -> format; nullopt when unknown.
std::optional<LogFormat> ParseLogFormat(std::string_view name);
// "text", "json".
std::string_view LogFormatName(LogFormat format);

// Lines below `level` are dropped (default kInfo).
void SetLogLevel(LogLevel level);
// The line format (default: LOG_FORMAT from the environment at start, else text; an unknown LOG_FORMAT
// keeps text and the first line logged says so).
void SetLogFormat(LogFormat format);
LogFormat GetLogFormat();

// Structured fields of a line: key/value pairs in order.
using LogFields = std::vector<std::pair<std::string, std::string>>;

void Log(LogLevel level, const std::string& msg);
// A line with structured fields (a separate name: `Log` itself is passed around as a LogSink).
void LogWith(LogLevel level, const std::string& msg, const LogFields& fields);
inline void LogDebug(const std::string& msg) {
  Log(LogLevel::kDebug, msg);
}
inline void LogInfo(const std::string& msg) {
  Log(LogLevel::kInfo, msg);
}
inline void LogWarning(const std::string& msg) {
  Log(LogLevel::kWarning, msg);
}
inline void LogError(const std::string& msg) {
  Log(LogLevel::kError, msg);
}

// One line as Log writes it, without the newline (exposed for tests).
std::string FormatLogLine(LogFormat format, LogLevel level, std::chrono::system_clock::time_point time,
                          std::string_view msg, const LogFields& fields = {});

// Where a library sends its lines (empty = nowhere).
using LogSink = std::function<void(LogLevel level, const std::string& line)>;

}  // namespace vnt
