#pragma once
// The one-shot HTTP(S) client shared by the SSI client (REST calls) and the alert delivery (webhooks,
// Telegram): one request on a fresh connection, as a coroutine on the caller's io_context. https uses TLS
// with SNI, certificate-chain verification against the system store (plus an optional CA file) and
// host-name verification. Only Asio's awaitable appears here; Beast and OpenSSL stay in http_client.cpp
// (and in beast_client.h for the SSI WebSocket, which needs the streams themselves).

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "client/http_message.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace vnt::client {

// The client side of TLS: verify_peer, the system's default verify paths, optional extra CAs. Used by one
// thread at a time (the io_context's).
class TlsContext {
 public:
  TlsContext();
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Also trusts the CA certificates of a PEM file; an error (kIo, "cannot load CA file 'F': why") if not.
  Status LoadCaFile(const std::string& path);
  boost::asio::ssl::context& native() { return *ctx_; }

 private:
  std::unique_ptr<boost::asio::ssl::context> ctx_;
};

struct FetchOptions {
  std::chrono::milliseconds timeout{10'000};  // the whole exchange: connect, TLS handshake, request, reply
  std::size_t max_body = 1 << 20;             // reply body bytes kept (the rest is cut, see body_truncated)
  std::string user_agent = "vntracker/0.1";
};

// Cancels the operation in flight: set by Fetch while it waits on the network, cleared when it returns.
// Call it on the io_context's thread only.
using CancelHook = std::function<void()>;

// Sends `req` to `to` on a new connection and reads the reply. Never throws: a failure is a ClientReply
// with a NetError. Name resolution runs on Asio's resolver thread and is bounded by the system resolver,
// not by `timeout` (addresses and loopback resolve at once).
boost::asio::awaitable<ClientReply> Fetch(TlsContext& tls, const Endpoint& to, const ClientRequest& req,
                                          const FetchOptions& opts, CancelHook* cancel = nullptr);

}  // namespace vnt::client
