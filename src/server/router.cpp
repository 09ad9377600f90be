#include "server/router.h"

namespace vnt::server {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const std::size_t j = path.find('/', i);
    const std::size_t end = j == std::string::npos ? path.size() : j;
    if (end > i) out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

void Router::Add(std::string method, std::string pattern, Handler handler, Access access) {
  Route r{std::move(method), pattern, SplitPath(pattern), std::move(handler), access};
  routes_.push_back(std::move(r));
}

bool Router::Match(const Route& r, const std::vector<std::string>& segs, PathParams* params) {
  if (r.segments.size() != segs.size()) return false;
  PathParams p;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& want = r.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      p[want.substr(1, want.size() - 2)] = segs[i];
    } else if (want != segs[i]) {
      return false;
    }
  }
  *params = std::move(p);
  return true;
}

RouteMatch Router::Find(const std::string& method, const std::string& path) const {
  const std::vector<std::string> segs = SplitPath(path);
  RouteMatch m;
  for (const Route& r : routes_) {
    PathParams params;
    if (!Match(r, segs, &params)) continue;
    m.path_known = true;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.handler = &r.handler;
      m.pattern = &r.pattern;
      m.access = r.access;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

Response Router::Handle(const Request& req) const {
  const RouteMatch m = Find(req.method, req.path);
  if (m.handler) return (*m.handler)(req, m.params);
  if (m.path_known)
    return ErrorResponse(405, "method_not_allowed", "method " + req.method + " not allowed here");
  return ErrorResponse(404, "not_found", "no such endpoint: " + req.path);
}

std::string Router::RouteOf(const Request& req) const {
  const std::vector<std::string> segs = SplitPath(req.path);
  for (const Route& r : routes_) {
    PathParams params;
    if (Match(r, segs, &params)) return r.pattern;
  }
  return "unmatched";
}

}  // namespace vnt::server
