#include "app/edge_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "api/json_writer.h"
#include "app/file_limit.h"
#include "app/store_glue.h"
#include "bus/edge_market_service.h"
#include "bus/edge_source.h"
#include "bus/redis_follower.h"
#include "common/log.h"
#include "core/vn30_basket.h"
#include "http/http_types.h"
#include "server/history_service.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/router.h"
#include "store/location.h"
#include "store/reader.h"

namespace vnt::app {

namespace net = boost::asio;

namespace {

constexpr server::WsChannel kChannels[] = {server::WsChannel::kMarket, server::WsChannel::kForeign,
                                           server::WsChannel::kIndex, server::WsChannel::kAlerts,
                                           server::WsChannel::kTrades};

std::int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// /health: ok while the bus is connected and every channel follows the engine.
server::Response EdgeHealth(const bus::EdgeSource& source, const bus::RedisFollower& follower,
                            const bus::RedisUrl& url) {
  std::string body;
  api::JsonWriter w(&body);
  bool synced = true;
  for (server::WsChannel c : kChannels) synced = synced && source.status(c).synced;
  const bool ok = follower.connected() && synced;
  w.BeginObject();
  w.Field("status", ok ? "ok" : "degraded");
  w.Field("role", "edge");
  w.Key("bus").BeginObject();
  w.Field("url", url.Redacted());
  w.Field("state", follower.connected() ? "connected" : "down");
  w.EndObject();
  w.Key("channels").BeginObject();
  for (server::WsChannel c : kChannels) {
    const auto& st = source.status(c);
    w.Key(server::ToString(c)).BeginObject();
    w.Field("synced", st.synced);
    w.Field("epoch", static_cast<std::int64_t>(st.epoch));
    w.Field("seq", static_cast<std::int64_t>(st.seq));
    w.Key("lag_ms");
    if (st.lag_ms >= 0)
      w.Int(st.lag_ms);
    else
      w.Null();
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return server::JsonResponse(std::move(body), 200);
}

void RegisterEdgeMetrics(server::Registry& m, const bus::EdgeSource& source,
                         const bus::RedisFollower& follower) {
  m.Declare("vnt_edge_bus_connected", "gauge", "1 while the edge is connected to the Redis bus.");
  m.Declare("vnt_edge_bus_reconnects_total", "counter",
            "Connections to the bus made again after one was lost.");
  m.Declare("vnt_edge_bus_lag_seconds", "gauge",
            "Engine stamp to edge arrival of the latest delta, per channel (wall clocks of both machines).");
  m.Declare("vnt_edge_synced", "gauge", "1 while the channel follows the engine without a gap.");
  m.Declare("vnt_edge_messages_total", "counter",
            "Deltas received from the bus and fanned out, per channel.");
  m.Declare("vnt_edge_resyncs_total", "counter",
            "Channel state replaced by a snapshot after a gap or a new engine epoch (clients are sent it).");
  m.Declare("vnt_edge_gaps_total", "counter",
            "Deltas that did not follow the last one (a snapshot was asked for).");
  m.Callback("vnt_edge_bus_connected", {}, [&follower] { return follower.connected() ? 1.0 : 0.0; });
  m.Callback("vnt_edge_bus_reconnects_total", {},
             [&follower] { return static_cast<double>(follower.reconnects()); });
  for (server::WsChannel c : kChannels) {
    const server::Labels l{{"channel", std::string(server::ToString(c))}};
    m.Callback("vnt_edge_bus_lag_seconds", l,
               [&source, c] { return std::max<std::int64_t>(0, source.status(c).lag_ms) / 1000.0; });
    m.Callback("vnt_edge_synced", l, [&source, c] { return source.status(c).synced ? 1.0 : 0.0; });
    m.Callback("vnt_edge_messages_total", l,
               [&source, c] { return static_cast<double>(source.status(c).deltas); });
    m.Callback("vnt_edge_resyncs_total", l,
               [&source, c] { return static_cast<double>(source.status(c).resyncs); });
    m.Callback("vnt_edge_gaps_total", l, [&source, c] { return static_cast<double>(source.status(c).gaps); });
  }
}

}  // namespace

int RunEdge(const EdgeOptions& opts) {
  SetLogLevel(ParseLogLevel(opts.log_level).value_or(LogLevel::kInfo));
  RaiseFileLimit();
  const auto url = bus::ParseRedisUrl(opts.bus);
  if (!url) {
    LogError(url.error().message);
    return 2;
  }
  net::io_context ioc(1);
  server::Registry metrics;
  bus::EdgeSource source(static_cast<std::size_t>(opts.resume_messages));
  bus::FollowerOptions fo;
  fo.url = *url;
  fo.log = [](LogLevel level, const std::string& line) { Log(level, line); };
  // The follower's thread hands every message to the loop, in order.
  // /api/market/* from the channels' state (what they do not carry: 503, nginx sends it to the engine).
  bus::EdgeMarketService market(source, core::DefaultVn30Basket());
  bus::RedisFollower follower(
      fo, [&ioc, &source, &market](server::WsChannel c, server::SharedMessage msg, bus::Arrival how) {
        const std::int64_t received = WallMs();
        net::post(ioc, [&source, &market, c, msg = std::move(msg), how, received]() mutable {
          if (how == bus::Arrival::kDelta)
            source.OnDelta(c, std::move(msg), received);
          else
            source.OnSnapshot(c, std::move(msg), how);
          market.OnMessage(c);
        });
      });
  source.SetSnapshotRequest([&follower](server::WsChannel c) { follower.RequestSnapshot(c); });
  RegisterEdgeMetrics(metrics, source, follower);

  server::Router router;
  // /api/history/* from the shared store (the engine node writes it), when given one.
  std::unique_ptr<store::Reader> reader;
  if (opts.db != "none") {
    if (!store::IsPostgresUrl(opts.db) && opts.db.rfind("sqlite:", 0) != 0) {
      LogError("--db must be postgresql://USER:PASSWORD@HOST:PORT/DB, sqlite:PATH or none (got '" +
               store::RedactLocation(opts.db) + "')");
      return 2;
    }
    try {
      reader = std::make_unique<store::Reader>(store::IsPostgresUrl(opts.db) ? opts.db : opts.db.substr(7));
    } catch (const std::exception& e) {
      const std::string what = e.what();  // a password never appears in it
      LogError(what.rfind("store:", 0) == 0 ? what : "store: " + what);
      return 2;
    }
    LogInfo("edge: history from " + store::RedactLocation(opts.db));
  }
  const std::vector<Symbol>& basket = core::DefaultVn30Basket();
  server::HistoryService history(
      reader ? MakeHistoryProvider(*reader) : server::HistoryProvider{},
      server::HistoryContext{
          [] { return VietnamTimeOf(WallMs() / 1000).date; },
          [basket](Symbol s) { return std::find(basket.begin(), basket.end(), s) != basket.end(); }});
  history.Register(router);
  market.Register(router);
  router.Add(
      "GET", "/health",
      [&](const server::Request&, const server::PathParams&) { return EdgeHealth(source, follower, *url); },
      server::Access::kPublic);
  router.Add(
      "GET", "/metrics",
      [&metrics](const server::Request&, const server::PathParams&) {
        server::Response resp;
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
        resp.body = metrics.Render();
        return resp;
      },
      server::Access::kPublic);

  server::ServerOptions sopts;
  sopts.address = opts.host;
  sopts.port = opts.port;
  sopts.api_token = opts.api_token;
  sopts.cors_origins = opts.cors_origins;
  opts.conn.ApplyTo(&sopts);
  sopts.log = [](LogLevel level, const std::string& msg) { Log(level, "http: " + msg); };
  sopts.static_dir = opts.web_dir;
  if (sopts.static_dir.empty() && std::filesystem::exists("web/dist/index.html"))
    sopts.static_dir = "web/dist";
  server::HttpServer http(ioc, sopts, router, source, metrics);
  source.SetBroadcast(
      [&http](server::WsChannel c, const std::vector<server::SharedMessage>& m) { http.Broadcast(c, m); });
  if (Status started = http.Start(); !started) {
    LogError(started.error().message);
    return 1;
  }
  follower.Start();
  LogInfo("edge: listening on http://" + opts.host + ":" + std::to_string(http.port()) + ", following " +
          url->Redacted());
  std::cout << "vntracker: listening on port " << http.port() << std::endl;

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer grace(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    LogInfo("signal " + std::to_string(sig) + ": stopping (bus, WebSockets)");
    http.Stop();
    grace.expires_after(std::chrono::milliseconds(300));
    grace.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
  });
  ioc.run();
  follower.Stop();
  LogInfo("stopped");
  return 0;
}

}  // namespace vnt::app
