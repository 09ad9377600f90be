// The one request path: canonical targets, the token on every non-public route, cross-site writes,
// static files. No sockets: the same FrontDoor the server and the HTTP fuzzer use.
#include "server/front_door.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/types.h"

namespace vnt::server {
namespace {

Router MakeRouter() {
  Router r;
  r.Add(
      "GET", "/health", [](const Request&, const PathParams&) { return JsonResponse("{\"status\":\"ok\"}"); },
      Access::kPublic);
  r.Add("GET", "/api/market/snapshot", [](const Request&, const PathParams&) { return JsonResponse("[]"); });
  r.Add("POST", "/api/alerts/rules",
        [](const Request&, const PathParams&) { return JsonResponse("{}", 201); });
  r.Add("DELETE", "/api/alerts/rules/{id}", [](const Request&, const PathParams&) {
    Response x;
    x.status = 204;
    return x;
  });
  return r;
}

Request Make(std::string method, std::string target) {
  Request q;
  q.method = std::move(method);
  q.target = std::move(target);
  q.headers["host"] = "127.0.0.1:8000";
  return q;
}

// Canonicalises, then handles: what the server does with one request.
Response Serve(const FrontDoor& door, Request q) {
  if (auto refusal = door.Canonicalise(q)) return *refusal;
  return door.Handle(q);
}

TEST(ParseTargetCanonical, CollapsesSlashesAndRefusesWhatCouldBeReinterpreted) {
  EXPECT_EQ(ParseRequestTarget("//api///market/snapshot/")->path, "/api/market/snapshot");
  EXPECT_EQ(ParseRequestTarget("/")->path, "/");
  const auto t = ParseRequestTarget("/api/market/symbol/F%50T?x=%C3%A1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/api/market/symbol/FPT");
  EXPECT_EQ(t->query.at("x"), "\xC3\xA1");
  for (const char* bad : {"/%2Fapi/market/snapshot", "/api%2fmarket", "/api/%2e%2e/x", "/api/../x", "/./api",
                          "/a%00b", "/a%5Cb", "/a?x=%00", "/a%ff", "/a?x=%C3%28", "api/x", "*",
                          "http://evil/api", "/a%zz", "/a?b=%4", "/a%0a"}) {
    const auto refused = ParseRequestTarget(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().field, "target") << bad;
    EXPECT_FALSE(refused.error().message.empty()) << bad;
  }
}

TEST(FrontDoor, ARefusedTargetIsA400WithTheParsersSentenceAndNoField) {
  const Router router = MakeRouter();
  const FrontDoor door(FrontDoorOptions{"", {}, ""}, router);
  Request q = Make("GET", "/api/%2e%2e/x?a=1");
  q.path = "/stale";
  q.query["stale"] = "1";
  const auto refusal = door.Canonicalise(q);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 400);
  EXPECT_EQ(refusal->body,
            R"({"error":{"code":"bad_target","message":"the path may not contain . or .. segments"}})");
  EXPECT_TRUE(q.path.empty());
  EXPECT_TRUE(q.query.empty());
  Request good = Make("GET", "//api/market/snapshot?symbols=FPT");
  EXPECT_FALSE(door.Canonicalise(good).has_value());
  EXPECT_EQ(good.path, "/api/market/snapshot");
  EXPECT_EQ(good.query.at("symbols"), "FPT");
}

TEST(FrontDoor, TheTokenGuardsEverySpellingOfAProtectedPath) {
  const Router router = MakeRouter();
  const FrontDoor door(FrontDoorOptions{"s3cret", {}, ""}, router);
  for (const char* t : {"/api/market/snapshot", "//api/market/snapshot", "///api/market/snapshot",
                        "/api//market/snapshot", "/api/market/snapshot/", "/api/nope", "//api/nope"}) {
    EXPECT_EQ(Serve(door, Make("GET", t)).status, 401) << t;
  }
  for (const char* t : {"/%2Fapi/market/snapshot", "/api/%2e%2e/api/market/snapshot"})
    EXPECT_EQ(Serve(door, Make("GET", t)).status, 400) << t;
  Request post = Make("POST", "//api/alerts/rules");
  post.headers["content-type"] = "application/json";
  EXPECT_EQ(Serve(door, post).status, 401);
  EXPECT_EQ(Serve(door, Make("DELETE", "///api/alerts/rules/1")).status, 401);
  // The right token, by header (any case of the scheme) or query; a wrong one of the same length fails.
  Request ok = Make("GET", "//api/market/snapshot");
  ok.headers["authorization"] = "bearer s3cret";
  EXPECT_EQ(Serve(door, ok).status, 200);
  EXPECT_EQ(Serve(door, Make("GET", "/api/market/snapshot?token=s3cret")).status, 200);
  EXPECT_EQ(Serve(door, Make("GET", "/api/market/snapshot?token=s3creT")).status, 401);
  ok.headers["authorization"] = "Bearer s3cre";
  EXPECT_EQ(Serve(door, ok).status, 401);
  // Public routes stay public; an upgrade needs the token like any route.
  EXPECT_EQ(Serve(door, Make("GET", "//health")).status, 200);
  Request ws = Make("GET", "/ws/market");
  ASSERT_FALSE(door.Canonicalise(ws));
  ASSERT_TRUE(door.CheckUpgrade(ws));
  EXPECT_EQ(door.CheckUpgrade(ws)->status, 401);
}

TEST(FrontDoor, WritesNeedJsonAndTheServedOrAListedOrigin) {
  const Router router = MakeRouter();
  const FrontDoor door(FrontDoorOptions{"", {"http://allowed.example"}, ""}, router);
  Request post = Make("POST", "/api/alerts/rules");
  post.body = "{}";
  post.headers["content-type"] = "text/plain";
  EXPECT_EQ(Serve(door, post).status, 415);
  post.headers["content-type"] = "Application/JSON; charset=utf-8";
  EXPECT_EQ(Serve(door, post).status, 201);
  post.headers["origin"] = "http://evil.example";
  EXPECT_EQ(Serve(door, post).status, 403);
  post.headers["origin"] = "null";
  EXPECT_EQ(Serve(door, post).status, 403);
  post.headers["origin"] = "http://127.0.0.1:8000";  // the served origin
  EXPECT_EQ(Serve(door, post).status, 201);
  post.headers["origin"] = "http://allowed.example";
  EXPECT_EQ(Serve(door, post).status, 201);
  Request del = Make("DELETE", "/api/alerts/rules/3");
  del.headers["origin"] = "http://evil.example";
  EXPECT_EQ(Serve(door, del).status, 403);
  Request ws = Make("GET", "/ws/market");
  ws.headers["origin"] = "http://evil.example";
  ASSERT_FALSE(door.Canonicalise(ws));
  ASSERT_TRUE(door.CheckUpgrade(ws));
  EXPECT_EQ(door.CheckUpgrade(ws)->status, 403);
  ws.headers["origin"] = "http://127.0.0.1:8000";
  EXPECT_FALSE(door.CheckUpgrade(ws));
}

TEST(FrontDoor, StaticFilesDirectoriesAndClientRoutes) {
  const auto dir = std::filesystem::temp_directory_path() / ("vnt-door-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html>";
  std::ofstream(dir / "assets" / "app.js") << "x";
  const Router router = MakeRouter();
  const FrontDoor door(FrontDoorOptions{"tok", {}, dir.string()}, router);
  Response r = Serve(door, Make("GET", "/assets/app.js"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Serve(door, Make("GET", "/assets")).status, 404);
  EXPECT_EQ(Serve(door, Make("GET", "/assets/")).status, 404);
  EXPECT_EQ(Serve(door, Make("GET", "/assets/missing.js")).status, 404);
  EXPECT_EQ(Serve(door, Make("GET", "/favicon.ico")).status, 404);
  r = Serve(door, Make("GET", "/symbol/FPT"));  // a client-side route: the app, without the token
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html>");
  EXPECT_EQ(Serve(door, Make("GET", "/")).status, 200);
  // The API is never answered by the app's index.html.
  EXPECT_EQ(Serve(door, Make("GET", "/api/unknown?token=tok")).status, 404);
  std::filesystem::remove_all(dir);
}

TEST(FrontDoor, ErrorBodiesAreValidUtf8AndCapped) {
  const Router router = MakeRouter();
  const FrontDoor door(FrontDoorOptions{}, router);
  const Response r = Serve(door, Make("GET", "/api/" + std::string(10000, 'A')));
  EXPECT_EQ(r.status, 404);
  EXPECT_LT(r.body.size(), 400u);
  EXPECT_TRUE(IsValidUtf8(r.body));
  const Response e = ErrorResponse(400, "bad", std::string("caf\xC3\xA9 \xff\xfe end"), "f\xC3");
  EXPECT_TRUE(IsValidUtf8(e.body)) << e.body;
  EXPECT_NE(e.body.find("caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD end"), std::string::npos) << e.body;
}

TEST(ConstantTimeEquals, ComparesEveryLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
}

}  // namespace
}  // namespace vnt::server
