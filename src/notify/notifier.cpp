// The only translation unit of the delivery that compiles Asio (the HTTP exchange itself is in
// client/http_client.cpp).
#include "notify/notifier.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <deque>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "client/http_client.h"

namespace vnt::notify {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr milliseconds kMinAttempt{100};          // less time left than this: do not start an attempt
constexpr std::size_t kMaxReplyBody = 64 * 1024;  // a receiver's reply is read for its status and error only
constexpr std::int64_t kQueueFullLogEveryMs = 60'000;

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count();
}

constexpr std::size_t kChannels = static_cast<std::size_t>(Channel::kCount);
constexpr std::size_t kResults = static_cast<std::size_t>(Result::kCount);

std::string Secs(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

std::int64_t WallMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Job {
  std::string body;
  Clock::time_point deadline;  // queued + retry_window
  DeliveryTag tag;
};

// How a delivery ended, as its outcome reports it.
struct Ended {
  Result result = Result::kDropped;  // delivered, failed or dropped
  int attempts = 0;
  int status = 0;
  std::string error;
};

}  // namespace

class Destination {
 public:
  explicit Destination(DestinationSpec s) : spec(std::move(s)) {}
  const DestinationSpec spec;
  std::atomic<std::size_t> outstanding{0};  // waiting + in flight: the bound Enqueue checks
  // When a "queue full" line was last logged (steady ms; long ago at first).
  std::atomic<std::int64_t> full_logged_ms{std::numeric_limits<std::int64_t>::min() / 2};

  // The worker thread only.
  std::deque<Job> queue;
  int in_flight = 0;
  std::string last_problem;  // the problem last logged, so a repeated one is logged every 10th time
  int repeats = 0;
};

// Lives as long as the Notifier, whose destructor stops and joins the thread: handlers capture `this`.
class Notifier::Impl {
 public:
  explicit Impl(NotifierConfig cfg) : cfg_(std::move(cfg)) {}

