#pragma once
// One JSON value as a string: `Json([&](JsonWriter& w) { WriteSymbol(w, s); })`. For a value built apart
// from the message it goes into (the publisher's per-symbol views) and for tests of the writers.

#include <string>

#include "api/json_writer.h"

namespace vnt::api {

template <typename F>
std::string Json(F write) {
  std::string out;
  JsonWriter w(&out);
  write(w);
  return out;
}

}  // namespace vnt::api
