#include "client/http_message.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vnt::client {

namespace {

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string Endpoint::HostHeader() const {
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port == (tls ? 443 : 80) ? h : h + ":" + std::to_string(port);
}

std::string Endpoint::Origin() const {
  return (tls ? "https://" : "http://") + HostHeader();
}

std::string HttpUrl::Redacted() const {
  return endpoint.Origin() + (target == "/" ? "" : "/…");
}

namespace {
// Every URL error names the input, never its text (it may hold a secret).
Error BadUrl(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), "url"};
}
}  // namespace

std::string_view ToString(NetError e) {
  return kNetErrorNames.Name(e, "unknown");
}

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  if (url.size() > kMaxUrlChars) {
    return BadUrl("URL longer than " + std::to_string(kMaxUrlChars) + " characters");
  }
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return BadUrl("URL has a space, a control or a non-ASCII character (percent-encode it)");
    }
  }
  HttpUrl out;
  std::string_view rest;
  if (IStartsWith(url, "https://")) {
    out.endpoint.tls = true;
    rest = url.substr(8);
  } else if (IStartsWith(url, "http://")) {
    rest = url.substr(7);
  } else {
    return BadUrl(url.find("://") == std::string_view::npos
                      ? "URL has no scheme (expected http:// or https://)"
                      : "URL scheme is not http:// or https://");
  }
  rest = rest.substr(0, rest.find('#'));
  const std::size_t path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  if (path_at != std::string_view::npos) {
    out.target = std::string(rest.substr(path_at));
    if (out.target.front() == '?') out.target.insert(out.target.begin(), '/');
  }
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl("URL has user info (user:password@): not supported");
  }
  out.endpoint.port = out.endpoint.tls ? 443 : 80;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) {
      return BadUrl("URL has a bad IPv6 address");
    }
    out.endpoint.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return BadUrl("URL has a bad IPv6 address");
      }
      port = after.substr(1);
      if (port.empty()) port = "x";  // "[::1]:" has an empty port: refused below
    }
  } else {
    const std::size_t colon = authority.find(':');
    out.endpoint.host = Lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) port = "x";
    }
  }
  if (out.endpoint.host.empty()) {
    return BadUrl("URL has no host");
  }
  if (!port.empty()) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || end != port.data() + port.size() || v == 0 || v > 65535) {
      return BadUrl("URL has a bad port (1-65535)");
    }
    out.endpoint.port = static_cast<std::uint16_t>(v);
  }
  return out;
}

}  // namespace vnt::client