  vnt::Status Start() {
    if (!cfg_.ca_file.empty()) {
      if (vnt::Status st = tls_.LoadCaFile(cfg_.ca_file); !st) return st;
    }
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return {};
    work_.emplace(asio::make_work_guard(ioc_));
    accepting_ = true;
    thread_ = std::thread([this] {
      ioc_.run();
      done_.set_value();
    });
    return {};
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      if (!thread_.joinable() || !accepting_) return;
      accepting_ = false;
    }
    asio::post(ioc_, [this] { BeginStop(); });
    // The worker ends within the grace; the margin covers a name resolution that the resolver cannot
    // abandon. Past it the loop is stopped and what is left is destroyed with the io_context.
    if (done_future_.wait_for(cfg_.shutdown_grace + std::chrono::seconds(3)) != std::future_status::ready)
      ioc_.stop();
    thread_.join();
    const auto sum = [this](Result r) { return Count(Channel::kWebhook, r) + Count(Channel::kTelegram, r); };
    Log(LogLevel::kInfo, "stopped: " + std::to_string(sum(Result::kDelivered)) + " delivered, " +
                             std::to_string(sum(Result::kFailed)) + " failed, " +
                             std::to_string(sum(Result::kDropped)) + " dropped");
  }

  bool Enqueue(const std::shared_ptr<Destination>& d, std::string body, DeliveryTag tag) {
    const Channel ch = d->spec.channel;
    if (d->outstanding.fetch_add(1) >= cfg_.queue_capacity) {
      d->outstanding.fetch_sub(1);
      Add(ch, Result::kDropped);
      Report(*d, tag, Ended{Result::kDropped, 0, 0, "queue full"});
      // At most one line a minute per destination: a dead endpoint under a stream of alerts drops many.
      const std::int64_t now = SteadyMs();
      std::int64_t last = d->full_logged_ms.load();
      if (now - last >= kQueueFullLogEveryMs && d->full_logged_ms.compare_exchange_strong(last, now))
        Log(LogLevel::kWarning,
            d->spec.name + ": " + std::to_string(cfg_.queue_capacity) +
                " deliveries waiting or in flight; new alerts are dropped (counted) while it lasts");
      return false;
    }
    std::lock_guard lock(mu_);
    if (!accepting_) {
      d->outstanding.fetch_sub(1);
      Add(ch, Result::kDropped);
      Report(*d, tag, Ended{Result::kDropped, 0, 0, "not running"});
      return false;
    }
    pending_[static_cast<std::size_t>(ch)].fetch_add(1);
    // The worker owns the queue: the engine thread only hands the delivery over.
    asio::post(ioc_, [this, d, job = Job{std::move(body), Clock::now() + cfg_.retry_window, tag}]() mutable {
      Queue(d, std::move(job));
    });
    return true;
  }

  void Add(Channel c, Result r) {
    counts_[static_cast<std::size_t>(c) * kResults + static_cast<std::size_t>(r)].fetch_add(1);
  }
  std::uint64_t Count(Channel c, Result r) const {
    return counts_[static_cast<std::size_t>(c) * kResults + static_cast<std::size_t>(r)].load();
  }
  std::int64_t Pending(Channel c) const { return pending_[static_cast<std::size_t>(c)].load(); }

  // Hands a delivery's end to the outcome hook (any thread).
  void Report(const DestinationSpec& spec, const DeliveryTag& tag, const Ended& e) const {
    if (!cfg_.on_outcome) return;
    DeliveryOutcome o;
    o.tag = tag;
    o.channel = spec.channel;
    o.kind = spec.kind.empty() ? std::string(ToString(spec.channel)) : spec.kind;
    o.result = e.result == Result::kDelivered ? Outcome::kDelivered
               : e.result == Result::kFailed  ? Outcome::kGivenUp
                                              : Outcome::kDropped;
    o.attempts = e.attempts;
    o.status = e.status;
    o.error = e.error;
    o.time_ms = WallMs();
    cfg_.on_outcome(o);
  }
  void Report(const Destination& d, const DeliveryTag& tag, const Ended& e) const { Report(d.spec, tag, e); }

 private:
  // One delivery's handles, registered while its coroutine runs so that Stop() can end it.
  struct Active {
    Active(Impl& impl, asio::io_context& ioc) : owner(impl), timer(ioc) { owner.active_.insert(this); }
    ~Active() { owner.active_.erase(this); }
    Active(const Active&) = delete;
    Active& operator=(const Active&) = delete;
    Impl& owner;
    client::CancelHook cancel;  // set while an attempt waits on the network
    asio::steady_timer timer;   // the wait before a retry
  };

  void Log(LogLevel level, const std::string& line) const {
    if (cfg_.log) cfg_.log(level, "alert delivery: " + line);
  }

  // Logs a destination's problem; the same problem again only every tenth time (a dead endpoint must
  // not flood the log).
  void Log(Destination& d, const std::string& problem, const std::string& line) {
    if (problem == d.last_problem) {
      if (++d.repeats % 10 != 0) return Log(LogLevel::kDebug, d.spec.name + ": " + line);
      return Log(LogLevel::kWarning,
                 d.spec.name + ": " + line + " (" + std::to_string(d.repeats + 1) + " times)");
    }
    d.last_problem = problem;
    d.repeats = 0;
    Log(LogLevel::kWarning, d.spec.name + ": " + line);
  }

  // ---- the worker thread ----

  void Queue(const std::shared_ptr<Destination>& d, Job job) {
    if (stopping_) return Finish(*d, job.tag, Ended{Result::kDropped, 0, 0, "shutdown"});
    d->queue.push_back(std::move(job));
    busy_.emplace(d.get(), d);
    Pump(d);
  }

  // Starts queued deliveries up to the destination's concurrency.
  void Pump(const std::shared_ptr<Destination>& d) {
    while (!stopping_ && d->in_flight < d->spec.max_in_flight && !d->queue.empty()) {
      Job job = std::move(d->queue.front());
      d->queue.pop_front();
      ++d->in_flight;
      asio::co_spawn(ioc_, Deliver(d, std::move(job)), asio::detached);
    }
  }

  asio::awaitable<void> Deliver(std::shared_ptr<Destination> d, Job job) {
    const DeliveryTag tag = job.tag;
    const Ended ended = co_await Attempts(*d, std::move(job));
    --d->in_flight;
    Finish(*d, tag, ended);
    if (!stopping_) Pump(d);
  }

  // Tries one delivery until it is delivered, refused, out of time or stopped.
  asio::awaitable<Ended> Attempts(Destination& d, Job job) {
    Active active(*this, ioc_);
    client::ClientRequest req;
    req.method = client::Method::kPost;
    req.target = d.spec.url.target;
    req.content_type = d.spec.content_type;
    req.body = std::move(job.body);
    if (d.spec.headers) req.headers = d.spec.headers(req.body);
    Ended ended;
    for (int& attempts = ended.attempts;;) {
      if (stopping_) {
        ended.result = Result::kDropped;
        ended.error = "shutdown" + (ended.error.empty() ? std::string() : " (last: " + ended.error + ")");
        co_return ended;
      }
      const auto left = std::chrono::duration_cast<milliseconds>(job.deadline - Clock::now());
      if (left < kMinAttempt) {
        if (attempts == 0) {
          Log(d, "expired", "an alert waited in the queue past the retry window; not sent");
          ended.error = "waited in the queue past the retry window; not sent";
        }
        ended.result = Result::kFailed;
        co_return ended;
      }
      client::FetchOptions fo;
      fo.timeout = std::min(cfg_.attempt_timeout, left);
      fo.max_body = kMaxReplyBody;
      client::ClientReply reply;
      try {
        reply = co_await client::Fetch(tls_, d.spec.url.endpoint, req, fo, &active.cancel);
      } catch (const std::exception& e) {  // allocation failure: judged like a broken connection
        reply.error = client::NetError::kIo;
        reply.error_text = e.what();
      }
      ++attempts;
      const Verdict v = Judge(d.spec.channel, reply);
      ended.status = reply.status;
      if (v.kind == Verdict::kDelivered) {
        if (!d.last_problem.empty()) Log(LogLevel::kInfo, d.spec.name + ": delivering again");
        d.last_problem.clear();
        ended.result = Result::kDelivered;
        ended.error.clear();
        co_return ended;
      }
      ended.error = v.reason;
      if (v.kind == Verdict::kFail) {
        Log(d, v.key, "alert refused, not retried: " + v.reason);
        ended.result = Result::kFailed;
        ended.error += " (not retried)";
        co_return ended;
      }
      if (stopping_) {
        ended.result = Result::kDropped;
        ended.error = "shutdown (last: " + v.reason + ")";
        co_return ended;
      }
      const milliseconds delay =
          RetryDelay(attempts - 1, cfg_.backoff_base, cfg_.backoff_max, unit_(rng_), v.retry_after);
      if (Clock::now() + delay + kMinAttempt > job.deadline) {
        Log(d, v.key,
            "alert given up after " + std::to_string(attempts) + " attempts in " + Secs(cfg_.retry_window) +
                ": " + v.reason);
        ended.result = Result::kFailed;
        co_return ended;
      }
      Add(d.spec.channel, Result::kRetried);
      Log(d, v.key, v.reason + "; retrying in " + Secs(delay));
      active.timer.expires_after(delay);
      co_await active.timer.async_wait(kTuple);  // cancelled by Stop()
    }
  }

  // A delivery ended (or was never started).
  void Finish(Destination& d, const DeliveryTag& tag, const Ended& e) {
    const Result r = e.result;
    Add(d.spec.channel, r);
    Report(d, tag, e);
    pending_[static_cast<std::size_t>(d.spec.channel)].fetch_sub(1);
    d.outstanding.fetch_sub(1);
    if (d.queue.empty() && d.in_flight == 0) busy_.erase(&d);
    if (stopping_ && active_.empty()) grace_.cancel();
  }

  // Stop(): queued deliveries are dropped, waits before a retry end (dropped), attempts in flight get the
  // grace, then are cancelled.
  void BeginStop() {
    stopping_ = true;
    work_.reset();
    std::vector<std::shared_ptr<Destination>> busy;
    for (auto& [ptr, d] : busy_) busy.push_back(d);
    for (auto& d : busy) {
      while (!d->queue.empty()) {
        const DeliveryTag tag = d->queue.front().tag;
        d->queue.pop_front();
        Finish(*d, tag, Ended{Result::kDropped, 0, 0, "shutdown"});
      }
    }
    for (Active* a : active_) a->timer.cancel();
    if (active_.empty()) return;
    grace_.expires_after(cfg_.shutdown_grace);
    grace_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      for (Active* a : active_) {
        a->timer.cancel();
        if (a->cancel) a->cancel();
      }
    });
  }

  NotifierConfig cfg_;
  std::array<std::atomic<std::uint64_t>, kChannels * kResults> counts_{};
  std::array<std::atomic<std::int64_t>, kChannels> pending_{};

  std::mutex mu_;  // accepting_ and the thread: Enqueue against Stop
  bool accepting_ = false;
  std::thread thread_;
  std::promise<void> done_;
  std::future<void> done_future_ = done_.get_future();

  // The worker thread only. Declared before the io_context: coroutine frames destroyed with it (a Stop
  // past its margin) still reach them.
  bool stopping_ = false;
  client::TlsContext tls_;
  std::unordered_set<Active*> active_;
  std::unordered_map<Destination*, std::shared_ptr<Destination>>
      busy_;  // with deliveries queued or in flight
  std::mt19937_64 rng_{std::random_device{}()};
  std::uniform_real_distribution<double> unit_{0.0, 1.0};

  asio::io_context ioc_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  asio::steady_timer grace_{ioc_};
};

Notifier::Notifier(NotifierConfig cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}
Notifier::~Notifier() {
  Stop();
}
vnt::Status Notifier::Start() {
  return impl_->Start();
}
void Notifier::Stop() {
  impl_->Stop();
}
std::shared_ptr<Destination> Notifier::AddDestination(DestinationSpec spec) {
  return std::make_shared<Destination>(std::move(spec));
}
bool Notifier::Enqueue(const std::shared_ptr<Destination>& to, std::string body, DeliveryTag tag) {
  return impl_->Enqueue(to, std::move(body), tag);
}
void Notifier::CountFailed(Channel c, DeliveryTag tag, std::string kind, std::string error) {
  impl_->Add(c, Result::kFailed);
  DestinationSpec spec;
  spec.channel = c;
  spec.kind = std::move(kind);
  impl_->Report(spec, tag, Ended{Result::kFailed, 0, 0, std::move(error)});
}

std::string_view ToString(Outcome o) {
  return kOutcomeNames.Name(o, "dropped");
}
std::uint64_t Notifier::Count(Channel c, Result r) const {
  return impl_->Count(c, r);
}
std::int64_t Notifier::Pending(Channel c) const {
  return impl_->Pending(c);
}

}  // namespace vnt::notify
