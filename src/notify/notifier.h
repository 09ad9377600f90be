#pragma once
// The delivery worker. Enqueue() (any thread, typically the engine's) only checks a bound and posts: no I/O,
// no waiting. A thread of its own runs one io_context where each delivery is a coroutine, so a slow or dead
// destination holds only its own deliveries, never the engine, the server or the other destinations.
//
// Per destination: at most `queue_capacity` deliveries waiting or in flight (more are dropped and counted),
// at most `max_in_flight` of them in flight (1 keeps them in order). A delivery is tried until it is
// delivered, refused (delivery_policy.h: Judge), or `retry_window` after it was queued has passed; each
// attempt is bounded by `attempt_timeout`; retries wait RetryDelay (backoff with jitter, or the server's
// Retry-After). Stop(): no attempt starts any more, attempts in flight get `shutdown_grace` to finish, the
// rest is dropped and counted. The request target (which may hold a token) is never logged. This header
// keeps Asio out of its includers: only notifier.cpp compiles it.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/http_message.h"
#include "common/log.h"
#include "core/types.h"
#include "notify/delivery_policy.h"

namespace vnt::notify {

// How one delivery ended (each delivery has exactly one outcome): delivered; given up (refused by the
// receiver, or out of retry time; the metrics' "failed"); dropped (queue full, shutdown, not running).
enum class Outcome : std::uint8_t { kDelivered, kGivenUp, kDropped };
inline constexpr auto kOutcomeNames = MakeEnumNames<Outcome>(
    {{Outcome::kDelivered, "delivered"}, {Outcome::kGivenUp, "given_up"}, {Outcome::kDropped, "dropped"}});
static_assert(kOutcomeNames.Unique() && kOutcomeNames.size() == 3);
// "delivered", "given_up", "dropped".
std::string_view ToString(Outcome o);

// What a delivery is about: carried through the queue and handed back with its outcome.
struct DeliveryTag {
  std::uint64_t alert_id = 0;  // the engine's alert id (0 = not an alert)
  ExchangeTime alert_time;     // the alert's exchange time
};

// The end of one delivery.
struct DeliveryOutcome {
  DeliveryTag tag;
  Channel channel = Channel::kWebhook;
  std::string kind;  // the destination's kind (DestinationSpec::kind): "webhook", "rule_webhook", "telegram"
  Outcome result = Outcome::kDropped;
  int attempts = 0;          // attempts made (0: never sent)
  int status = 0;            // the last HTTP status received, 0 = none
  std::string error;         // the last problem ("HTTP 503", "timeout ...", "queue full"); "" when delivered
  std::int64_t time_ms = 0;  // wall clock (Unix ms) when it ended
};
// Receives every outcome: on the worker thread, or on the Enqueue caller's thread for a delivery refused
// there (queue full, not running). It must not block (hand the outcome over and return); never a secret
// in it (errors name host and port, never the request target).
using OutcomeHook = std::function<void(const DeliveryOutcome&)>;

struct NotifierConfig {
  std::chrono::milliseconds attempt_timeout{10'000};  // one attempt: connect, TLS, request, reply
  std::chrono::milliseconds retry_window{60'000};     // a delivery is tried this long after it was queued
  std::chrono::milliseconds backoff_base{1'000};      // first retry delay, doubling...
  std::chrono::milliseconds backoff_max{30'000};      // ...up to this
  std::chrono::milliseconds shutdown_grace{2'000};    // Stop(): time left to attempts in flight
  std::size_t queue_capacity = 256;                   // per destination: waiting + in flight
  std::string ca_file;                                // extra CA certificates (PEM) for https destinations
  LogSink log;
  OutcomeHook on_outcome;  // every delivery's outcome (empty = not reported)
};

// Where deliveries go, and how.
struct DestinationSpec {
  Channel channel = Channel::kWebhook;
  client::HttpUrl url;  // the target may hold a secret (a bot token): it is sent, never logged
  std::string name;     // for log lines, without secrets ("webhook https://example.com/…")
  std::string content_type = "application/json";
  int max_in_flight = 4;  // concurrent attempts; 1 delivers in order
  std::string kind;       // reported with outcomes ("" = ToString(channel))
  // Sent with every attempt (e.g. a signature of the body); values are never logged.
  std::function<std::vector<std::pair<std::string, std::string>>(const std::string& body)> headers;
};

// A destination with its own queue (defined in notifier.cpp).
class Destination;

class Notifier {
 public:
  explicit Notifier(NotifierConfig cfg);
  ~Notifier();  // Stop()
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Loads the CA file and starts the worker thread; the error when the CA file does not load.
  vnt::Status Start();
  // Bounded by shutdown_grace (plus a margin): see the header comment. Idempotent.
  void Stop();

  // A new destination. Any thread.
  std::shared_ptr<Destination> AddDestination(DestinationSpec spec);
  // Queues `body` for `to`. Any thread; never blocks on I/O. False (counted as dropped) when the
  // destination's queue is full or the notifier is not running.
  bool Enqueue(const std::shared_ptr<Destination>& to, std::string body, DeliveryTag tag = {});
  // Counts a delivery that could not be attempted at all (e.g. a rule's webhook URL that does not parse),
  // and reports it given up with `error` as a destination of `kind`.
  void CountFailed(Channel c, DeliveryTag tag = {}, std::string kind = "", std::string error = "");

  // Outcomes so far. Any thread.
  std::uint64_t Count(Channel c, Result r) const;
  // Deliveries waiting or in flight. Any thread.
  std::int64_t Pending(Channel c) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnt::notify
