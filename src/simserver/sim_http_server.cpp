// The only translation unit of the sim-server that compiles Boost.Beast/Asio. One class per connection
// role: HttpSession (REST, negotiate, start, abort, ping, and the WebSocket upgrade) and WsSession (one
// SignalR WebSocket transport); Server owns the simulator, the hub and the timers.
#include "simserver/sim_http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <random>
#include <set>

#include "core/engine.h"
#include "pipeline/pipeline.h"
#include "simserver/ascii.h"
#include "simserver/channels.h"
#include "simserver/hub.h"
#include "simserver/market_rest.h"
#include "simserver/rest_params.h"
#include "simserver/signalr.h"

namespace vnt::simserver {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
template <typename T>
using Task = net::awaitable<T>;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;
using Frame = std::shared_ptr<const std::string>;

namespace {

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A request target split into its lower-cased path and its parameters.
struct Target {
  std::string path;
  Params params;
  explicit Target(std::string_view target)
      : path(AsciiLower(target.substr(0, target.find('?')))),
        params(target.find('?') == std::string_view::npos ? std::string_view{}
                                                          : target.substr(target.find('?') + 1)) {}
};

// A reply to req with a JSON (or plain text) body.
Response Reply(const Request& req, http::status status, std::string body, bool json = true) {
  Response res{status, req.version()};
  res.set(http::field::content_type, json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
  res.body() = std::move(body);
  return res;
}

constexpr std::string_view kMarketPrefix = "/api/v2/market/";
constexpr std::string_view kSignalrPrefix = "/v2.0/signalr/";

}  // namespace

class Server;

// One SignalR WebSocket transport of a hub connection: a bounded queue of shared frames and a writer.
class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Server& server, tcp::socket socket, std::string conn_token, std::string peer);
  // Accepts the upgrade, sends the init frame, then reads hub invocations until the socket closes.
  Task<void> Run(Request req, bool reconnect);
  // Queues a frame (nothing once the silence fault applies); disconnects a client that fell behind.
  void Send(Frame f);
  // Queues a Broadcast frame, garbled every Nth time under --fault-malformed-every.
  void SendData(const Frame& f);
  // Sends "{}" when the keep-alive interval has passed since the last one.
  void KeepAlive(Clock::time_point now, const Frame& frame);
  // Closes the socket (abort, shutdown, slow client).
  void Close();
  const std::string& token() const { return token_; }
  const Subscription* subscription() const { return sub_; }
  // The hub forgot the connection (abort): stop reading its subscription.
  void Forget() { sub_ = nullptr; }

 private:
  Task<void> Writer();
  Task<void> Reader();
  void Fail(beast::error_code ec, std::string_view what);
  bool Silent() const;

  Server& server_;
  beast::websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer wake_;
  std::string token_, peer_;
  const Subscription* sub_ = nullptr;
  Clock::time_point opened_ = Clock::now(), last_keepalive_ = Clock::now();
  std::deque<Frame> queue_;
  std::uint64_t data_frames_ = 0;
  bool open_ = true;
};

// One HTTP connection: keep-alive requests until it upgrades to a WebSocket or closes.
class HttpSession {
 public:
  HttpSession(Server& server, tcp::socket socket);
  Task<void> Run();

 private:
  Response Handle(const Request& req);
  Response Rest(const Request& req, const Target& t);
  Response Signalr(const Request& req, const Target& t);
  // The refusal of a WebSocket upgrade, or "" when it may proceed.
  std::string CheckUpgrade(const Request& req, const Target& t, http::status* status);
  void Fail(beast::error_code ec, std::string_view what);

  Server& server_;
  beast::tcp_stream stream_;
  std::string peer_;
};

class Server {
 public:
  Server(net::io_context& ioc, const SimServerOptions& opts)
      : ioc_(ioc),
        opts_(opts),
        acceptor_(ioc),
        pump_(ioc),
        ticker_(ioc),
        tokens_("vntracker-sim-server:" + opts.credentials.id + ":" + opts.credentials.secret,
                opts.token_ttl_s),
        hub_(opts.replace_subscriptions, opts.disconnect_timeout_s),
        sim_(SimConfigFor(opts)),
        engine_(core::EngineConfig{}),
        rest_(sim_, engine_, candles_) {
    engine_.AddSink(&candles_);
  }

