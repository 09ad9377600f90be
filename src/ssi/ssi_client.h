#pragma once
// The SSI FastConnect Data v2 streaming client: access token (refreshed before it expires), IndexComponents
// for the VN30 list, SignalR negotiate / connect / start, one comma-joined SwitchChannels, a keep-alive
// watchdog, /reconnect within the DisconnectTimeout and a fresh negotiate after it, exponential backoff
// with jitter. Beside the stream, today's reference / ceiling / floor of every subscribed symbol from REST
// DailyStockPrice, queued as tagged frames (ClientConfig::reference_data). TLS with SNI and certificate
// verification for https/wss, plain TCP for http/ws (loopback).
//
// It runs on its own thread; received frames wait in a queue for Drain(). This header keeps Asio and Beast
// out of its includers: the implementation is client_impl.h, and only signalr_stream.cpp compiles Beast.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"

namespace vnt::ssi {

struct ClientConfig {
  std::string rest_url = "https://fc-data.ssi.com.vn/";       // AccessToken, IndexComponents
  std::string stream_url = "https://fc-datahub.ssi.com.vn/";  // /v2.0/signalr/...
  std::string consumer_id;
  std::string consumer_secret;
  std::string client_protocol = "1.5";
  std::vector<std::string> stocks;           // empty = the VN30 list from IndexComponents
  std::vector<std::string> fallback_stocks;  // used (with a warning) when IndexComponents fails
  // The futures: every derivative of REST Securities (market DER) that `is_futures` accepts (VN30
  // index futures), fetched at each fresh subscription; when that fails, `futures_provider` (the
  // contract master for today), else `futures`.
  std::function<bool(const std::string&)> is_futures;
  std::function<std::vector<std::string>()> futures_provider;
  std::vector<std::string> futures;
  std::vector<std::string> indices = {"VN30", "VNINDEX"};
  // Also subscribe the X snapshot channel: the auctions' indicative price (EstMatchedPrice) during ATO/ATC
  // arrives only there (protocol.h ChannelList).
  bool snapshot_channel = true;
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_max{60000};
  std::chrono::milliseconds watchdog{
      0};  // silence that means a lost connection; 0 = negotiate's KeepAliveTimeout
  std::chrono::milliseconds io_timeout{10000};  // connect / TLS / HTTP exchange / WebSocket handshake
  std::string ca_file;                          // extra CA bundle (PEM) besides the system store
  // Where the client's log lines go (level: 0 debug, 1 info, 2 warning, 3 error). Never given secrets.
  LogSink log;
  std::size_t queue_warn = 200'000;  // frames waiting for Drain that count as an overflow (none are dropped)
  // Reference data before the first trade: each subscribed stock and future's RefPrice / CeilingPrice /
  // FloorPrice from REST DailyStockPrice (protocol.h explains the choice), queued as X-TRADE frames tagged
  // "Src":"rest:DailyStockPrice". Fetched beside the stream (never delaying it) once the symbols are known,
  // again for symbols added at a resubscription and for a new trading date (checked every
  // `reference_check`); failures are logged, counted and retried with the backoff above.
  bool reference_data = true;
  std::chrono::milliseconds reference_check{60000};
};

// Counters, readable from any thread.
struct ClientStats {
  std::atomic<std::uint64_t> frames{0};  // data frames queued
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> keep_alives{0};
  std::atomic<std::uint64_t> connects{0};    // fresh negotiate + connect that succeeded
  std::atomic<std::uint64_t> reconnects{0};  // /reconnect that resumed a connection
  std::atomic<std::uint64_t> connection_losses{0};
  std::atomic<std::uint64_t> watchdog_timeouts{0};
  std::atomic<std::uint64_t> token_fetches{0};
  std::atomic<std::uint64_t> auth_failures{0};
  std::atomic<std::uint64_t> connect_failures{0};    // unreachable host, TLS, HTTP or protocol errors
  std::atomic<std::uint64_t> hub_errors{0};          // Error calls from the hub, failed SwitchChannels
  std::atomic<std::uint64_t> malformed_frames{0};    // not JSON (passed on: the decoder reports them)
  std::atomic<std::uint64_t> queue_overflows{0};     // times the consumer fell queue_warn frames behind
  std::atomic<std::uint64_t> reference_frames{0};    // symbols whose REST reference data was queued
  std::atomic<std::uint64_t> reference_failures{0};  // REST reference fetches that gave no usable row
};

class SsiClient {
 public:
  explicit SsiClient(ClientConfig cfg);
  ~SsiClient();
  SsiClient(const SsiClient&) = delete;
  SsiClient& operator=(const SsiClient&) = delete;

  // Checks the configuration (URLs, credentials, the CA file) and starts the client thread; the error
  // (kInvalidArgument naming the setting, or kIo for the CA file) when it cannot.
  Status Start();
  // Aborts the connection (POST /abort, best effort) and joins the thread.
  void Stop();
  // Moves up to `max` received frames into *out (appending), oldest first; their receive times (epoch
  // ms) go to *recv_ms when given.
  std::size_t Drain(std::vector<std::string>* out, std::size_t max,
                    std::vector<std::int64_t>* recv_ms = nullptr);
  // "starting", "authenticating", "connecting", "streaming", "reconnecting", "auth-failed", "unreachable",
  // "stopped".
  std::string State() const;
  // Milliseconds since anything (data or keep-alive) last arrived; 0 before the first connection.
  double SilenceMs() const;
  const ClientStats& stats() const;
  // The channel list subscribed to (empty before the first subscription).
  std::string Channels() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace vnt::ssi
