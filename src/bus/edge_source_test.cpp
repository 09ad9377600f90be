// The edge's channel state: a snapshot then contiguous deltas are served to new clients byte for byte; a
// gap or a new epoch asks for a snapshot and holds deltas back until it comes, then every client is sent it.
#include <gtest/gtest.h>

#include "bus/edge_source.h"
#include "bus/redis_url.h"

namespace vnt::bus {
namespace {

using server::SharedMessage;
using server::WsChannel;

SharedMessage Msg(const char* type, std::uint64_t epoch, std::uint64_t seq, std::string data = "{}") {
  return std::make_shared<const std::string>(
      "{\"type\":\"" + std::string(type) + "\",\"channel\":\"market\",\"seq\":" + std::to_string(seq) +
      ",\"epoch\":" + std::to_string(epoch) + ",\"sent_ms\":1000,\"data\":" + data + "}");
}

struct Fixture {
  EdgeSource edge{100};
  std::vector<std::pair<WsChannel, std::vector<SharedMessage>>> sent;
  std::vector<WsChannel> requested;
  Fixture() {
    edge.SetBroadcast([this](WsChannel c, const std::vector<SharedMessage>& m) { sent.emplace_back(c, m); });
    edge.SetSnapshotRequest([this](WsChannel c) { requested.push_back(c); });
  }
};

TEST(EdgeSource, SnapshotThenDeltasServedToNewClientsAndResumes) {
  Fixture fx;
  EXPECT_TRUE(fx.edge.Snapshot(WsChannel::kMarket).empty()) << "nothing before the first snapshot";
  const auto snap = Msg("snapshot", 7, 10);
  fx.edge.OnSnapshot(WsChannel::kMarket, snap, Arrival::kRestart);
  ASSERT_EQ(fx.sent.size(), 1u);  // clients that connected before the edge had data get it now
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 11), 1500);
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 12), 1600);
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 12), 1600);  // a re-read: ignored
  EXPECT_EQ(fx.edge.status(WsChannel::kMarket).stale, 1u);
  EXPECT_EQ(fx.edge.status(WsChannel::kMarket).lag_ms, 600);
  const auto joined = fx.edge.Snapshot(WsChannel::kMarket);
  ASSERT_EQ(joined.size(), 3u);
  EXPECT_EQ(joined[0], snap);
  EXPECT_EQ(*joined[2], *Msg("delta", 7, 12));
  std::vector<SharedMessage> missed;
  ASSERT_TRUE(fx.edge.Since(WsChannel::kMarket, 7, 10, &missed));
  EXPECT_EQ(missed.size(), 2u);
  EXPECT_FALSE(fx.edge.Since(WsChannel::kMarket, 6, 10, &missed)) << "another epoch: a snapshot";
  EXPECT_FALSE(fx.edge.Since(WsChannel::kMarket, 7, 13, &missed)) << "ahead of the edge: a snapshot";
  // A refresh the deltas reached moves the base: new clients get fewer messages.
  fx.edge.OnSnapshot(WsChannel::kMarket, Msg("snapshot", 7, 12), Arrival::kRefresh);
  EXPECT_EQ(fx.edge.Snapshot(WsChannel::kMarket).size(), 1u);
  // A refresh ahead of the deltas waits for them.
  fx.edge.OnSnapshot(WsChannel::kMarket, Msg("snapshot", 7, 13), Arrival::kRefresh);
  EXPECT_EQ(fx.edge.Snapshot(WsChannel::kMarket).size(), 1u);
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 13));
  EXPECT_EQ(fx.edge.Snapshot(WsChannel::kMarket).size(), 1u) << "the pending snapshot became the base";
  EXPECT_TRUE(fx.requested.empty());
}

TEST(EdgeSource, GapAndNewEpochResyncEveryClientThroughASnapshot) {
  Fixture fx;
  fx.edge.OnSnapshot(WsChannel::kMarket, Msg("snapshot", 7, 10), Arrival::kRestart);
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 11));
  fx.sent.clear();
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 13));  // 12 lost
  ASSERT_EQ(fx.requested.size(), 1u);
  EXPECT_FALSE(fx.edge.status(WsChannel::kMarket).synced);
  EXPECT_TRUE(fx.sent.empty()) << "a delta after a gap is never sent";
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 14));
  EXPECT_TRUE(fx.sent.empty()) << "held back until the snapshot";
  EXPECT_TRUE(fx.edge.Snapshot(WsChannel::kMarket).empty());
  fx.edge.OnSnapshot(WsChannel::kMarket, Msg("snapshot", 7, 14), Arrival::kRestart);
  ASSERT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(*fx.sent[0].second[0], *Msg("snapshot", 7, 14)) << "every client gets the snapshot";
  EXPECT_EQ(fx.edge.status(WsChannel::kMarket).resyncs, 1u);
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 7, 15));
  EXPECT_EQ(fx.sent.size(), 2u);
  // The engine restarted: a delta of a new epoch.
  fx.edge.OnDelta(WsChannel::kMarket, Msg("delta", 8, 1));
  EXPECT_EQ(fx.requested.size(), 2u);
  fx.edge.OnSnapshot(WsChannel::kMarket, Msg("snapshot", 8, 1), Arrival::kRestart);
  EXPECT_EQ(fx.edge.status(WsChannel::kMarket).epoch, 8u);
  EXPECT_EQ(*fx.sent.back().second[0], *Msg("snapshot", 8, 1));
  // A periodic refresh of another epoch also resyncs (an engine restart noticed without deltas).
  fx.edge.OnSnapshot(WsChannel::kMarket, Msg("snapshot", 9, 0), Arrival::kRefresh);
  EXPECT_EQ(fx.edge.status(WsChannel::kMarket).epoch, 9u);
}

TEST(EdgeSource, LearnsFuturesNamesForTradeFilters) {
  Fixture fx;
  fx.edge.OnSnapshot(
      WsChannel::kMarket,
      Msg("snapshot", 1, 1,
          R"({"symbols":{},"indices":{},"futures":[{"symbol":"VN30F2604","krx_code":"41I1G4000","alias":"VN30F1M"}]})"),
      Arrival::kRestart);
  const auto f = fx.edge.Expand({"VN30F1M"});
  EXPECT_EQ(f, (server::SymbolFilter{"VN30F1M", "VN30F2604", "41I1G4000"}));
  EXPECT_EQ(fx.edge.Expand({"FPT"}), (server::SymbolFilter{"FPT"}));
}

TEST(RedisUrl, ParsesAndRedacts) {
  auto u = ParseRedisUrl("redis://:s3cret@cache.local:6380/2");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->host, "cache.local");
  EXPECT_EQ(u->port, 6380);
  EXPECT_EQ(u->db, 2);
  EXPECT_EQ(u->password, "s3cret");
  EXPECT_EQ(u->Redacted().find("s3cret"), std::string::npos);
  u = ParseRedisUrl("redis://127.0.0.1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 6379);
  EXPECT_FALSE(ParseRedisUrl("http://x").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://h:0").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://h:1/99").ok());
  const auto no_host = ParseRedisUrl("redis://:pw@/0");
  ASSERT_FALSE(no_host.ok());
  EXPECT_EQ(no_host.error().message, "--bus: no host");
  EXPECT_EQ(no_host.error().field, "--bus");
  EXPECT_EQ(no_host.error().message.find("pw"), std::string::npos);
}

}  // namespace
}  // namespace vnt::bus
