#pragma once
// The one request path of the server, with no transport in it: the raw target is parsed once into the
// canonical path (ParseRequestTarget), and that path alone decides authentication, cross-site checks, routing
// and static files. http_server.cpp feeds it parsed requests; the HTTP fuzzer feeds it the same way.

#include <optional>
#include <string>
#include <vector>

#include "http/http_types.h"
#include "server/router.h"

namespace vnt::server {

struct FrontDoorOptions {
  std::string api_token;                  // empty = off; else required by every route not marked public
  std::vector<std::string> cors_origins;  // extra allowed Origins ("*" = any)
  std::string static_dir;                 // the built web app (index.html), empty = none
};

class FrontDoor {
 public:
  FrontDoor(FrontDoorOptions opts, const Router& router) : opts_(std::move(opts)), router_(router) {}

  // Parses req.target into req.path / req.query; a 400 response when the target is refused.
  std::optional<Response> Canonicalise(Request& req) const;
  // Answers a plain HTTP request (Canonicalise first).
  Response Handle(const Request& req) const;
  // A WebSocket upgrade at a canonical path: the refusal (401 token, 403 origin) or nullopt to go on.
  std::optional<Response> CheckUpgrade(const Request& req) const;
  // The Access-Control-Allow-Origin value for a response, empty for none.
  std::string AllowedOrigin(const Request& req) const;
  // The route label for metrics ("unmatched" when none): bounded values.
  std::string RouteLabel(const Request& req) const { return router_.RouteOf(req); }

  bool Authorized(const Request& req) const;
  // True when Origin is absent, the served origin (same host), or listed in cors_origins.
  bool OriginAllowed(const Request& req) const;

 private:
  Response Static(const std::string& path) const;
  // The origin is in cors_origins (or it holds "*").
  bool Listed(const std::string& origin) const;

  FrontDoorOptions opts_;
  const Router& router_;
};

// Equality whose time does not depend on where the inputs differ (tokens).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace vnt::server
