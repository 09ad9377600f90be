#pragma once
// A pure request router: (method, path) -> handler, with {param} path segments. No I/O.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/http_types.h"

namespace vnt::server {

// The transport-neutral request and response (src/http, shared with the SSI sim-server).
using http::ErrorResponse;
using http::JsonResponse;
using http::ParseRequestTarget;
using http::PercentDecode;
using http::Request;
using http::Response;

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

// Who may call a route when the server has an API token: every route needs it unless it says otherwise.
enum class Access { kToken, kPublic };

// What the router found for a (method, path): the route (if any) and whether the path is known at all.
struct RouteMatch {
  const Handler* handler = nullptr;  // null: no route for this method
  const std::string* pattern = nullptr;
  Access access = Access::kToken;
  PathParams params;
  bool path_known = false;  // some method is routed at this path (405 rather than 404)
};

class Router {
 public:
  // Registers a route; pattern segments written {name} match one path segment. First match wins.
  void Add(std::string method, std::string pattern, Handler handler, Access access = Access::kToken);
  // The route for a method and a canonical path (see ParseRequestTarget). HEAD is served by GET routes.
  RouteMatch Find(const std::string& method, const std::string& path) const;
  // Dispatches: 404 for an unknown path, 405 for a known path with another method (OPTIONS is left to
  // the caller for CORS).
  Response Handle(const Request& req) const;
  // The pattern that matches the request ("/api/history/{symbol}/candles"), or "unmatched": bounded
  // label values for metrics.
  std::string RouteOf(const Request& req) const;

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;
    Handler handler;
    Access access;
  };
  static bool Match(const Route& r, const std::vector<std::string>& segs, PathParams* params);
  std::vector<Route> routes_;
};

// "/a/b/c" -> {"a","b","c"}; empty segments are dropped.
std::vector<std::string> SplitPath(const std::string& path);

}  // namespace vnt::server
