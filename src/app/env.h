#pragma once
// Environment variables for the command-line wiring (SSI credentials and hosts).

#include <cstdlib>
#include <string>

namespace vnt::app {

// The variable's value, empty when unset.
inline std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// A command-line value when given, else the environment variable's.
inline std::string OptionOrEnv(const std::string& option, const char* name) {
  return !option.empty() ? option : Env(name);
}

}  // namespace vnt::app