  Status Listen() {
    try {
      // Opens, sets SO_REUSEADDR, binds and listens.
      acceptor_ = tcp::acceptor(ioc_, tcp::endpoint(net::ip::make_address(opts_.host), opts_.port));
    } catch (const boost::system::system_error& e) {
      return Error{ErrorCode::kIo,
                   "cannot listen on " + opts_.host + ":" + std::to_string(opts_.port) + ": " + e.what(),
                   "--listen"};
    }
    started_ = Clock::now();
    net::co_spawn(ioc_, Accept(), net::detached);
    net::co_spawn(ioc_, Pump(), net::detached);
    net::co_spawn(ioc_, Tick(), net::detached);
    Log(LogLevel::kInfo, "sim-server: SSI FastConnect Data v2 on http://" + opts_.host + ":" +
                             std::to_string(opts_.port) + " (trading date " + ToString(sim_.config().date) +
                             " from " + ToString(sim_.config().start) + ", speed " +
                             (opts_.speed > 0 ? std::to_string(opts_.speed) + "x" : std::string("max")) +
                             ", credentials " +
                             (opts_.credentials.id.empty() ? "any" : "'" + opts_.credentials.id + "'") + ")");
    return {};
  }

  void Stop() {
    stopping_ = true;
    beast::error_code ec;
    acceptor_.close(ec);
    pump_.cancel();
    ticker_.cancel();
    for (const auto& s : std::set<std::shared_ptr<WsSession>>(sessions_)) s->Close();
    Log(LogLevel::kInfo,
        "sim-server: stopped (" + std::to_string(slow_disconnects_) + " slow clients disconnected)");
  }

  void Log(LogLevel level, const std::string& line) const {
    if (opts_.log) opts_.log(level, line);
  }
  const SimServerOptions& opts() const { return opts_; }
  Hub& hub() { return hub_; }
  std::string NextCursor() { return "s-" + std::to_string(++cursor_); }
  bool Authorised(const Request& req, const Params& params) const {
    const std::string token =
        BearerToken(req[http::field::authorization], params.Get("access_token").value_or(std::string()));
    return !token.empty() && tokens_.Valid(token, UnixNow());
  }
  bool AcceptsCredentials(std::string_view id, std::string_view secret) const {
    return opts_.credentials.Accepts(id, secret);
  }
  std::string MintToken(std::string_view id) const { return tokens_.Mint(id, UnixNow()); }
  bool Rest(std::string_view name, const Params& params, std::string* body) const {
    return rest_.Handle(name, params, body);
  }
  Hub::Created Negotiate() { return hub_.Negotiate(rng_(), rng_(), Seconds()); }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }

  void Attach(const std::shared_ptr<WsSession>& s) {
    // A client that re-dials before the server noticed the old socket die takes the connection over.
    for (const auto& old : std::set<std::shared_ptr<WsSession>>(sessions_)) {
      if (old->token() == s->token()) old->Close();
    }
    sessions_.insert(s);
    hub_.Attach(s->token());
  }
  void Detach(const std::shared_ptr<WsSession>& s) {
    if (sessions_.erase(s) > 0) hub_.Detach(s->token(), Seconds());
  }
  // /abort: closes the connection's transports and forgets it.
  bool Abort(std::string_view token) {
    for (const auto& s : std::set<std::shared_ptr<WsSession>>(sessions_)) {
      if (s->token() != token) continue;
      s->Forget();
      s->Close();
      sessions_.erase(s);
    }
    return hub_.Abort(token);
  }
  void CountSlowDisconnect() { ++slow_disconnects_; }

 private:
  static sim::SimConfig SimConfigFor(const SimServerOptions& o) {
    sim::SimConfig c = o.sim;
    c.channels = sim::ChannelSet{true, true, true, true, true, true, true};
    c.keep_truth = false;
    return c;
  }

  Task<void> Accept() {
    while (!stopping_) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (ec) {
        if (stopping_) break;
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      net::co_spawn(ioc_, ServeHttp(std::move(socket)), net::detached);
    }
  }

  Task<void> ServeHttp(tcp::socket socket) {
    HttpSession session(*this, std::move(socket));
    co_await session.Run();
  }

  // Moves due frames from the simulator into the engine (REST data) and to the subscribed connections.
  Task<void> Pump() {
    const int start_sec = sim_.config().start.sec;
    sim::SimFrame frame;
    bool pending = false;
    while (!stopping_) {
      const double due = opts_.speed > 0 ? start_sec + Seconds() * opts_.speed : 1e12;
      for (int n = 0; n < 20000; ++n) {
        if (!pending && !(pending = sim_.Next(&frame))) {
          Log(LogLevel::kInfo, "sim-server: the simulated session ended at " + ToString(sim_.now()) +
                                   "; connections stay open with keep-alives");
          co_return;
        }
        if (frame.time.time.sec > due) break;
        pending = false;
        Publish(frame);
      }
      pump_.expires_after(std::chrono::milliseconds(5));
      co_await pump_.async_wait(kTuple);
    }
  }

  void Publish(const sim::SimFrame& f) {
    pipe_.Push(std::string_view(f.text));
    const Channel channel = f.kind;
    Frame shared;  // one copy of the text for every connection that wants it
    for (const auto& s : sessions_) {
      const Subscription* sub = s->subscription();
      if (!sub || !sub->Matches(channel, f.symbol.view())) continue;
      if (!shared) shared = std::make_shared<const std::string>(f.text);
      s->SendData(shared);
    }
  }

  // Keep-alives and the expiry of connections nobody resumed.
  Task<void> Tick() {
    const auto every = std::chrono::milliseconds(std::max(10, opts_.keepalive_ms / 5));
    const Frame keepalive = std::make_shared<const std::string>(kKeepAlive);
    while (!stopping_) {
      ticker_.expires_after(every);
      co_await ticker_.async_wait(kTuple);
      const auto now = Clock::now();
      for (const auto& s : std::set<std::shared_ptr<WsSession>>(sessions_)) s->KeepAlive(now, keepalive);
      if (const std::size_t n = hub_.Expire(Seconds())) {
        Log(LogLevel::kDebug,
            "sim-server: forgot " + std::to_string(n) + " connections past the disconnect timeout");
      }
    }
  }

  net::io_context& ioc_;
  SimServerOptions opts_;
  tcp::acceptor acceptor_;
  net::steady_timer pump_, ticker_;
  TokenAuthority tokens_;
  Hub hub_;
  sim::Simulator sim_;
  core::MarketEngine engine_;
  CandleLog candles_;
  MarketRest rest_;
  pipeline::Pipeline pipe_{engine_};  // the REST data's engine sees every frame the clients get
  Clock::time_point started_ = Clock::now();
  std::set<std::shared_ptr<WsSession>> sessions_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::uint64_t cursor_ = 0, slow_disconnects_ = 0;
  bool stopping_ = false;
};

