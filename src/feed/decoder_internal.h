#pragma once
// What the decoder's parts share (decoder.cpp, fast_path.cpp, json_path.cpp, field_values.cpp,
// event_builder.cpp): the failure value of one level of a frame, the output marks a failed attempt rolls
// back to, and two text helpers. Internal to src/feed: the public API is decoder.h.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "feed/decoder.h"

namespace vnt::feed::internal {

// A failure inside one level of the frame. `syntax` marks JSON syntax failures, the only ones that
// RepairJson may fix.
struct Fail {
  ErrorKind kind;
  std::string detail;
  bool syntax = false;
};
using Status = std::optional<Fail>;

// The sizes of an output when an attempt began: what it is rolled back to when the attempt is dropped.
struct Mark {
  std::size_t events = 0, controls = 0, errors = 0;
};
inline Mark MarkOf(const DecodeOutput& out) {
  return Mark{out.events.size(), out.controls.size(), out.errors.size()};
}
inline void Rollback(DecodeOutput& out, Mark m) {
  out.events.resize(m.events);
  out.controls.resize(m.controls);
  out.errors.resize(m.errors);
}

inline void AddError(DecodeOutput& out, Fail f) {
  out.errors.push_back(DecodeError{f.kind, std::move(f.detail)});
}

inline std::string_view TrimWs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The channel a DataType / RType names: the spellings SSI uses, compared exactly first (cheap; the common
// ones lead the table), then trimmed and in any case.
inline std::optional<Channel> ParseChannel(std::string_view s) {
  if (const auto c = core::kChannelNames.Parse(s)) return c;
  return core::kChannelNames.Parse(TrimWs(s), NameCase::kInsensitive);
}

}  // namespace vnt::feed::internal
