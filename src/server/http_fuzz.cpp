// libFuzzer target over the server's request path: bytes -> Beast's parser -> FromBeast -> FrontDoor
// (canonical target, token, origin, content type, routing, static files) -> the REST handlers over a
// live engine. Every input must give a status in 100..599 and, for JSON, a body that is valid UTF-8 JSON;
// never a crash or a sanitizer report.
#include <simdjson.h>
#include <unistd.h>

#include <boost/beast/websocket.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/engine.h"
#include "feed/decoder.h"
#include "server/beast_request.h"
#include "server/front_door.h"
#include "server/market_service.h"
#include "server/metrics.h"

namespace {

namespace bhttp = boost::beast::http;
using namespace vnt;

struct World {
  core::MarketEngine engine{core::EngineConfig{}};
  server::Registry metrics;
  server::Router router;
  std::unique_ptr<server::MarketService> service;
  std::unique_ptr<server::FrontDoor> door;

  World() {
    // A market with state in it: the sample frames of the repository through the real decoder.
    feed::Decoder decoder;
    feed::DecodeOutput out;
    std::ifstream in(VNT_SOURCE_DIR "/tests/data/sample-frames.txt");
    for (std::string line; std::getline(in, line);) {
      out.clear();
      decoder.Decode(line, out);
      for (const auto& e : out.events) engine.Apply(e);
    }
    server::HealthInfo health;
    health.feed_state = [] { return std::string("connected"); };
    health.feed_lag_ms = [] { return 12.5; };
    health.frames_received = [] { return std::uint64_t{42}; };
    health.store_state = [] { return std::string("none"); };
    service = std::make_unique<server::MarketService>(engine, health, server::HistoryProvider{}, metrics);
    service->SetMaxRules(50);
    service->Register(router);
    // A web app directory of its own, so that static paths are fuzzed against real files.
    const auto dir = std::filesystem::temp_directory_path() / ("vnt-http-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "assets");
    std::ofstream(dir / "index.html") << "<!doctype html><title>t</title>";
    std::ofstream(dir / "assets" / "app.js") << "console.log(1)";
    door = std::make_unique<server::FrontDoor>(
        server::FrontDoorOptions{"secret-token", {"http://allowed.example"}, dir.string()}, router);
  }
};

void CheckResponse(const server::Response& r) {
  if (r.status < 100 || r.status > 599) std::abort();
  const std::string& body = r.Body();
  if (r.status == 204 || r.status == 304) {
    if (!body.empty()) std::abort();  // no content means none
    return;
  }
  if (r.content_type.rfind("application/json", 0) == 0 || r.status >= 400) {
    // simdjson validates UTF-8 as well as the grammar.
    static simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc)) std::abort();
  } else if (r.content_type.find("text/") == 0 && r.content_type.find("html") == std::string::npos) {
    if (!IsValidUtf8(body)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024);
  parser.header_limit(16 * 1024);
  boost::system::error_code ec;
  std::size_t off = 0;
  while (off < size && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + off, size - off), ec);
    if (ec == bhttp::error::need_more) return 0;  // incomplete: the server waits for more (then times out)
    if (ec || n == 0) break;
    off += n;
  }
  if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
  if (ec == bhttp::error::partial_message) return 0;  // the server closes without an answer: the peer left
  if (ec) {
    // The server answers these with 400/413 (see Session); the body must be valid JSON as well.
    CheckResponse(server::ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()));
    return 0;
  }
  if (!parser.is_done()) return 0;
  auto breq = parser.release();
  if (server::HasUnsupportedTransferEncoding(breq)) return 0;  // answered 400 before the request path
  server::Request req = server::FromBeast(breq, "127.0.0.1");
  if (auto refusal = world.door->Canonicalise(req)) {
    CheckResponse(*refusal);
    return 0;
  }
  // A canonical path never holds what the parser refuses.
  if (req.path.empty() || req.path.front() != '/' || req.path.find("//") != std::string::npos ||
      req.path.find("/../") != std::string::npos || req.path.find('\0') != std::string::npos)
    std::abort();
  if (boost::beast::websocket::is_upgrade(breq)) {
    if (auto refusal = world.door->CheckUpgrade(req)) CheckResponse(*refusal);
    return 0;
  }
  CheckResponse(world.door->Handle(req));
  return 0;
}
