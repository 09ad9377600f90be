#pragma once
// Outgoing HTTP(S) without I/O: where a request goes (an Endpoint, parsed from an http:// or https:// URL),
// what it carries and what came back. The Beast client (http_client.h) moves the bytes; the SSI client and
// the alert delivery share both.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/enum_names.h"
#include "common/result.h"

namespace vnt::client {

// Where a connection goes.
struct Endpoint {
  bool tls = false;
  std::string host;  // a name or an address (IPv6 without brackets)
  std::uint16_t port = 0;
  // "host" or "host:port" when the port is not the scheme's default (the Host header; IPv6 in brackets).
  std::string HostHeader() const;
  // "https://host[:port]": safe to log (no path, no query).
  std::string Origin() const;
};

// Longest URL accepted (the per-rule webhook limit of the REST API, core::kMaxWebhookUrlChars).
inline constexpr std::size_t kMaxUrlChars = 2048;

// An absolute http:// or https:// URL split for a request.
struct HttpUrl {
  Endpoint endpoint;
  std::string target = "/";  // path and query, as sent on the request line
  // The origin, plus "/…" when the URL has a path or a query. Logs show only this: paths often carry
  // secrets (a chat webhook's key, a bot token).
  std::string Redacted() const;
};
// Parses an absolute http(s) URL (scheme and host in any case; the fragment is dropped). An error
// (kInvalidArgument, field "url") for anything else: no or another scheme, no host, a bad port, user info,
// spaces, control or non-ASCII bytes, longer than kMaxUrlChars. The error never quotes the URL (it may
// hold a secret).
Result<HttpUrl> ParseHttpUrl(std::string_view url);

enum class Method : std::uint8_t { kGet, kPost };

// One request. Host, User-Agent, Content-Length and Connection: close are added by the client.
struct ClientRequest {
  Method method = Method::kGet;
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Accept, Authorization...)
  std::string content_type;                                  // sent with a body
  std::string body;
};

// Why no HTTP reply arrived.
enum class NetError : std::uint8_t {
  kNone,
  kResolve,    // the host name did not resolve
  kConnect,    // refused, unreachable
  kTls,        // handshake failed: certificate chain, host name, protocol
  kTimeout,    // the exchange did not complete in time
  kIo,         // the connection broke mid-exchange, or the reply was not HTTP
  kCancelled,  // cancelled by the caller (shutdown)
};
inline constexpr auto kNetErrorNames = MakeEnumNames<NetError>({
    {NetError::kNone, "none"},
    {NetError::kResolve, "resolve"},
    {NetError::kConnect, "connect"},
    {NetError::kTls, "tls"},
    {NetError::kTimeout, "timeout"},
    {NetError::kIo, "io"},
    {NetError::kCancelled, "cancelled"},
});
static_assert(kNetErrorNames.Unique() && kNetErrorNames.size() == 7);
// "none", "resolve", "connect", "tls", "timeout", "io", "cancelled" (metrics labels, logs).
std::string_view ToString(NetError e);

// The outcome of one exchange: an HTTP status and body, or a NetError with its text.
struct ClientReply {
  int status = 0;  // 0 when no reply arrived
  std::string body;
  bool body_truncated = false;  // the body was longer than the caller's limit (the status stands)
  std::string retry_after;      // the Retry-After header, "" when absent
  NetError error = NetError::kNone;
  std::string error_text;  // names the host and port and the cause, never the request target
  bool ok() const { return error == NetError::kNone; }
};

}  // namespace vnt::client
