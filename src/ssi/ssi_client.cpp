// The only translation unit of the SSI client that compiles Boost.Beast/Asio (and OpenSSL). Connections,
// TLS and REST exchanges go through the shared client (src/client/); the WebSocket stream is here.
#include "ssi/ssi_client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "client/beast_client.h"
#include "ssi/protocol.h"

namespace vnt::ssi {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using net::awaitable;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

namespace {

constexpr std::size_t kMaxMessage = 16 * 1024 * 1024;
constexpr const char* kUserAgent = "vntracker-ssi-client/1";

std::int64_t EpochSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::int64_t EpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
// Today's date in Vietnam (UTC+7, no daylight saving) as dd/MM/yyyy.
std::string VietnamDateDmy() {
  using namespace std::chrono;
  const auto local = floor<days>(system_clock::now() + hours(7));
  const year_month_day ymd{local};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
  return buf;
}

std::string Seconds(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// The result of one REST / SignalR HTTP exchange: `error` is set when no HTTP reply arrived.
struct HttpResult {
  int status = 0;
  std::string body;
  std::string error;
};

// Why a streaming attempt ended.
enum class End { kStopped, kAuth, kFailed, kLost };
struct Outcome {
  Outcome(End e, std::string r, bool s = false) : end(e), reason(std::move(r)), streamed(s) {}
  End end;
  std::string reason;
  bool streamed;  // the connection was up and subscribed
};

}  // namespace

class SsiClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  explicit Impl(ClientConfig cfg) : cfg_(std::move(cfg)) {}

  Status Start() {
    auto rest = ParseBaseUrl(cfg_.rest_url);
    if (!rest) {
      return Error{ErrorCode::kInvalidArgument,
                   "SSI REST URL '" + cfg_.rest_url + "': " + rest.error().message, "SSI_REST_URL"};
    }
    auto stream = ParseBaseUrl(cfg_.stream_url);
    if (!stream) {
      return Error{ErrorCode::kInvalidArgument,
                   "SSI stream URL '" + cfg_.stream_url + "': " + stream.error().message, "SSI_STREAM_URL"};
    }
    if (cfg_.consumer_id.empty() || cfg_.consumer_secret.empty()) {
      return Error{ErrorCode::kInvalidArgument,
                   "SSI credentials missing: set SSI_CONSUMER_ID and SSI_CONSUMER_SECRET", "SSI_CONSUMER_ID"};
    }
    rest_ = *rest;
    stream_ = *stream;
    if (!cfg_.ca_file.empty()) {
      if (Status st = tls_.LoadCaFile(cfg_.ca_file); !st) return st;
    }
    auto self = shared_from_this();
    net::co_spawn(ioc_, Run(), net::detached);
    net::co_spawn(ioc_, KeepTokenFresh(), net::detached);
    if (cfg_.reference_data) net::co_spawn(ioc_, KeepReferenceFresh(), net::detached);
    thread_ = std::thread([self] {
      self->ioc_.run();
      self->done_.set_value();
    });
    return {};
  }

  void Stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    net::post(ioc_, [self = shared_from_this()] {
      self->timer_.cancel();
      self->token_timer_.cancel();
      self->ref_timer_.cancel();
      if (self->cancel_current_) self->cancel_current_();
      if (self->cancel_ref_) self->cancel_ref_();
    });
    // The run loop sends /abort (bounded by a short timeout) and returns; do not wait forever.
    if (done_future_.wait_for(std::chrono::seconds(5)) != std::future_status::ready) ioc_.stop();
    thread_.join();
    SetState("stopped");
  }

