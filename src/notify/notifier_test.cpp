// The delivery worker against real HTTP receivers on loopback (client/test_http_server.h): no mocks.
#include "notify/notifier.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <thread>

#include "client/test_http_server.h"

namespace vnt::notify {
namespace {

using client::testing::Canned;
using client::testing::CannedReply;
using client::testing::ReceivedRequest;
using client::testing::TestHttpServer;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

CannedReply Ok() {
  return Canned(200, "ok");
}
CannedReply Never() {
  CannedReply c;
  c.never = true;
  return c;
}

NotifierConfig Fast() {
  NotifierConfig c;
  c.attempt_timeout = milliseconds(2000);
  c.retry_window = milliseconds(5000);
  c.backoff_base = milliseconds(50);
  c.backoff_max = milliseconds(400);
  c.shutdown_grace = milliseconds(300);
  return c;
}

DestinationSpec Spec(const std::string& url, Channel ch = Channel::kWebhook, int in_flight = 4) {
  auto u = client::ParseHttpUrl(url);
  EXPECT_TRUE(u.ok()) << url;
  DestinationSpec s;
  s.channel = ch;
  s.url = *u;
  s.name = "test " + u->Redacted();
  s.max_in_flight = in_flight;
  return s;
}

// Waits until pred() holds or `timeout` passes.
template <class Pred>
bool WaitUntil(Pred pred, milliseconds timeout = milliseconds(10000)) {
  const auto end = Clock::now() + timeout;
  while (Clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return pred();
}

struct Started {
  explicit Started(NotifierConfig c) : n(std::move(c)) { EXPECT_TRUE(n.Start().ok()); }
  Notifier n;
};

TEST(Notifier, DeliversTheBodyOnce) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) { return Ok(); });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url("/hook/secret")));
  const auto t0 = Clock::now();
  ASSERT_TRUE(s.n.Enqueue(d, R"({"id":1})"));
  ASSERT_TRUE(srv.WaitFor(1, milliseconds(5000)));
  const auto latency = srv.requests()[0].at - t0;
  ASSERT_TRUE(WaitUntil([&] { return s.n.Count(Channel::kWebhook, Result::kDelivered) == 1; }));
  EXPECT_EQ(s.n.Pending(Channel::kWebhook), 0);
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kRetried), 0u);
  const ReceivedRequest r = srv.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook/secret");
  EXPECT_EQ(r.body, R"({"id":1})");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  std::printf("enqueue -> received on loopback: %.2f ms\n",
              std::chrono::duration<double, std::milli>(latency).count());
}

TEST(Notifier, AServerErrorIsRetriedThenDeliveredOnce) {
  TestHttpServer srv(
      [](const ReceivedRequest&, std::size_t i) { return i == 0 ? Canned(500, "oops") : Ok(); });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url()));
  ASSERT_TRUE(s.n.Enqueue(d, "{}"));
  ASSERT_TRUE(WaitUntil([&] { return s.n.Count(Channel::kWebhook, Result::kDelivered) == 1; }));
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kRetried), 1u);
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kFailed), 0u);
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(srv.count(), 2u);  // one 500, one 200: nothing more
}

TEST(Notifier, AClientErrorFailsWithoutRetry) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) { return Canned(404, "no"); });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url()));
  ASSERT_TRUE(s.n.Enqueue(d, "{}"));
  ASSERT_TRUE(WaitUntil([&] { return s.n.Count(Channel::kWebhook, Result::kFailed) == 1; }));
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kRetried), 0u);
  EXPECT_EQ(srv.count(), 1u);
}

TEST(Notifier, ASilentReceiverTimesOutAndIsRetriedWithinTheWindow) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) { return Never(); });
  NotifierConfig c = Fast();
  c.attempt_timeout = milliseconds(200);
  c.retry_window = milliseconds(1500);
  Started s(c);
  auto d = s.n.AddDestination(Spec(srv.url()));
  const auto t0 = Clock::now();
  ASSERT_TRUE(s.n.Enqueue(d, "{}"));
  ASSERT_TRUE(WaitUntil([&] { return s.n.Count(Channel::kWebhook, Result::kFailed) == 1; }));
  const auto took = Clock::now() - t0;
  EXPECT_GE(s.n.Count(Channel::kWebhook, Result::kRetried), 2u);
  EXPECT_GE(srv.count(), 3u);
  EXPECT_LT(took, milliseconds(2500));  // the window bounds the whole delivery
  EXPECT_EQ(s.n.Pending(Channel::kWebhook), 0);
}

