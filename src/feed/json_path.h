#pragma once
// The decoder's general path, for every frame the fast path declines: simdjson On-Demand at each of the
// three levels (the SignalR frame or a bare Broadcast argument; the payload {"DataType":..,"Content":..};
// the flat Content object), with one RepairJson retry per level for the transcription artefacts of
// lenient_json.h. Control frames (keep-alive, init, completion, hub Error) are decoded here only.

#include <memory>
#include <string_view>

#include "feed/decoder_internal.h"

namespace vnt::feed::internal {

class FastPath;

class JsonPath {
 public:
  // A Broadcast argument string is first offered to `fast` (read in place); values go to its field set.
  explicit JsonPath(FastPath& fast);
  ~JsonPath();
  JsonPath(const JsonPath&) = delete;
  JsonPath& operator=(const JsonPath&) = delete;

  // Decodes `frame` into `out`, which holds what it held at `start`: the messages that decode as events
  // or control events, the others as errors (one error when the frame as a whole fails).
  void Decode(std::string_view frame, DecodeOutput& out, Mark start);

 private:
  class Levels;
  std::unique_ptr<Levels> levels_;
};

}  // namespace vnt::feed::internal
