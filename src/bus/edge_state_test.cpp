// The edge's materialised channel state and the /api/market/* reads it answers: patches merge as a client
// merges them, trades know how deep they are, and on a simulated morning every read the edge serves equals
// the engine node's answer byte for byte at every tick (the messages going through an EdgeSource as they
// come off the bus).
#include <gtest/gtest.h>

#include <map>

#include "bus/edge_market_service.h"
#include "core/engine.h"
#include "core/vn30_basket.h"
#include "feed/decoder.h"
#include "server/engine_source.h"
#include "server/market_service.h"
#include "server/metrics.h"
#include "sim/simulator.h"

namespace vnt::bus {
namespace {

using server::SharedMessage;
using server::WsChannel;

std::string Msg(const char* type, const char* channel, std::uint64_t seq, const std::string& data,
                const char* extra = "") {
  return std::string("{\"type\":\"") + type + "\",\"channel\":\"" + channel +
         "\",\"seq\":" + std::to_string(seq) + ",\"epoch\":5" + extra +
         ",\"trading_date\":\"2026-03-18\",\"exchange_time\":\"09:30:0" + std::to_string(seq % 10) +
         "\",\"session\":\"LO\",\"data\":" + data + "}";
}

TEST(MergePatch, MergesObjectsMemberByMemberAndReplacesTheRest) {
  EXPECT_EQ(MergePatch(R"({"a":1,"s":{"x":{"v":1,"w":2},"y":3},"bid":[[1,2]],"f":{"n":1}})",
                       R"({"a":2,"s":{"x":{"w":5}},"bid":[],"f":null,"g":"new"})"),
            R"({"a":2,"s":{"x":{"v":1,"w":5},"y":3},"bid":[],"g":"new"})");
  EXPECT_EQ(MergePatch(R"({"p":null})", R"({"p":1.5})"), R"({"p":1.5})");
  EXPECT_EQ(MergePatch(R"({"p":1.5})", R"({"p":null})"), R"({"p":null})") << "a scalar can become null";
  EXPECT_EQ(MergePatch("[1]", R"({"a":1})"), R"({"a":1})");
}

TEST(EdgeState, MarketPatchesApplyOntoTheSnapshot) {
  EdgeState st;
  ASSERT_TRUE(st.Apply(
      WsChannel::kMarket,
      Msg("snapshot", "market", 1,
          R"({"symbols":{"FPT":{"symbol":"FPT","last_price":100,"sessions":{"lo":{"v":1}}},"VNM":{"symbol":"VNM"}},"indices":{"VN30":{"id":"VN30","value":1}},"futures":[{"symbol":"VN30F2604","krx_code":"41I1G4000","alias":"VN30F1M","last":1}]})")));
  ASSERT_TRUE(st.Apply(
      WsChannel::kMarket,
      Msg("delta", "market", 2,
          R"({"symbols":{"FPT":{"last_price":101,"sessions":{"lo":{"v":2}}},"ACB":{"symbol":"ACB"}},"indices":{},"futures":[{"symbol":"VN30F2604","last":2},{"symbol":"VN30F2605","krx_code":"41I1G5000","alias":"VN30F2M"}]})")));
  EXPECT_EQ(*st.symbols().Find("FPT"), R"({"symbol":"FPT","last_price":101,"sessions":{"lo":{"v":2}}})");
  ASSERT_EQ(st.symbols().size(), 3u);
  EXPECT_EQ(st.symbols().members()[2].first, "ACB") << "a new symbol comes after the others";
  ASSERT_EQ(st.futures().size(), 2u);
  EXPECT_EQ(st.futures()[0], R"({"symbol":"VN30F2604","krx_code":"41I1G4000","alias":"VN30F1M","last":2})");
  EXPECT_EQ(st.FindContract("VN30F2M"), 1);
  EXPECT_EQ(st.FindContract("41I1G4000"), 0);
  EXPECT_EQ(st.header().exchange_time, "\"09:30:02\"");
  // A new trading day: a "full" delta replaces everything.
  ASSERT_TRUE(
      st.Apply(WsChannel::kMarket,
               Msg("delta", "market", 3, R"({"symbols":{"HPG":{"symbol":"HPG"}},"indices":{},"futures":[]})",
                   ",\"full\":true")));
  EXPECT_EQ(st.symbols().size(), 1u);
  EXPECT_TRUE(st.futures().empty());
}

TEST(EdgeState, TradesKnowWhetherTheyHoldTheWholeTape) {
  EdgeState::Limits lim;
  lim.trades_snapshot_per_symbol = 2;
  lim.tape_per_symbol = 4;
  EdgeState st(lim);
  // FPT came with as many trades as a snapshot carries: older ones may exist; VNM with fewer: all of them.
  ASSERT_TRUE(st.Apply(
      WsChannel::kTrades,
      Msg("snapshot", "trades", 1,
          R"({"trades":[{"seq":9,"symbol":"FPT","volume":100},{"seq":7,"symbol":"FPT","volume":500},{"seq":8,"symbol":"VNM","volume":10}]})")));
  bool exact = false;
  auto t = st.Latest("FPT", 2, 0, 0, &exact);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0]->seq, 9u);
  EXPECT_TRUE(exact) << "the two newest are known";
  st.Latest("FPT", 3, 0, 0, &exact);
  EXPECT_FALSE(exact) << "a third one may be older than the snapshot";
  st.Latest("FPT", 1, 8, 200, &exact);
  EXPECT_TRUE(exact);
  st.Latest("VNM", 50, 0, 0, &exact);
  EXPECT_TRUE(exact);
  st.Latest("ACB", 50, 0, 0, &exact);
  EXPECT_TRUE(exact) << "no trades today";
  ASSERT_TRUE(st.Apply(
      WsChannel::kTrades,
      Msg("delta", "trades", 2,
          R"({"trades":[{"seq":10,"symbol":"ACB","volume":1},{"seq":11,"symbol":"FPT","volume":1},{"seq":12,"symbol":"FPT","volume":1}]})")));
  t = st.Latest("FPT", 4, 0, 0, &exact);
  EXPECT_EQ(t.size(), 4u);
  EXPECT_TRUE(exact);
  st.Latest("ACB", 10, 0, 0, &exact);
  EXPECT_TRUE(exact) << "first seen in a delta: the whole day";
  ASSERT_TRUE(st.Apply(WsChannel::kTrades,
                       Msg("delta", "trades", 3, R"({"trades":[{"seq":13,"symbol":"FPT","volume":1}]})")));
  t = st.Latest("FPT", 10, 0, 0, &exact);
  EXPECT_EQ(t.size(), 4u) << "bounded like the engine's tape";
  EXPECT_EQ(t.back()->seq, 9u);
}

