#include "server/ws_protocol.h"

#include <gtest/gtest.h>

#include "core/types.h"

#include <random>
#include <string>

namespace vnt::server::ws {
namespace {

using Kind = ClientEvent::Kind;

// A client frame as a browser sends it: masked with `mask`.
std::string ClientFrame(unsigned op, std::string_view payload, bool fin = true, bool rsv1 = false,
                        std::uint32_t mask = 0x37FA213D) {
  std::string f;
  f.push_back(static_cast<char>((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | op));
  const std::size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xFF));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int s = 56; s >= 0; s -= 8)
      f.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> s) & 0xFF));
  }
  const unsigned char m[4] = {static_cast<unsigned char>(mask >> 24), static_cast<unsigned char>(mask >> 16),
                              static_cast<unsigned char>(mask >> 8), static_cast<unsigned char>(mask)};
  f.append(reinterpret_cast<const char*>(m), 4);
  for (std::size_t i = 0; i < n; ++i) f.push_back(static_cast<char>(payload[i] ^ m[i & 3]));
  return f;
}

ClientEvent ReadOne(std::string_view bytes, std::size_t max = 1024, std::optional<DeflateParams> d = {}) {
  FrameReader r(max, d);
  r.Feed(bytes);
  return r.Next();
}

TEST(WsProtocol, EncodesServerFramesWithTheShortestLength) {
  EXPECT_EQ(EncodeFrame(Opcode::kText, "Hello"), std::string("\x81\x05Hello", 7));  // RFC 6455 §5.7
  EXPECT_EQ(EncodeFrame(Opcode::kText, "", false), std::string("\x81\x00", 2));
  const std::string p125(125, 'a'), p126(126, 'a'), p65535(65535, 'a'), p65536(65536, 'a');
  EXPECT_EQ(EncodeFrame(Opcode::kText, p125).substr(0, 2), std::string("\x81\x7d", 2));
  EXPECT_EQ(EncodeFrame(Opcode::kText, p126).substr(0, 4), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(EncodeFrame(Opcode::kText, p65535).substr(0, 4), std::string("\x81\x7e\xff\xff", 4));
  EXPECT_EQ(EncodeFrame(Opcode::kText, p65536).substr(0, 10),
            std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  EXPECT_EQ(EncodeFrame(Opcode::kText, p65536).size(), 65536u + 10);
  // RSV1 marks a compressed message.
  EXPECT_EQ(static_cast<unsigned char>(EncodeFrame(Opcode::kText, "x", true)[0]), 0xC1);
  EXPECT_EQ(static_cast<unsigned char>(EncodeFrame(Opcode::kPing, "")[0]), 0x89);
}

TEST(WsProtocol, ClosePayloadFitsAControlFrame) {
  EXPECT_EQ(ClosePayload(1008, "client too slow"), std::string("\x03\xf0"
                                                               "client too slow",
                                                               17));
  const std::string long_reason(300, 'x');
  EXPECT_EQ(ClosePayload(1000, long_reason).size(), 125u);
  // Cut on a character boundary: "ế" is 3 bytes.
  std::string vi;
  for (int i = 0; i < 60; ++i) vi += "ế";
  const std::string p = ClosePayload(1000, vi);
  EXPECT_LE(p.size(), 125u);
  EXPECT_TRUE(IsValidUtf8(p.substr(2)));
}

TEST(WsProtocol, AcceptKeyIsTheRfcExampleAndRefusesBadKeys) {
  EXPECT_EQ(AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");  // RFC 6455 §1.3
  EXPECT_FALSE(AcceptKey(""));
  EXPECT_FALSE(AcceptKey("dGhlIHNhbXBsZSBub25jZQ"));
  EXPECT_FALSE(AcceptKey("dGhlIHNhbXBsZSBub25jZQ=x"));
  EXPECT_FALSE(AcceptKey("dGhlIHNhbXBs*SBub25jZQ=="));
}

TEST(WsProtocol, NegotiatesPermessageDeflateOnlyWhenItCanShareFrames) {
  auto p = NegotiateDeflate("permessage-deflate; client_max_window_bits");  // what Chromium offers
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->client_no_context_takeover);
  EXPECT_EQ(DeflateResponse(*p), "permessage-deflate; server_no_context_takeover");
  p = NegotiateDeflate("permessage-deflate");
  ASSERT_TRUE(p);
  p = NegotiateDeflate("Permessage-Deflate; client_no_context_takeover; server_no_context_takeover");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->client_no_context_takeover);
  EXPECT_EQ(DeflateResponse(*p),
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
  EXPECT_TRUE(NegotiateDeflate("permessage-deflate; server_max_window_bits=15"));
  EXPECT_TRUE(NegotiateDeflate("permessage-deflate; client_max_window_bits=\"10\""));
  // A window below 15 cannot take the shared frames: declined, the next offer taken.
  EXPECT_FALSE(NegotiateDeflate("permessage-deflate; server_max_window_bits=10"));
  EXPECT_TRUE(NegotiateDeflate("permessage-deflate; server_max_window_bits=10, permessage-deflate"));
  EXPECT_FALSE(NegotiateDeflate(""));
  EXPECT_FALSE(NegotiateDeflate("x-webkit-deflate-frame"));
  EXPECT_FALSE(NegotiateDeflate("permessage-deflate; mystery"));
  EXPECT_FALSE(
      NegotiateDeflate("permessage-deflate; client_no_context_takeover; client_no_context_takeover"));
  EXPECT_FALSE(NegotiateDeflate("permessage-deflate; server_max_window_bits"));
  EXPECT_FALSE(NegotiateDeflate("permessage-deflate; client_max_window_bits=16"));
  EXPECT_FALSE(NegotiateDeflate("permessage-deflate; server_no_context_takeover=1"));
}

TEST(WsProtocol, DeflatesWithoutContextAndInflatesTheRfcExamples) {
  // RFC 7692 §7.2.3.1: "Hello" compressed.
  const std::string hello("\xf2\x48\xcd\xc9\xc9\x07\x00", 7);
  Deflater d;
  EXPECT_EQ(d.Compress("Hello"), hello);
  EXPECT_EQ(d.Compress("Hello"), hello);  // no context takeover: the same bytes every time
  Inflater in(false);
  std::string out;
  ASSERT_EQ(in.Inflate(hello, 100, &out), Inflater::Result::kOk);
  EXPECT_EQ(out, "Hello");
  // §7.2.3.2: the second "Hello" with the context kept is a back-reference.
  out.clear();
  ASSERT_EQ(in.Inflate(std::string("\xf2\x00\x11\x00\x00", 5), 100, &out), Inflater::Result::kOk);
  EXPECT_EQ(out, "Hello");
  // A board-sized JSON message round-trips and shrinks.
  std::string json = "{\"type\":\"delta\",\"channel\":\"market\",\"data\":[";
  for (int i = 0; i < 300; ++i)
    json += "{\"symbol\":\"S" + std::to_string(i) + "\",\"price\":" + std::to_string(25000 + i * 50) +
            ",\"volume\":" + std::to_string(i * 1000) + "},";
  json += "{}]}";
  const std::string z = d.Compress(json);
  EXPECT_LT(z.size(), json.size() / 3);
  Inflater fresh(true);
  out.clear();
  ASSERT_EQ(fresh.Inflate(z, json.size(), &out), Inflater::Result::kOk);
  EXPECT_EQ(out, json);
  // Bounded: one byte short of the message is too big, however small the compressed input.
  out.clear();
  EXPECT_EQ(fresh.Inflate(z, json.size() - 1, &out), Inflater::Result::kTooBig);
  out.clear();
  EXPECT_EQ(fresh.Inflate(std::string("\xff\xff\xff", 3), 100, &out), Inflater::Result::kCorrupt);
}

TEST(WsProtocol, ReadsMaskedMessagesWhateverTheChunking) {
  const std::string bytes = ClientFrame(0x1, "{\"action\":\"snapshot\"}") + ClientFrame(0x9, "hi") +
                            ClientFrame(0x1, std::string(300, 'x')) +
                            ClientFrame(0x8,
                                        "\x03\xe8"
                                        "bye");
  for (std::size_t chunk : {bytes.size(), std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
    FrameReader r(1024, std::nullopt);
    std::vector<ClientEvent> events;
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
      r.Feed(std::string_view(bytes).substr(i, chunk));
      for (ClientEvent e = r.Next(); e.kind != Kind::kNeedMore; e = r.Next()) events.push_back(e);
    }
    ASSERT_EQ(events.size(), 4u) << "chunk " << chunk;
    EXPECT_EQ(events[0].kind, Kind::kMessage);
    EXPECT_EQ(events[0].payload, "{\"action\":\"snapshot\"}");
    EXPECT_EQ(events[1].kind, Kind::kPing);
    EXPECT_EQ(events[1].payload, "hi");
    EXPECT_EQ(events[2].payload, std::string(300, 'x'));
    EXPECT_EQ(events[3].kind, Kind::kClose);
    EXPECT_EQ(events[3].code, 1000);
    EXPECT_EQ(events[3].reason, "bye");
    EXPECT_EQ(r.buffered(), 0u);
  }
}

TEST(WsProtocol, JoinsFragmentsWithControlFramesBetween) {
  FrameReader r(1024, std::nullopt);
  r.Feed(ClientFrame(0x1, "{\"act", false) + ClientFrame(0xA, "") + ClientFrame(0x0, "ion\":", false) +
         ClientFrame(0x0, "\"snapshot\"}", true));
  ClientEvent e = r.Next();
  EXPECT_EQ(e.kind, Kind::kPong);
  e = r.Next();
  ASSERT_EQ(e.kind, Kind::kMessage);
  EXPECT_EQ(e.payload, "{\"action\":\"snapshot\"}");
  EXPECT_EQ(r.Next().kind, Kind::kNeedMore);
}

TEST(WsProtocol, RefusesWhatRfc6455Forbids) {
  auto expect_error = [](const std::string& bytes, std::uint16_t code, std::optional<DeflateParams> d = {}) {
    FrameReader r(1024, d);
    r.Feed(bytes);
    ClientEvent e = r.Next();
    while (e.kind == Kind::kMessage || e.kind == Kind::kPing || e.kind == Kind::kPong) e = r.Next();
    EXPECT_EQ(e.kind, Kind::kError);
    EXPECT_EQ(e.code, code) << e.reason;
    EXPECT_EQ(r.Next().kind, Kind::kNeedMore);  // nothing more after an error
  };
  expect_error(std::string("\x81\x02hi", 4), close_code::kProtocolError);                 // unmasked
  expect_error(ClientFrame(0x1, "x").replace(0, 1, "\xa1"), close_code::kProtocolError);  // RSV2
  expect_error(ClientFrame(0x3, "x"), close_code::kProtocolError);                        // reserved opcode
  expect_error(ClientFrame(0x9, std::string(126, 'p')), close_code::kProtocolError);      // long ping
  expect_error(ClientFrame(0x9, "p", false), close_code::kProtocolError);                 // fragmented ping
  expect_error(ClientFrame(0x0, "x"), close_code::kProtocolError);  // stray continuation
  expect_error(ClientFrame(0x1, "a", false) + ClientFrame(0x1, "b"), close_code::kProtocolError);
  expect_error(ClientFrame(0x1, "x", true, true), close_code::kProtocolError);  // RSV1, no deflate agreed
  expect_error(ClientFrame(0x8, "\x03"), close_code::kProtocolError);           // 1-byte close
  expect_error(ClientFrame(0x8, "\x03\xed"), close_code::kProtocolError);       // 1005 is never sent
  expect_error(ClientFrame(0x8, "\x03\xe8\xff"), close_code::kInvalidPayload);  // reason not UTF-8
  expect_error(ClientFrame(0x1, "\xc3\x28"), close_code::kInvalidPayload);      // text not UTF-8
  // Too big: refused from the header, before the payload is buffered.
  FrameReader r(1024, std::nullopt);
  r.Feed(ClientFrame(0x1, std::string(5000, 'x')).substr(0, 8));
  ClientEvent e = r.Next();
  EXPECT_EQ(e.kind, Kind::kError);
  EXPECT_EQ(e.code, close_code::kTooBig);
  // Fragments adding up past the limit.
  expect_error(ClientFrame(0x1, std::string(600, 'a'), false) + ClientFrame(0x0, std::string(600, 'b')),
               close_code::kTooBig);
  // A length not minimally encoded.
  std::string f = ClientFrame(0x1, std::string(200, 'a'));
  f[1] = static_cast<char>(0x80 | 126);
  f[2] = 0;
  f[3] = 5;
  expect_error(f, close_code::kProtocolError);
}

TEST(WsProtocol, InflatesCompressedClientMessagesWithinTheLimit) {
  Deflater d;
  const std::string msg = "{\"action\":\"subscribe\",\"symbols\":\"FPT,VNM,HPG,ACB,MWG,VCB\"}";
  ClientEvent e = ReadOne(ClientFrame(0x1, d.Compress(msg), true, true), 1024, DeflateParams{});
  ASSERT_EQ(e.kind, Kind::kMessage) << e.reason;
  EXPECT_EQ(e.payload, msg);
  // A compressed bomb: 1 MB of zeros in a ~1 KB frame, against a 64 KB limit.
  const std::string bomb = d.Compress(std::string(1 << 20, '0'));
  ASSERT_LT(bomb.size(), 2048u);
  e = ReadOne(ClientFrame(0x1, bomb, true, true), 64 * 1024, DeflateParams{});
  EXPECT_EQ(e.kind, Kind::kError);
  EXPECT_EQ(e.code, close_code::kTooBig);
  e = ReadOne(ClientFrame(0x1, "\xff\xfe\xfd", true, true), 1024, DeflateParams{});
  EXPECT_EQ(e.kind, Kind::kError);
  EXPECT_EQ(e.code, close_code::kInvalidPayload);
}

TEST(WsProtocol, RandomBytesNeverOverrunTheBound) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    FrameReader r(512, DeflateParams{});
    std::string junk(static_cast<std::size_t>(rng() % 700), '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    r.Feed(junk);
    for (ClientEvent e = r.Next(); e.kind != Kind::kNeedMore; e = r.Next()) {
      if (e.kind == Kind::kMessage) {
        EXPECT_LE(e.payload.size(), 512u);
      }
      if (e.kind == Kind::kError || e.kind == Kind::kClose) break;
    }
    EXPECT_LE(r.buffered(), 512u + 14 + 700);
  }
}

}  // namespace
}  // namespace vnt::server::ws
