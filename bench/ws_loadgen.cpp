// Native WebSocket load generator for the fan-out benchmark: N clients on loopback read /ws/market (or
// another channel) for D seconds and report messages, bytes and publish -> client latency (receive time -
// the message's "sent_ms", same host clock). Bounded in clients and time; loopback addresses only.
// Usage: ws_loadgen PORT CLIENTS SECONDS [PATH=/ws/market] [deflate]
// With `deflate` every client offers permessage-deflate as Chromium does; compressed messages are inflated
// only as far as their "sent_ms" (their start), and the bytes reported are the bytes on the wire.
//
// Plain non-blocking sockets and one epoll loop (no Beast): the generator shares the 2 cores with the
// server it measures, so it must spend far less per message than the server does, or the figure is the
// generator's backlog. A message costs one recv of what the socket holds and a frame-header parse; only
// the first bytes of a message are searched for "sent_ms". Server pings are answered with masked pongs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Conn {
  int fd = -1;
  bool upgraded = false;
  std::string buf;  // bytes received and not yet consumed
};

struct Totals {
  std::uint64_t messages = 0, bytes = 0, failed = 0, closed = 0, compressed = 0;
  std::vector<double> latency_ms;
  bool measuring = false;
};

// The first bytes of a permessage-deflate message (the server compresses without context takeover, so
// one inflater reset per message serves every connection).
class HeadInflater {
 public:
  HeadInflater() { ok_ = inflateInit2(&z_, -15) == Z_OK; }
  ~HeadInflater() {
    if (ok_) inflateEnd(&z_);
  }
  std::string_view Head(std::string_view compressed) {
    if (!ok_) return {};
    inflateReset(&z_);
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    z_.avail_in = static_cast<uInt>(compressed.size());
    z_.next_out = reinterpret_cast<Bytef*>(out_);
    z_.avail_out = sizeof out_;
    inflate(&z_, Z_SYNC_FLUSH);
    return std::string_view(out_, sizeof out_ - z_.avail_out);
  }

 private:
  z_stream z_{};
  bool ok_ = false;
  char out_[512];
};
HeadInflater g_inflater;