// ---- WsSession ----

WsSession::WsSession(Server& server, tcp::socket socket, std::string conn_token, std::string peer)
    : server_(server),
      ws_(std::move(socket)),
      wake_(ws_.get_executor()),
      token_(std::move(conn_token)),
      peer_(std::move(peer)) {
  wake_.expires_at(Clock::time_point::max());
}

Task<void> WsSession::Run(Request req, bool reconnect) {
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).expires_never();
  // No idle timeout and no pings of our own: SignalR clients are silent after subscribing, and the
  // silence fault must really send nothing.
  beast::websocket::stream_base::timeout timeouts{std::chrono::seconds(30),
                                                  beast::websocket::stream_base::none(), false};
  ws_.set_option(timeouts);
  ws_.text(true);
  auto [ec] = co_await ws_.async_accept(req, kTuple);
  if (ec) co_return Fail(ec, "upgrade");
  server_.Attach(self);
  sub_ = server_.hub().SubscriptionOf(token_);
  server_.Log(LogLevel::kInfo, "sim-server: connection " + server_.hub().IdOf(token_) +
                                   (reconnect ? " reconnected" : " connected") + " from " + peer_);
  Send(std::make_shared<const std::string>(InitFrame(server_.NextCursor(), reconnect)));
  using namespace net::experimental::awaitable_operators;
  co_await (Writer() || Reader());
  open_ = false;
  server_.Detach(self);
  server_.Log(LogLevel::kInfo, "sim-server: connection " + server_.hub().IdOf(token_) + " transport closed");
}

Task<void> WsSession::Reader() {
  beast::flat_buffer buf;
  for (;;) {
    auto [ec, n] = co_await ws_.async_read(buf, kTuple);
    if (ec) co_return Fail(ec, "read");
    const std::string text = beast::buffers_to_string(buf.data());
    buf.consume(buf.size());
    Hub::Reply reply = server_.hub().Invoke(token_, text, server_.NextCursor());
    if (!reply.log.empty())
      server_.Log(reply.failed ? LogLevel::kWarning : LogLevel::kInfo, "sim-server: " + reply.log);
    for (std::string& f : reply.frames) Send(std::make_shared<const std::string>(std::move(f)));
  }
}