TEST(EdgeState, AlertsKeepTheEnginesCapacity) {
  EdgeState::Limits lim;
  lim.alerts = 2;
  EdgeState st(lim);
  ASSERT_TRUE(st.Apply(
      WsChannel::kAlerts,
      R"({"type":"snapshot","channel":"alerts","seq":2,"epoch":5,"data":{"alerts":[{"id":1,"symbol":"FPT","time":null},{"id":2,"symbol":"VNM","time":"2026-03-18T09:30:00"}]}})"));
  ASSERT_TRUE(st.Apply(
      WsChannel::kAlerts,
      R"({"type":"alert","channel":"alerts","seq":3,"epoch":5,"data":{"id":3,"type":"volume_spike","severity":"warning","symbol":"ACB","contract":null,"alias":null,"rule_id":0,"time":"2026-03-18T09:31:00+07:00"}})"));
  ASSERT_EQ(st.alerts().size(), 2u);
  EXPECT_EQ(st.alerts()[0].id, 2u);
  EXPECT_EQ(st.alerts()[1].severity, "warning");
  EXPECT_EQ(st.alerts()[1].time, "2026-03-18T09:31:00");  // matched without the offset, as the engine does
  EXPECT_EQ(st.alerts()[0].time, "2026-03-18T09:30:00");
}

