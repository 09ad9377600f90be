// The client's only translation unit that compiles Beast's HTTP code and OpenSSL.
#include "client/http_client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cstdio>

#include "client/beast_client.h"

namespace vnt::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

std::string Seconds(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// Time left before `deadline`, at least 1 ms (an expiry in the past would not fire before the operation).
std::chrono::milliseconds Left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

// Sets *hook to `fn` for the lifetime of the guard: the caller may cancel what is in flight meanwhile.
class HookGuard {
 public:
  HookGuard(CancelHook* hook, CancelHook fn) : hook_(hook) {
    if (hook_) *hook_ = std::move(fn);
  }
  ~HookGuard() {
    if (hook_) *hook_ = nullptr;
  }
  HookGuard(const HookGuard&) = delete;
  HookGuard& operator=(const HookGuard&) = delete;

 private:
  CancelHook* hook_;
};

bool IsAddress(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

ClientReply Failed(NetError kind, std::string text) {
  ClientReply r;
  r.error = kind;
  r.error_text = std::move(text);
  return r;
}

// Writes the request and reads the reply on a connected (and, for https, handshaken) stream.
template <class Stream>
asio::awaitable<ClientReply> Exchange(Stream& s, http::request<http::string_body>& req, const Endpoint& to,
                                      Clock::time_point deadline, const FetchOptions& opts,
                                      CancelHook* cancel) {
  auto& lowest = beast::get_lowest_layer(s);
  HookGuard guard(cancel, [&lowest] { lowest.cancel(); });
  lowest.expires_at(deadline);
  ClientReply r;
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(opts.max_body);
  auto [ec, n] = co_await http::async_write(s, req, kTuple);
  if (!ec) std::tie(ec, n) = co_await http::async_read(s, buf, parser, kTuple);
  // A reply longer than the limit keeps its status; TLS peers that close without close_notify after a
  // complete reply are common and harmless here (the message framing said where it ends).
  const bool header = parser.is_header_done();
  if (header && (ec == http::error::body_limit || ec == ssl::error::stream_truncated || !ec)) {
    r.body_truncated = ec == http::error::body_limit;
    r.status = static_cast<int>(parser.get().result_int());
    if (auto it = parser.get().find(http::field::retry_after); it != parser.get().end())
      r.retry_after = std::string(it->value());
    r.body = std::move(parser.get().body());
    co_return r;
  }
  if (ec == beast::error::timeout)
    co_return Failed(NetError::kTimeout,
                     to.HostHeader() + ": no complete reply within " + Seconds(opts.timeout));
  if (ec == asio::error::operation_aborted)
    co_return Failed(NetError::kCancelled, to.HostHeader() + ": cancelled");
  co_return Failed(NetError::kIo, "HTTP exchange with " + to.HostHeader() + " failed: " + ec.message());
}

}  // namespace

TlsContext::TlsContext() : ctx_(std::make_unique<ssl::context>(ssl::context::tls_client)) {
  ctx_->set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  ctx_->set_default_verify_paths(ec);  // without a system store only --*-ca-file certificates are trusted
}

TlsContext::~TlsContext() = default;

Status TlsContext::LoadCaFile(const std::string& path) {
  boost::system::error_code ec;
  ctx_->load_verify_file(path, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot load CA file '" + path + "': " + ec.message(), "ca_file"};
  return {};
}

asio::awaitable<StepResult> ConnectTcp(beast::tcp_stream& s, const Endpoint& to,
                                       std::chrono::milliseconds timeout, CancelHook* cancel) {
  const auto deadline = Clock::now() + timeout;
  tcp::resolver resolver(s.get_executor());
  tcp::resolver::results_type results;
  {
    HookGuard guard(cancel, [&resolver] { resolver.cancel(); });
    auto [ec, res] = co_await resolver.async_resolve(to.host, std::to_string(to.port), kTuple);
    if (ec == asio::error::operation_aborted) co_return StepResult{NetError::kCancelled, "cancelled"};
    if (ec) co_return StepResult{NetError::kResolve, "cannot resolve " + to.host + ": " + ec.message()};
    results = std::move(res);
  }
  HookGuard guard(cancel, [&s] { s.cancel(); });
  s.expires_at(deadline);
  auto [ec, ep] = co_await s.async_connect(results, kTuple);
  if (!ec) co_return StepResult{};
  if (ec == beast::error::timeout)
    co_return StepResult{NetError::kTimeout,
                         "cannot connect to " + to.HostHeader() + ": timed out after " + Seconds(timeout)};
  if (ec == asio::error::operation_aborted) co_return StepResult{NetError::kCancelled, "cancelled"};
  co_return StepResult{NetError::kConnect, "cannot connect to " + to.HostHeader() + ": " + ec.message()};
}

asio::awaitable<StepResult> TlsHandshake(beast::ssl_stream<beast::tcp_stream>& s, const std::string& host,
                                         std::chrono::milliseconds timeout, CancelHook* cancel) {
  if (!IsAddress(host) && !SSL_set_tlsext_host_name(s.native_handle(), host.c_str()))
    co_return StepResult{NetError::kTls, "TLS: cannot set SNI"};
  s.set_verify_callback(ssl::host_name_verification(host));
  auto& lowest = beast::get_lowest_layer(s);
  HookGuard guard(cancel, [&lowest] { lowest.cancel(); });
  lowest.expires_after(timeout);
  auto [ec] = co_await s.async_handshake(ssl::stream_base::client, kTuple);
  if (!ec) co_return StepResult{};
  if (ec == beast::error::timeout)
    co_return StepResult{NetError::kTimeout,
                         "TLS handshake with " + host + " timed out after " + Seconds(timeout)};
  if (ec == asio::error::operation_aborted) co_return StepResult{NetError::kCancelled, "cancelled"};
  co_return StepResult{NetError::kTls, "TLS handshake with " + host + " failed: " + ec.message()};
}

asio::awaitable<ClientReply> Fetch(TlsContext& tls, const Endpoint& to, const ClientRequest& req,
                                   const FetchOptions& opts, CancelHook* cancel) {
  const auto deadline = Clock::now() + opts.timeout;
  http::request<http::string_body> r{req.method == Method::kPost ? http::verb::post : http::verb::get,
                                     req.target, 11};
  r.set(http::field::host, to.HostHeader());
  r.set(http::field::user_agent, opts.user_agent);
  r.set(http::field::connection, "close");
  for (const auto& [name, value] : req.headers) r.set(name, value);
  if (!req.content_type.empty()) r.set(http::field::content_type, req.content_type);
  r.body() = req.body;
  r.prepare_payload();

  auto ex = co_await asio::this_coro::executor;
  if (to.tls) {
    beast::ssl_stream<beast::tcp_stream> s(ex, tls.native());
    StepResult step = co_await ConnectTcp(beast::get_lowest_layer(s), to, opts.timeout, cancel);
    if (step.ok()) step = co_await TlsHandshake(s, to.host, Left(deadline), cancel);
    if (!step.ok()) co_return Failed(step.kind, std::move(step.text));
    co_return co_await Exchange(s, r, to, deadline, opts, cancel);
  }
  beast::tcp_stream s(ex);
  StepResult step = co_await ConnectTcp(s, to, opts.timeout, cancel);
  if (!step.ok()) co_return Failed(step.kind, std::move(step.text));
  co_return co_await Exchange(s, r, to, deadline, opts, cancel);
}

}  // namespace vnt::client
