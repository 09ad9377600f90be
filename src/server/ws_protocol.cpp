#include "server/ws_protocol.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <vector>

#include "core/types.h"

namespace vnt::server::ws {

namespace {

constexpr std::size_t kMaxControlPayload = 125;

bool IsValidCloseCode(unsigned c) {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Window bits 8..15 from a parameter value (quotes allowed, RFC 7692 §7.1.2).
std::optional<int> WindowBits(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 2) return std::nullopt;
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n < 8 || n > 15) return std::nullopt;
  return n;
}

// One offer ("permessage-deflate; a; b=1") -> the params, or nullopt when this server cannot take it.
std::optional<DeflateParams> ParseOffer(std::string_view offer) {
  DeflateParams p;
  bool seen_snct = false, seen_cnct = false, seen_smwb = false, seen_cmwb = false;
  std::size_t start = 0;
  bool first = true;
  while (start <= offer.size()) {
    const std::size_t semi = offer.find(';', start);
    const std::string_view part =
        Trim(offer.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start));
    start = semi == std::string_view::npos ? offer.size() + 1 : semi + 1;
    if (first) {
      if (!EqualsNoCase(part, "permessage-deflate")) return std::nullopt;
      first = false;
      continue;
    }
    const std::size_t eq = part.find('=');
    const std::string_view key = Trim(part.substr(0, eq));
    const bool has_value = eq != std::string_view::npos;
    const std::string_view value = has_value ? part.substr(eq + 1) : std::string_view{};
    if (EqualsNoCase(key, "server_no_context_takeover")) {
      if (seen_snct || has_value) return std::nullopt;
      seen_snct = true;  // we never take over context anyway
    } else if (EqualsNoCase(key, "client_no_context_takeover")) {
      if (seen_cnct || has_value) return std::nullopt;
      seen_cnct = true;
      p.client_no_context_takeover = true;
    } else if (EqualsNoCase(key, "server_max_window_bits")) {
      if (seen_smwb || !has_value) return std::nullopt;
      seen_smwb = true;
      const auto bits = WindowBits(value);
      if (!bits || *bits < 15) return std::nullopt;  // the shared frames use the full window
    } else if (EqualsNoCase(key, "client_max_window_bits")) {
      if (seen_cmwb) return std::nullopt;
      seen_cmwb = true;
      if (has_value && !WindowBits(value)) return std::nullopt;
      // Our inflater takes any window up to 15: nothing to answer.
    } else {
      return std::nullopt;
    }
  }
  return p;
}

}  // namespace

std::string EncodeFrame(Opcode op, std::string_view payload, bool compressed) {
  std::string out;
  const std::size_t n = payload.size();
  out.reserve(n + 10);
  out.push_back(static_cast<char>(0x80 | (compressed ? 0x40 : 0) | static_cast<std::uint8_t>(op)));
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n < 65536) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
  }
  out.append(payload);
  return out;
}

std::string ClosePayload(std::uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out += TruncateUtf8(reason, kMaxControlPayload - 2 - 3);  // room for the "…" it appends when it cuts
  return out;
}

std::optional<std::string> AcceptKey(std::string_view key) {
  key = Trim(key);
  // base64 of 16 bytes: 22 characters then "==".
  if (key.size() != 24 || key.substr(22) != "==") return std::nullopt;
  for (char c : key.substr(0, 22))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return std::nullopt;
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(key);
  input += kGuid;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &len, EVP_sha1(), nullptr) != 1 || len != 20)
    return std::nullopt;
  std::array<unsigned char, 32> b64{};  // 20 bytes -> 28 characters + NUL
  const int m = EVP_EncodeBlock(b64.data(), digest.data(), 20);
  return std::string(reinterpret_cast<const char*>(b64.data()), static_cast<std::size_t>(m));
}

