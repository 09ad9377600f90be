// HttpServer::Start: what a command reports when the server cannot listen. Loopback sockets only.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>

namespace vnt::server {
namespace {

// A source with nothing to send: Start does not read it.
class EmptySource : public WsSource {
 public:
  std::vector<SharedMessage> Snapshot(WsChannel /*c*/) override { return {}; }
  bool Since(WsChannel /*c*/, std::uint64_t /*epoch*/, std::uint64_t /*seq*/,
             std::vector<SharedMessage>* /*out*/) const override {
    return false;
  }
  SymbolFilter Expand(const SymbolFilter& filter) const override { return filter; }
};

struct Parts {
  boost::asio::io_context ioc;
  Router router;
  EmptySource source;
  Registry metrics;
};

ServerOptions Listen(std::string address, std::uint16_t port) {
  ServerOptions o;
  o.address = std::move(address);
  o.port = port;
  return o;
}

TEST(HttpServerStart, AnAddressThatIsNoIpIsAnInvalidArgumentNamingIt) {
  Parts p;
  HttpServer http(p.ioc, Listen("localhost:80", 0), p.router, p.source, p.metrics);
  const Status started = http.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(started.error().field, "address");
  EXPECT_EQ(started.error().message.rfind("bad listen address 'localhost:80': ", 0), 0u)
      << started.error().message;
}

TEST(HttpServerStart, APortInUseIsAnIoErrorNamingThePort) {
  Parts p;
  HttpServer first(p.ioc, Listen("127.0.0.1", 0), p.router, p.source, p.metrics);
  ASSERT_TRUE(first.Start().ok());
  const std::uint16_t port = first.port();
  ASSERT_NE(port, 0);
  HttpServer second(p.ioc, Listen("127.0.0.1", port), p.router, p.source, p.metrics);
  const Status started = second.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::kIo);
  EXPECT_EQ(started.error().field, "port");
  EXPECT_EQ(started.error().message.rfind("cannot listen on 127.0.0.1:" + std::to_string(port) + ": ", 0), 0u)
      << started.error().message;
  // The first server's accept and tick loops end once it stops.
  first.Stop();
  p.ioc.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(p.ioc.stopped());
}

}  // namespace
}  // namespace vnt::server
