#pragma once
// The WebSocket wire protocol (RFC 6455) and its permessage-deflate extension (RFC 7692), without I/O.
//
// Why our own framing rather than Beast's websocket::stream: a server frame is unmasked, so the header and
// payload of a message are the same bytes for every client of a filter. The server frames (and compresses)
// each message once and queues the same buffer to every socket; a stream that frames per socket cannot.
// Client frames are untrusted bytes: FrameReader checks every rule of RFC 6455 §5 that a server must, and
// is fuzzed (ws_protocol_fuzz.cpp).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace vnt::server::ws {

enum class Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close codes the server sends (RFC 6455 §7.4.1).
namespace close_code {
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kNoStatus = 1005;  // never sent: "the close frame had no code"
inline constexpr std::uint16_t kInvalidPayload = 1007;
inline constexpr std::uint16_t kPolicy = 1008;
inline constexpr std::uint16_t kTooBig = 1009;
}  // namespace close_code

// A whole server frame (FIN set, unmasked): header then payload. `compressed` sets RSV1, which marks a
// permessage-deflate message.
std::string EncodeFrame(Opcode op, std::string_view payload, bool compressed = false);
// A close frame's payload: the code, then the reason cut to fit a control frame (123 bytes, whole UTF-8
// characters).
std::string ClosePayload(std::uint16_t code, std::string_view reason);

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key; nullopt when the key is not base64 of 16 bytes.
std::optional<std::string> AcceptKey(std::string_view key);

// What was agreed for permessage-deflate. The server always compresses without context takeover (one
// compressed frame is shared by many clients, so it cannot depend on what one client received before).
struct DeflateParams {
  bool client_no_context_takeover = false;  // the client resets its compressor after each message
};
// The first permessage-deflate offer in a Sec-WebSocket-Extensions header this server can accept; nullopt
// when there is none. Declined: offers with unknown or repeated parameters, and server_max_window_bits
// below 15 (the shared frames use a 32 KB window).
std::optional<DeflateParams> NegotiateDeflate(std::string_view extensions);
// The Sec-WebSocket-Extensions value that accepts `p`.
std::string DeflateResponse(const DeflateParams& p);

// Compresses whole messages for permessage-deflate with no context takeover: raw DEFLATE, sync-flushed,
// the trailing 00 00 FF FF removed (RFC 7692 §7.2.1). One per thread; reused across messages.
class Deflater {
 public:
  explicit Deflater(int level = 6);
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  std::string Compress(std::string_view message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decompresses one client's messages (context kept between messages unless the client agreed not to).
class Inflater {
 public:
  explicit Inflater(bool no_context_takeover);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  enum class Result { kOk, kTooBig, kCorrupt };
  // Appends the decompressed message to *out; kTooBig as soon as it would exceed max_out bytes (a small
  // frame can inflate to gigabytes), kCorrupt for a stream that is not valid DEFLATE.
  Result Inflate(std::string_view compressed, std::size_t max_out, std::string* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One thing the client sent, as FrameReader::Next reports it.
struct ClientEvent {
  enum class Kind : std::uint8_t {
    kNeedMore,  // no complete event yet: feed more bytes
    kMessage,   // a whole data message (decompressed; text checked to be UTF-8)
    kPing,
    kPong,
    kClose,  // the client's close: code (kNoStatus when it gave none) and reason
    kError,  // a protocol violation: close with `code` and `reason`, then read nothing more
  };
  Kind kind = Kind::kNeedMore;
  Opcode opcode = Opcode::kText;  // of a message
  std::string payload;            // a message's data, a ping's or pong's payload
  std::uint16_t code = 0;         // close / error
  std::string reason;             // close / error
};

// Parses the frames a client sends (RFC 6455 §5): masked, RSV bits only as negotiated, control frames
// short and unfragmented, continuation frames in order, messages bounded before they are buffered, text
// valid UTF-8. After kClose or kError it reports nothing more.
class FrameReader {
 public:
  FrameReader(std::size_t max_message, std::optional<DeflateParams> deflate);
  ~FrameReader();
  FrameReader(FrameReader&&) noexcept;
  FrameReader& operator=(FrameReader&&) noexcept;
  // Appends bytes read from the socket.
  void Feed(std::string_view bytes);
  ClientEvent Next();
  // Bytes fed and not yet consumed (bounded by one frame header + max_message).
  std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  ClientEvent Fail(std::uint16_t code, std::string reason);

  std::size_t max_message_;
  std::optional<DeflateParams> deflate_;
  std::unique_ptr<Inflater> inflater_;  // made on the first compressed message
  std::string buf_;
  std::size_t pos_ = 0;
  bool done_ = false;
  // The message being assembled from fragments.
  bool in_message_ = false, message_compressed_ = false;
  Opcode message_opcode_ = Opcode::kText;
  std::string message_;
};

}  // namespace vnt::server::ws