std::optional<DeflateParams> NegotiateDeflate(std::string_view extensions) {
  // Offers are separated by commas (a quoted value never holds one for this extension's parameters).
  std::size_t start = 0;
  while (start <= extensions.size()) {
    const std::size_t comma = extensions.find(',', start);
    const std::string_view offer =
        extensions.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (auto p = ParseOffer(offer)) return p;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return std::nullopt;
}

std::string DeflateResponse(const DeflateParams& p) {
  std::string s = "permessage-deflate; server_no_context_takeover";
  if (p.client_no_context_takeover) s += "; client_no_context_takeover";
  return s;
}

struct Deflater::Impl {
  z_stream z{};
  bool ok = false;
};

Deflater::Deflater(int level) : impl_(std::make_unique<Impl>()) {
  impl_->ok = deflateInit2(&impl_->z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}
Deflater::~Deflater() {
  if (impl_->ok) deflateEnd(&impl_->z);
}

std::string Deflater::Compress(std::string_view message) {
  std::string out;
  if (!impl_->ok) return out;
  z_stream& z = impl_->z;
  deflateReset(&z);  // no context takeover: every message stands alone
  out.resize(deflateBound(&z, static_cast<uLong>(message.size())) + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
  z.avail_in = static_cast<uInt>(message.size());
  std::size_t used = 0;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = static_cast<uInt>(out.size() - used);
    const int rc = deflate(&z, Z_SYNC_FLUSH);
    used = out.size() - z.avail_out;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return {};
    if (z.avail_out != 0) break;  // all input consumed and flushed
    out.resize(out.size() * 2);
  }
  out.resize(used);
  // A sync flush ends with an empty stored block, 00 00 FF FF: the receiver adds it back.
  if (out.size() >= 4 && out.compare(out.size() - 4, 4, std::string_view("\x00\x00\xff\xff", 4)) == 0)
    out.resize(out.size() - 4);
  return out;
}

struct Inflater::Impl {
  z_stream z{};
  bool ok = false;
  bool no_context_takeover = false;
};

Inflater::Inflater(bool no_context_takeover) : impl_(std::make_unique<Impl>()) {
  impl_->no_context_takeover = no_context_takeover;
  impl_->ok = inflateInit2(&impl_->z, -15) == Z_OK;
}
Inflater::~Inflater() {
  if (impl_->ok) inflateEnd(&impl_->z);
}

Inflater::Result Inflater::Inflate(std::string_view compressed, std::size_t max_out, std::string* out) {
  if (!impl_->ok) return Result::kCorrupt;
  z_stream& z = impl_->z;
  std::string in(compressed);
  in.append("\x00\x00\xff\xff", 4);
  z.next_in = reinterpret_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  std::size_t produced = 0;
  std::array<char, 16384> chunk{};
  Result result = Result::kOk;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    const int rc = inflate(&z, Z_SYNC_FLUSH);
    const std::size_t got = chunk.size() - z.avail_out;
    if (produced + got > max_out) {
      result = Result::kTooBig;
      break;
    }
    out->append(chunk.data(), got);
    produced += got;
    if (rc == Z_STREAM_END) {
      // The client ended its stream (BFINAL): the next message starts a new one.
      inflateReset(&z);
      break;
    }
    if (rc == Z_BUF_ERROR) {
      if (z.avail_in == 0) break;  // everything consumed
      if (got == 0) {
        result = Result::kCorrupt;
        break;
      }
      continue;
    }
    if (rc != Z_OK) {
      result = Result::kCorrupt;
      break;
    }
    if (z.avail_in == 0 && z.avail_out != 0) break;
  }
  if (result != Result::kOk || impl_->no_context_takeover) inflateReset(&z);
  return result;
}

FrameReader::FrameReader(std::size_t max_message, std::optional<DeflateParams> deflate)
    : max_message_(max_message), deflate_(deflate) {}
FrameReader::~FrameReader() = default;
FrameReader::FrameReader(FrameReader&&) noexcept = default;
FrameReader& FrameReader::operator=(FrameReader&&) noexcept = default;

void FrameReader::Feed(std::string_view bytes) {
  if (done_) return;
  // Drop what was consumed before growing the buffer.
  if (pos_ > 0 && (pos_ == buf_.size() || pos_ >= 4096)) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes);
}

ClientEvent FrameReader::Fail(std::uint16_t code, std::string reason) {
  done_ = true;
  buf_.clear();
  pos_ = 0;
  message_.clear();
  ClientEvent e;
  e.kind = ClientEvent::Kind::kError;
  e.code = code;
  e.reason = std::move(reason);
  return e;
}

