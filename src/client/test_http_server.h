#pragma once
// Tests only: a real HTTP/1.1 server on loopback for the outgoing client and the alert delivery. Raw POSIX
// sockets, one thread per connection, a handler choosing each reply (status, headers, body, a delay, no
// reply at all, or a close without reply). Every request is recorded.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace vnt::client::testing {

struct ReceivedRequest {
  std::string method, target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::chrono::steady_clock::time_point at;  // when the request was complete
};

struct CannedReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // before answering
  bool never = false;                  // hold the connection open without answering until the server stops
  bool close = false;                  // close the connection without answering
};

// A reply with a status, a body and headers.
inline CannedReply Canned(int status, std::string body = {},
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
  CannedReply c;
  c.status = status;
  c.body = std::move(body);
  c.headers = std::move(headers);
  return c;
}

// A port where nothing listens (bound once, then closed).
inline std::uint16_t ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
  ::close(fd);
  return bound ? ntohs(a.sin_port) : std::uint16_t{0};
}

class TestHttpServer {
 public:
  // The handler gets each request and its 0-based index among all requests received.
  using Handler = std::function<CannedReply(const ReceivedRequest&, std::size_t index)>;

  explicit TestHttpServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 128) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      std::abort();  // a test machine without loopback cannot run these tests
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestHttpServer() {
    stop_ = true;
    acceptor_.join();
    ::close(listener_);
    std::vector<std::thread> conns;
    {
      std::lock_guard lock(mu_);
      conns.swap(conns_);
    }
    for (auto& t : conns) t.join();
  }
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::size_t count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  // True once at least n requests have arrived, false after `timeout`.
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

 private:
  static constexpr std::size_t kMaxHead = 64 * 1024;
  static constexpr std::size_t kMaxBody = 1024 * 1024;

  // Waits up to 20 ms for fd to be readable; false when the server is stopping.
  bool Readable(int fd, bool* ready) const {
    pollfd p{fd, POLLIN, 0};
    *ready = ::poll(&p, 1, 20) > 0;
    return !stop_;
  }

  void AcceptLoop() {
    bool ready = false;
    while (Readable(listener_, &ready)) {
      if (!ready) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      conns_.emplace_back([this, fd] {
        Serve(fd);
        ::close(fd);
      });
    }
  }

  // Reads one request (head up to kMaxHead, Content-Length body up to kMaxBody); false on EOF or stop.
  bool ReadRequest(int fd, ReceivedRequest* req) {
    std::string in;
    std::size_t head_end = std::string::npos;
    std::size_t need = 0;
    char buf[4096];
    for (;;) {
      if (head_end == std::string::npos) {
        head_end = in.find("\r\n\r\n");
        if (head_end == std::string::npos && in.size() > kMaxHead) return false;
        if (head_end != std::string::npos) {
          ParseHead(in.substr(0, head_end), req);
          const auto it = req->headers.find("content-length");
          need = it == req->headers.end() ? 0 : std::stoul(it->second);
          if (need > kMaxBody) return false;
        }
      }
      if (head_end != std::string::npos && in.size() >= head_end + 4 + need) {
        req->body = in.substr(head_end + 4, need);
        req->at = std::chrono::steady_clock::now();
        return true;
      }
      bool ready = false;
      if (!Readable(fd, &ready)) return false;
      if (!ready) continue;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
    }
  }

  static void ParseHead(const std::string& head, ReceivedRequest* req) {
    std::size_t pos = head.find("\r\n");
    const std::string line = head.substr(0, pos);
    const std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
    req->method = line.substr(0, sp1);
    req->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (pos != std::string::npos && pos < head.size()) {
      const std::size_t next = head.find("\r\n", pos + 2);
      const std::string h =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      if (const std::size_t colon = h.find(':'); colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(value.begin());
        req->headers[name] = value;
      }
      pos = next;
    }
  }

  void Serve(int fd) {
    ReceivedRequest req;
    if (!ReadRequest(fd, &req)) return;
    std::size_t index = 0;
    {
      std::lock_guard lock(mu_);
      index = requests_.size();
      requests_.push_back(req);
    }
    cv_.notify_all();
    const CannedReply reply = handler_(req, index);
    const auto until = std::chrono::steady_clock::now() + reply.delay;
    while (!stop_ && (reply.never || std::chrono::steady_clock::now() < until))
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (stop_ || reply.close) return;
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                      " X\r\nContent-Length: " + std::to_string(reply.body.size()) +
                      "\r\nConnection: close\r\n";
    for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
    out += "\r\n" + reply.body;
    std::size_t sent = 0;
    while (sent < out.size()) {
      const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  Handler handler_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedRequest> requests_;
  std::vector<std::thread> conns_;
};

}  // namespace vnt::client::testing
