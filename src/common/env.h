#pragma once
// Environment variables (SSI credentials and hosts, DATABASE_URL, ...), read by the command-line wiring.

#include <cstdlib>
#include <string>

namespace vnt {

// The variable's value, empty when unset.
inline std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// A command-line value when given, else the environment variable's.
inline std::string OptionOrEnv(const std::string& option, const char* name) {
  return !option.empty() ? option : Env(name);
}

}  // namespace vnt
