// The bus with a real redis-server on loopback (Debian's redis-server 7): the engine side's thread and the
// edge side's thread, run under TSan by the tsan preset. What the publisher writes, the follower delivers
// in order; Redis killed: the publisher drops and counts instead of blocking, asks for snapshots on
// reconnect, and the follower comes back by itself.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bus/edge_source.h"
#include "bus/redis_follower.h"
#include "bus/redis_publisher.h"

namespace vnt::bus {
namespace {

using server::SharedMessage;
using server::WsChannel;
using namespace std::chrono_literals;

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
  ::close(fd);
  return bound ? ntohs(a.sin_port) : 0;
}

bool Listening(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// redis-server in the foreground, without persistence; killed by Stop() or the destructor.
class RedisServer {
 public:
  explicit RedisServer(int port) : port_(port) { Start(); }
  ~RedisServer() { Stop(); }
  void Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null_fd = ::open("/dev/null", O_WRONLY);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
      const std::string p = std::to_string(port_);
      ::execlp("redis-server", "redis-server", "--port", p.c_str(), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--loglevel", "warning", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 100 && !Listening(port_); ++i) std::this_thread::sleep_for(50ms);
  }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  bool up() const { return Listening(port_); }

 private:
  int port_;
  pid_t pid_ = -1;
};

SharedMessage Msg(const char* type, std::uint64_t epoch, std::uint64_t seq) {
  return std::make_shared<const std::string>(
      "{\"type\":\"" + std::string(type) + "\",\"channel\":\"market\",\"seq\":" + std::to_string(seq) +
      ",\"epoch\":" + std::to_string(epoch) + ",\"data\":{\"n\":" + std::to_string(seq) + "}}");
}

// What the follower delivered, guarded (it calls from its own thread).
struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<bool, std::string>> got;  // (snapshot, message)
  void Add(bool snapshot, const SharedMessage& m) {
    std::lock_guard<std::mutex> lock(mu);
    got.emplace_back(snapshot, *m);
    cv.notify_all();
  }
  bool WaitFor(std::size_t n, std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, d, [&] { return got.size() >= n; });
  }
};

template <typename F>
bool Eventually(F f, std::chrono::milliseconds d = 5s) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return f();
}

TEST(RedisBus, WhatThePublisherWritesTheFollowerDeliversInOrder) {
  const int port = FreePort();
  RedisServer redis(port);
  ASSERT_TRUE(redis.up()) << "redis-server did not start (is it installed?)";
  RedisUrl url{"127.0.0.1", port, 0, ""};
  RedisPublisher pub(PublisherOptions{url, 10'000, 2'000, 1000ms, nullptr});
  pub.Start();
  ASSERT_TRUE(Eventually([&] { return pub.connected(); }));
  EXPECT_TRUE(pub.TakeSnapshotRequest()) << "a fresh connection asks for snapshots";
  pub.PublishSnapshot(WsChannel::kMarket, 5, 0, Msg("snapshot", 5, 0));
  ASSERT_TRUE(Eventually([&] { return pub.published() == 1; }));

  Inbox inbox;
  RedisFollower follower(FollowerOptions{url, 50ms, 5000ms, 1000ms, nullptr},
                         [&](WsChannel c, SharedMessage m, Arrival how) {
                           if (c == WsChannel::kMarket) inbox.Add(how != Arrival::kDelta, m);
                         });
  follower.Start();
  ASSERT_TRUE(inbox.WaitFor(1, 5s));
  constexpr int kDeltas = 2000;
  for (int s = 1; s <= kDeltas; ++s) pub.PublishDelta(WsChannel::kMarket, 5, s, Msg("delta", 5, s));
  ASSERT_TRUE(inbox.WaitFor(1 + kDeltas, 20s)) << inbox.got.size();
  std::lock_guard<std::mutex> lock(inbox.mu);
  EXPECT_TRUE(inbox.got[0].first);
  for (int s = 1; s <= kDeltas; ++s) {
    ASSERT_FALSE(inbox.got[s].first);
    ASSERT_EQ(inbox.got[s].second, *Msg("delta", 5, s)) << s;
  }
  EXPECT_EQ(pub.dropped(), 0u);
  EXPECT_EQ(pub.errors(), 0u);
  follower.Stop();
  pub.Stop();
}

TEST(RedisBus, RedisDownNeverBlocksThePublisherAndBothSidesComeBack) {
  const int port = FreePort();
  RedisServer redis(port);
  ASSERT_TRUE(redis.up());
  RedisUrl url{"127.0.0.1", port, 0, ""};
  RedisPublisher pub(PublisherOptions{url, 100, 2'000, 300ms, nullptr});
  pub.Start();
  ASSERT_TRUE(Eventually([&] { return pub.connected(); }));
  pub.TakeSnapshotRequest();
  EdgeSource edge;  // only touched from the follower's thread here
  std::mutex edge_mu;
  RedisFollower follower(FollowerOptions{url, 50ms, 500ms, 300ms, nullptr},
                         [&](WsChannel c, SharedMessage m, Arrival how) {
                           std::lock_guard<std::mutex> lock(edge_mu);
                           if (how == Arrival::kDelta)
                             edge.OnDelta(c, std::move(m));
                           else
                             edge.OnSnapshot(c, std::move(m), how);
                         });
  edge.SetSnapshotRequest([&](WsChannel c) { follower.RequestSnapshot(c); });
  pub.PublishSnapshot(WsChannel::kMarket, 9, 0, Msg("snapshot", 9, 0));
  follower.Start();
  auto edge_seq = [&] {
    std::lock_guard<std::mutex> lock(edge_mu);
    return edge.status(WsChannel::kMarket).synced ? edge.status(WsChannel::kMarket).seq : ~0ull;
  };
  ASSERT_TRUE(Eventually([&] { return edge_seq() == 0; }));

  redis.Stop();
  // With Redis gone, 1,000 publishes return at once: the queue holds 100, the rest are counted.
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t seq = 0;
  for (int i = 0; i < 1000; ++i) {
    ++seq;
    pub.PublishDelta(WsChannel::kMarket, 9, seq, Msg("delta", 9, seq));
  }
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 200ms) << "publishing must only queue";
  EXPECT_TRUE(Eventually([&] { return !pub.connected(); }));
  EXPECT_GE(pub.dropped(), 900u);

  redis.Start();
  ASSERT_TRUE(redis.up());
  ASSERT_TRUE(Eventually([&] { return pub.connected(); }, 10s));
  EXPECT_TRUE(pub.TakeSnapshotRequest()) << "after a reconnect (and drops) the engine must publish snapshots";
  // The engine answers with a fresh snapshot and carries on; the edge resynchronises from it.
  pub.PublishSnapshot(WsChannel::kMarket, 9, seq, Msg("snapshot", 9, seq));
  for (int i = 0; i < 5; ++i) {
    ++seq;
    pub.PublishDelta(WsChannel::kMarket, 9, seq, Msg("delta", 9, seq));
  }
  EXPECT_TRUE(Eventually([&] { return edge_seq() == seq; }, 10s)) << edge_seq() << " want " << seq;
  EXPECT_GE(follower.reconnects(), 1u);
  follower.Stop();
  pub.Stop();
}

}  // namespace
}  // namespace vnt::bus
