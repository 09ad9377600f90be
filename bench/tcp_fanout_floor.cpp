// The floor under the WebSocket fan-out latency on this machine: one thread send()s the same B-byte
// buffer to N loopback TCP connections in a loop (no WebSocket, no asio, nothing else), and another
// process reads them with one epoll loop, as ws_loadgen does; every R ms, for D seconds. Prints the
// burst start -> receive latency percentiles, to set beside the server's figure measured in the same run.
// Usage: tcp_fanout_floor CLIENTS BYTES [SECONDS=10] [INTERVAL_MS=500] [READERS=1] [SENDERS=1]
// With READERS > 1 the connections are split over that many reader processes (each prints its own line);
// with SENDERS > 1 each burst is sent by that many threads, each over its share of the connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

std::int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Reader: accepts nothing itself; reads `clients` connected sockets, each message = 8-byte send-start stamp
// followed by padding up to `bytes`.
int Reader(const std::vector<int>& fds, std::size_t bytes, double seconds) {
  const int ep = epoll_create1(0);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
  }
  std::vector<std::size_t> got(fds.size(), 0);
  std::vector<std::int64_t> stamp(fds.size(), 0);
  std::vector<double> lat;
  std::vector<char> buf(1 << 20);
  std::vector<epoll_event> events(1024);
  const std::int64_t end = NowUs() + static_cast<std::int64_t>((seconds + 2) * 1e6);
  while (NowUs() < end) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    const std::int64_t now = NowUs();
    for (int k = 0; k < n; ++k) {
      const std::uint32_t i = events[static_cast<std::size_t>(k)].data.u32;
      for (;;) {
        const ssize_t r = ::recv(fds[i], buf.data(), buf.size(), MSG_DONTWAIT);
        if (r <= 0) break;
        std::size_t off = 0;
        while (off < static_cast<std::size_t>(r)) {
          const std::size_t pos = got[i] % bytes;
          if (pos == 0 && static_cast<std::size_t>(r) - off >= 8) std::memcpy(&stamp[i], buf.data() + off, 8);
          const std::size_t take = std::min(bytes - pos, static_cast<std::size_t>(r) - off);
          got[i] += take;
          off += take;
          if (got[i] % bytes == 0) lat.push_back(static_cast<double>(now - stamp[i]) / 1000.0);
        }
      }
    }
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double q) {
    return lat.empty() ? -1.0 : lat[static_cast<std::size_t>(q * static_cast<double>(lat.size() - 1))];
  };
  std::printf(
      "{\"clients\":%zu,\"bytes\":%zu,\"messages\":%zu,\"latency_ms_p50\":%.2f,\"latency_ms_p99\":%.2f,"
      "\"latency_ms_max\":%.2f}\n",
      fds.size(), bytes, lat.size(), pct(0.5), pct(0.99), pct(1.0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tcp_fanout_floor CLIENTS BYTES [SECONDS] [INTERVAL_MS]\n");
    return 2;
  }
  const int clients = std::atoi(argv[1]);
  const std::size_t bytes = static_cast<std::size_t>(std::atol(argv[2]));
  const double seconds = argc > 3 ? std::atof(argv[3]) : 10;
  const int interval_ms = argc > 4 ? std::atoi(argv[4]) : 500;
  const int readers = argc > 5 ? std::atoi(argv[5]) : 1;
  const int senders = argc > 6 ? std::atoi(argv[6]) : 1;
  if (clients < 1 || clients > 20000 || bytes < 8 || bytes > (1 << 20) || seconds <= 0 || seconds > 600 ||
      readers < 1 || readers > 16 || senders < 1 || senders > 16)
    return 2;

  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(lfd, 4096);
  socklen_t len = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> client_fds, server_fds;
  const int one = 1;
  for (int i = 0; i < clients; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 1;
    const int s = ::accept(lfd, nullptr, nullptr);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    client_fds.push_back(c);
    server_fds.push_back(s);
  }
  std::vector<pid_t> pids;
  for (int r = 0; r < readers; ++r) {
    const pid_t pid = fork();
    if (pid == 0) {
      for (int s : server_fds) ::close(s);
      std::vector<int> mine;
      for (std::size_t i = static_cast<std::size_t>(r); i < client_fds.size();
           i += static_cast<std::size_t>(readers))
        mine.push_back(client_fds[i]);
      return Reader(mine, bytes, seconds);
    }
    pids.push_back(pid);
  }
  for (int c : client_fds) ::close(c);
  std::string msg(bytes, 'x');
  const std::int64_t end = NowUs() + static_cast<std::int64_t>(seconds * 1e6);
  usleep(200'000);
  while (NowUs() < end) {
    const std::int64_t t0 = NowUs();
    std::memcpy(msg.data(), &t0, 8);
    auto send_share = [&](int k) {
      for (std::size_t i = static_cast<std::size_t>(k); i < server_fds.size();
           i += static_cast<std::size_t>(senders)) {
        std::size_t off = 0;
        while (off < msg.size()) {
          const ssize_t w = ::send(server_fds[i], msg.data() + off, msg.size() - off, MSG_NOSIGNAL);
          if (w <= 0) break;
          off += static_cast<std::size_t>(w);
        }
      }
    };
    std::vector<std::thread> pool;
    for (int k = 1; k < senders; ++k) pool.emplace_back(send_share, k);
    send_share(0);
    for (std::thread& th : pool) th.join();
    usleep(static_cast<useconds_t>(interval_ms) * 1000);
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  return 0;
}
