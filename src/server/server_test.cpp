#include <gtest/gtest.h>

#include <map>
#include <random>

#include "api/json_patch.h"
#include "common/enum_names_testing.h"
#include "http/http_types.h"
#include "server/market_service.h"
#include "server/metrics.h"
#include "server/publisher.h"
#include "server/router.h"

namespace vnt::server {
namespace {

TEST(ParseTarget, DecodesPathAndQuery) {
  const auto t =
      ParseRequestTarget("/api/history/ACB/candles?from=2026-03-18&to=2026-03-18T10%3A00%3A00&x=a+b");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/api/history/ACB/candles");
  EXPECT_EQ(t->query.at("from"), "2026-03-18");
  EXPECT_EQ(t->query.at("to"), "2026-03-18T10:00:00");
  EXPECT_EQ(t->query.at("x"), "a b");
  EXPECT_FALSE(ParseRequestTarget("/a%zz").ok());
  EXPECT_FALSE(ParseRequestTarget("/a?b=%4").ok());
}

TEST(WsChannelNames, EveryChannelRoundTripsByNameAndByPath) {
  const auto values = vnt::testing::EnumRange(WsChannel::kMarket, WsChannel::kTrades);
  vnt::testing::ExpectTableRoundTrip(kWsChannelNames, values);
  vnt::testing::ExpectNamesRoundTrip(
      values, [](WsChannel c) { return ToString(c); },
      [](std::string_view name) { return WsChannelOfPath("/ws/" + std::string(name)); });
  EXPECT_EQ(ToString(WsChannel::kCount), "");
  EXPECT_EQ(WsChannelOfPath("/ws/foreign"), WsChannel::kForeign);
  for (const char* other :
       {"/ws/", "/ws/Market", "/ws/market/", "/market", "ws/market", "/api/ws/market", ""})
    EXPECT_EQ(WsChannelOfPath(other), std::nullopt) << other;
}

TEST(Router, MatchesParamsAndReportsMethodErrors) {
  Router r;
  r.Add("GET", "/api/history/index/{name}",
        [](const Request&, const PathParams& p) { return JsonResponse("\"index " + p.at("name") + "\""); });
  r.Add("GET", "/api/history/{symbol}/candles",
        [](const Request&, const PathParams& p) { return JsonResponse("\"" + p.at("symbol") + "\""); });
  Request req;
  req.method = "GET";
  req.path = "/api/history/ACB/candles";
  EXPECT_EQ(r.Handle(req).body, "\"ACB\"");
  req.path = "/api/history/index/VN30";
  EXPECT_EQ(r.Handle(req).body, "\"index VN30\"");
  EXPECT_EQ(r.RouteOf(req), "/api/history/index/{name}");
  req.method = "POST";
  EXPECT_EQ(r.Handle(req).status, 405);
  req.path = "/nope";
  EXPECT_EQ(r.Handle(req).status, 404);
  EXPECT_EQ(r.RouteOf(req), "unmatched");
}

TEST(Params, IntAndDates) {
  Request req;
  req.query = {{"limit", "50"}, {"bad", "5x"}, {"big", "99999999999"}};
  bool bad = false;
  EXPECT_EQ(IntParam(req, "limit", 10, 1, 100, &bad), 50);
  EXPECT_EQ(IntParam(req, "missing", 10, 1, 100, &bad), 10);
  EXPECT_FALSE(bad);
  EXPECT_FALSE(IntParam(req, "bad", 10, 1, 100, &bad));
  EXPECT_TRUE(bad);
  bad = false;
  EXPECT_FALSE(IntParam(req, "big", 10, 1, 100, &bad));
  EXPECT_TRUE(bad);
  EXPECT_TRUE(ValidDateOrDateTime("2026-03-18"));
  EXPECT_TRUE(ValidDateOrDateTime("2026-03-18T09:15"));
  EXPECT_TRUE(ValidDateOrDateTime("2026-03-18T09:15:30"));
  EXPECT_FALSE(ValidDateOrDateTime("2026-3-18"));
  EXPECT_FALSE(ValidDateOrDateTime("2026-13-01"));
  EXPECT_FALSE(ValidDateOrDateTime("2026-03-18T25:00"));
  EXPECT_FALSE(ValidDateOrDateTime("yesterday"));
  EXPECT_FALSE(ValidDateOrDateTime("2026-02-30"));
  EXPECT_FALSE(ValidDateOrDateTime("2026-02-29"));
  EXPECT_TRUE(ValidDateOrDateTime("2028-02-29"));  // leap year
  EXPECT_FALSE(ValidDateOrDateTime("2100-02-29"));
  EXPECT_FALSE(ValidDateOrDateTime("2026-04-31T10:00"));
}

TEST(Rules, AbsurdThresholdsAndLongNamesAreRefusedByField) {
  for (const char* body : {R"({"metric":"last_price","comparison":">","threshold":1e56})",
                           R"({"metric":"last_price","comparison":">","threshold":-1e16})"}) {
    const auto r = ParseRuleJson(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().field, "threshold") << body;
  }
  // Beyond a double's range the JSON parser itself refuses the body.
  const auto huge = ParseRuleJson(R"({"metric":"last_price","comparison":">","threshold":1e400})");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().field, "body");
  const std::string long_name =
      R"({"metric":"last_price","comparison":">","threshold":1,"name":")" + std::string(101, 'x') + "\"}";
  const auto named = ParseRuleJson(long_name);
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().field, "name");
  // 100 characters of Vietnamese (2-3 bytes each) are fine.
  std::string vi;
  for (int i = 0; i < 100; ++i) vi += "\xE1\xBB\x9B";
  const auto ok =
      ParseRuleJson(R"({"metric":"last_price","comparison":">","threshold":1,"name":")" + vi + "\"}");
  EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST(Rules, ParseRuleJsonNamesTheBadField) {
  auto r = ParseRuleJson(
      R"({"metric":"basis","symbol":"VN30F1M","comparison":"<=","threshold":-2.5,"cooldown_sec":30})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->comparison, core::Comparison::kLe);
  EXPECT_DOUBLE_EQ(r->threshold, -2.5);
  EXPECT_EQ(r->cooldown_sec, 30);
  const auto metric = ParseRuleJson(R"({"metric":"x","comparison":">","threshold":1})");
  ASSERT_FALSE(metric.ok());
  EXPECT_EQ(metric.error(), (Error{ErrorCode::kInvalidArgument, "unknown metric 'x'", "metric"}));
  const auto threshold = ParseRuleJson(R"({"metric":"basis","comparison":">","threshold":"1"})");
  ASSERT_FALSE(threshold.ok());
  EXPECT_EQ(threshold.error().field, "threshold");
  const auto body = ParseRuleJson("[1]");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::kParse);
  EXPECT_EQ(body.error().field, "body");
}

