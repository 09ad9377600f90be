#pragma once
// The connection steps of the client on Beast streams, for code that keeps the stream after the handshake
// (the SSI WebSocket). Includes Beast: only for translation units that compile Beast anyway.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <string>

#include "client/http_client.h"

namespace vnt::client {

// A failure of a step: kind and text ("cannot connect to host:port: Connection refused"); ok when kind is
// kNone.
struct StepResult {
  NetError kind = NetError::kNone;
  std::string text;
  bool ok() const { return kind == NetError::kNone; }
};

// Resolves `to.host` and connects `s` within `timeout` (the stream's expiry is left set to it).
boost::asio::awaitable<StepResult> ConnectTcp(boost::beast::tcp_stream& s, const Endpoint& to,
                                              std::chrono::milliseconds timeout,
                                              CancelHook* cancel = nullptr);

// Client TLS handshake on a connected stream: SNI (host names only: an address is not a valid SNI name) and
// host-name verification of the certificate against `host`, within `timeout`.
boost::asio::awaitable<StepResult> TlsHandshake(boost::beast::ssl_stream<boost::beast::tcp_stream>& s,
                                                const std::string& host, std::chrono::milliseconds timeout,
                                                CancelHook* cancel = nullptr);

}  // namespace vnt::client
