// One narrowing function for every node: on a simulated morning, every channel message the publisher builds
// for one filter equals the message built for every symbol narrowed by FilterMessage (the path the engine
// node and the edges both take), tick after tick, for deltas and snapshots.
#include <gtest/gtest.h>

#include "core/engine.h"
#include "core/vn30_basket.h"
#include "feed/decoder.h"
#include "server/publisher.h"
#include "server/ws_filter.h"
#include "sim/simulator.h"

namespace vnt::bus {
namespace {

using server::WsChannel;

TEST(FilterDay, NarrowedMessagesEqualThePublishersFilteredOnes) {
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
  feed::Decoder dec;
  feed::DecodeOutput out;
  sim::SimFrame f;
  const std::vector<server::SymbolFilter> filters = {{"FPT"}, {"FPT", "VNM", "ACB"}, {"VN30F1M"}, {"XYZ"}};
  int ticks = 0, compared = 0, nonempty_trades = 0;
  bool have = sim.Next(&f);
  while (have) {
    const ExchangeTime second = f.time;
    while (have && f.time == second) {
      out.clear();
      ASSERT_TRUE(dec.Decode(f.text, out));
      for (const core::MarketEvent& e : out.events) engine.Apply(e);
      have = sim.Next(&f);
    }
    if (second.time.sec % 2 != 0) continue;  // a tick every two exchange seconds
    ++ticks;
    pub.BeginTick(second.time.sec % 4 == 0);
    for (WsChannel c : {WsChannel::kMarket, WsChannel::kForeign, WsChannel::kIndex, WsChannel::kTrades}) {
      if (!pub.Ticking(c)) continue;
      const std::string all = pub.Delta(c, {});
      for (const auto& filter : filters) {
        const auto narrowed = server::FilterMessage(c, all, pub.ExpandFutures(filter));
        ASSERT_TRUE(narrowed.has_value());
        ASSERT_EQ(*narrowed, pub.Delta(c, filter)) << server::ToString(c) << " tick " << ticks;
        ++compared;
        if (c == WsChannel::kTrades && filter.count("FPT") && narrowed->find("\"FPT\"") != std::string::npos)
          ++nonempty_trades;
      }
    }
    pub.EndTick();
    if (ticks % 50 == 0) {
      for (WsChannel c : {WsChannel::kMarket, WsChannel::kForeign, WsChannel::kIndex, WsChannel::kTrades,
                          WsChannel::kAlerts}) {
        const std::string all = pub.Snapshot(c, {});
        for (const auto& filter : filters) {
          if (c == WsChannel::kAlerts) continue;  // alerts: by symbol, contract or alias (tested below)
          ASSERT_EQ(*server::FilterMessage(c, all, pub.ExpandFutures(filter)), pub.Snapshot(c, filter))
              << server::ToString(c) << " snapshot";
        }
      }
    }
  }
  EXPECT_GT(ticks, 400);
  EXPECT_GT(compared, 3000);
  EXPECT_GT(nonempty_trades, 50) << "the futures alias and stock filters must have matched trades";
}

TEST(FilterMessage, AlertsPassByAnyOfTheirNamesAndOthersUntouched) {
  const std::string alert =
      R"({"type":"alert","channel":"alerts","seq":3,"epoch":9,"data":{"id":1,"symbol":"41I1G4000","contract":"VN30F2604","alias":"VN30F1M","value":1}})";
  EXPECT_EQ(*server::FilterMessage(WsChannel::kAlerts, alert, {}), alert);
  EXPECT_EQ(*server::FilterMessage(WsChannel::kAlerts, alert, {"VN30F1M"}), alert);
  EXPECT_FALSE(server::FilterMessage(WsChannel::kAlerts, alert, {"FPT"}).has_value());
  const std::string snap =
      R"({"type":"snapshot","channel":"alerts","seq":3,"epoch":9,"data":{"alerts":[{"id":1,"symbol":"FPT","contract":null,"alias":null},{"id":2,"symbol":"ACB","contract":null,"alias":null}]}})";
  EXPECT_EQ(
      *server::FilterMessage(WsChannel::kAlerts, snap, {"ACB"}),
      R"({"type":"snapshot","channel":"alerts","seq":3,"epoch":9,"data":{"alerts":[{"id":2,"symbol":"ACB","contract":null,"alias":null}]}})");
  server::MessageHead h;
  ASSERT_TRUE(server::ReadHead(snap, &h));
  EXPECT_EQ(h.type, "snapshot");
  EXPECT_EQ(h.seq, 3u);
  EXPECT_EQ(h.epoch, 9u);
  EXPECT_FALSE(server::ReadHead("{\"type\":\"delta\"}", &h));
}

}  // namespace
}  // namespace vnt::bus