Task<void> WsSession::Writer() {
  for (;;) {
    if (!open_) co_return;
    if (queue_.empty()) {
      co_await wake_.async_wait(kTuple);
      continue;
    }
    const Frame f = std::move(queue_.front());
    queue_.pop_front();
    auto [ec, n] = co_await ws_.async_write(net::buffer(*f), kTuple);
    if (ec) co_return Fail(ec, "write");
  }
}

void WsSession::Fail(beast::error_code ec, std::string_view what) {
  if (ec == net::error::operation_aborted || ec == beast::websocket::error::closed || ec == net::error::eof)
    return;
  server_.Log(LogLevel::kDebug, "sim-server: connection " + server_.hub().IdOf(token_) + " " +
                                    std::string(what) + ": " + ec.message());
}

bool WsSession::Silent() const {
  const double after = server_.opts().fault_silence_after_s;
  return after > 0 && std::chrono::duration<double>(Clock::now() - opened_).count() >= after;
}

void WsSession::Send(Frame f) {
  if (!open_ || Silent()) return;
  if (queue_.size() >= server_.opts().client_queue_limit) {
    server_.Log(LogLevel::kWarning, "sim-server: connection " + server_.hub().IdOf(token_) + " is " +
                                        std::to_string(queue_.size()) + " frames behind: disconnected");
    server_.CountSlowDisconnect();
    Close();
    return;
  }
  queue_.push_back(std::move(f));
  wake_.cancel();
}

void WsSession::SendData(const Frame& f) {
  const int every = server_.opts().fault_malformed_every;
  if (every > 0 && ++data_frames_ % static_cast<std::uint64_t>(every) == 0) {
    return Send(std::make_shared<const std::string>(GarbleFrame(*f)));
  }
  Send(f);
}

void WsSession::KeepAlive(Clock::time_point now, const Frame& frame) {
  if (now - last_keepalive_ < std::chrono::milliseconds(server_.opts().keepalive_ms)) return;
  last_keepalive_ = now;
  Send(frame);
}

void WsSession::Close() {
  open_ = false;
  wake_.cancel();
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(ws_).socket().close(ec);
}

// ---- HttpSession ----

HttpSession::HttpSession(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
  beast::error_code ec;
  const auto ep = stream_.socket().remote_endpoint(ec);
  peer_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
}

