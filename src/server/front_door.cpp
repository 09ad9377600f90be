#include "server/front_door.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace vnt::server {

namespace {

std::string ContentTypeOf(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                            {".js", "text/javascript; charset=utf-8"},
                                                            {".css", "text/css; charset=utf-8"},
                                                            {".json", "application/json"},
                                                            {".svg", "image/svg+xml"},
                                                            {".png", "image/png"},
                                                            {".ico", "image/x-icon"},
                                                            {".woff2", "font/woff2"},
                                                            {".txt", "text/plain; charset=utf-8"},
                                                            {".map", "application/json"}};
  const auto dot = path.rfind('.');
  if (dot != std::string::npos) {
    auto it = kTypes.find(path.substr(dot));
    if (it != kTypes.end()) return it->second;
  }
  return "application/octet-stream";
}

// Reads a regular file (never a directory, a device or a fifo).
bool ReadRegularFile(const std::string& path, std::string* out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsWrite(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH";
}

// The first segment of a canonical path: "api" for "/api/market/snapshot".
std::string_view FirstSegment(std::string_view path) {
  if (path.size() < 2) return {};
  path.remove_prefix(1);
  return path.substr(0, path.find('/'));
}

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(const std::string& content_type) {
  std::string t = Lower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(t.begin());
  return t;
}

Response Unauthorized() {
  Response r = ErrorResponse(401, "unauthorized", "missing or wrong API token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

Response ForbiddenOrigin() {
  return ErrorResponse(403, "forbidden_origin",
                       "cross-site request refused: the Origin is neither this server nor in CORS_ORIGINS");
}

}  // namespace

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of the longer input is visited; the length difference is folded into the result.
  const std::size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

std::optional<Response> FrontDoor::Canonicalise(Request& req) const {
  auto target = ParseRequestTarget(req.target);
  if (!target) {
    req.path.clear();
    req.query.clear();
    // The sentence only: a refused target's body has no "field" (the wire shape clients know).
    return ErrorResponse(400, "bad_target", target.error().message);
  }
  req.path = std::move(target->path);
  req.query = std::move(target->query);
  return std::nullopt;
}

bool FrontDoor::Authorized(const Request& req) const {
  if (opts_.api_token.empty()) return true;
  const std::string auth = req.Header("authorization");
  if (auth.size() > 7 && Lower(auth.substr(0, 7)) == "bearer " &&
      ConstantTimeEquals(std::string_view(auth).substr(7), opts_.api_token))
    return true;
  auto it = req.query.find("token");
  return it != req.query.end() && ConstantTimeEquals(it->second, opts_.api_token);
}

bool FrontDoor::OriginAllowed(const Request& req) const {
  auto it = req.headers.find("origin");
  if (it == req.headers.end()) return true;  // not a browser's cross-origin request
  const std::string& origin = it->second;
  const std::string host = req.Header("host");
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  return Listed(origin);
}

bool FrontDoor::Listed(const std::string& origin) const {
  for (const std::string& o : opts_.cors_origins)
    if (o == "*" || o == origin) return true;
  return false;
}

std::string FrontDoor::AllowedOrigin(const Request& req) const {
  const std::string origin = req.Header("origin");
  return !origin.empty() && Listed(origin) ? origin : "";
}

std::optional<Response> FrontDoor::CheckUpgrade(const Request& req) const {
  if (!Authorized(req)) return Unauthorized();
  if (!OriginAllowed(req)) return ForbiddenOrigin();
  return std::nullopt;
}

Response FrontDoor::Handle(const Request& req) const {
  if (req.method == "OPTIONS") {
    Response r;
    r.status = 204;
    r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    r.headers.emplace_back("Access-Control-Max-Age", "600");
    return r;
  }
  const RouteMatch m = router_.Find(req.method, req.path);
  if (m.handler) {
    if (m.access == Access::kToken && !Authorized(req)) return Unauthorized();
    if (IsWrite(req.method)) {
      // A page on another site can POST text/plain without a preflight: writes need the served origin
      // (or a listed one) and a JSON body, which a browser only sends cross-site after CORS allows it.
      if (!OriginAllowed(req)) return ForbiddenOrigin();
      if ((req.method == "POST" || req.method == "PUT" || req.method == "PATCH") &&
          MediaType(req.Header("content-type")) != "application/json")
        return ErrorResponse(415, "unsupported_media_type", "the body must be sent as application/json",
                             "Content-Type");
    }
    return (*m.handler)(req, m.params);
  }
  const std::string_view first = FirstSegment(req.path);
  if (first == "api" || first == "ws") {
    if (!Authorized(req)) return Unauthorized();
    if (m.path_known)
      return ErrorResponse(405, "method_not_allowed", "method " + req.method + " not allowed here");
    return ErrorResponse(404, "not_found", "no such endpoint: " + req.path);
  }
  if (req.method != "GET" && req.method != "HEAD")
    return ErrorResponse(405, "method_not_allowed", "method " + req.method + " not allowed here");
  if (!opts_.static_dir.empty()) return Static(req.path);
  if (req.path == "/") {
    // No web app built: a plain page pointing at what does work.
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><meta charset=utf-8><title>VN Stock Tracker</title>"
        "<h1>VN Stock Tracker</h1><p>The web app is not built in this installation; the tracker is "
        "running.</p>"
        "<ul><li><a href=/health>/health</a></li><li><a "
        "href=/api/market/snapshot>/api/market/snapshot</a></li>"
        "<li><a href=/api/market/futures>/api/market/futures</a></li>"
        "<li><a href=/api/market/foreign-detail>/api/market/foreign-detail</a></li>"
        "<li><a href=/metrics>/metrics</a></li><li>WebSocket: /ws/market, /ws/foreign, /ws/index, "
        "/ws/alerts</li></ul>";
    return r;
  }
  return ErrorResponse(404, "not_found", "no such endpoint: " + req.path);
}

// `path` is canonical: no "." or ".." segments, no encoded slashes, no NUL (ParseRequestTarget).
Response FrontDoor::Static(const std::string& path) const {
  Response r;
  std::string file = opts_.static_dir + (path == "/" ? "/index.html" : path);
  if (!ReadRegularFile(file, &r.body)) {
    // Single-page app: a client-side route (/symbol/FPT) gets index.html so that it survives a reload;
    // a missing file (a name with an extension, anything under /assets) or a directory is a 404.
    const std::string_view last = std::string_view(path).substr(path.rfind('/') + 1);
    std::error_code ec;
    if (FirstSegment(path) == "assets" || last.find('.') != std::string_view::npos ||
        std::filesystem::is_directory(file, ec))
      return ErrorResponse(404, "not_found", "no such file: " + path);
    file = opts_.static_dir + "/index.html";
    if (!ReadRegularFile(file, &r.body)) return ErrorResponse(404, "not_found", "no such file: " + path);
  }
  r.content_type = ContentTypeOf(file);
  if (FirstSegment(path) == "assets")
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  return r;
}

}  // namespace vnt::server