TEST(Notifier, AClosedPortIsRetriedThenGivenUp) {
  NotifierConfig c = Fast();
  c.retry_window = milliseconds(800);
  Started s(c);
  auto d =
      s.n.AddDestination(Spec("http://127.0.0.1:" + std::to_string(client::testing::ClosedPort()) + "/hook"));
  ASSERT_TRUE(s.n.Enqueue(d, "{}"));
  ASSERT_TRUE(WaitUntil([&] { return s.n.Count(Channel::kWebhook, Result::kFailed) == 1; }));
  EXPECT_GE(s.n.Count(Channel::kWebhook, Result::kRetried), 2u);
}

TEST(Notifier, ADeadReceiverDelaysNothingElseAndItsDropsAreCounted) {
  TestHttpServer dead([](const ReceivedRequest&, std::size_t) { return Never(); });
  TestHttpServer good([](const ReceivedRequest&, std::size_t) { return Ok(); });
  NotifierConfig c = Fast();
  c.attempt_timeout = milliseconds(5000);
  c.retry_window = milliseconds(10000);
  c.queue_capacity = 8;
  Started s(c);
  auto to_dead = s.n.AddDestination(Spec(dead.url()));
  auto to_good = s.n.AddDestination(Spec(good.url(), Channel::kTelegram));
  constexpr int kAlerts = 50;
  Clock::duration slowest_enqueue{};
  const auto t0 = Clock::now();
  for (int i = 0; i < kAlerts; ++i) {
    // The live receiver has the same 8-deep queue: on a loaded machine (ThreadSanitizer, two test
    // processes on two cores) its deliveries can fall behind 5 ms alerts, and its own drops are not
    // what this test is about. The dead receiver never drains, so it still overflows every time.
    ASSERT_TRUE(WaitUntil([&] { return s.n.Pending(Channel::kTelegram) < 8; }));
    const auto e0 = Clock::now();
    s.n.Enqueue(to_dead, "{\"i\":" + std::to_string(i) + "}");
    s.n.Enqueue(to_good, "{\"i\":" + std::to_string(i) + "}");
    slowest_enqueue = std::max(slowest_enqueue, Clock::now() - e0);
    std::this_thread::sleep_for(milliseconds(5));  // alerts keep coming
  }
  ASSERT_TRUE(good.WaitFor(kAlerts, milliseconds(10000)));
  const auto all_good = Clock::now() - t0;
  // Held up by the dead receiver, the live one would wait out its 5 s attempts; Enqueue would block
  // on them. Bounds well under that, with room for a sanitizer build on a busy machine.
  EXPECT_LT(all_good, milliseconds(4000));
  EXPECT_LT(slowest_enqueue, milliseconds(250));
  EXPECT_EQ(s.n.Count(Channel::kTelegram, Result::kDropped), 0u);
  std::set<std::string> bodies;
  for (const auto& r : good.requests()) bodies.insert(r.body);
  EXPECT_EQ(bodies.size(), static_cast<std::size_t>(kAlerts));
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kDropped), static_cast<std::uint64_t>(kAlerts) - 8);
  EXPECT_EQ(s.n.Pending(Channel::kWebhook), 8);
  EXPECT_EQ(dead.count(), 4u);  // four in flight, four waiting
  const auto s0 = Clock::now();
  s.n.Stop();
  const auto stop_took = Clock::now() - s0;
  EXPECT_LT(stop_took, milliseconds(1500));  // grace 300 ms
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kDropped), static_cast<std::uint64_t>(kAlerts));
  EXPECT_EQ(s.n.Count(Channel::kTelegram, Result::kDelivered), static_cast<std::uint64_t>(kAlerts));
  EXPECT_EQ(s.n.Pending(Channel::kWebhook), 0);
  std::printf(
      "%d alerts: all %d delivered to the live receiver in %.0f ms while the dead one held 8 and dropped "
      "%d; slowest Enqueue %.3f ms; Stop %.0f ms\n",
      kAlerts, kAlerts, std::chrono::duration<double, std::milli>(all_good).count(), kAlerts - 8,
      std::chrono::duration<double, std::milli>(slowest_enqueue).count(),
      std::chrono::duration<double, std::milli>(stop_took).count());
}