Task<void> HttpSession::Run() {
  beast::flat_buffer buf;
  for (;;) {
    stream_.expires_after(std::chrono::seconds(120));
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    auto [ec, n] = co_await http::async_read(stream_, buf, parser, kTuple);
    if (ec) co_return Fail(ec, "read");
    Request req = parser.release();
    const Target t(req.target());
    const bool connect = t.path == "/v2.0/signalr/connect", reconnect = t.path == "/v2.0/signalr/reconnect";
    if ((connect || reconnect) && beast::websocket::is_upgrade(req)) {
      http::status status = http::status::ok;
      const std::string refusal = CheckUpgrade(req, t, &status);
      if (refusal.empty()) {
        auto ws = std::make_shared<WsSession>(server_, stream_.release_socket(),
                                              t.params.Get("connectionToken").value_or(""), peer_);
        co_await ws->Run(std::move(req), reconnect);
        co_return;
      }
      server_.Log(LogLevel::kWarning, "sim-server: " + std::string(connect ? "connect" : "reconnect") +
                                          " from " + peer_ + " refused: " + refusal);
      Response res = Reply(req, status, refusal, false);
      res.keep_alive(false);
      res.prepare_payload();
      co_await http::async_write(stream_, res, kTuple);
      co_return;
    }
    Response res = Handle(req);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(stream_, res, kTuple);
    if (wec) co_return Fail(wec, "write");
    if (!res.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
}

void HttpSession::Fail(beast::error_code ec, std::string_view what) {
  if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == beast::error::timeout) {
    return;
  }
  server_.Log(LogLevel::kDebug, "sim-server: http " + peer_ + " " + std::string(what) + ": " + ec.message());
}

std::string HttpSession::CheckUpgrade(const Request& req, const Target& t, http::status* status) {
  *status = http::status::bad_request;
  if (!server_.Authorised(req, t.params)) {
    *status = http::status::unauthorized;
    return "Unauthorized: missing, invalid or expired access token";
  }
  if (!IEquals(t.params.Get("transport").value_or(""), "webSockets"))
    return "Only the webSockets transport is supported";
  if (!server_.hub().Known(t.params.Get("connectionToken").value_or(""))) {
    return "The ConnectionId is in the incorrect format or unknown (negotiate first)";
  }
  return {};
}

Response HttpSession::Handle(const Request& req) {
  const Target t(req.target());
  if (t.path.rfind(kMarketPrefix, 0) == 0) return Rest(req, t);
  if (t.path.rfind(kSignalrPrefix, 0) == 0) return Signalr(req, t);
  return Reply(req, http::status::not_found, R"({"message":"Not Found"})");
}

Response HttpSession::Rest(const Request& req, const Target& t) {
  const std::string name = t.path.substr(kMarketPrefix.size());
  if (name == "accesstoken") {
    std::string id, secret;
    if (req.method() != http::verb::post) {
      return Reply(req, http::status::method_not_allowed,
                   AccessTokenRefused("Use POST with {\"consumerID\":..,\"consumerSecret\":..}"));
    }
    if (!ParseAccessTokenRequest(req.body(), &id, &secret)) {
      server_.Log(LogLevel::kWarning,
                  "sim-server: AccessToken from " + peer_ + " refused: the body is not a JSON object");
      return Reply(req, http::status::ok,
                   AccessTokenRefused("The request body must be JSON with consumerID and consumerSecret"));
    }
    if (!server_.AcceptsCredentials(id, secret)) {
      server_.Log(LogLevel::kWarning,
                  "sim-server: AccessToken from " + peer_ + " refused: wrong credentials for '" + id + "'");
      return Reply(req, http::status::ok, AccessTokenRefused("Invalid consumerID or consumerSecret"));
    }
    server_.Log(LogLevel::kDebug, "sim-server: AccessToken issued to '" + id + "'");
    return Reply(req, http::status::ok, AccessTokenSuccess(server_.MintToken(id)));
  }
  if (!server_.Authorised(req, t.params)) {
    server_.Log(LogLevel::kWarning,
                "sim-server: REST " + name + " from " + peer_ + " refused: no valid access token");
    return Reply(req, http::status::ok, UnauthorizedBody());
  }
  if (req.method() != http::verb::get) {
    return Reply(req, http::status::method_not_allowed, ErrorEnvelope("Use GET", "MethodNotAllowed"));
  }
  std::string body;
  if (!server_.Rest(name, t.params, &body)) {
    return Reply(req, http::status::not_found, ErrorEnvelope("No such endpoint: " + name, "NotFound"));
  }
  return Reply(req, http::status::ok, std::move(body));
}

Response HttpSession::Signalr(const Request& req, const Target& t) {
  const std::string op = t.path.substr(kSignalrPrefix.size());
  if (op == "ping") return Reply(req, http::status::ok, std::string(kPingReply));
  if (!server_.Authorised(req, t.params)) {
    server_.Log(LogLevel::kWarning,
                "sim-server: " + op + " from " + peer_ + " refused: no valid access token");
    return Reply(req, http::status::unauthorized, "Unauthorized: missing, invalid or expired access token",
                 false);
  }
  const std::string token = t.params.Get("connectionToken").value_or("");
  if (op == "negotiate") {
    const Hub::Created c = server_.Negotiate();
    const NegotiateInfo info{NegotiatedProtocol(t.params.Get("clientProtocol").value_or("")), c.token, c.id,
                             server_.opts().keepalive_ms / 1000.0, server_.opts().disconnect_timeout_s};
    server_.Log(LogLevel::kInfo,
                "sim-server: negotiate " + c.id + " from " + peer_ + " (protocol " + info.protocol + ")");
    return Reply(req, http::status::ok, NegotiateReply(info));
  }
  if (op == "start") {
    if (!server_.hub().Known(token)) {
      return Reply(req, http::status::bad_request, R"({"Error":"Unrecognized connection token"})");
    }
    return Reply(req, http::status::ok, std::string(kStartReply));
  }
  if (op == "abort") {
    const std::string id = server_.hub().IdOf(token);
    if (server_.Abort(token))
      server_.Log(LogLevel::kInfo, "sim-server: connection " + id + " aborted by the client");
    return Reply(req, http::status::ok, "");
  }
  if (op == "connect" || op == "reconnect") {
    return Reply(req, http::status::bad_request, R"({"Error":"Only the webSockets transport is supported"})");
  }
  return Reply(req, http::status::not_found, R"({"message":"Not Found"})");
}

Status RunSimServer(const SimServerOptions& opts) {
  net::io_context ioc(1);
  Server server(ioc, opts);
  if (Status listening = server.Listen(); !listening) return listening;
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& ec, int sig) {
    if (ec) return;
    server.Log(LogLevel::kInfo,
               std::string("sim-server: ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    server.Stop();
    ioc.stop();
  });
  ioc.run();
  return {};
}

}  // namespace vnt::simserver
