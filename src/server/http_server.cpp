// The server's HTTP side and WebSocket hub: accept, the HTTP request loop, the upgrade handshake, fan-out,
// snapshots, resume and the client protocol. With ws_session.cpp the only translation units that compile
// Boost.Beast/Asio for the server (35-90 s each on 2 cores).
#include "server/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "server/beast_request.h"
#include "server/front_door.h"
#include "server/ws_filter.h"
#include "server/ws_protocol.h"
#include "server/ws_session.h"

namespace vnt::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using net::awaitable;
using net::use_awaitable;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
// Messages shorter than this go uncompressed even to permessage-deflate clients (nothing to gain).
constexpr std::size_t kDeflateMinBytes = 64;
// A client's messages are small requests; larger ones are closed with 1009 (and >4 KB dropped as before).
constexpr std::size_t kMaxClientMessage = 64 * 1024;

namespace {

bool IsOutOfDescriptors(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system;
}

// Open connections per peer address. A Slot holds one from the moment it is counted (before any await, so
// that simultaneous connections cannot all pass a check) and gives it back when it is destroyed.
class AddressCounts {
 public:
  class Slot {
   public:
    Slot(AddressCounts* owner, std::string ip) : owner_(owner), ip_(std::move(ip)) { ++owner_->counts_[ip_]; }
    Slot(Slot&& o) noexcept : owner_(std::exchange(o.owner_, nullptr)), ip_(std::move(o.ip_)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (owner_ == nullptr) return;
      auto it = owner_->counts_.find(ip_);
      if (--it->second <= 0) owner_->counts_.erase(it);
    }
    const std::string& ip() const { return ip_; }

   private:
    AddressCounts* owner_;
    std::string ip_;
  };
  int Count(const std::string& ip) const {
    auto it = counts_.find(ip);
    return it == counts_.end() ? 0 : it->second;
  }
  Slot Take(std::string ip) { return Slot(this, std::move(ip)); }

 private:
  std::unordered_map<std::string, int> counts_;
};

}  // namespace

class HttpServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(net::io_context& ioc, ServerOptions opts, Router& router, WsSource& source, Registry& metrics)
      : ioc_(ioc),
        opts_(std::move(opts)),
        router_(router),
        source_(source),
        metrics_(metrics),
        door_(FrontDoorOptions{opts_.api_token, opts_.cors_origins, opts_.static_dir}, router),
        acceptor_(ioc),
        tick_(ioc),
        accept_backoff_(ioc) {
    metrics_.Declare("vnt_http_requests_total", "counter", "HTTP requests by route and status.");
    metrics_.Declare("vnt_ws_clients", "gauge", "Open WebSocket clients per channel.");
    metrics_.Declare("vnt_ws_frames_sent_total", "counter",
                     "WebSocket messages queued to clients per channel.");
    metrics_.Declare("vnt_ws_coalesced_total", "counter",
                     "Updates coalesced into a snapshot for slow clients.");
    metrics_.Declare("vnt_ws_slow_disconnects_total", "counter", "Clients closed for staying behind.");
    metrics_.Declare("vnt_ws_rejected_total", "counter", "WebSocket upgrades refused, by reason.");
    metrics_.Declare("vnt_ws_write_timeouts_total", "counter",
                     "WebSocket clients closed because a write did not complete within the write timeout.");
    metrics_.Declare("vnt_ws_snapshot_coalesced_total", "counter",
                     "Client snapshot requests deferred and merged (rate limit per client).");
    metrics_.Declare("vnt_http_connections_open", "gauge", "Open TCP connections (HTTP and WebSocket).");
    metrics_.Declare("vnt_http_rejected_total", "counter", "TCP connections refused at accept, by reason.");
    metrics_.Declare("vnt_http_accept_errors_total", "counter",
                     "Failed accepts (e.g. out of file descriptors); the loop backs off 100 ms.");
    metrics_.Declare("vnt_http_malformed_total", "counter",
                     "Requests answered 400 because they were not valid HTTP.");
    metrics_.Callback("vnt_http_connections_open", {},
                      [this] { return static_cast<double>(streams_.size()); });
    metrics_.Add("vnt_ws_write_timeouts_total", {}, 0);
    metrics_.Add("vnt_ws_snapshot_coalesced_total", {}, 0);
    metrics_.Add("vnt_http_rejected_total", {{"reason", "per_address"}}, 0);
    metrics_.Add("vnt_http_accept_errors_total", {}, 0);
    metrics_.Add("vnt_http_malformed_total", {}, 0);
    metrics_.DeclareHistogram(kHttpRequestDuration,
                              "HTTP request time, parsed to response written, by route.",
                              kHttpLatencyBuckets);
    metrics_.DeclareHistogram(kWsPublishDuration,
                              "Time to serialise and queue a channel update to its clients.",
                              kPublishLatencyBuckets);
    for (WsChannel c : {WsChannel::kMarket, WsChannel::kForeign, WsChannel::kIndex, WsChannel::kAlerts,
                        WsChannel::kTrades}) {
      const std::string ch(ToString(c));
      metrics_.Callback("vnt_ws_clients", {{"channel", ch}}, [this, c] {
        double n = 0;
        for (const auto& cl : clients_) n += cl->channel() == c && cl->open();
        return n;
      });
      metrics_.Add("vnt_ws_frames_sent_total", {{"channel", ch}}, 0);
      metrics_.Add("vnt_ws_payload_bytes_total", {{"channel", ch}}, 0);
      metrics_.Add("vnt_ws_wire_bytes_total", {{"channel", ch}}, 0);
      metrics_.Touch(kWsPublishDuration, {{"channel", ch}});
    }
    metrics_.Add("vnt_ws_coalesced_total", {}, 0);
    metrics_.Add("vnt_ws_slow_disconnects_total", {}, 0);
    metrics_.Declare("vnt_ws_payload_bytes_total", "counter",
                     "WebSocket message bytes (JSON) queued to clients per channel, before compression.");
    metrics_.Declare("vnt_ws_wire_bytes_total", "counter",
                     "WebSocket frame bytes queued to clients per channel (after permessage-deflate).");
    metrics_.Declare("vnt_ws_deflate_clients", "gauge", "Open WebSocket clients with permessage-deflate.");
    metrics_.Callback("vnt_ws_deflate_clients", {}, [this] {
      double n = 0;
      for (const auto& cl : clients_) n += cl->open() && cl->deflate();
      return n;
    });
    metrics_.Declare("vnt_ws_partial_writes_total", "counter",
                     "WebSocket writes the kernel did not take whole (the rest sent asynchronously): a "
                     "sign of slow readers or full send buffers.");
    metrics_.Callback("vnt_ws_partial_writes_total", {},
                      [this] { return static_cast<double>(ws_writes_.partial); });
    metrics_.Declare(
        "vnt_ws_idle_timeouts_total", "counter",
        "WebSocket clients closed after the idle timeout with nothing received (pings unanswered).");
    metrics_.Add("vnt_ws_idle_timeouts_total", {}, 0);
    metrics_.Declare("vnt_ws_resumes_total", "counter",
                     "Reconnecting clients that asked to resume: resumed (missed deltas sent) or snapshot.");
    metrics_.Add("vnt_ws_resumes_total", {{"result", "resumed"}}, 0);
    metrics_.Add("vnt_ws_resumes_total", {{"result", "snapshot"}}, 0);
  }

  Status Start() {
    beast::error_code ec;
    const auto addr = net::ip::make_address(opts_.address, ec);
    if (ec) {
      return Error{ErrorCode::kInvalidArgument, "bad listen address '" + opts_.address + "': " + ec.message(),
                   "address"};
    }
    tcp::endpoint ep(addr, opts_.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error{
          ErrorCode::kIo,
          "cannot listen on " + opts_.address + ":" + std::to_string(opts_.port) + ": " + ec.message(),
          "port"};
    }
    net::co_spawn(ioc_, Accept(), net::detached);
    net::co_spawn(ioc_, TickLoop(), net::detached);
    return {};
  }

  std::uint16_t port() const {
    beast::error_code ec;
    return acceptor_.local_endpoint(ec).port();
  }

  void Stop() {
    stopping_ = true;
    beast::error_code ec;
    acceptor_.close(ec);
    tick_.cancel();
    accept_backoff_.cancel();
    for (auto& c : clients_) c->Close(ws::close_code::kGoingAway, "server shutting down");
    for (auto& s : streams_) s->socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  // Sends messages built for every symbol to every open client of `ch`, narrowed once per distinct filter
  // and framed (and compressed) once per filter: every socket of a filter gets the same buffers.
  // A batch larger than a client's free queue (a burst of alerts, a tick behind) is one coalescing step
  // (a snapshot), however many messages it held: a burst says nothing about how fast the client reads.
  void Broadcast(WsChannel ch, const std::vector<SharedMessage>& msgs) {
    if (msgs.empty()) return;
    const auto t0 = std::chrono::steady_clock::now();
    std::map<SymbolFilter, FrameSet> by_filter;
    Tally tally;
    for (auto& c : clients_) {
      if (c->channel() != ch || !c->open()) continue;
      auto [it, fresh] = by_filter.try_emplace(c->filter());
      if (fresh) it->second.msgs = Narrow(ch, msgs, c->filter());
      FrameSet& set = it->second;
      if (set.msgs.empty()) continue;
      if (c->queued() + set.msgs.size() > opts_.ws_queue_limit) {
        Coalesce(*c);
        continue;
      }
      const std::vector<SharedFrame>& frames = FramesOf(set, c->deflate());
      for (std::size_t i = 0; i < frames.size(); ++i) {
        if (!c->Enqueue(frames[i], opts_.ws_queue_limit)) {
          Coalesce(*c);
          break;
        }
        tally.Add(set.msgs[i]->size(), frames[i]->size());
      }
    }
    if (tally.frames > 0) {
      Record(ch, tally);
      metrics_.Observe(kWsPublishDuration, {{"channel", std::string(ToString(ch))}}, SecondsSince(t0));
    }
  }

 private:
  // Messages of one filter and their frames, built on first need: plain for clients without
  // permessage-deflate, compressed for the others.
  struct FrameSet {
    std::vector<SharedMessage> msgs;
    std::vector<SharedFrame> plain, deflated;
    bool has_plain = false, has_deflated = false;
  };
  const std::vector<SharedFrame>& FramesOf(FrameSet& set, bool deflate) {
    std::vector<SharedFrame>& out = deflate ? set.deflated : set.plain;
    bool& built = deflate ? set.has_deflated : set.has_plain;
    if (!built) {
      built = true;
      out = FramesOf(set.msgs, deflate);
    }
    return out;
  }
  std::vector<SharedFrame> FramesOf(const std::vector<SharedMessage>& msgs, bool deflate) {
    std::vector<SharedFrame> out;
    out.reserve(msgs.size());
    for (const auto& m : msgs) out.push_back(MakeFrame(*m, deflate));
    return out;
  }
  // One text frame; compressed (RSV1) for a permessage-deflate client when that makes it smaller.
  SharedFrame MakeFrame(const std::string& msg, bool deflate) {
    if (deflate && msg.size() >= kDeflateMinBytes) {
      std::string z = deflater_.Compress(msg);
      if (!z.empty() && z.size() < msg.size())
        return std::make_shared<const std::string>(ws::EncodeFrame(ws::Opcode::kText, z, true));
    }
    return std::make_shared<const std::string>(ws::EncodeFrame(ws::Opcode::kText, msg));
  }
  // Messages and bytes queued, counted once per batch rather than per socket (labels cost allocations).
  struct Tally {
    std::size_t frames = 0, payload = 0, wire = 0;
    void Add(std::size_t payload_bytes, std::size_t wire_bytes) {
      ++frames;
      payload += payload_bytes;
      wire += wire_bytes;
    }
  };
  void Record(WsChannel ch, const Tally& t) {
    const std::string label(ToString(ch));
    metrics_.Add("vnt_ws_frames_sent_total", {{"channel", label}}, static_cast<double>(t.frames));
    metrics_.Add("vnt_ws_payload_bytes_total", {{"channel", label}}, static_cast<double>(t.payload));
    metrics_.Add("vnt_ws_wire_bytes_total", {{"channel", label}}, static_cast<double>(t.wire));
  }
  // Queues whole messages to one client (a snapshot, a resume), past the queue limit if need be.
  void SendTo(WsSession& c, std::vector<SharedMessage> msgs) {
    if (msgs.empty()) return;
    Tally tally;
    const std::size_t limit = opts_.ws_queue_limit + msgs.size();
    const std::vector<SharedFrame> frames = FramesOf(msgs, c.deflate());
    for (std::size_t i = 0; i < frames.size(); ++i) {
      c.Enqueue(frames[i], limit);
      tally.Add(msgs[i]->size(), frames[i]->size());
    }
    Record(c.channel(), tally);
  }

  // `msgs` (built for every symbol) as a client with `filter` receives them.
  std::vector<SharedMessage> Narrow(WsChannel ch, const std::vector<SharedMessage>& msgs,
                                    const SymbolFilter& filter) const {
    if (filter.empty()) return msgs;
    const SymbolFilter names = source_.Expand(filter);
    std::vector<SharedMessage> out;
    out.reserve(msgs.size());
    for (const auto& m : msgs)
      if (auto narrowed = FilterMessage(ch, *m, names))
        out.push_back(std::make_shared<const std::string>(std::move(*narrowed)));
    return out;
  }

  // Behind: drop what is queued and send one snapshot instead; behind again with no write completed in
  // between, ws_max_coalesce times over -> closed 1008.
  void Coalesce(WsSession& c) {
    metrics_.Add("vnt_ws_coalesced_total", {});
    if (c.NoteBehind() > opts_.ws_max_coalesce) {
      metrics_.Add("vnt_ws_slow_disconnects_total", {});
      c.Close(ws::close_code::kPolicy, "client too slow");
      return;
    }
    std::vector<SharedMessage> msgs = Narrow(c.channel(), source_.Snapshot(c.channel()), c.filter());
    Tally tally;
    for (const auto& m : msgs) tally.Add(m->size(), 0);
    std::vector<SharedFrame> frames = FramesOf(msgs, c.deflate());
    for (const auto& f : frames) tally.wire += f->size();
    c.Replace(std::move(frames));
    Record(c.channel(), tally);
  }

  awaitable<void> TickLoop() {
    auto self = shared_from_this();
    while (!stopping_) {
      tick_.expires_after(opts_.ws_interval);
      auto [ec] = co_await tick_.async_wait(kTuple);
      (void)ec;
      if (stopping_) co_return;
      Tick();
    }
  }

  // Every ws_interval: one delta per dirty channel, serialised once per distinct symbol filter.
  void Tick() {
    clients_.erase(std::remove_if(clients_.begin(), clients_.end(), [](const auto& c) { return !c->open(); }),
                   clients_.end());
    const auto now = std::chrono::steady_clock::now();
    for (auto& c : clients_) {
      const WsSession::Health health = c->Check(now, opts_.write_timeout, opts_.ws_idle_timeout);
      if (health == WsSession::Health::kOverdue) {
        metrics_.Add("vnt_ws_write_timeouts_total", {});
        c->Abort();
      } else if (health == WsSession::Health::kIdle) {
        metrics_.Add("vnt_ws_idle_timeouts_total", {});
        c->Abort();
      } else if (c->wants_snapshot() && now - c->last_snapshot() >= opts_.snapshot_min_interval) {
        SendSnapshot(*c, now);
      }
    }
    source_.Tick(now);
  }

  void Log(LogLevel level, const std::string& msg) const {
    if (opts_.log) opts_.log(level, msg);
  }

  awaitable<void> Accept() {
    auto self = shared_from_this();
    bool failing = false;  // one log line per episode of failed accepts, one when it ends
    while (!stopping_) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (ec) {
        if (stopping_ || ec == net::error::operation_aborted) co_return;
        metrics_.Add("vnt_http_accept_errors_total", {});
        if (!failing) {
          failing = true;
          Log(LogLevel::kError,
              "accept failed: " + ec.message() +
                  (IsOutOfDescriptors(ec) ? " (out of file descriptors: raise `ulimit -n`)" : "") +
                  "; new connections wait, retrying every 100 ms");
        }
        // The pending connection stays in the listen queue: retrying at once would spin a core.
        accept_backoff_.expires_after(std::chrono::milliseconds(100));
        auto [wec] = co_await accept_backoff_.async_wait(kTuple);
        (void)wec;
        continue;
      }
      if (failing) {
        failing = false;
        Log(LogLevel::kInfo, "accept recovered: accepting connections again");
      }
      beast::error_code ec0;
      std::string ip = socket.remote_endpoint(ec0).address().to_string();
      if (ec0) continue;  // the peer left already
      // Counted here, before any await, so that simultaneous connections cannot all pass the check.
      if (opts_.conn_per_ip_limit > 0 && conns_by_ip_.Count(ip) >= opts_.conn_per_ip_limit) {
        metrics_.Add("vnt_http_rejected_total", {{"reason", "per_address"}});
        net::co_spawn(ioc_, RefuseBusy(std::move(socket)), net::detached);
        continue;
      }
      net::co_spawn(ioc_, Session(std::move(socket), conns_by_ip_.Take(std::move(ip))), net::detached);
    }
  }

  // Over the per-address cap: a 429 and close, without reading the request.
  awaitable<void> RefuseBusy(tcp::socket socket) {
    auto self = shared_from_this();
    beast::tcp_stream stream(std::move(socket));
    co_await RefuseUnparsed(
        stream, ErrorResponse(429, "too_many_connections", "connection limit per address reached"), 11);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  void Count(const Request& req, int status) {
    metrics_.Add("vnt_http_requests_total",
                 {{"route", door_.RouteLabel(req)}, {"status", std::to_string(status)}});
  }

  // Every accepted connection, from the first byte to the close; the entry leaves with the coroutine.
  awaitable<void> Session(tcp::socket socket, AddressCounts::Slot counted) {
    auto self = shared_from_this();
    // Held by a local declared after `self`, so it is given back while the server is surely alive.
    const AddressCounts::Slot slot = std::move(counted);
    const std::string& ip = slot.ip();
    beast::error_code ec0;
    // Small WebSocket updates must leave at once: Nagle + delayed ACK would hold them up to ~40 ms.
    socket.set_option(tcp::no_delay(true), ec0);
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    streams_.insert(stream);
    struct Release {
      Impl* impl;
      std::shared_ptr<beast::tcp_stream> stream;
      ~Release() { impl->streams_.erase(stream); }
    } release{this, stream};
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(opts_.body_limit);
      parser.header_limit(16 * 1024);
      stream->expires_after(std::chrono::seconds(60));
      auto [ec, n] = co_await http::async_read(*stream, buffer, parser, kTuple);
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        co_await RefuseUnparsed(*stream, ErrorResponse(413, "too_large", "request larger than the limit"),
                                11);
        break;
      }
      if (ec && IsMalformedRequest(ec)) {
        // Not HTTP as the RFC writes it (bad request line, header without a colon, Content-Length with
        // Transfer-Encoding, two lengths, a bad chunk): say so, then close (the framing is lost).
        metrics_.Add("vnt_http_malformed_total", {});
        co_await RefuseUnparsed(
            *stream, ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()), 11);
        break;
      }
      if (ec) break;
      http::request<http::string_body> breq = parser.release();
      if (HasUnsupportedTransferEncoding(breq)) {
        // RFC 9112 6.3: a request whose final coding is not chunked has no knowable length. Reading on would
        // take its body for a next request (smuggling behind a proxy): refuse and close.
        metrics_.Add("vnt_http_malformed_total", {});
        co_await RefuseUnparsed(
            *stream,
            ErrorResponse(400, "bad_request", "Transfer-Encoding other than chunked is not supported"),
            breq.version());
        break;
      }
      const auto t0 = std::chrono::steady_clock::now();
      Request req = FromBeast(breq, ip);
      stream->expires_after(opts_.write_timeout);
      if (auto refusal = door_.Canonicalise(req)) {
        Count(req, refusal->status);
        co_await Write(*stream, *refusal, false, "", breq.version());
        break;
      }

      if (websocket::is_upgrade(breq)) {
        std::string rest = beast::buffers_to_string(buffer.data());
        co_await Upgrade(std::move(*stream), std::move(breq), req, std::move(rest));
        co_return;
      }
      Response resp = door_.Handle(req);
      Count(req, resp.status);
      const bool keep = breq.keep_alive() && !stopping_;
      const bool written =
          co_await Write(*stream, resp, keep, door_.AllowedOrigin(req), breq.version(), req.method == "HEAD");
      metrics_.Observe(kHttpRequestDuration, {{"route", door_.RouteLabel(req)}}, SecondsSince(t0));
      if (!written) break;
      if (!keep) break;
    }
    beast::error_code ec;
    stream->socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // Answers a request that never reached the request path (too large, not HTTP), then the caller closes:
  // its framing is lost, so nothing after it on the connection can be trusted.
  awaitable<void> RefuseUnparsed(beast::tcp_stream& stream, Response r, unsigned version) {
    Count(Request{}, r.status);
    stream.expires_after(opts_.write_timeout);
    co_await Write(stream, r, false, "", version);
  }

  awaitable<bool> Write(beast::tcp_stream& stream, const Response& r, bool keep, const std::string& origin,
                        unsigned version, bool head = false) {
    // The body is sent from the response itself (a span), never copied: `r` outlives the write.
    http::response<http::span_body<const char>> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "vntracker");
    if (r.status != 204) res.set(http::field::content_type, r.content_type);
    if (!origin.empty()) {
      res.set(http::field::access_control_allow_origin, origin);
      res.set(http::field::vary, "Origin");
    }
    for (const auto& [k, v] : r.headers) res.set(k, v);
    res.keep_alive(keep);
    const std::string& body = r.Body();
    if (!head) res.body() = boost::span<const char>(body.data(), body.size());
    res.prepare_payload();
    if (head) res.content_length(body.size());
    auto [ec, n] = co_await http::async_write(stream, res, kTuple);
    co_return !ec;
  }

  // The WebSocket handshake (RFC 6455 §4.2) and then the connection's life. `already_read`: bytes the
  // HTTP reader took past the request (frames a client sent without waiting for the 101).
  awaitable<void> Upgrade(beast::tcp_stream stream, http::request<http::string_body> breq, const Request& req,
                          std::string already_read) {
    const auto channel = WsChannelOfPath(req.path);
    auto reject = [&](const Response& r, const std::string& reason) -> awaitable<void> {
      metrics_.Add("vnt_ws_rejected_total", {{"reason", reason}});
      Count(req, r.status);
      co_await Write(stream, r, false, door_.AllowedOrigin(req), breq.version());
    };
    if (!channel) {
      co_await reject(ErrorResponse(404, "not_found", "no WebSocket channel at " + req.path), "not_found");
      co_return;
    }
    if (auto refusal = door_.CheckUpgrade(req)) {
      co_await reject(*refusal, refusal->status == 401 ? "unauthorized" : "forbidden_origin");
      co_return;
    }
    SymbolFilter filter;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> resume;  // ?epoch=E&seq=S
    auto e = req.query.find("epoch"), q = req.query.find("seq");
    if (e != req.query.end() && q != req.query.end()) {
      std::uint64_t ev = 0, sv = 0;
      if (!ParseU64(e->second, &ev) || !ParseU64(q->second, &sv)) {
        co_await reject(ErrorResponse(400, "bad_parameter", "epoch and seq: non-negative integers", "seq"),
                        "bad_parameter");
        co_return;
      }
      resume.emplace(ev, sv);
    }
    auto it = req.query.find("symbols");
    if (it != req.query.end() && !ParseSymbolFilter(it->second, &filter)) {
      co_await reject(ErrorResponse(400, "bad_parameter", "symbols: comma-separated tickers", "symbols"),
                      "bad_parameter");
      co_return;
    }
    if (breq[http::field::sec_websocket_version] != "13") {
      Response r = ErrorResponse(426, "upgrade_required", "WebSocket version 13 only");
      r.headers.emplace_back("Sec-WebSocket-Version", "13");
      co_await reject(r, "bad_handshake");
      co_return;
    }
    const std::optional<std::string> accept = ws::AcceptKey(breq[http::field::sec_websocket_key]);
    if (!accept) {
      co_await reject(ErrorResponse(400, "bad_request", "Sec-WebSocket-Key: base64 of 16 bytes"),
                      "bad_handshake");
      co_return;
    }
    // Counted from here (before the handshake's await) to the end of the connection: simultaneous
    // upgrades from one address cannot all pass.
    if (ws_by_ip_.Count(req.remote) >= opts_.ws_per_ip_limit) {
      co_await reject(
          ErrorResponse(429, "too_many_connections", "WebSocket connection limit per address reached"),
          "too_many_connections");
      co_return;
    }
    const AddressCounts::Slot ws_slot = ws_by_ip_.Take(req.remote);
    Count(req, 101);
    std::optional<ws::DeflateParams> deflate;
    if (opts_.ws_deflate) deflate = ws::NegotiateDeflate(breq[http::field::sec_websocket_extensions]);
    http::response<http::empty_body> res{http::status::switching_protocols, breq.version()};
    res.set(http::field::server, "vntracker");
    res.set(http::field::upgrade, "websocket");
    res.set(http::field::connection, "Upgrade");
    res.set(http::field::sec_websocket_accept, *accept);
    if (deflate) res.set(http::field::sec_websocket_extensions, ws::DeflateResponse(*deflate));
    stream.expires_after(std::chrono::seconds(10));
    auto [ec, n] = co_await http::async_write(stream, res, kTuple);
    if (ec) co_return;
    stream.expires_never();
    tcp::socket socket = stream.release_socket();
    if (opts_.ws_send_buffer > 0) {
      boost::system::error_code sec;
      socket.set_option(net::socket_base::send_buffer_size(opts_.ws_send_buffer), sec);
    }
    auto client =
        std::make_shared<WsSession>(std::move(socket), std::move(already_read), *channel, std::move(filter),
                                    req.remote, deflate, kMaxClientMessage, &ws_writes_);
    clients_.push_back(client);
    // On connect: what a resuming client missed, else a full snapshot.
    if (resume)
      Resume(*client, resume->first, resume->second);
    else
      SendSnapshot(*client, std::chrono::steady_clock::now());
    co_await client->Run([this](WsSession& c, std::string&& text) { OnClientMessage(c, text); });
  }

  void SendSnapshot(WsSession& c, std::chrono::steady_clock::time_point now) {
    c.set_wants_snapshot(false);
    c.set_last_snapshot(now);
    SendTo(c, Narrow(c.channel(), source_.Snapshot(c.channel()), c.filter()));
  }

  // The deltas after (epoch, seq) when the source still holds them, else a snapshot.
  void Resume(WsSession& c, std::uint64_t epoch, std::uint64_t seq) {
    std::vector<SharedMessage> missed;
    if (!source_.Since(c.channel(), epoch, seq, &missed)) {
      metrics_.Add("vnt_ws_resumes_total", {{"result", "snapshot"}});
      SendSnapshot(c, std::chrono::steady_clock::now());
      return;
    }
    metrics_.Add("vnt_ws_resumes_total", {{"result", "resumed"}});
    SendTo(c, Narrow(c.channel(), missed, c.filter()));
  }

  static bool ParseU64(std::string_view v, std::uint64_t* out) {
    if (v.empty() || v.size() > 19) return false;
    *out = 0;
    for (char ch : v) {
      if (ch < '0' || ch > '9') return false;
      *out = *out * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    return true;
  }
  // The unsigned integer after "key": in a client message; false when absent or not a number.
  static bool JsonU64(const std::string& text, const char* key, std::uint64_t* out) {
    const auto p = text.find(std::string("\"") + key + "\"");
    if (p == std::string::npos) return false;
    auto i = text.find(':', p);
    if (i == std::string::npos) return false;
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    return ParseU64(std::string_view(text).substr(i, j - i), out);
  }

  // Client requests: {"action":"snapshot"}, {"action":"subscribe","symbols":"ACB,FPT"} (or an array), or
  // {"action":"resume","epoch":E,"seq":S}.
  // Snapshots are rate-limited per client: a request within snapshot_min_interval of the last snapshot
  // is merged into one sent when due (by Tick), so a client cannot make the server serialise at will.
  void OnClientMessage(WsSession& c, const std::string& text) {
    if (text.size() > 4096) {
      c.Close(ws::close_code::kTooBig, "message too large");
      return;
    }
    auto has = [&](const char* s) { return text.find(s) != std::string::npos; };
    if (has("\"resume\"")) {
      std::uint64_t epoch = 0, seq = 0;
      if (!JsonU64(text, "epoch", &epoch) || !JsonU64(text, "seq", &seq)) return;
      // Rate-limited like snapshots: a resume can send hundreds of messages.
      const auto now = std::chrono::steady_clock::now();
      if (now - c.last_snapshot() < opts_.snapshot_min_interval) {
        metrics_.Add("vnt_ws_snapshot_coalesced_total", {});
        c.set_wants_snapshot(true);
        return;
      }
      c.set_last_snapshot(now);
      Resume(c, epoch, seq);
      return;
    }
    if (has("\"subscribe\"")) {
      SymbolFilter f;
      const auto p = text.find("\"symbols\"");
      std::string list;
      if (p != std::string::npos) {
        for (std::size_t i = text.find(':', p) + 1; i < text.size(); ++i) {
          const char ch = text[i];
          if (ch == '}') break;
          if (std::isalnum(static_cast<unsigned char>(ch)) || ch == ',' || ch == '-' || ch == '_')
            list.push_back(ch);
        }
      }
      if (!ParseSymbolFilter(list, &f)) return;
      c.SetFilter(std::move(f));
    } else if (!has("\"snapshot\"")) {
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - c.last_snapshot() < opts_.snapshot_min_interval) {
      metrics_.Add("vnt_ws_snapshot_coalesced_total", {});
      c.set_wants_snapshot(true);
      return;
    }
    SendSnapshot(c, now);
  }

  net::io_context& ioc_;
  ServerOptions opts_;
  Router& router_;
  WsSource& source_;
  Registry& metrics_;
  FrontDoor door_;
  tcp::acceptor acceptor_;
  net::steady_timer tick_;
  net::steady_timer accept_backoff_;
  bool stopping_ = false;
  std::vector<std::shared_ptr<WsSession>> clients_;
  WsWriteStats ws_writes_;  // outlives every session: the io_context is stopped before the server goes
  ws::Deflater deflater_;   // one compression per message and filter, on the loop thread
  std::set<std::shared_ptr<beast::tcp_stream>> streams_;  // every open connection (Session)
  AddressCounts conns_by_ip_, ws_by_ip_;                  // open connections / WebSockets per peer address
};

HttpServer::HttpServer(net::io_context& ioc, ServerOptions opts, Router& router, WsSource& source,
                       Registry& metrics)
    : impl_(std::make_shared<Impl>(ioc, std::move(opts), router, source, metrics)) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Start() {
  return impl_->Start();
}
std::uint16_t HttpServer::port() const {
  return impl_->port();
}
void HttpServer::Broadcast(WsChannel ch, const std::vector<SharedMessage>& msgs) {
  impl_->Broadcast(ch, msgs);
}
void HttpServer::Stop() {
  impl_->Stop();
}

}  // namespace vnt::server
