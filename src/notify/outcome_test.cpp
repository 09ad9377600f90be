// Delivery outcomes (the notifier's hook, the in-process log) and webhook signatures, against real HTTP
// receivers on loopback (client/test_http_server.h): no mocks.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "client/test_http_server.h"
#include "notify/alert_delivery.h"
#include "notify/notifier.h"
#include "notify/outcome_log.h"

namespace vnt::notify {
namespace {

using client::testing::Canned;
using client::testing::ReceivedRequest;
using client::testing::TestHttpServer;
using std::chrono::milliseconds;

NotifierConfig Fast() {
  NotifierConfig c;
  c.attempt_timeout = milliseconds(1000);
  c.retry_window = milliseconds(1500);
  c.backoff_base = milliseconds(50);
  c.backoff_max = milliseconds(200);
  c.shutdown_grace = milliseconds(300);
  return c;
}

DestinationSpec Spec(const std::string& url, std::string kind = "webhook", int in_flight = 4) {
  auto u = client::ParseHttpUrl(url);
  EXPECT_TRUE(u.ok()) << url;
  DestinationSpec s;
  s.url = *u;
  s.name = "test";
  s.kind = std::move(kind);
  s.max_in_flight = in_flight;
  return s;
}

// Collects the outcomes the hook reports (from the worker thread).
struct Outcomes {
  std::mutex mu;
  std::vector<DeliveryOutcome> seen;
  OutcomeHook Hook() {
    return [this](const DeliveryOutcome& o) {
      std::lock_guard lock(mu);
      seen.push_back(o);
    };
  }
  // Waits for `n` outcomes; returns them.
  std::vector<DeliveryOutcome> Wait(std::size_t n, milliseconds timeout = milliseconds(10000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      {
        std::lock_guard lock(mu);
        if (seen.size() >= n) return seen;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    std::lock_guard lock(mu);
    return seen;
  }
};

std::int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const ExchangeTime kAlertTime{Date::Of(2026, 3, 18), TimeOfDay{10 * 3600 + 31 * 60}};

TEST(DeliveryOutcome, DeliveredRetriedThenDeliveredAndRefusedEachReportTheirEnd) {
  // Three receivers: one answers 200; one 500 then 200; one 404 (refused, not retried).
  TestHttpServer ok([](const ReceivedRequest&, std::size_t) { return Canned(200, "ok"); });
  TestHttpServer flaky(
      [](const ReceivedRequest&, std::size_t i) { return i == 0 ? Canned(500, "oops") : Canned(201, "ok"); });
  TestHttpServer refusing([](const ReceivedRequest&, std::size_t) { return Canned(404, "no"); });
  Outcomes out;
  NotifierConfig cfg = Fast();
  cfg.on_outcome = out.Hook();
  Notifier n(cfg);
  ASSERT_TRUE(n.Start().ok());
  const std::int64_t before = NowMs();
  ASSERT_TRUE(n.Enqueue(n.AddDestination(Spec(ok.url())), "{}", {11, kAlertTime}));
  ASSERT_TRUE(n.Enqueue(n.AddDestination(Spec(flaky.url(), "rule_webhook")), "{}", {12, kAlertTime}));
  ASSERT_TRUE(n.Enqueue(n.AddDestination(Spec(refusing.url(), "telegram")), "{}", {13, kAlertTime}));
  const auto seen = out.Wait(3);
  ASSERT_EQ(seen.size(), 3u);
  std::map<std::uint64_t, DeliveryOutcome> by_id;
  for (const auto& o : seen) by_id[o.tag.alert_id] = o;
  const DeliveryOutcome& a = by_id.at(11);
  EXPECT_EQ(a.result, Outcome::kDelivered);
  EXPECT_EQ(a.kind, "webhook");
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(a.tag.alert_time, kAlertTime);
  EXPECT_GE(a.time_ms, before);
  EXPECT_LE(a.time_ms, NowMs());
  const DeliveryOutcome& b = by_id.at(12);
  EXPECT_EQ(b.result, Outcome::kDelivered);
  EXPECT_EQ(b.kind, "rule_webhook");
  EXPECT_EQ(b.attempts, 2);
  EXPECT_EQ(b.status, 201);
  EXPECT_EQ(b.error, "");
  const DeliveryOutcome& c = by_id.at(13);
  EXPECT_EQ(c.result, Outcome::kGivenUp);
  EXPECT_EQ(c.kind, "telegram");
  EXPECT_EQ(c.attempts, 1);
  EXPECT_EQ(c.status, 404);
  EXPECT_NE(c.error.find("404"), std::string::npos) << c.error;
  EXPECT_NE(c.error.find("not retried"), std::string::npos) << c.error;
  EXPECT_EQ(ToString(c.result), "given_up");
  n.Stop();
}

TEST(DeliveryOutcome, RetriesOutOfTimeAreGivenUpWithTheLastStatusAndAttempts) {
  TestHttpServer down([](const ReceivedRequest&, std::size_t) { return Canned(503, "busy"); });
  Outcomes out;
  NotifierConfig cfg = Fast();
  cfg.on_outcome = out.Hook();
  Notifier n(cfg);
  ASSERT_TRUE(n.Start().ok());
  ASSERT_TRUE(n.Enqueue(n.AddDestination(Spec(down.url("/secret/path"))), "{}", {21, kAlertTime}));
  const auto seen = out.Wait(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].result, Outcome::kGivenUp);
  EXPECT_EQ(seen[0].status, 503);
  EXPECT_EQ(static_cast<std::size_t>(seen[0].attempts), down.count());
  EXPECT_GE(seen[0].attempts, 2);
  EXPECT_EQ(seen[0].error, "HTTP 503");
  EXPECT_EQ(seen[0].error.find("secret"), std::string::npos);
  EXPECT_EQ(n.Count(Channel::kWebhook, Result::kFailed), 1u);
  n.Stop();
}

TEST(DeliveryOutcome, AFullQueueAndShutdownAreReportedDropped) {
  TestHttpServer silent([](const ReceivedRequest&, std::size_t) {
    client::testing::CannedReply c;
    c.never = true;
    return c;
  });
  Outcomes out;
  NotifierConfig cfg = Fast();
  cfg.queue_capacity = 2;
  cfg.retry_window = milliseconds(60'000);
  cfg.attempt_timeout = milliseconds(30'000);
  cfg.on_outcome = out.Hook();
  Notifier n(cfg);
  ASSERT_TRUE(n.Start().ok());
  auto d = n.AddDestination(Spec(silent.url(), "webhook", 1));
  ASSERT_TRUE(n.Enqueue(d, "{}", {1, kAlertTime}));
  ASSERT_TRUE(n.Enqueue(d, "{}", {2, kAlertTime}));
  EXPECT_FALSE(n.Enqueue(d, "{}", {3, kAlertTime}));  // reported at once, on this thread
  {
    std::lock_guard lock(out.mu);
    ASSERT_EQ(out.seen.size(), 1u);
    EXPECT_EQ(out.seen[0].tag.alert_id, 3u);
    EXPECT_EQ(out.seen[0].result, Outcome::kDropped);
    EXPECT_EQ(out.seen[0].error, "queue full");
    EXPECT_EQ(out.seen[0].attempts, 0);
  }
  ASSERT_TRUE(silent.WaitFor(1, milliseconds(5000)));
  n.Stop();  // 1 in flight (cancelled after the grace), 2 queued: both dropped at shutdown
  const auto seen = out.Wait(3, milliseconds(100));
  ASSERT_EQ(seen.size(), 3u);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(seen[i].result, Outcome::kDropped);
    EXPECT_EQ(seen[i].error.rfind("shutdown", 0), 0u) << seen[i].error;
  }
}

TEST(DeliveryOutcome, TheLogKeepsTheOutcomesOfTheLastAlerts) {
  OutcomeLog log(2);
  DeliveryOutcome o;
  o.tag.alert_id = 1;
  log.Add(o);
  o.kind = "telegram";
  log.Add(o);
  o.tag.alert_id = 0;  // not an alert: ignored
  log.Add(o);
  EXPECT_EQ(log.Of(1).size(), 2u);
  EXPECT_EQ(log.Of(1)[1].kind, "telegram");
  o.tag.alert_id = 2;
  log.Add(o);
  o.tag.alert_id = 3;
  log.Add(o);
  EXPECT_TRUE(log.Of(1).empty());  // the oldest alert made room
  EXPECT_EQ(log.Of(3).size(), 1u);
  EXPECT_TRUE(log.Of(0).empty());
}

// RFC 4231, test case 2: HMAC-SHA256 with key "Jefe".
TEST(WebhookSignature, IsHmacSha256InLowerCaseHex) {
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// The receiver checks the signature of the bytes it got; the secret never appears in a log line or in
// the destination's description.
TEST(WebhookSignature, EveryWebhookPostIsSignedAndTheReceiverVerifiesIt) {
  const std::string secret = "s3cr3t-hmac-key";
  std::mutex mu;
  std::vector<bool> verified;
  TestHttpServer srv([&](const ReceivedRequest& r, std::size_t) {
    const auto it = r.headers.find("x-vnt-signature");
    std::lock_guard lock(mu);
    verified.push_back(it != r.headers.end() && it->second == WebhookSignature(secret, r.body));
    return Canned(verified.back() ? 200 : 401, "");
  });
  std::vector<std::string> logs;
  NotifierConfig cfg = Fast();
  cfg.log = [&](LogLevel, const std::string& line) {
    std::lock_guard lock(mu);
    logs.push_back(line);
  };
  Outcomes out;
  cfg.on_outcome = out.Hook();
  Notifier n(cfg);
  DeliveryOptions o;
  o.webhook_url = srv.url("/hook");
  o.webhook_secret = secret;
  o.min_severity = "info";
  auto delivery = AlertDelivery::Make(o, n, nullptr);
  ASSERT_TRUE(delivery.ok()) << delivery.error().message;
  ASSERT_TRUE(n.Start().ok());
  EXPECT_EQ((*delivery)->Describe().find(secret), std::string::npos);
  core::Alert a;
  a.id = 5;
  a.severity = core::Severity::kWarning;
  Symbol::Make("FPT", &a.symbol);
  a.time = kAlertTime;
  a.message = "FPT «tiếng Việt»";
  (*delivery)->OnAlert(a);
  a.id = 6;
  (*delivery)->OnAlert(a);
  const auto seen = out.Wait(2);
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& s : seen) EXPECT_EQ(s.result, Outcome::kDelivered) << s.error;
  n.Stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(verified, (std::vector<bool>{true, true}));
  for (const std::string& line : logs) EXPECT_EQ(line.find(secret), std::string::npos) << line;
}

// A receiver refusing an unsigned or wrongly signed POST: the outcome says so.
TEST(WebhookSignature, AWrongSecretIsRefusedByTheReceiver) {
  TestHttpServer srv([](const ReceivedRequest& r, std::size_t) {
    const auto it = r.headers.find("x-vnt-signature");
    const bool ok = it != r.headers.end() && it->second == WebhookSignature("right", r.body);
    return Canned(ok ? 200 : 401, "");
  });
  Outcomes out;
  NotifierConfig cfg = Fast();
  cfg.on_outcome = out.Hook();
  Notifier n(cfg);
  DeliveryOptions o;
  o.webhook_url = srv.url("/hook");
  o.webhook_secret = "wrong";
  auto delivery = AlertDelivery::Make(o, n, nullptr);
  ASSERT_TRUE(delivery.ok()) << delivery.error().message;
  ASSERT_TRUE(n.Start().ok());
  core::Alert a;
  a.id = 1;
  a.severity = core::Severity::kCritical;
  (*delivery)->OnAlert(a);
  const auto seen = out.Wait(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].result, Outcome::kGivenUp);
  EXPECT_EQ(seen[0].status, 401);
  n.Stop();
}

}  // namespace
}  // namespace vnt::notify
