// The only translation unit of the SSI simulator server that compiles Boost.Beast/Asio.
#include "simserver/sim_server.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>

#include "core/engine.h"
#include "feed/decoder.h"
#include "simserver/hub_protocol.h"
#include "simserver/market_rest.h"

namespace vnt::simserver {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using net::awaitable;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;
using Frame = std::shared_ptr<const std::string>;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Channel ChannelOfKind(sim::FrameKind k) {
  switch (k) {
    case sim::FrameKind::kTrade: return Channel::kXTrade;
    case sim::FrameKind::kQuote: return Channel::kXQuote;
    case sim::FrameKind::kSnapshot: return Channel::kX;
    case sim::FrameKind::kForeign: return Channel::kR;
    case sim::FrameKind::kIndex: return Channel::kMI;
    case sim::FrameKind::kStatus: return Channel::kF;
    case sim::FrameKind::kBar: return Channel::kB;
  }
  return Channel::kOL;
}

std::int64_t EpochSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class Server;

// One SignalR WebSocket connection.
class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Server& server, tcp::socket socket, std::string conn_token)
      : server_(server), ws_(std::move(socket)), wake_(ws_.get_executor()), token_(std::move(conn_token)),
        opened_(Clock::now()) {}

  awaitable<void> Run(http::request<http::string_body> req, bool reconnect);
  // Queues a frame unless the connection is silenced by the fault flag; drops a client that fell too far
  // behind.
  void Send(Frame f);
  void SendData(const Frame& f);
  void Close() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }
  bool Idle(Clock::time_point now, std::chrono::milliseconds d) const { return now - last_send_ >= d; }
  const std::string& token() const { return token_; }

 private:
  awaitable<void> Writer();
  bool Silent() const;

  Server& server_;
  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer wake_;
  std::string token_;
  Clock::time_point opened_, last_send_ = Clock::now();
  std::deque<Frame> queue_;
  std::uint64_t data_sent_ = 0;
  bool closed_ = false;
};

// What survives a dropped WebSocket for /reconnect: the subscription, per connection token.
struct ConnState {
  std::string id;
  Subscription sub;
  std::weak_ptr<WsSession> ws;
  Clock::time_point lost_at{};
};

class Server {
 public:
  Server(net::io_context& ioc, const SimServerOptions& opts)
      : ioc_(ioc), opts_(opts), acceptor_(ioc), pump_(ioc), keepalive_(ioc),
        tokens_(opts.consumer_secret.empty() ? "vntracker-sim" : "vntracker-sim:" + opts.consumer_secret,
                opts.token_ttl_s),
        sim_(SimConfigFor(opts)), engine_(core::EngineConfig{}), rest_(sim_, engine_, candles_) {
    engine_.AddSink(&candles_);
  }

  bool Listen(std::string* error) {
    beast::error_code ec;
    auto addr = net::ip::make_address(opts_.host, ec);
    if (ec) {
      *error = "bad listen address '" + opts_.host + "'";
      return false;
    }
    tcp::endpoint ep(addr, opts_.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      *error = "cannot listen on " + opts_.host + ":" + std::to_string(opts_.port) + ": " + ec.message();
      return false;
    }
    started_ = Clock::now();
    net::co_spawn(ioc_, Accept(), net::detached);
    net::co_spawn(ioc_, Pump(), net::detached);
    net::co_spawn(ioc_, KeepAlive(), net::detached);
    Log(1, "sim-server: SSI FastConnect Data v2 on http://" + opts_.host + ":" + std::to_string(opts_.port) +
               " (trading date " + ToString(sim_.config().date) + " from " + ToString(sim_.config().start) +
               ", speed " + (opts_.speed > 0 ? std::to_string(opts_.speed) + "x" : std::string("max")) + ")");
    return true;
  }

  void Stop() {
    stopping_ = true;
    beast::error_code ec;
    acceptor_.close(ec);
    pump_.cancel();
    keepalive_.cancel();
    for (auto& s : sessions_) s->Close();
  }

  void Log(int level, const std::string& line) const {
    if (opts_.log) opts_.log(level, line);
  }
  const SimServerOptions& opts() const { return opts_; }
  void Register(const std::shared_ptr<WsSession>& s) { sessions_.insert(s); }
  void Unregister(const std::shared_ptr<WsSession>& s) {
    sessions_.erase(s);
    auto it = conns_.find(s->token());
    if (it != conns_.end()) it->second.lost_at = Clock::now();
  }
  // Handles one hub invocation; returns the frames to send back (completion, Error call).
  std::vector<std::string> Invoke(const std::string& conn_token, std::string_view text);
  std::string Cursor() { return "s-" + std::to_string(++cursor_); }