// The engine node's side with the bus in between: what EngineSource publishes goes to an EdgeSource as the
// follower hands it over (the first snapshot of each channel forced, later ones periodic refreshes).
class LoopBus : public server::MessageBus {
 public:
  explicit LoopBus(EdgeSource& edge) : edge_(edge) {}
  void PublishDelta(WsChannel c, std::uint64_t, std::uint64_t, SharedMessage msg) override {
    edge_.OnDelta(c, std::move(msg));
    if (taken) taken(c);
  }
  void PublishSnapshot(WsChannel c, std::uint64_t, std::uint64_t, SharedMessage msg) override {
    const Arrival how = seen_[static_cast<std::size_t>(c)] ? Arrival::kRefresh : Arrival::kRestart;
    seen_[static_cast<std::size_t>(c)] = true;
    edge_.OnSnapshot(c, std::move(msg), how);
    if (taken) taken(c);
  }
  std::function<void(WsChannel)> taken;  // as the edge's loop: EdgeMarketService::OnMessage
  bool TakeSnapshotRequest() override { return false; }

 private:
  EdgeSource& edge_;
  std::array<bool, static_cast<std::size_t>(WsChannel::kCount)> seen_{};
};

server::Request Get(const std::string& target) {
  server::Request r;
  r.method = "GET";
  r.target = target;
  auto parsed = server::ParseRequestTarget(target);
  EXPECT_TRUE(parsed.ok()) << target;
  if (parsed) {
    r.path = std::move(parsed->path);
    r.query = std::move(parsed->query);
  }
  return r;
}

