#include "client/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

#include "client/test_http_server.h"

namespace vnt::client {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using testing::Canned;
using testing::CannedReply;
using testing::ReceivedRequest;
using testing::TestHttpServer;

Endpoint Loopback(std::uint16_t port) {
  return Endpoint{false, "127.0.0.1", port};
}

ClientRequest Post(std::string body) {
  ClientRequest r;
  r.method = Method::kPost;
  r.target = "/hook?x=1";
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

// Runs one Fetch on a fresh io_context; `cancel_after` > 0 cancels it through the hook then.
ClientReply FetchOnce(const Endpoint& to, const ClientRequest& req, FetchOptions opts,
                      milliseconds cancel_after = {}) {
  asio::io_context ioc;
  TlsContext tls;
  std::optional<ClientReply> out;
  CancelHook hook;
  asio::co_spawn(
      ioc, [&]() -> asio::awaitable<void> { out = co_await Fetch(tls, to, req, opts, &hook); },
      asio::detached);
  asio::steady_timer t(ioc);
  if (cancel_after.count() > 0) {
    t.expires_after(cancel_after);
    t.async_wait([&](boost::system::error_code) {
      if (hook) hook();
    });
  }
  ioc.run_for(std::chrono::seconds(30));
  return out.value_or(ClientReply{});
}

TEST(Fetch, PostsTheBodyAndReadsTheReply) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) {
    return Canned(201, R"({"ok":true})", {{"Retry-After", "7"}});
  });
  ClientRequest req = Post(R"({"id":1})");
  req.headers.emplace_back("Accept", "application/json");
  const ClientReply r = FetchOnce(Loopback(srv.port()), req, {});
  ASSERT_TRUE(r.ok()) << r.error_text;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(r.retry_after, "7");
  EXPECT_FALSE(r.body_truncated);
  ASSERT_EQ(srv.count(), 1u);
  ReceivedRequest got = srv.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/hook?x=1");
  EXPECT_EQ(got.body, R"({"id":1})");
  EXPECT_EQ(got.headers["content-type"], "application/json");
  EXPECT_EQ(got.headers["host"], "127.0.0.1:" + std::to_string(srv.port()));
  EXPECT_EQ(got.headers["accept"], "application/json");
  EXPECT_EQ(got.headers["connection"], "close");
  EXPECT_EQ(got.headers["user-agent"], "vntracker/0.1");
}

TEST(Fetch, AnErrorStatusIsAReply) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) { return Canned(503, "busy"); });
  const ClientReply r = FetchOnce(Loopback(srv.port()), Post("{}"), {});
  ASSERT_TRUE(r.ok()) << r.error_text;
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "busy");
}

TEST(Fetch, ASilentServerTimesOutWithinTheTimeout) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) {
    CannedReply c;
    c.never = true;
    return c;
  });
  FetchOptions o;
  o.timeout = milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  const ClientReply r = FetchOnce(Loopback(srv.port()), Post("{}"), o);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.error, NetError::kTimeout) << r.error_text;
  EXPECT_GE(took, milliseconds(290));
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_EQ(r.error_text.find("/hook"), std::string::npos)
      << "errors never name the target: " << r.error_text;
}

TEST(Fetch, AClosedPortIsAConnectError) {
  const ClientReply r = FetchOnce(Loopback(testing::ClosedPort()), Post("{}"), {});
  EXPECT_EQ(r.error, NetError::kConnect) << r.error_text;
  EXPECT_NE(r.error_text.find("cannot connect to 127.0.0.1:"), std::string::npos) << r.error_text;
}

TEST(Fetch, AConnectionClosedWithoutReplyIsAnIoError) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) {
    CannedReply c;
    c.close = true;
    return c;
  });
  const ClientReply r = FetchOnce(Loopback(srv.port()), Post("{}"), {});
  EXPECT_EQ(r.error, NetError::kIo) << r.error_text;
}

TEST(Fetch, ALongReplyBodyIsCutAndItsStatusKept) {
  TestHttpServer srv(
      [](const ReceivedRequest&, std::size_t) { return Canned(200, std::string(100'000, 'x')); });
  FetchOptions o;
  o.max_body = 1024;
  const ClientReply r = FetchOnce(Loopback(srv.port()), Post("{}"), o);
  ASSERT_TRUE(r.ok()) << r.error_text;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body_truncated);
  EXPECT_LE(r.body.size(), 1024u);
}

TEST(Fetch, TheCancelHookEndsAnExchangeInFlight) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) {
    CannedReply c;
    c.never = true;
    return c;
  });
  const auto t0 = std::chrono::steady_clock::now();
  const ClientReply r = FetchOnce(Loopback(srv.port()), Post("{}"), {}, milliseconds(200));
  EXPECT_EQ(r.error, NetError::kCancelled) << r.error_text;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(2000));
}

TEST(Fetch, AnUnresolvableHostIsAResolveError) {
  const ClientReply r = FetchOnce(Endpoint{false, "no-such-host.invalid", 80}, Post("{}"), {});
  EXPECT_EQ(r.error, NetError::kResolve) << r.error_text;
}

TEST(TlsContext, AMissingCaFileIsAnError) {
  TlsContext tls;
  const Status st = tls.LoadCaFile("/nonexistent/ca.pem");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kIo);
  EXPECT_NE(st.error().message.find("cannot load CA file '/nonexistent/ca.pem'"), std::string::npos)
      << st.error().message;
}

}  // namespace
}  // namespace vnt::client