bool SendAll(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {  // tiny control frames only: wait for room
        usleep(100);
        continue;
      }
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// A masked client frame (RFC 6455 requires clients to mask), for pongs.
void SendFrame(int fd, std::uint8_t opcode, std::string_view payload) {
  std::string f;
  f.push_back(static_cast<char>(0x80 | opcode));
  f.push_back(static_cast<char>(0x80 | payload.size()));  // control frames are < 126 bytes
  const std::uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
  f.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  SendAll(fd, f.data(), f.size());
}

// Consumes every complete frame of `data`; returns the bytes consumed, or -1 when the connection should
// close. Parses in place, so a message that arrived whole is not copied again (the floor's reader copies
// nothing either).
long ParseFrames(Conn& c, std::string_view data, Totals& t, double now) {
  std::size_t pos = 0;
  const auto* d = reinterpret_cast<const std::uint8_t*>(data.data());
  for (;;) {
    const std::size_t avail = data.size() - pos;
    if (avail < 2) break;
    const std::uint8_t b0 = d[pos], b1 = d[pos + 1];
    std::size_t head = 2;
    std::uint64_t len = b1 & 0x7F;
    if (len == 126) {
      if (avail < 4) break;
      len = (std::uint64_t{d[pos + 2]} << 8) | d[pos + 3];
      head = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int k = 0; k < 8; ++k) len = (len << 8) | d[pos + 2 + k];
      head = 10;
    }
    if (b1 & 0x80) return -1;  // servers never mask
    if (avail < head + len) break;
    const std::string_view payload(data.data() + pos + head, len);
    const std::uint8_t op = b0 & 0x0F;
    if (op == 0x9) {
      SendFrame(c.fd, 0xA, payload);
    } else if (op == 0x8) {
      return -1;
    } else if (op == 0x1 && t.measuring) {
      ++t.messages;
      t.bytes += len;
      const bool compressed = (b0 & 0x40) != 0;
      t.compressed += compressed;
      const std::string_view h = compressed ? g_inflater.Head(payload) : payload.substr(0, 400);
      const std::size_t p = h.find("\"sent_ms\":");
      if (p != std::string_view::npos)
        t.latency_ms.push_back(now - std::atof(std::string(h.substr(p + 10, 20)).c_str()));
    }
    pos += head + len;
  }
  return static_cast<long>(pos);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: ws_loadgen PORT CLIENTS SECONDS [PATH] [deflate]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int clients = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  const std::string path = argc > 4 ? argv[4] : "/ws/market";
  const bool deflate = argc > 5 && std::string_view(argv[5]) == "deflate";
  if (port <= 0 || port > 65535 || clients < 1 || clients > 20000 || seconds <= 0 || seconds > 600) return 2;

  const int ep = epoll_create1(0);
  std::vector<Conn> conns(static_cast<std::size_t>(clients));
  Totals t;
  t.latency_ms.reserve(1 << 22);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string upgrade =
      "GET " + path +
      " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
      std::string(deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "") +
      "\r\n";
  for (int i = 0; i < clients; ++i) {
    Conn& c = conns[static_cast<std::size_t>(i)];
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) {
      ++t.failed;
      ::close(c.fd);
      c.fd = -1;
      continue;
    }
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
  }
  std::vector<char> rbuf(1 << 20);
  std::vector<epoll_event> events(1024);
  const double start = NowMs(), warm_end = start + 3000, end = warm_end + seconds * 1000;
  std::vector<bool> sent_upgrade(conns.size(), false);
  for (;;) {
    const double now0 = NowMs();
    if (now0 >= end) break;
    t.measuring = now0 >= warm_end;
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 50);
    const double now = NowMs();  // one clock read per wake-up: every message of this batch arrived by now
    for (int k = 0; k < n; ++k) {
      const std::uint32_t i = events[static_cast<std::size_t>(k)].data.u32;
      Conn& c = conns[i];
      if (c.fd < 0) continue;
      if (!sent_upgrade[i] && (events[static_cast<std::size_t>(k)].events & EPOLLOUT)) {
        sent_upgrade[i] = true;
        if (!SendAll(c.fd, upgrade.data(), upgrade.size())) {
          ++t.failed;
          ::close(c.fd);
          c.fd = -1;
          continue;
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = i;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
      }
      if (!(events[static_cast<std::size_t>(k)].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      bool alive = true;
      for (;;) {
        const ssize_t r = ::recv(c.fd, rbuf.data(), rbuf.size(), 0);
        if (r > 0) {
          const std::string_view got(rbuf.data(), static_cast<std::size_t>(r));
          if (c.upgraded && c.buf.empty()) {  // the usual case: parse where it landed, keep only a tail
            const long used = ParseFrames(c, got, t, now);
            if (used < 0) {
              alive = false;
              break;
            }
            c.buf.assign(got.substr(static_cast<std::size_t>(used)));
          } else {
            c.buf.append(got);
          }
          if (static_cast<std::size_t>(r) < rbuf.size()) break;
          continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
        alive = false;  // closed or failed
        break;
      }
      if (alive && !c.upgraded) {
        const std::size_t e = c.buf.find("\r\n\r\n");
        if (e != std::string::npos) {
          if (c.buf.compare(0, 12, "HTTP/1.1 101") != 0) alive = false;
          c.upgraded = true;
          c.buf.erase(0, e + 4);
        }
      }
      if (alive && c.upgraded && !c.buf.empty()) {
        const long used = ParseFrames(c, c.buf, t, now);
        if (used < 0)
          alive = false;
        else
          c.buf.erase(0, static_cast<std::size_t>(used));
      }
      if (!alive) {
        ++t.closed;
        if (!c.upgraded) ++t.failed;
        ::close(c.fd);
        c.fd = -1;
      }
    }
  }
  for (Conn& c : conns)
    if (c.fd >= 0) ::close(c.fd);
  std::sort(t.latency_ms.begin(), t.latency_ms.end());
  auto pct = [&](double q) {
    return t.latency_ms.empty()
               ? -1.0
               : t.latency_ms[static_cast<std::size_t>(q * static_cast<double>(t.latency_ms.size() - 1))];
  };
  std::printf(
      "{\"clients\":%d,\"failed\":%llu,\"closed\":%llu,\"messages\":%llu,\"compressed\":%llu,"
      "\"messages_per_s\":%.0f,"
      "\"mb_per_s\":%.1f,\"latency_ms_p50\":%.2f,\"latency_ms_p99\":%.2f,\"latency_ms_max\":%.2f}\n",
      clients, static_cast<unsigned long long>(t.failed), static_cast<unsigned long long>(t.closed),
      static_cast<unsigned long long>(t.messages), static_cast<unsigned long long>(t.compressed),
      static_cast<double>(t.messages) / seconds, static_cast<double>(t.bytes) / seconds / 1e6, pct(0.5),
      pct(0.99), pct(1.0));
  return 0;
}