TEST(Notifier, OneInFlightDeliversInOrder) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) { return Ok(); });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url(), Channel::kTelegram, 1));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(s.n.Enqueue(d, std::to_string(i)));
  ASSERT_TRUE(srv.WaitFor(20, milliseconds(10000)));
  const auto reqs = srv.requests();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(reqs[i].body, std::to_string(i));
}

TEST(Notifier, TelegramRetryAfterIsHonoured) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t i) {
    if (i == 0)
      return Canned(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1",)"
                         R"("parameters":{"retry_after":1}})");
    return Canned(200, R"({"ok":true,"result":{}})");
  });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url("/bot1:x/sendMessage"), Channel::kTelegram, 1));
  ASSERT_TRUE(s.n.Enqueue(d, "{}"));
  ASSERT_TRUE(WaitUntil([&] { return s.n.Count(Channel::kTelegram, Result::kDelivered) == 1; }));
  const auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_GE(reqs[1].at - reqs[0].at, milliseconds(990));  // the backoff alone would be 50 ms
  EXPECT_EQ(s.n.Count(Channel::kTelegram, Result::kRetried), 1u);
}

TEST(Notifier, ARetryAfterBeyondTheWindowGivesUp) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) {
    return Canned(503, "", {{"Retry-After", "60"}});
  });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url()));
  ASSERT_TRUE(s.n.Enqueue(d, "{}"));
  ASSERT_TRUE(
      WaitUntil([&] { return s.n.Count(Channel::kWebhook, Result::kFailed) == 1; }, milliseconds(2000)));
  EXPECT_EQ(srv.count(), 1u);
}

TEST(Notifier, StopIsBoundedAndCountsWhatItGivesUp) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) { return Never(); });
  NotifierConfig c = Fast();
  c.attempt_timeout = milliseconds(30000);
  c.retry_window = milliseconds(60000);
  Started s(c);
  auto d = s.n.AddDestination(Spec(srv.url(), Channel::kWebhook, 2));
  for (int i = 0; i < 5; ++i) s.n.Enqueue(d, "{}");
  ASSERT_TRUE(srv.WaitFor(2, milliseconds(5000)));
  const auto t0 = Clock::now();
  s.n.Stop();
  EXPECT_LT(Clock::now() - t0, milliseconds(1500));
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kDropped), 5u);
  EXPECT_EQ(s.n.Pending(Channel::kWebhook), 0);
  EXPECT_FALSE(s.n.Enqueue(d, "{}"));  // stopped: refused and counted
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kDropped), 6u);
}

TEST(Notifier, StopLetsAnAttemptInFlightFinishWithinTheGrace) {
  TestHttpServer srv([](const ReceivedRequest&, std::size_t) {
    CannedReply c = Ok();
    c.delay = milliseconds(100);
    return c;
  });
  Started s(Fast());
  auto d = s.n.AddDestination(Spec(srv.url()));
  s.n.Enqueue(d, "{}");
  ASSERT_TRUE(srv.WaitFor(1, milliseconds(5000)));
  s.n.Stop();
  EXPECT_EQ(s.n.Count(Channel::kWebhook, Result::kDelivered), 1u);
}

TEST(Notifier, NotStartedRefusesAndCounts) {
  Notifier n(Fast());
  auto d = n.AddDestination(Spec("http://127.0.0.1:9/x"));
  EXPECT_FALSE(n.Enqueue(d, "{}"));
  EXPECT_EQ(n.Count(Channel::kWebhook, Result::kDropped), 1u);
  EXPECT_EQ(n.Pending(Channel::kWebhook), 0);
}

}  // namespace
}  // namespace vnt::notify