TEST(Metrics, RendersPrometheusText) {
  Registry m;
  m.Declare("x_total", "counter", "Things.");
  m.Add("x_total", {{"kind", "a\"b"}}, 2);
  m.Declare("lat_seconds", "histogram", "Latency.");
  m.Observe("lat_seconds", {}, 0.5, {0.1, 1});
  m.Observe("lat_seconds", {}, 5, {0.1, 1});
  const std::string t = m.Render();
  EXPECT_NE(t.find("# TYPE x_total counter\nx_total{kind=\"a\\\"b\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("lat_seconds_bucket{le=\"0.1\"} 0\nlat_seconds_bucket{le=\"1\"} "
                   "1\nlat_seconds_bucket{le=\"+Inf\"} 2\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("lat_seconds_count 2"), std::string::npos);
}

core::TradeEvent Trade(const char* sym, int sec, int price, long tv) {
  core::TradeEvent e;
  e.h.channel = core::Channel::kTrade;
  e.h.symbol = Symbol::Of(sym);
  e.h.time = ExchangeTime{Date::Of(2026, 3, 18), TimeOfDay{sec}};
  e.h.session = Session::kLo;
  e.t.last_price = Price::FromInt(price);
  e.t.last_vol = Volume{100};
  e.t.total_vol = Volume{tv};
  return e;
}

TEST(Publisher, DeltasCarryOnlyChangesWithConsecutiveSeq) {
  core::EngineConfig cfg;
  cfg.vn30 = {Symbol::Of("ACB"), Symbol::Of("FPT")};
  core::MarketEngine engine(cfg);
  Publisher pub(engine);
  engine.AddSink(&pub);
  engine.Apply(Trade("ACB", 36000, 24000, 100));
  engine.Apply(Trade("FPT", 36001, 95000, 100));
  pub.BeginTick();
  const std::string d1 = pub.Delta(WsChannel::kMarket, {});
  pub.EndTick();
  EXPECT_NE(d1.find("\"seq\":1"), std::string::npos);
  EXPECT_NE(d1.find("\"ACB\""), std::string::npos);
  engine.Apply(Trade("FPT", 36002, 95100, 200));
  ASSERT_TRUE(pub.Dirty(WsChannel::kMarket));
  pub.BeginTick();
  const std::string d2 = pub.Delta(WsChannel::kMarket, {});
  const std::string filtered = pub.Delta(WsChannel::kMarket, {"ACB"});
  pub.EndTick();
  EXPECT_NE(d2.find("\"seq\":2"), std::string::npos);
  EXPECT_NE(d2.find("\"FPT\""), std::string::npos);
  EXPECT_EQ(d2.find("\"ACB\":{"), std::string::npos) << d2;  // ACB did not change
  EXPECT_EQ(filtered.find("\"FPT\":{"), std::string::npos);
  // Only the bucket that traded (continuous) is in the delta's sessions; the snapshot has all three.
  EXPECT_NE(d2.find("\"sessions\":{\"continuous\":{"), std::string::npos) << d2;
  EXPECT_EQ(d2.find("\"ato\":{"), std::string::npos);
  EXPECT_FALSE(pub.Dirty(WsChannel::kMarket));
  const std::string snap = pub.Snapshot(WsChannel::kMarket, {});
  EXPECT_NE(snap.find("\"type\":\"snapshot\""), std::string::npos);
  EXPECT_NE(snap.find("\"ACB\":{"), std::string::npos);
  EXPECT_NE(snap.find("\"seq\":2"), std::string::npos);
  EXPECT_NE(snap.find("\"ato\":{"), std::string::npos);
}

// Flattens the "data" of a /ws/market message into path -> raw value ("symbols.ACB.sessions.ato.total_vol"),
// merging into *state the way a client deep-merges (futures patches are matched by their "symbol").
void MergeObject(const std::string& prefix, std::string_view obj, std::map<std::string, std::string>* state) {
  std::vector<std::pair<std::string_view, std::string_view>> members;
  ASSERT_TRUE(api::SplitMembers(obj, &members)) << obj;
  for (const auto& [k, v] : members) {
    const std::string path = prefix + "." + std::string(k);
    if (!v.empty() && v.front() == '{')
      MergeObject(path, v, state);
    else
      (*state)[path] = std::string(v);
  }
}
void ApplyMarket(std::string_view msg, std::map<std::string, std::string>* state) {
  std::vector<std::pair<std::string_view, std::string_view>> top, data;
  ASSERT_TRUE(api::SplitMembers(msg, &top));
  std::string_view body, type;
  for (const auto& [k, v] : top) {
    if (k == "data") body = v;
    if (k == "type") type = v;
  }
  if (type == "\"snapshot\"") state->clear();
  ASSERT_TRUE(api::SplitMembers(body, &data));
  for (const auto& [k, v] : data) {
    if (k == "futures") {
      // [{"symbol":"VN30F2603",...},...]
      std::string_view rest = v.substr(1, v.size() - 2);
      while (!rest.empty()) {
        std::size_t depth = 0, end = 0;
        for (; end < rest.size(); ++end) {
          if (rest[end] == '{') ++depth;
          if (rest[end] == '}' && --depth == 0) break;
        }
        const std::string_view item = rest.substr(0, end + 1);
        const std::size_t q = item.find("\"symbol\":\"") + 10;
        MergeObject("futures." + std::string(item.substr(q, item.find('"', q) - q)), item, state);
        rest.remove_prefix(std::min(rest.size(), end + 2));
      }
    } else {
      MergeObject(std::string(k), v, state);
    }
  }
}

// The invariant clients rely on: a snapshot plus every later delta equals the snapshot taken after them,
// also when a snapshot is taken between ticks and a value changes and changes back before the next tick.
TEST(Publisher, SnapshotPlusPatchesEqualsTheNextSnapshot) {
  core::EngineConfig cfg;
  cfg.vn30 = {Symbol::Of("ACB"), Symbol::Of("FPT"), Symbol::Of("VNM")};
  core::MarketEngine engine(cfg);
  Publisher pub(engine);
  engine.AddSink(&pub);
  const char* syms[] = {"ACB", "FPT", "VNM"};
  long tv[] = {100, 100, 100};
  int sec = 33000;
  std::mt19937 rng(7);
  for (int i = 0; i < 3; ++i) engine.Apply(Trade(syms[i], sec, 20000 + 1000 * i, tv[i]));
  std::map<std::string, std::string> client;
  ApplyMarket(pub.Snapshot(WsChannel::kMarket, {}), &client);
  std::size_t patch_bytes = 0, full_bytes = 0;
  for (int tick = 0; tick < 60; ++tick) {
    const int trades = static_cast<int>(rng() % 4);
    for (int k = 0; k < trades; ++k) {
      const int i = static_cast<int>(rng() % 3);
      tv[i] += 100 * (1 + static_cast<long>(rng() % 5));
      engine.Apply(Trade(syms[i], ++sec, 20000 + 1000 * i + 50 * static_cast<int>(rng() % 3), tv[i]));
    }
    if (tick % 7 == 3) {
      // A late joiner between ticks: a price moves, the snapshot is taken, the price moves back.
      tv[0] += 100;
      engine.Apply(Trade("ACB", ++sec, 25000, tv[0]));
      std::map<std::string, std::string> joiner;
      ApplyMarket(pub.Snapshot(WsChannel::kMarket, {}), &joiner);
      EXPECT_EQ(joiner, client) << "a snapshot between ticks is the state as of its seq";
      tv[0] += 100;
      engine.Apply(Trade("ACB", ++sec, 20000, tv[0]));
    }
    pub.BeginTick();
    if (pub.Ticking(WsChannel::kMarket)) {
      const std::string d = pub.Delta(WsChannel::kMarket, {});
      patch_bytes += d.size();
      ApplyMarket(d, &client);
    }
    pub.EndTick();
    const std::string snap = pub.Snapshot(WsChannel::kMarket, {});
    full_bytes += snap.size();
    std::map<std::string, std::string> fresh;
    ApplyMarket(snap, &fresh);
    ASSERT_EQ(client, fresh) << "tick " << tick;
  }
  EXPECT_LT(patch_bytes * 3, full_bytes) << "deltas should be much smaller than snapshots";
}

TEST(SymbolFilter, ParsesAndRejects) {
  SymbolFilter f;
  ASSERT_TRUE(ParseSymbolFilter("acb, FPT,,", &f));
  EXPECT_EQ(f, (SymbolFilter{"ACB", "FPT"}));
  EXPECT_FALSE(ParseSymbolFilter("A;B", &f));
  EXPECT_FALSE(ParseSymbolFilter("ABCDEFGHIJKLMNOPQ", &f));
}

}  // namespace
}  // namespace vnt::server
