// libFuzzer target: any bytes into the decoder must give events or error values, never a crash,
// a sanitizer report or an exception. Invariants checked on every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/event_json.h"
#include "feed/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static vnt::feed::Decoder decoder;
  static vnt::feed::DecodeOutput out;
  out.clear();
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  const bool ok = decoder.Decode(frame, out);
  if (ok != out.errors.empty()) std::abort();
  std::string line;
  for (const auto& e : out.events) {
    const auto& h = vnt::core::HeaderOf(e);
    if (h.symbol.empty()) std::abort();  // an event always names its symbol
    if (!h.time.time.valid()) std::abort();
    line.clear();
    vnt::api::AppendEventJson(e, &line);
  }
  for (const auto& err : out.errors)
    if (err.detail.empty()) std::abort();  // every error says why
  return 0;
}