  std::size_t Drain(std::vector<std::string>* out, std::size_t max, std::vector<std::int64_t>* recv_ms) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    while (n < max && !queue_.empty()) {
      out->push_back(std::move(queue_.front().first));
      if (recv_ms) recv_ms->push_back(queue_.front().second);
      queue_.pop_front();
      ++n;
    }
    return n;
  }

  std::string State() const {
    std::lock_guard lock(mu_);
    return state_;
  }
  std::string Channels() const {
    std::lock_guard lock(mu_);
    return channels_;
  }
  double SilenceMs() const {
    const std::int64_t last = last_rx_ms_.load();
    return last == 0 ? 0.0 : static_cast<double>(SteadyMs() - last);
  }
  const ClientStats& stats() const { return stats_; }

 private:
  void Log(LogLevel level, const std::string& line) const {
    if (cfg_.log) cfg_.log(level, "ssi: " + line);
  }
  // One line per new failure; the same failure again only every tenth attempt (no log flood while a
  // host stays down or the credentials stay wrong).
  void LogFailure(LogLevel level, const std::string& reason, std::chrono::milliseconds retry_in) {
    if (reason == last_failure_) {
      if (++repeats_ % 10 != 0) return Log(LogLevel::kDebug, reason + "; retrying in " + Seconds(retry_in));
      return Log(level,
                 reason + " (" + std::to_string(repeats_ + 1) + " times); retrying in " + Seconds(retry_in));
    }
    last_failure_ = reason;
    repeats_ = 0;
    Log(level, reason + "; retrying in " + Seconds(retry_in));
  }
  void SetState(std::string s) {
    std::lock_guard lock(mu_);
    state_ = std::move(s);
  }
  void Push(std::string frame) {
    stats_.frames.fetch_add(1, std::memory_order_relaxed);
    stats_.bytes.fetch_add(frame.size(), std::memory_order_relaxed);
    std::lock_guard lock(mu_);
    queue_.emplace_back(std::move(frame), EpochMs());
    if (queue_.size() == cfg_.queue_warn) {
      stats_.queue_overflows.fetch_add(1);
      Log(LogLevel::kWarning,
          "the tracker is " + std::to_string(queue_.size()) + " frames behind the feed (none dropped)");
    }
  }

  // Sleeps on the shared timer; false when stopping.
  awaitable<bool> Sleep(std::chrono::milliseconds d) {
    timer_.expires_after(d);
    co_await timer_.async_wait(kTuple);
    co_return !stopping_;
  }

  std::chrono::milliseconds NextBackoff() {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return BackoffDelay(attempt_++, cfg_.backoff_base, cfg_.backoff_max, 0.2, unit(rng_));
  }

  // ---- plain HTTP(S) exchanges (one connection each: REST calls are rare), by the shared client ----

  client::Endpoint EndpointOf(const BaseUrl& url) const {
    return client::Endpoint{url.tls, url.host, url.port};
  }

  awaitable<HttpResult> Http(const BaseUrl& base, http::verb verb, std::string target, std::string body,
                             bool with_token, client::CancelHook* cancel = nullptr) {
    client::ClientRequest req;
    req.method = verb == http::verb::post ? client::Method::kPost : client::Method::kGet;
    req.target = std::move(target);
    req.headers.emplace_back("Accept", "application/json");
    if (with_token) req.headers.emplace_back("Authorization", "Bearer " + token_);
    if (verb == http::verb::post) req.content_type = "application/json";
    req.body = std::move(body);
    client::FetchOptions opts;
    opts.timeout = cfg_.io_timeout;
    opts.max_body = kMaxMessage;
    opts.user_agent = kUserAgent;
    client::ClientReply r =
        co_await client::Fetch(tls_, EndpointOf(base), req, opts, cancel ? cancel : &cancel_current_);
    co_return HttpResult{r.status, std::move(r.body), std::move(r.error_text)};
  }

  // ---- access token ----

  // Fetches a token; the error text (empty on success). `auth` tells a refusal from a transport error.
  awaitable<std::string> FetchToken(bool* auth) {
    *auth = false;
    stats_.token_fetches.fetch_add(1);
    HttpResult r = co_await Http(rest_, http::verb::post, rest_.path + "/api/v2/Market/AccessToken",
                                 AccessTokenRequestBody(cfg_.consumer_id, cfg_.consumer_secret), false);
    if (!r.error.empty()) co_return r.error;
    if (r.status != 200) co_return "AccessToken: HTTP " + std::to_string(r.status);
    TokenReply reply = ParseAccessTokenReply(r.body);
    if (reply.token.empty()) {
      *auth = true;
      co_return "AccessToken refused: " + reply.error;
    }
    const std::int64_t now = EpochSeconds();
    token_ = std::move(reply.token);
    token_issued_ = now;
    token_exp_ = JwtExpiry(token_).value_or(now + 8 * 3600);
    Log(LogLevel::kInfo, "access token obtained, valid until epoch " + std::to_string(token_exp_));
    co_return std::string{};
  }

  bool TokenUsable() const {
    return !token_.empty() && !TokenNeedsRefresh(token_issued_, token_exp_, EpochSeconds());
  }

  // Refreshes the token before it expires, so that every (re)connect presents a valid one.
  awaitable<void> KeepTokenFresh() {
    while (!stopping_) {
      std::chrono::seconds wait{1};  // no token yet: the run loop is fetching the first one
      if (!token_.empty()) {
        const std::int64_t margin = std::min<std::int64_t>(3600, (token_exp_ - token_issued_) / 4);
        wait = std::chrono::seconds(std::clamp<std::int64_t>(token_exp_ - margin - EpochSeconds(), 1, 60));
      }
      token_timer_.expires_after(wait);
      co_await token_timer_.async_wait(kTuple);
      if (stopping_ || token_.empty() || TokenUsable() || fetching_) continue;
      fetching_ = true;
      bool auth = false;
      const std::string e = co_await FetchToken(&auth);
      fetching_ = false;
      if (!e.empty()) Log(LogLevel::kWarning, "token refresh failed: " + e);
    }
  }

  // ---- the stream ----

  awaitable<void> Run() {
    std::optional<NegotiateInfo> info;  // of the live connection, for /reconnect
    std::int64_t lost_at = 0;
    while (!stopping_) {
      if (!TokenUsable() && !fetching_) {
        SetState("authenticating");
        fetching_ = true;
        bool auth = false;
        const std::string e = co_await FetchToken(&auth);
        fetching_ = false;
        if (!e.empty()) {
          (auth ? stats_.auth_failures : stats_.connect_failures).fetch_add(1);
          SetState(auth ? "auth-failed" : "unreachable");
          const auto d = NextBackoff();
          LogFailure(LogLevel::kError, e, d);
          if (!co_await Sleep(d)) break;
          continue;
        }
      }
      Outcome out(End::kFailed, {});
      const bool resume = info && SteadyMs() - lost_at < info->disconnect_timeout.count();
      if (resume) {
        SetState("reconnecting");
        out = co_await Connect(*info, true);
        if (out.end == End::kFailed || out.end == End::kAuth) {
          Log(LogLevel::kWarning, "reconnect failed (" + out.reason + "); negotiating a new connection");
          info.reset();
          continue;
        }
      } else {
        SetState("connecting");
        info.reset();
        Result<NegotiateInfo> negotiated = co_await Negotiate();
        if (!negotiated) {
          const Error& e = negotiated.error();
          out = Outcome(e.code == ErrorCode::kRejected ? End::kAuth : End::kFailed, e.message);
        } else {
          info = std::move(negotiated).value();
          co_await RefreshChannels();
          out = co_await Connect(*info, false);
        }
      }
      if (out.end == End::kStopped || stopping_) break;
      if (out.streamed) attempt_ = 0;
      if (out.end == End::kLost) {
        stats_.connection_losses.fetch_add(1);
        lost_at = SteadyMs();
        SetState("reconnecting");
        Log(LogLevel::kWarning, "connection lost: " + out.reason);
        if (out.streamed) continue;  // try /reconnect at once, within the DisconnectTimeout
      } else {
        info.reset();
        if (out.end == End::kAuth) {
          stats_.auth_failures.fetch_add(1);
          token_.clear();  // refused: the next attempt fetches a new token
          SetState("auth-failed");
        } else {
          stats_.connect_failures.fetch_add(1);
          SetState("unreachable");
        }
      }
      const auto d = NextBackoff();
      LogFailure(out.end == End::kLost ? LogLevel::kWarning : LogLevel::kError, out.reason, d);
      if (!co_await Sleep(d)) break;
    }
    if (info && !info->connection_token.empty()) {
      // Tell the server we are gone (best effort, short timeout).
      cfg_.io_timeout = std::min(cfg_.io_timeout, std::chrono::milliseconds(1000));
      co_await Http(stream_, http::verb::post,
                    AbortTarget(stream_.path, info->protocol_version, info->connection_token), {}, true);
    }
    token_timer_.cancel();
    ref_timer_.cancel();
  }

  // ---- reference data (REST DailyStockPrice, see protocol.h) ----

  bool ReferenceMissing() const {
    for (const auto& [sym, market] : ref_symbols_) {
      if (!ref_loaded_.contains(sym)) return true;
    }
    return false;
  }

  // One round: the server's trading date (SecuritiesDetails ReportDate, else Vietnam's calendar date), then
  // DailyStockPrice for each symbol not yet loaded for that date. Success when every symbol is loaded. A
  // transport failure ends the round at once (the host is down: no point asking 30 more times).
  awaitable<Status> LoadReference() {
    Error stopped{ErrorCode::kUnavailable, "stopping"};  // the caller checks stopping_ first
    const std::string probe = ref_symbols_.empty() ? std::string("VN30") : ref_symbols_.front().first;
    const Result<std::string> details = co_await RestGet(
        "SecuritiesDetails?market=HOSE&symbol=" + UrlEncode(probe) + "&pageIndex=1&pageSize=10",
        &cancel_ref_);
    if (stopping_) co_return stopped;
    if (!details && details.error().code == ErrorCode::kIo) {
      stats_.reference_failures.fetch_add(1);
      co_return Error{ErrorCode::kIo, "SecuritiesDetails: " + details.error().message};
    }
    const Result<std::string> reported =
        details ? ParseReportDate(*details) : Result<std::string>(details.error());
    std::string date;
    if (reported) {
      date = *reported;
    } else {
      date = VietnamDateDmy();
      Log(LogLevel::kDebug,
          "reference date: " + reported.error().message + "; using the Vietnam date " + date);
    }
    if (date != ref_date_) {
      ref_date_ = date;
      ref_loaded_.clear();
    }
    const auto symbols = ref_symbols_;  // RefreshChannels may replace the list while we wait
    std::size_t failed = 0, loaded = 0;
    std::string first_error;
    for (const auto& [sym, market] : symbols) {
      if (ref_loaded_.contains(sym)) continue;
      const Result<std::string> body =
          co_await RestGet(DailyStockPriceQuery(sym, market, date), &cancel_ref_);
      if (stopping_) co_return stopped;
      const Result<ReferencePrices> r =
          body ? ParseDailyStockPrice(*body, sym, date) : Result<ReferencePrices>(body.error());
      if (!r) {
        stats_.reference_failures.fetch_add(1);
        ++failed;
        const std::string& e = r.error().message;
        if (first_error.empty())
          first_error = e.rfind("DailyStockPrice", 0) == 0 ? e : "DailyStockPrice " + sym + ": " + e;
        if (!body && body.error().code == ErrorCode::kIo) break;
        continue;
      }
      Push(ReferenceFrame(*r));
      stats_.reference_frames.fetch_add(1);
      ref_loaded_.insert(sym);
      ++loaded;
    }
    if (loaded > 0) {
      Log(LogLevel::kInfo, "reference/ceiling/floor for " + std::to_string(loaded) + " symbols (" + date +
                               ") from DailyStockPrice");
    }
    if (failed > 0 || ReferenceMissing()) {
      co_return Error{ErrorCode::kUnavailable,
                      "reference data: " + std::to_string(symbols.size() - ref_loaded_.size()) + " of " +
                          std::to_string(symbols.size()) + " symbols missing (" + first_error + ")"};
    }
    co_return Status{};
  }

  // Loads the reference data once the symbols and a token are known, then every `reference_check` one
  // SecuritiesDetails call tells whether the trading date moved on (and fetches symbols added by a
  // resubscription); failures are retried with backoff. Runs beside the stream and never delays it.
  awaitable<void> KeepReferenceFresh() {
    int attempt = 0;
    std::string last_error;
    while (!stopping_) {
      std::chrono::milliseconds wait = cfg_.reference_check;
      if (ref_symbols_.empty() || !TokenUsable()) {
        wait = std::chrono::milliseconds(500);
      } else {
        const Status st = co_await LoadReference();
        if (st) {
          attempt = 0;
          last_error.clear();
        } else if (!stopping_) {
          const std::string& e = st.error().message;
          std::uniform_real_distribution<double> unit(0.0, 1.0);
          wait = BackoffDelay(attempt++, cfg_.backoff_base, cfg_.backoff_max, 0.2, unit(rng_));
          // One warning per new failure; the same one again at debug level (no flood while REST is down).
          Log(e == last_error ? LogLevel::kDebug : LogLevel::kWarning, e + "; retrying in " + Seconds(wait));
          last_error = e;
        }
      }
      if (stopping_) break;
      ref_timer_.expires_after(wait);
      co_await ref_timer_.async_wait(kTuple);
    }
  }

  // The negotiate exchange: the connection's parameters, or an error: kRejected when the access token is
  // refused (HTTP 401/403: fetch a new one), kIo without a reply, kUnavailable for another HTTP status,
  // kParse when the reply is not a usable negotiate reply.
  awaitable<Result<NegotiateInfo>> Negotiate() {
    using Negotiated = Result<NegotiateInfo>;
    HttpResult r = co_await Http(stream_, http::verb::get,
                                 NegotiateTarget(stream_.path, cfg_.client_protocol), {}, true);
    if (!r.error.empty()) co_return Negotiated(Error{ErrorCode::kIo, "negotiate: " + r.error});
    if (r.status == 401 || r.status == 403) {
      co_return Negotiated(Error{ErrorCode::kRejected,
                                 "negotiate refused the access token (HTTP " + std::to_string(r.status) + ")",
                                 "access_token"});
    }
    if (r.status != 200) {
      co_return Negotiated(Error{ErrorCode::kUnavailable, "negotiate: HTTP " + std::to_string(r.status)});
    }
    auto info = ParseNegotiate(r.body);
    if (!info) co_return Negotiated(Error{ErrorCode::kParse, "negotiate: " + info.error().message});
    co_return info;
  }

  // GET api/v2/Market/<endpoint> with the token: the body, or an error: kIo when no HTTP reply arrived at
  // all (the transport's reason), kRejected with "HTTP <status>" for a status other than 200.
  awaitable<Result<std::string>> RestGet(const std::string& endpoint, client::CancelHook* cancel = nullptr) {
    HttpResult r =
        co_await Http(rest_, http::verb::get, rest_.path + "/api/v2/Market/" + endpoint, {}, true, cancel);
    if (!r.error.empty()) co_return Result<std::string>(Error{ErrorCode::kIo, r.error});
    if (r.status != 200)
      co_return Result<std::string>(Error{ErrorCode::kRejected, "HTTP " + std::to_string(r.status)});
    co_return Result<std::string>(std::move(r.body));
  }

  // The VN30 list (IndexComponents, else the configured fallback) and the listed futures.
  awaitable<void> RefreshChannels() {
    std::vector<std::string> stocks = cfg_.stocks;
    if (stocks.empty()) {
      const Result<std::string> body =
          co_await RestGet("IndexComponents?indexCode=VN30&pageIndex=1&pageSize=100");
      Result<std::vector<std::string>> listed =
          body ? ParseIndexComponents(*body) : Result<std::vector<std::string>>(body.error());
      if (listed) {
        stocks = std::move(listed).value();
      } else {
        stocks = last_stocks_.empty() ? cfg_.fallback_stocks : last_stocks_;
        Log(LogLevel::kWarning, "IndexComponents VN30: " + listed.error().message + "; using " +
                                    std::to_string(stocks.size()) + " known symbols");
      }
    }
    last_stocks_ = stocks;
    std::vector<std::string> futures;
    if (cfg_.is_futures) {
      const Result<std::string> body = co_await RestGet("Securities?market=DER&pageIndex=1&pageSize=1000");
      Result<std::vector<std::string>> listed =
          body ? ParseSecurities(*body) : Result<std::vector<std::string>>(body.error());
      if (listed) {
        for (std::string& s : *listed) {
          if (cfg_.is_futures(s)) futures.push_back(std::move(s));
        }
      }
      if (futures.empty()) {
        Log(LogLevel::kWarning,
            "Securities DER: " + (listed ? std::string("no VN30 futures listed") : listed.error().message) +
                "; using the contract calendar");
      }
    }
    if (futures.empty()) futures = cfg_.futures_provider ? cfg_.futures_provider() : cfg_.futures;
    channel_list_ = ChannelList(stocks, futures, cfg_.indices, cfg_.snapshot_channel);
    // The reference data follows the subscription: wake its loop for symbols it has not loaded yet.
    ref_symbols_.clear();
    for (const std::string& s : stocks) ref_symbols_.emplace_back(s, "HOSE");
    for (const std::string& f : futures) ref_symbols_.emplace_back(f, "DER");
    ref_timer_.cancel();
    std::lock_guard lock(mu_);
    channels_ = channel_list_;
  }

  awaitable<Outcome> Connect(const NegotiateInfo& info, bool resume) {
    const std::string target =
        resume ? ReconnectTarget(stream_.path, info.protocol_version, info.connection_token, cursor_,
                                 groups_token_)
               : ConnectTarget(stream_.path, info.protocol_version, info.connection_token);
    const client::Endpoint to = EndpointOf(stream_);
    if (stream_.tls) {
      websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc_, tls_.native());
      auto step =
          co_await client::ConnectTcp(beast::get_lowest_layer(ws), to, cfg_.io_timeout, &cancel_current_);
      if (step.ok())
        step = co_await client::TlsHandshake(ws.next_layer(), to.host, cfg_.io_timeout, &cancel_current_);
      if (!step.ok()) co_return Outcome{End::kFailed, step.text};
      co_return co_await Stream(ws, target, info, resume);
    }
    websocket::stream<beast::tcp_stream> ws(ioc_);
    auto step =
        co_await client::ConnectTcp(beast::get_lowest_layer(ws), to, cfg_.io_timeout, &cancel_current_);
    if (!step.ok()) co_return Outcome{End::kFailed, step.text};
    co_return co_await Stream(ws, target, info, resume);
  }

  template <class Ws>
  awaitable<Outcome> Stream(Ws& ws, const std::string& target, const NegotiateInfo& info, bool resume) {
    auto& lowest = beast::get_lowest_layer(ws);
    lowest.expires_never();  // the WebSocket's own timeouts take over
    const auto watchdog = cfg_.watchdog.count() > 0 ? cfg_.watchdog : info.keep_alive_timeout;
    websocket::stream_base::timeout to{};
    to.handshake_timeout = cfg_.io_timeout;
    to.idle_timeout = watchdog;  // no frame (data or "{}") for this long: the connection is lost
    to.keep_alive_pings = false;
    ws.set_option(to);
    ws.read_message_max(kMaxMessage);
    const std::string bearer = "Bearer " + token_;
    ws.set_option(websocket::stream_base::decorator([bearer](websocket::request_type& req) {
      req.set(http::field::authorization, bearer);
      req.set(http::field::user_agent, kUserAgent);
    }));
    cancel_current_ = [&lowest] { lowest.cancel(); };
    struct ClearCancel {
      Impl* self;
      ~ClearCancel() { self->cancel_current_ = nullptr; }
    } clear{this};

    websocket::response_type res;
    auto [ec] = co_await ws.async_handshake(res, stream_.HostHeader(), target, kTuple);
    if (stopping_) co_return Outcome{End::kStopped, "stopped"};
    if (ec) {
      const int status = static_cast<int>(res.result_int());
      if (status == 401 || status == 403) {
        co_return Outcome{End::kAuth,
                          "WebSocket upgrade refused the access token (HTTP " + std::to_string(status) + ")"};
      }
      co_return Outcome{End::kFailed,
                        "WebSocket upgrade failed: " + ec.message() +
                            (status ? " (HTTP " + std::to_string(status) + ")" : std::string())};
    }
    if (resume) {
      stats_.reconnects.fetch_add(1);
      Log(LogLevel::kInfo, "reconnected (connection resumed)");
    } else {
      stats_.connects.fetch_add(1);
      Log(LogLevel::kInfo, "connected to " + stream_.HostHeader() + " (SignalR " + info.protocol_version +
                               ", keep-alive timeout " + Seconds(info.keep_alive_timeout) + ")");
    }
    last_rx_ms_ = SteadyMs();

    beast::flat_buffer buf;
    Outcome out(End::kLost, {});
    bool subscribed = false;
    bool init_seen = resume;  // a resumed connection needs no init frame
    std::optional<int> sub_id;
    std::int64_t streaming_since = 0;
    for (;;) {
      if (init_seen && !sub_id) {
        // After the init frame: /start (optional for the server), then the one SwitchChannels.
        if (!resume) {
          HttpResult r = co_await Http(
              stream_, http::verb::get,
              StartTarget(stream_.path, info.protocol_version, info.connection_token), {}, true);
          cancel_current_ = [&lowest] { lowest.cancel(); };
          if (stopping_) co_return Outcome{End::kStopped, "stopped"};
          if (!r.error.empty() || r.status != 200) {
            Log(LogLevel::kWarning, "/start did not succeed (" +
                                        (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error) +
                                        "); continuing, data flows without it");
          }
        }
        sub_id = next_invocation_++;
        auto [wec, wn] =
            co_await ws.async_write(net::buffer(SwitchChannelsInvocation(channel_list_, *sub_id)), kTuple);
        if (wec) {
          out.reason = "SwitchChannels could not be sent: " + wec.message();
          break;
        }
      }
      auto [rec, n] = co_await ws.async_read(buf, kTuple);
      if (stopping_) co_return Outcome{End::kStopped, "stopped"};
      if (rec) {
        if (rec == beast::error::timeout) {
          stats_.watchdog_timeouts.fetch_add(1);
          out.reason = "no data or keep-alive for " + Seconds(watchdog);
        } else if (rec == websocket::error::closed) {
          out.reason = "server closed the WebSocket (code " + std::to_string(ws.reason().code) + ")";
        } else {
          out.reason = rec.message();
        }
        break;
      }
      last_rx_ms_ = SteadyMs();
      std::string frame = beast::buffers_to_string(buf.data());
      buf.consume(n);
      const std::optional<FrameInfo> fi = InspectFrame(frame);
      if (!fi) {
        init_seen = true;
        stats_.malformed_frames.fetch_add(1);
        Push(std::move(frame));  // the decoder counts and reports it
        continue;
      }
      init_seen = true;  // the init frame, or a server that sends none
      if (fi->keep_alive) {
        stats_.keep_alives.fetch_add(1);
        continue;
      }
      if (!fi->cursor.empty()) cursor_ = fi->cursor;
      if (!fi->groups_token.empty()) groups_token_ = fi->groups_token;
      if (fi->completion && sub_id && *fi->completion == *sub_id && !subscribed) {
        if (!fi->completion_error.empty()) {
          stats_.hub_errors.fetch_add(1);
          Log(LogLevel::kError, "SwitchChannels failed: " + fi->completion_error);
        } else {
          Log(LogLevel::kInfo, "subscribed: " + channel_list_);
        }
        subscribed = true;
        out.streamed = true;
        last_failure_.clear();
        streaming_since = SteadyMs();
        SetState("streaming");
      }
      for (const std::string& e : fi->hub_errors) {
        stats_.hub_errors.fetch_add(1);
        Log(LogLevel::kError, "hub Error: " + e);
      }
      if (fi->has_messages) Push(std::move(frame));
      if (streaming_since && SteadyMs() - streaming_since > 10'000)
        attempt_ = 0;  // a healthy stream resets backoff
    }
    co_return out;
  }

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
  int attempt_ = 0;
  std::string last_failure_;
  int repeats_ = 0;
  std::string token_;
  std::int64_t token_issued_ = 0, token_exp_ = 0;
  bool fetching_ = false;
  std::string channel_list_;
  std::vector<std::string> last_stocks_;
  std::vector<std::pair<std::string, std::string>> ref_symbols_;  // (symbol, REST market) subscribed
  std::string ref_date_;                                          // the trading date ref_loaded_ is for
  std::set<std::string> ref_loaded_;
  std::string cursor_, groups_token_;
  int next_invocation_ = 0;
};

SsiClient::SsiClient(ClientConfig cfg) : impl_(std::make_shared<Impl>(std::move(cfg))) {}
SsiClient::~SsiClient() {
  Stop();
}
Status SsiClient::Start() {
  return impl_->Start();
}
void SsiClient::Stop() {
  impl_->Stop();
}
std::size_t SsiClient::Drain(std::vector<std::string>* out, std::size_t max,
                             std::vector<std::int64_t>* recv_ms) {
  return impl_->Drain(out, max, recv_ms);
}
std::string SsiClient::State() const {
  return impl_->State();
}
double SsiClient::SilenceMs() const {
  return impl_->SilenceMs();
}
const ClientStats& SsiClient::stats() const {
  return impl_->stats();
}
std::string SsiClient::Channels() const {
  return impl_->Channels();
}

}  // namespace vnt::ssi
