#pragma once
// Minimal leveled logging to stderr with a UTC timestamp (LOG_LEVEL: DEBUG, INFO, WARNING, ERROR).
// Secrets are never passed to it.

#include <string>

namespace vnt::app {

void SetLogLevel(const std::string& level);
void LogDebug(const std::string& msg);
void LogInfo(const std::string& msg);
void LogWarning(const std::string& msg);
void LogError(const std::string& msg);
// By number (0 debug, 1 info, 2 warning, 3 error), for libraries that take a log callback.
void LogAt(int level, const std::string& msg);

}  // namespace vnt::app
