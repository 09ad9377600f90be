// Native WebSocket load generator for the fan-out benchmark: N clients on loopback read /ws/market (or
// another channel) for D seconds and report messages, bytes and publish -> client latency (receive time -
// the message's "sent_ms", same host clock). Bounded in clients and time; loopback addresses only.
// Usage: ws_loadgen PORT CLIENTS SECONDS [PATH=/ws/market]
#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

struct Totals {
  std::uint64_t messages = 0, bytes = 0, failed = 0;
  std::vector<double> latency_ms;
  bool measuring = false;
};

static double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

static net::awaitable<void> Client(unsigned short port, std::string path, Totals& t) {
  auto ex = co_await net::this_coro::executor;
  websocket::stream<beast::tcp_stream> ws(ex);
  auto [ec] = co_await beast::get_lowest_layer(ws).async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                                                                 net::as_tuple(net::use_awaitable));
  if (ec) {
    ++t.failed;
    co_return;
  }
  auto [ec2] = co_await ws.async_handshake("127.0.0.1", path, net::as_tuple(net::use_awaitable));
  if (ec2) {
    ++t.failed;
    co_return;
  }
  beast::flat_buffer buf;
  for (;;) {
    auto [ec3, n] = co_await ws.async_read(buf, net::as_tuple(net::use_awaitable));
    if (ec3) co_return;
    const double now = NowMs();
    if (t.measuring) {
      ++t.messages;
      t.bytes += n;
      const char* data = static_cast<const char*>(buf.data().data());
      const std::size_t len = std::min<std::size_t>(buf.size(), 400);
      const std::string head(data, len);
      const auto p = head.find("\"sent_ms\":");
      if (p != std::string::npos) t.latency_ms.push_back(now - std::atof(head.c_str() + p + 10));
    }
    buf.consume(buf.size());
  }
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: ws_loadgen PORT CLIENTS SECONDS [PATH]\n");
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  const int clients = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  const std::string path = argc > 4 ? argv[4] : "/ws/market";
  if (clients < 1 || clients > 20000 || seconds <= 0 || seconds > 600) return 2;
  net::io_context ioc(1);
  Totals t;
  t.latency_ms.reserve(1 << 22);
  for (int i = 0; i < clients; ++i) net::co_spawn(ioc, Client(port, path, t), net::detached);
  net::steady_timer warm(ioc), done(ioc);
  warm.expires_after(std::chrono::seconds(3));
  warm.async_wait([&](auto) {
    t.measuring = true;
    done.expires_after(std::chrono::milliseconds(static_cast<long>(seconds * 1000)));
    done.async_wait([&](auto) {
      t.measuring = false;
      ioc.stop();
    });
  });
  ioc.run();
  std::sort(t.latency_ms.begin(), t.latency_ms.end());
  auto pct = [&](double q) { return t.latency_ms.empty() ? -1.0 : t.latency_ms[static_cast<std::size_t>(q * (t.latency_ms.size() - 1))]; };
  std::printf("{\"clients\":%d,\"failed\":%llu,\"messages\":%llu,\"messages_per_s\":%.0f,\"mb_per_s\":%.1f,"
              "\"latency_ms_p50\":%.2f,\"latency_ms_p99\":%.2f,\"latency_ms_max\":%.2f}\n",
              clients, static_cast<unsigned long long>(t.failed), static_cast<unsigned long long>(t.messages),
              t.messages / seconds, t.bytes / seconds / 1e6, pct(0.5), pct(0.99), pct(1.0));
  return 0;
}
