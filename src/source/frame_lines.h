#pragma once
// Lines of a frame file. Two formats, told apart per line:
//   - the `decode` input format: one SignalR frame (or Broadcast payload) per line;
//   - the `record` format: receive time in Unix epoch milliseconds, a TAB, then the frame.

#include <cstdint>
#include <optional>
#include <string_view>

namespace vnt::source {

struct FrameLine {
  std::string_view frame;                   // the frame text
  std::optional<std::int64_t> received_ms;  // receive time when the line was recorded
};

// Splits a line (without its newline); a trailing CR is dropped.
inline FrameLine ParseFrameLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  FrameLine out{line, std::nullopt};
  std::size_t i = 0;
  std::int64_t ms = 0;
  while (i < line.size() && i < 19 && line[i] >= '0' && line[i] <= '9') ms = ms * 10 + (line[i++] - '0');
  if (i > 0 && i < line.size() && line[i] == '\t') {
    out.frame = line.substr(i + 1);
    out.received_ms = ms;
  }
  return out;
}

// True for lines with nothing but blanks.
inline bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace vnt::source
