// SsiClient's WebSocket stream, the only translation unit of the SSI client that compiles Boost.Beast:
// TCP and TLS through the shared client (client/beast_client.h), the upgrade with the bearer token, the one
// SwitchChannels, and the read loop; what each frame means is decided by StreamSession (stream_session.h).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>
#include <string>

#include "client/beast_client.h"
#include "ssi/client_impl.h"

namespace vnt::ssi {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

awaitable<Outcome> SsiClient::Impl::Connect(const NegotiateInfo& info, bool resume) {
  const std::string target = resume
                                 ? ReconnectTarget(stream_.path, info.protocol_version, info.connection_token,
                                                   session_.cursor(), session_.groups_token())
                                 : ConnectTarget(stream_.path, info.protocol_version, info.connection_token);
  const client::Endpoint to{stream_.tls, stream_.host, stream_.port};
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
  auto step = co_await client::ConnectTcp(beast::get_lowest_layer(ws), to, cfg_.io_timeout, &cancel_current_);
  if (!step.ok()) co_return Outcome{End::kFailed, step.text};
  co_return co_await Stream(ws, target, info, resume);
}

template <class Ws>
awaitable<Outcome> SsiClient::Impl::Stream(Ws& ws, const std::string& target, const NegotiateInfo& info,
                                           bool resume) {
  auto& lowest = beast::get_lowest_layer(ws);
  lowest.expires_never();  // the WebSocket's own timeouts take over
  const auto watchdog = cfg_.watchdog.count() > 0 ? cfg_.watchdog : info.keep_alive_timeout;
  websocket::stream_base::timeout to{};
  to.handshake_timeout = cfg_.io_timeout;
  to.idle_timeout = watchdog;  // no frame (data or "{}") for this long: the connection is lost
  to.keep_alive_pings = false;
  ws.set_option(to);
  ws.read_message_max(kMaxMessage);
  const std::string bearer = "Bearer " + token_.value();
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
    co_return Outcome{End::kFailed, "WebSocket upgrade failed: " + ec.message() +
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
  session_.Begin(resume);
  for (;;) {
    if (session_.SubscribeDue()) {
      // After the init frame: /start (optional for the server), then the one SwitchChannels.
      if (!resume) {
        co_await StartTransport(info);
        cancel_current_ = [&lowest] { lowest.cancel(); };
        if (stopping_) co_return Outcome{End::kStopped, "stopped"};
      }
      const int id = session_.TakeSubscriptionId();
      auto [wec, wn] =
          co_await ws.async_write(net::buffer(SwitchChannelsInvocation(channel_list_, id)), kTuple);
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
    FrameAction a = session_.OnFrame(frame, SteadyMs());
    if (a.malformed) stats_.malformed_frames.fetch_add(1);
    if (a.keep_alive) stats_.keep_alives.fetch_add(1);
    if (a.subscribed) {
      if (!a.subscribe_error.empty()) {
        stats_.hub_errors.fetch_add(1);
        Log(LogLevel::kError, "SwitchChannels failed: " + a.subscribe_error);
      } else {
        Log(LogLevel::kInfo, "subscribed: " + channel_list_);
      }
      out.streamed = true;
      failures_.Clear();
      SetState("streaming");
    }
    for (const std::string& e : a.hub_errors) {
      stats_.hub_errors.fetch_add(1);
      Log(LogLevel::kError, "hub Error: " + e);
    }
    if (a.push) Push(std::move(frame));     // data; or not JSON: the decoder counts and reports it
    if (a.healthy) policy_.ResetBackoff();  // a healthy stream resets backoff
  }
  co_return out;
}

}  // namespace vnt::ssi