 private:
  static sim::SimConfig SimConfigFor(const SimServerOptions& o) {
    sim::SimConfig c = o.sim;
    c.channels = sim::ChannelSet{true, true, true, true, true, true, true};
    c.keep_truth = false;
    return c;
  }

  awaitable<void> Accept() {
    while (!stopping_) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (ec) {
        if (stopping_) break;
        continue;
      }
      net::co_spawn(ioc_, Http(std::move(socket)), net::detached);
    }
  }

  awaitable<void> Http(tcp::socket socket);
  http::response<http::string_body> Route(const http::request<http::string_body>& req, bool* close);
  bool Authorised(const http::request<http::string_body>& req, const Params& params) const {
    std::string token;
    auto auth = req[http::field::authorization];
    if (auth.size() > 7 && Lower(auth.substr(0, 7)) == "bearer ") token = std::string(auth.substr(7));
    if (token.empty()) token = params.Get("access_token").value_or("");
    return !token.empty() && tokens_.Valid(token, EpochSeconds());
  }

  // Moves due frames from the simulator to the engine (REST data) and to subscribed connections.
  awaitable<void> Pump() {
    const int start_sec = sim_.config().start.sec;
    sim::SimFrame frame;
    bool pending = false, done = false;
    while (!stopping_ && !done) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
      const double due = opts_.speed > 0 ? start_sec + elapsed * opts_.speed : 1e9;
      for (int n = 0; n < 20000; ++n) {
        if (!pending && !(pending = sim_.Next(&frame))) {
          done = true;
          Log(1, "sim-server: the simulated session ended at " + ToString(sim_.config().end));
          break;
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
    decoded_.clear();
    decoder_.Decode(f.text, decoded_);
    for (const feed::MarketEvent& ev : decoded_.events) engine_.Apply(ev);
    const Channel ch = ChannelOfKind(f.kind);
    Frame shared;
    for (auto& [token, st] : conns_) {
      auto ws = st.ws.lock();
      if (!ws || !st.sub.Matches(ch, f.symbol.view())) continue;
      if (!shared) shared = std::make_shared<const std::string>(f.text);
      ws->SendData(shared);
    }
  }

  awaitable<void> KeepAlive() {
    const auto every = std::chrono::milliseconds(std::max(opts_.keepalive_ms, 50));
    const Frame ka = std::make_shared<const std::string>("{}");
    while (!stopping_) {
      keepalive_.expires_after(every);
      co_await keepalive_.async_wait(kTuple);
      const auto now = Clock::now();
      for (auto& s : sessions_) {
        if (s->Idle(now, every)) s->Send(ka);
      }
      // Forget connections that stayed away longer than the disconnect timeout.
      for (auto it = conns_.begin(); it != conns_.end();) {
        const bool gone = it->second.ws.expired() && it->second.lost_at != Clock::time_point{} &&
                          now - it->second.lost_at > std::chrono::duration<double>(opts_.disconnect_timeout_s);
        it = gone ? conns_.erase(it) : std::next(it);
      }
    }
  }

  net::io_context& ioc_;
  SimServerOptions opts_;
  tcp::acceptor acceptor_;
  net::steady_timer pump_, keepalive_;
  TokenAuthority tokens_;
  sim::Simulator sim_;
  core::MarketEngine engine_;
  CandleLog candles_;
  MarketRest rest_;
  feed::Decoder decoder_;
  feed::DecodeOutput decoded_;
  Clock::time_point started_;
  std::map<std::string, ConnState> conns_;
  std::set<std::shared_ptr<WsSession>> sessions_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::uint64_t cursor_ = 0;
  bool stopping_ = false;
  friend class WsSession;
};

// ---- WebSocket session ----

bool WsSession::Silent() const {
  const double after = server_.opts().fault_silence_after_s;
  return after > 0 && std::chrono::duration<double>(Clock::now() - opened_).count() >= after;
}

void WsSession::Send(Frame f) {
  if (closed_ || Silent()) return;
  if (queue_.size() >= server_.opts().client_queue_limit) {
    server_.Log(2, "sim-server: dropping a client " + std::to_string(queue_.size()) + " frames behind");
    closed_ = true;
    Close();
    return;
  }
  last_send_ = Clock::now();
  queue_.push_back(std::move(f));
  wake_.cancel();
}

void WsSession::SendData(const Frame& f) {
  const int every = server_.opts().fault_malformed_every;
  if (every > 0 && ++data_sent_ % static_cast<std::uint64_t>(every) == 0) {
    // Fault injection: the frame cut in the middle (not JSON any more).
    return Send(std::make_shared<const std::string>(f->substr(0, f->size() / 2)));
  }
  Send(f);
}

awaitable<void> WsSession::Writer() {
  auto self = shared_from_this();
  while (!closed_) {
    if (queue_.empty()) {
      wake_.expires_at(Clock::time_point::max());
      co_await wake_.async_wait(kTuple);
      continue;
    }
    Frame f = std::move(queue_.front());
    queue_.pop_front();
    auto [ec, n] = co_await ws_.async_write(net::buffer(*f), kTuple);
    if (ec) {
      closed_ = true;
      break;
    }
  }
}

awaitable<void> WsSession::Run(http::request<http::string_body> req, bool reconnect) {
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.text(true);
  auto [ec] = co_await ws_.async_accept(req, kTuple);
  if (ec) co_return;
  server_.Register(self);
  server_.conns_[token_].ws = self;
  Send(std::make_shared<const std::string>(InitFrame(server_.Cursor(), reconnect)));
  net::co_spawn(ws_.get_executor(), Writer(), net::detached);
  beast::flat_buffer buf;
  while (!closed_) {
    auto [rec, n] = co_await ws_.async_read(buf, kTuple);
    if (rec) break;
    const std::string text = beast::buffers_to_string(buf.data());
    buf.consume(n);
    for (std::string& reply : server_.Invoke(token_, text)) Send(std::make_shared<const std::string>(std::move(reply)));
  }
  closed_ = true;
  wake_.cancel();
  server_.Unregister(self);
  server_.Log(1, "sim-server: connection " + server_.conns_[token_].id + " closed");
}

std::vector<std::string> Server::Invoke(const std::string& conn_token, std::string_view text) {
  std::string error;
  auto inv = ParseInvocation(text, &error);
  if (!inv) {
    Log(2, "sim-server: ignoring a client message: " + error);
    return {};
  }
  if (!HubMatches(inv->hub)) {
    const std::string e = "'" + inv->hub + "' Hub could not be resolved.";
    return {Completion(inv->id, &e)};
  }
  if (Lower(inv->method) != "switchchannels") {
    const std::string e = "'" + inv->method + "' method could not be resolved on hub '" + std::string(kHub) + "'.";
    return {Completion(inv->id, &e)};
  }
  if (inv->args.size() != 1) {
    const std::string e = "SwitchChannels takes one argument";
    return {Completion(inv->id, &e)};
  }
  auto specs = ParseChannels(inv->args[0], &error);
  if (!specs) {
    Log(2, "sim-server: SwitchChannels refused: " + error);
    return {ErrorCall(Cursor(), error), Completion(inv->id, &error)};
  }
  ConnState& st = conns_[conn_token];
  st.sub.Switch(*specs, opts_.replace_subscriptions);
  Log(1, "sim-server: connection " + st.id + " subscribed to " + inv->args[0]);
  return {Completion(inv->id, nullptr)};
}

// ---- HTTP ----

awaitable<void> Server::Http(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buf;
  for (;;) {
    stream.expires_after(std::chrono::seconds(60));
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    auto [ec, n] = co_await http::async_read(stream, buf, parser, kTuple);
    if (ec) co_return;
    http::request<http::string_body> req = parser.release();
    const std::string target(req.target());
    const auto q = target.find('?');
    const std::string path = Lower(target.substr(0, q));
    const Params params(q == std::string::npos ? std::string_view{} : std::string_view(target).substr(q + 1));
    const bool connect = path == "/v2.0/signalr/connect", reconnect = path == "/v2.0/signalr/reconnect";
    if ((connect || reconnect) && websocket::is_upgrade(req)) {
      const std::string token = params.Get("connectionToken").value_or("");
      auto it = conns_.find(token);
      std::string refusal;
      int status = 400;
      if (!Authorised(req, params)) {
        refusal = "Unauthorized";
        status = 401;
      } else if (it == conns_.end()) {
        refusal = "Unrecognized connection token";
      } else if (params.Get("transport").value_or("") != "webSockets") {
        refusal = "Only the webSockets transport is supported";
      } else if (it->second.ws.lock()) {
        refusal = "The connection is already open";
        status = 409;
      }
      if (!refusal.empty()) {
        Log(2, "sim-server: " + std::string(connect ? "connect" : "reconnect") + " refused: " + refusal);
        http::response<http::string_body> res{static_cast<http::status>(status), req.version()};
        res.set(http::field::content_type, "text/plain");
        res.body() = refusal;
        res.prepare_payload();
        co_await http::async_write(stream, res, kTuple);
        co_return;
      }
      Log(1, "sim-server: connection " + it->second.id + (connect ? " connected" : " reconnected"));
      auto session = std::make_shared<WsSession>(*this, stream.release_socket(), token);
      co_await session->Run(std::move(req), reconnect);
      co_return;
    }
    bool close = false;
    auto res = Route(req, &close);
    res.keep_alive(req.keep_alive() && !close);
    auto [wec, wn] = co_await http::async_write(stream, res, kTuple);
    if (wec || !res.keep_alive()) {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
}

http::response<http::string_body> Server::Route(const http::request<http::string_body>& req, bool* close) {
  const std::string target(req.target());
  const auto q = target.find('?');
  const std::string path = Lower(target.substr(0, q));
  const Params params(q == std::string::npos ? std::string_view{} : std::string_view(target).substr(q + 1));
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.set(http::field::server, "vntracker-sim-server");
  res.set(http::field::content_type, "application/json; charset=utf-8");
  auto reply = [&](http::status st, std::string body) {
    res.result(st);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
  };
  const std::string market = "/api/v2/market/";
  if (path.rfind(market, 0) == 0) {
    const std::string name = path.substr(market.size());
    if (name == "accesstoken") {
      if (req.method() != http::verb::post) return reply(http::status::method_not_allowed, ErrorEnvelope("use POST"));
      std::string id, secret;
      if (!ParseAccessTokenRequest(req.body(), &id, &secret)) {
        return reply(http::status::ok, AccessTokenRefused("The request body must be JSON with consumerID and consumerSecret"));
      }
      const bool ok = opts_.consumer_id.empty() && opts_.consumer_secret.empty()
                          ? !id.empty() && !secret.empty()
                          : id == opts_.consumer_id && secret == opts_.consumer_secret;
      if (!ok) {
        Log(2, "sim-server: AccessToken refused for consumer '" + id + "'");
        return reply(http::status::ok, AccessTokenRefused("Invalid consumerID or consumerSecret"));
      }
      return reply(http::status::ok, AccessTokenSuccess(tokens_.Mint(id, EpochSeconds())));
    }
    if (req.method() != http::verb::get) return reply(http::status::method_not_allowed, ErrorEnvelope("use GET"));
    if (!Authorised(req, params)) return reply(http::status::ok, UnauthorizedBody());
    std::string body;
    if (!rest_.Handle(name, params, &body)) return reply(http::status::not_found, ErrorEnvelope("No such endpoint", "NotFound"));
    return reply(http::status::ok, std::move(body));
  }
  const std::string signalr = "/v2.0/signalr/";
  if (path.rfind(signalr, 0) == 0) {
    const std::string op = path.substr(signalr.size());
    if (!Authorised(req, params)) {
      res.set(http::field::content_type, "text/plain");
      return reply(http::status::unauthorized, "Unauthorized");
    }
    if (op == "negotiate") {
      std::uniform_int_distribution<std::uint64_t> d;
      char id[64];
      const std::uint64_t a = d(rng_), b = d(rng_);
      std::snprintf(id, sizeof id, "%08x-%04x-4%03x-a%03x-%012llx", static_cast<unsigned>(a >> 32),
                    static_cast<unsigned>(a >> 16) & 0xffff, static_cast<unsigned>(a) & 0xfff,
                    static_cast<unsigned>(b >> 52) & 0xfff, static_cast<unsigned long long>(b & 0xffffffffffffULL));
      const std::string token = Base64(std::string(id) + ":" + std::to_string(d(rng_)), false);
      conns_[token].id = id;
      const std::string proto = NegotiatedProtocol(params.Get("clientProtocol").value_or(""));
      Log(1, std::string("sim-server: negotiate ") + id + " (protocol " + proto + ")");
      return reply(http::status::ok, NegotiateReply(proto, token, id, opts_.keepalive_ms / 1000.0, opts_.disconnect_timeout_s));
    }
    const std::string token = params.Get("connectionToken").value_or("");
    if (op == "start") {
      if (!conns_.count(token)) return reply(http::status::bad_request, R"({"Error":"Unrecognized connection token"})");
      return reply(http::status::ok, R"({ "Response": "started" })");
    }
    if (op == "ping") return reply(http::status::ok, R"({ "Response": "pong" })");
    if (op == "abort") {
      auto it = conns_.find(token);
      if (it != conns_.end()) {
        if (auto ws = it->second.ws.lock()) ws->Close();
        Log(1, "sim-server: connection " + it->second.id + " aborted by the client");
        conns_.erase(it);
      }
      *close = false;
      return reply(http::status::ok, "");
    }
    if (op == "connect" || op == "reconnect") {
      return reply(http::status::bad_request, R"({"Error":"Only the webSockets transport is supported"})");
    }
  }
  return reply(http::status::not_found, R"({"message":"Not Found"})");
}

int RunSimServer(const SimServerOptions& opts, std::string* error) {
  net::io_context ioc(1);
  Server server(ioc, opts);
  if (!server.Listen(error)) return 2;
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& ec, int sig) {
    if (ec) return;
    server.Log(1, "sim-server: signal " + std::to_string(sig) + ": stopping");
    server.Stop();
    ioc.stop();
  });
  ioc.run();
  return 0;
}

}  // namespace vnt::simserver