TEST(EdgeMarketDay, EveryReadTheEdgeServesEqualsTheEnginesAtEveryTick) {
  sim::SimConfig cfg;
  cfg.keep_truth = false;
  cfg.vnindex_rest = 20;
  cfg.start = TimeOfDay::Of(9, 14, 0);
  cfg.end = TimeOfDay::Of(9, 30, 0);  // ATO, the open and 15 minutes of continuous trading
  sim::Simulator sim(cfg);
  core::EngineConfig ecfg;
  ecfg.vn30 = core::DefaultVn30Basket();
  core::MarketEngine engine(ecfg);
  server::Publisher pub(engine);
  pub.SetEpoch(1796600000000);
  engine.AddSink(&pub);
  server::EngineSourceOptions eo;
  server::EngineSource engine_source(pub, eo);
  EdgeSource edge_source(600);
  LoopBus bus(edge_source);
  engine_source.SetBus(&bus);

  server::Registry metrics;
  server::MarketService service(engine, server::HealthInfo{}, server::HistoryProvider{}, metrics);
  service.SetVn30(ecfg.vn30);
  service.SetTradeTape(&pub.tape());
  service.SetAlertDeliveries(
      [](std::uint64_t) { return std::vector<api::AlertDeliveryJson>{}; });  // as serve
  server::Router engine_router, edge_router;
  service.Register(engine_router);
  EdgeMarketService edge(edge_source, ecfg.vn30);
  edge.Register(edge_router);
  bus.taken = [&edge](WsChannel c) { edge.OnMessage(c); };

  // "symbols=" (empty) is every symbol without the engine's 100 ms snapshot cache (this loop is faster).
  const std::vector<std::string> reads = {
      "/api/market/snapshot?symbols=",
      "/api/market/snapshot?symbols=FPT,vnm,NOPE",
      "/api/market/snapshot?symbols=FPT,&format=csv",
      "/api/market/snapshot?symbols=A%20B",
      "/api/market/symbol/FPT",
      "/api/market/symbol/hpg",
      "/api/market/symbol/NOPE",
      "/api/market/symbol/VN30F1M",
      "/api/market/futures",
      "/api/market/foreign-detail",
      "/api/market/foreign-detail?format=csv",
      "/api/market/alerts",
      "/api/market/alerts?limit=3&min_severity=warning",
      "/api/market/alerts?symbol=VN30F1M",
      "/api/market/alerts?type=volume_spike&format=csv",
      "/api/market/alerts?from=2026-03-18T09:20&to=2026-03-18",
      "/api/market/alerts?limit=0",
      "/api/market/alerts?type=nope",
      "/api/market/trades/FPT",
      "/api/market/trades/FPT?limit=7&min_volume=500",
      "/api/market/trades/VN30F1M?limit=30",
      "/api/market/trades/VN30F1M?limit=30&format=csv",
      "/api/market/trades/ACB?limit=5&before_seq=4000",
      "/api/market/trades/NOPE",
      "/api/market/trades/FPT?limit=x",
      "/api/market/orderbook/FPT",
      "/api/market/orderbook/NOPE",
      "/api/market/session",
  };
  std::map<std::string, int> same, differ;
  std::map<std::string, std::string> first_diff;
  feed::Decoder dec;
  feed::DecodeOutput out;
  sim::SimFrame f;
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  int ticks = 0;
  bool have = sim.Next(&f);
  while (have) {
    const ExchangeTime second = f.time;
    while (have && f.time == second) {
      out.clear();
      ASSERT_TRUE(dec.Decode(f.text, out));
      for (const core::MarketEvent& e : out.events) engine.Apply(e);
      engine_source.PushAlerts();
      have = sim.Next(&f);
    }
    now += std::chrono::seconds(1);  // the foreign channel is due every tick: every channel is current
    engine_source.Tick(now);
    if (++ticks % 9 != 0) continue;
    for (const std::string& target : reads) {
      const server::Response e = engine_router.Handle(Get(target));
      const server::Response g = edge_router.Handle(Get(target));
      if (e.status == g.status && e.Body() == g.Body() && e.content_type == g.content_type) {
        ++same[target];
      } else {
        if (differ[target]++ == 0)
          first_diff[target] = "tick " + std::to_string(ticks) + ": engine " + std::to_string(e.status) +
                               " " + e.Body().substr(0, 3000) + "\n   edge " + std::to_string(g.status) +
                               " " + g.Body().substr(0, 3000);
      }
    }
  }
  EXPECT_GT(ticks, 900);
  for (const std::string& target : reads) {
    EXPECT_EQ(differ[target], 0) << target << " (same " << same[target] << ")\n" << first_diff[target];
    EXPECT_GT(same[target], 80) << target;
  }
  // The engine's answer is non-trivial where it matters.
  EXPECT_GT(engine_router.Handle(Get("/api/market/trades/VN30F1M?limit=30")).Body().size(), 1000u);
  EXPECT_GT(engine_router.Handle(Get("/api/market/alerts")).Body().size(), 100u);
  // A contract's book and symbol are the engine's futures symbol, which no channel carries.
  const core::FuturesState* front = engine.FindContract("VN30F1M");
  ASSERT_NE(front, nullptr);
  for (const std::string& path : {std::string("/api/market/orderbook/VN30F1M"),
                                  "/api/market/symbol/" + std::string(front->contract.krx_code.view())}) {
    EXPECT_EQ(edge_router.Handle(Get(path)).status, 503) << path;
    EXPECT_EQ(engine_router.Handle(Get(path)).status, 200) << path;
  }
  for (const std::string& p : EdgeMarketService::EngineOnly()) {
    std::string path =
        "/api/market/" + p.substr(0, p.find('/')) + (p.find('/') == std::string::npos ? "" : "/FPT");
    const server::Response r = edge_router.Handle(Get(path));
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_NE(r.Body().find("\"engine_only\""), std::string::npos) << r.Body();
  }
}

}  // namespace
}  // namespace vnt::bus