ClientEvent FrameReader::Next() {
  using Kind = ClientEvent::Kind;
  for (;;) {
    if (done_) return {};
    const std::size_t avail = buf_.size() - pos_;
    if (avail < 2) return {};
    const auto* p = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
    const bool fin = (p[0] & 0x80) != 0, rsv1 = (p[0] & 0x40) != 0;
    const unsigned op = p[0] & 0x0F;
    if ((p[0] & 0x30) != 0) return Fail(close_code::kProtocolError, "reserved bits set");
    if ((p[1] & 0x80) == 0) return Fail(close_code::kProtocolError, "client frames must be masked");
    const unsigned len7 = p[1] & 0x7F;
    const std::size_t header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
    if (avail < header) return {};
    std::uint64_t len = len7;
    if (len7 == 126) {
      len = (std::uint64_t{p[2]} << 8) | p[3];
      if (len < 126) return Fail(close_code::kProtocolError, "frame length not minimally encoded");
    } else if (len7 == 127) {
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      if ((len >> 63) != 0 || len < 65536)
        return Fail(close_code::kProtocolError, "frame length not minimally encoded");
    }
    const bool control = (op & 0x8) != 0;
    if (op != 0x0 && op != 0x1 && op != 0x2 && op != 0x8 && op != 0x9 && op != 0xA)
      return Fail(close_code::kProtocolError, "reserved opcode");
    if (control) {
      if (!fin) return Fail(close_code::kProtocolError, "fragmented control frame");
      if (len > kMaxControlPayload) return Fail(close_code::kProtocolError, "control frame too long");
      if (rsv1) return Fail(close_code::kProtocolError, "RSV1 on a control frame");
    } else {
      if (op == 0x0) {
        if (!in_message_) return Fail(close_code::kProtocolError, "continuation frame without a message");
        if (rsv1) return Fail(close_code::kProtocolError, "RSV1 on a continuation frame");
      } else {
        if (in_message_) return Fail(close_code::kProtocolError, "new message inside a fragmented one");
        if (rsv1 && !deflate_) return Fail(close_code::kProtocolError, "RSV1 without permessage-deflate");
      }
      const std::size_t so_far = op == 0x0 ? message_.size() : 0;
      if (len > max_message_ - std::min(so_far, max_message_))
        return Fail(close_code::kTooBig, "message too big");
    }
    if (avail - header < len) return {};
    // Unmask into the payload.
    const unsigned char* mask = p + header - 4;
    std::string payload(static_cast<std::size_t>(len), '\0');
    const unsigned char* src = p + header;
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(src[i] ^ mask[i & 3]);
    pos_ += header + static_cast<std::size_t>(len);

    if (control) {
      ClientEvent e;
      if (op == 0x9 || op == 0xA) {
        e.kind = op == 0x9 ? Kind::kPing : Kind::kPong;
        e.payload = std::move(payload);
        return e;
      }
      // Close.
      if (payload.size() == 1) return Fail(close_code::kProtocolError, "close frame with a 1-byte payload");
      e.kind = Kind::kClose;
      e.code = close_code::kNoStatus;
      if (payload.size() >= 2) {
        const unsigned code = (static_cast<unsigned>(static_cast<unsigned char>(payload[0])) << 8) |
                              static_cast<unsigned char>(payload[1]);
        if (!IsValidCloseCode(code)) return Fail(close_code::kProtocolError, "invalid close code");
        e.code = static_cast<std::uint16_t>(code);
        e.reason = payload.substr(2);
        if (!IsValidUtf8(e.reason)) return Fail(close_code::kInvalidPayload, "close reason is not UTF-8");
      }
      done_ = true;
      return e;
    }
    if (op != 0x0) {
      in_message_ = true;
      message_opcode_ = static_cast<Opcode>(op);
      message_compressed_ = rsv1;
      message_ = std::move(payload);
    } else {
      message_ += payload;
    }
    if (!fin) continue;
    in_message_ = false;
    if (message_compressed_) {
      if (!inflater_) inflater_ = std::make_unique<Inflater>(deflate_->client_no_context_takeover);
      std::string plain;
      switch (inflater_->Inflate(message_, max_message_, &plain)) {
        case Inflater::Result::kOk:
          break;
        case Inflater::Result::kTooBig:
          return Fail(close_code::kTooBig, "message too big");
        case Inflater::Result::kCorrupt:
          return Fail(close_code::kInvalidPayload, "invalid compressed data");
      }
      message_ = std::move(plain);
    }
    if (message_opcode_ == Opcode::kText && !IsValidUtf8(message_))
      return Fail(close_code::kInvalidPayload, "text message is not UTF-8");
    ClientEvent e;
    e.kind = Kind::kMessage;
    e.opcode = message_opcode_;
    e.payload = std::move(message_);
    message_.clear();
    return e;
  }
}

}  // namespace vnt::server::ws
