#pragma once
// SsiClient's implementation, shared by its three I/O translation units: ssi_client.cpp (the thread, the
// frame queue and the run loop), rest_session.cpp (the REST and SignalR HTTP exchanges: token, negotiate,
// channel list, reference data) and signalr_stream.cpp (the WebSocket stream: the only one that compiles
// Beast). Asio's io_context, timers and coroutines appear here; Beast does not. Internal to src/ssi.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "client/http_client.h"
#include "ssi/access_token.h"
#include "ssi/protocol.h"
#include "ssi/reconnect_policy.h"
#include "ssi/reference_tracker.h"
#include "ssi/ssi_client.h"
#include "ssi/stream_session.h"

namespace vnt::ssi {

namespace net = boost::asio;
using net::awaitable;
inline constexpr auto kTuple = net::as_tuple(net::use_awaitable);

inline constexpr std::size_t kMaxMessage = 16 * 1024 * 1024;
inline constexpr const char* kUserAgent = "vntracker-ssi-client/1";

// Clocks: epoch seconds and milliseconds, and the steady clock in milliseconds.
std::int64_t EpochSeconds();
std::int64_t EpochMs();
std::int64_t SteadyMs();

// The result of one REST / SignalR HTTP exchange: `error` is set when no HTTP reply arrived.
struct HttpResult {
  int status = 0;
  std::string body;
  std::string error;
};

class SsiClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  explicit Impl(ClientConfig cfg);

  // ---- the facade (ssi_client.cpp) ----
  Status Start();
  void Stop();
  std::size_t Drain(std::vector<std::string>* out, std::size_t max, std::vector<std::int64_t>* recv_ms);
  std::string State() const;
  std::string Channels() const;
  double SilenceMs() const;
  const ClientStats& stats() const { return stats_; }

 private:
  void Log(LogLevel level, const std::string& line) const {
    if (cfg_.log) cfg_.log(level, "ssi: " + line);
  }
  void LogFailure(LogLevel level, const std::string& reason, std::chrono::milliseconds retry_in);
  void SetState(std::string s);
  // Queues a frame for Drain (with its receive time).
  void Push(std::string frame);
  // Sleeps on the shared timer; false when stopping.
  awaitable<bool> Sleep(std::chrono::milliseconds d);
  double Unit();  // uniform in [0, 1), for the backoff's jitter
  // The connect / reconnect loop until Stop, then /abort.
  awaitable<void> Run();

  // ---- HTTP exchanges (rest_session.cpp) ----
  awaitable<HttpResult> Http(const BaseUrl& base, client::Method method, std::string target, std::string body,
                             bool with_token, client::CancelHook* cancel = nullptr);
  // Fetches a token; the error text (empty on success). `auth` tells a refusal from a transport error.
  awaitable<std::string> FetchToken(bool* auth);
  // Refreshes the token before it expires, so that every (re)connect presents a valid one.
  awaitable<void> KeepTokenFresh();
  // The negotiate exchange: the connection's parameters, or an error: kRejected when the access token is
  // refused (HTTP 401/403: fetch a new one), kIo without a reply, kUnavailable for another HTTP status,
  // kParse when the reply is not a usable negotiate reply.
  awaitable<Result<NegotiateInfo>> Negotiate();
  // GET api/v2/Market/<endpoint> with the token: the body, or an error: kIo when no HTTP reply arrived at
  // all (the transport's reason), kRejected with "HTTP <status>" for a status other than 200.
  awaitable<Result<std::string>> RestGet(const std::string& endpoint, client::CancelHook* cancel = nullptr);
  // The VN30 list (IndexComponents, else the configured fallback) and the listed futures.
  awaitable<void> RefreshChannels();
  // One round of reference data (see the definition); success when every symbol is loaded.
  awaitable<Status> LoadReference();
  // Loads the reference data beside the stream and keeps it current (see the definition).
  awaitable<void> KeepReferenceFresh();
  // The /start call after the init frame (optional for the server: a failure is logged only).
  awaitable<void> StartTransport(const NegotiateInfo& info);

  // ---- the WebSocket stream (signalr_stream.cpp) ----
  // Connects (TCP, TLS for wss) and streams until the connection ends.
  awaitable<Outcome> Connect(const NegotiateInfo& info, bool resume);
  template <class Ws>
  awaitable<Outcome> Stream(Ws& ws, const std::string& target, const NegotiateInfo& info, bool resume);

  ClientConfig cfg_;
  BaseUrl rest_, stream_;
  net::io_context ioc_{1};
  client::TlsContext tls_;  // verify_peer, system store + ca_file
  std::thread thread_;
  std::promise<void> done_;
  std::future<void> done_future_ = done_.get_future();
  std::atomic<bool> stopping_{false};
  ClientStats stats_;
  std::atomic<std::int64_t> last_rx_ms_{0};

  mutable std::mutex mu_;  // guards what other threads read
  std::deque<std::pair<std::string, std::int64_t>> queue_;
  std::string state_ = "starting";
  std::string channels_;

  // The client thread only.
  net::steady_timer timer_{ioc_};
  net::steady_timer token_timer_{ioc_};
  net::steady_timer ref_timer_{ioc_};
  std::function<void()> cancel_current_;  // cancels the socket of the operation in flight (Stop)
  std::function<void()> cancel_ref_;      // the same for the reference data's REST call
  std::mt19937_64 rng_{std::random_device{}()};
  ReconnectPolicy policy_;
  FailureLog failures_;
  AccessToken token_;
  bool fetching_ = false;
  std::string channel_list_;
  std::vector<std::string> last_stocks_;
  ReferenceTracker reference_;
  StreamSession session_;
};

}  // namespace vnt::ssi
