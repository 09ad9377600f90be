// libFuzzer target over what a WebSocket client can send the server: the frame reader (with and without
// permessage-deflate, the input cut into reads at points the input chooses), the deflate negotiation and
// the handshake key. Invariants: no crash or sanitizer report; a message never exceeds the limit (even
// inflated); text messages are valid UTF-8; the reader never buffers more than one frame past the limit;
// nothing is reported after a close or an error; an error carries a close code the server may send.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/types.h"
#include "server/ws_protocol.h"

namespace {

using vnt::server::ws::ClientEvent;

void Check(bool ok) {
  if (!ok) std::abort();
}

void Drive(std::string_view in, std::optional<vnt::server::ws::DeflateParams> deflate, std::size_t cut) {
  constexpr std::size_t kMax = 4096;
  vnt::server::ws::FrameReader r(kMax, deflate);
  bool ended = false;
  for (std::size_t i = 0; i < in.size(); i += cut) {
    r.Feed(in.substr(i, cut));
    for (ClientEvent e = r.Next(); e.kind != ClientEvent::Kind::kNeedMore; e = r.Next()) {
      Check(!ended);
      switch (e.kind) {
        case ClientEvent::Kind::kMessage:
          Check(e.payload.size() <= kMax);
          if (e.opcode == vnt::server::ws::Opcode::kText) Check(vnt::IsValidUtf8(e.payload));
          break;
        case ClientEvent::Kind::kPing:
        case ClientEvent::Kind::kPong:
          Check(e.payload.size() <= 125);
          break;
        case ClientEvent::Kind::kClose:
          ended = true;
          Check(vnt::IsValidUtf8(e.reason));
          break;
        case ClientEvent::Kind::kError:
          ended = true;
          Check(e.code == 1002 || e.code == 1007 || e.code == 1009);
          Check(vnt::server::ws::ClosePayload(e.code, e.reason).size() <= 125);
          break;
        case ClientEvent::Kind::kNeedMore:
          break;
      }
    }
    Check(r.buffered() <= kMax + 14 + cut);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = size == 0 ? 1 : 1 + data[0] % 64;
  Drive(in, std::nullopt, cut);
  Drive(in, vnt::server::ws::DeflateParams{}, cut);
  Drive(in, vnt::server::ws::DeflateParams{true}, size + 1);
  if (auto p = vnt::server::ws::NegotiateDeflate(in)) {
    const std::string resp = vnt::server::ws::DeflateResponse(*p);
    Check(vnt::server::ws::NegotiateDeflate(resp).has_value());  // our answer is an offer we accept
  }
  if (auto key = vnt::server::ws::AcceptKey(in)) Check(key->size() == 28);
  return 0;
}
