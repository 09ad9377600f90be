#include "bus/redis_publisher.h"

#include "bus/redis_conn.h"

namespace vnt::bus {

RedisPublisher::RedisPublisher(PublisherOptions opts) : opts_(std::move(opts)) {}

RedisPublisher::~RedisPublisher() {
  Stop();
}

void RedisPublisher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RedisPublisher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t RedisPublisher::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void RedisPublisher::PublishDelta(server::WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                                  server::SharedMessage msg) {
  Enqueue(Item{c, false, epoch, seq, std::move(msg)});
}

void RedisPublisher::PublishSnapshot(server::WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                                     server::SharedMessage msg) {
  Enqueue(Item{c, true, epoch, seq, std::move(msg)});
}

void RedisPublisher::Enqueue(Item item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= opts_.queue_limit) {
      ++dropped_;
      snapshot_request_ = true;  // edges will see a gap: give them a snapshot once Redis takes writes again
      return;
    }
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
}

void RedisPublisher::Run() {
  Context ctx;
  bool first_connection = true, failing = false;
  auto backoff = std::chrono::milliseconds(100);
  const std::string maxlen = std::to_string(opts_.stream_maxlen);
  std::vector<Item> batch;
  for (;;) {
    if (!ctx) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (stop_) return;
      }
      auto connected = Connect(opts_.url, opts_.timeout);
      if (!connected) {
        if (!failing) {
          Log(LogLevel::kWarning,
              "bus: " + connected.error().message + "; retrying (messages queue, then drop)");
        }
        failing = true;
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_for(lock, backoff, [this] { return stop_; });
        backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
        continue;
      }
      ctx = std::move(connected).value();
      backoff = std::chrono::milliseconds(100);
      if (first_connection) {
        // A new epoch: the previous engine's deltas cannot be joined to ours.
        for (std::size_t i = 0; i < static_cast<std::size_t>(server::WsChannel::kCount); ++i)
          Command(ctx.get(), {"DEL", StreamKey(static_cast<server::WsChannel>(i))});
        first_connection = false;
      }
      Log(LogLevel::kInfo, "bus: connected to " + opts_.url.Redacted());
      failing = false;
      connected_ = true;
      snapshot_request_ = true;  // whatever Redis held may be gone (a restarted Redis keeps nothing)
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, everything sent
      while (!queue_.empty() && batch.size() < 256) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // Pipelined: one round trip per batch.
    for (const Item& it : batch) {
      if (it.snapshot) {
        const std::string key = SnapshotKey(it.channel);
        const char* argv[] = {"SET", key.c_str(), it.msg->data()};
        const std::size_t lens[] = {3, key.size(), it.msg->size()};
        redisAppendCommandArgv(ctx.get(), 3, argv, lens);
      } else {
        const std::string key = StreamKey(it.channel), id = EntryId(it.epoch, it.seq);
        const char* argv[] = {"XADD",         key.c_str(), "MAXLEN", "~",
                              maxlen.c_str(), id.c_str(),  "m",      it.msg->data()};
        const std::size_t lens[] = {4, key.size(), 6, 1, maxlen.size(), id.size(), 1, it.msg->size()};
        redisAppendCommandArgv(ctx.get(), 8, argv, lens);
      }
    }
    std::size_t answered = 0;
    for (; answered < batch.size(); ++answered) {
      void* raw = nullptr;
      if (redisGetReply(ctx.get(), &raw) != REDIS_OK) break;
      Reply r(static_cast<redisReply*>(raw));
      if (r && r->type == REDIS_REPLY_ERROR) {
        if (errors_++ == 0)
          Log(LogLevel::kWarning, "bus: Redis refused a write: " + std::string(r->str, r->len));
      } else {
        ++published_;
      }
    }
    if (answered < batch.size()) {
      Log(LogLevel::kWarning, std::string("bus: connection lost: ") + ctx->errstr + "; reconnecting");
      dropped_ += batch.size() - answered;
      connected_ = false;
      ctx.reset();
      snapshot_request_ = true;
    }
    batch.clear();
  }
}

}  // namespace vnt::bus
