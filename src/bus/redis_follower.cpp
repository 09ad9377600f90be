#include "bus/redis_follower.h"

#include "bus/redis_conn.h"
#include "server/ws_filter.h"

namespace vnt::bus {

using server::WsChannel;

RedisFollower::RedisFollower(FollowerOptions opts, Deliver deliver)
    : opts_(std::move(opts)), deliver_(std::move(deliver)) {}

RedisFollower::~RedisFollower() {
  Stop();
}

void RedisFollower::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RedisFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RedisFollower::RequestSnapshot(WsChannel c) {
  requested_[static_cast<std::size_t>(c)] = true;
}

void RedisFollower::Run() {
  Context ctx;
  bool failing = false, ever_connected = false;
  auto backoff = std::chrono::milliseconds(100);
  // Per channel: the stream entry id to read after ("" = read the snapshot first) and its epoch.
  std::array<std::string, kChannels> after{};
  std::array<std::uint64_t, kChannels> epoch{};
  auto next_refresh = std::chrono::steady_clock::now() + opts_.refresh;
  auto stopping = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  };
  auto lose = [&](const std::string& why) {
    Log(LogLevel::kWarning, "bus: " + why + "; reconnecting");
    connected_ = false;
    ctx.reset();
  };
  while (!stopping()) {
    if (!ctx) {
      // The command timeout must outlast the XREAD block.
      auto connected = Connect(opts_.url, opts_.timeout + opts_.block);
      if (!connected) {
        if (!failing) Log(LogLevel::kWarning, "bus: " + connected.error().message + "; retrying");
        failing = true;
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_for(lock, backoff, [this] { return stop_; });
        backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
        continue;
      }
      ctx = std::move(connected).value();
      if (ever_connected) ++reconnects_;
      ever_connected = true;
      failing = false;
      backoff = std::chrono::milliseconds(100);
      connected_ = true;
      Log(LogLevel::kInfo, "bus: following " + opts_.url.Redacted());
    }
    // Snapshots: the channels not yet following, asked for, or due for a refresh.
    const auto now = std::chrono::steady_clock::now();
    const bool refresh = now >= next_refresh;
    if (refresh) next_refresh = now + opts_.refresh;
    bool lost = false;
    for (std::size_t i = 0; i < kChannels && !lost; ++i) {
      const bool requested = requested_[i].exchange(false);
      if (!after[i].empty() && !requested && !refresh) continue;
      const auto c = static_cast<WsChannel>(i);
      Reply r = Command(ctx.get(), {"GET", SnapshotKey(c)});
      if (!r) {
        if (requested) requested_[i] = true;
        lost = true;
        break;
      }
      if (r->type != REDIS_REPLY_STRING) {
        if (requested) after[i].clear();  // nothing yet (a fresh Redis): retried on the next round
        continue;
      }
      auto msg = std::make_shared<const std::string>(r->str, r->len);
      server::MessageHead head;
      if (!server::ReadHead(*msg, &head)) continue;
      // Forced: the channel (re)starts from this snapshot; a refresh of the same epoch only moves the base.
      const bool restart = after[i].empty() || requested || head.epoch != epoch[i];
      if (restart) {
        after[i] = EntryId(head.epoch, head.seq);
        epoch[i] = head.epoch;
      }
      deliver_(c, std::move(msg), restart ? Arrival::kRestart : Arrival::kRefresh);
    }
    if (lost) {
      lose(std::string("connection lost: ") + ctx->errstr);
      continue;
    }
    // Deltas: one XREAD over every channel that is following.
    std::vector<std::string> args = {"XREAD",  "COUNT", "500", "BLOCK", std::to_string(opts_.block.count()),
                                     "STREAMS"};
    std::vector<std::size_t> following;
    for (std::size_t i = 0; i < kChannels; ++i)
      if (!after[i].empty()) {
        args.push_back(StreamKey(static_cast<WsChannel>(i)));
        following.push_back(i);
      }
    if (following.empty()) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, opts_.block, [this] { return stop_; });
      continue;
    }
    for (std::size_t i : following) args.push_back(after[i]);
    std::vector<std::string_view> views(args.begin(), args.end());
    Reply r = Command(ctx.get(), views);
    if (!r) {
      lose(std::string("connection lost: ") + ctx->errstr);
      continue;
    }
    if (r->type != REDIS_REPLY_ARRAY) continue;  // nil: nothing new within the block
    for (std::size_t s = 0; s < r->elements; ++s) {
      const redisReply* stream = r->element[s];
      if (stream->type != REDIS_REPLY_ARRAY || stream->elements != 2) continue;
      const std::string key(stream->element[0]->str, stream->element[0]->len);
      std::size_t i = kChannels;
      for (std::size_t k : following)
        if (StreamKey(static_cast<WsChannel>(k)) == key) i = k;
      if (i == kChannels) continue;
      const redisReply* entries = stream->element[1];
      for (std::size_t e = 0; e < entries->elements; ++e) {
        const redisReply* entry = entries->element[e];
        if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2) continue;
        after[i].assign(entry->element[0]->str, entry->element[0]->len);
        const redisReply* fields = entry->element[1];
        for (std::size_t f = 0; f + 1 < fields->elements; f += 2) {
          if (std::string_view(fields->element[f]->str, fields->element[f]->len) != "m") continue;
          const redisReply* v = fields->element[f + 1];
          deliver_(static_cast<WsChannel>(i), std::make_shared<const std::string>(v->str, v->len),
                   Arrival::kDelta);
        }
      }
    }
  }
}

}  // namespace vnt::bus
