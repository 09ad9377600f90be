#include "http/http_types.h"

#include "api/json_writer.h"

namespace vnt::http {

namespace {
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = Hex(in[i + 1]), lo = Hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

namespace {
Error BadTarget(const char* why) {
  return Error{ErrorCode::kInvalidArgument, why, "target"};
}
}  // namespace

// The one place a request target becomes the path that auth, routing and static files all use: each
// segment is decoded once; empty segments collapse ("//api" is "/api"); a segment that decodes to "."
// or "..", or holds '/', '\\' or NUL, is refused rather than reinterpreted.
Result<Target> ParseRequestTarget(std::string_view target) {
  Target out;
  std::string* const path = &out.path;
  std::map<std::string, std::string>* const query = &out.query;
  if (target.empty() || target.front() != '/') return BadTarget("the request target must start with /");
  const std::size_t q = target.find('?');
  std::string_view raw = target.substr(0, q);
  std::string seg;
  while (!raw.empty()) {
    const std::size_t slash = raw.find('/');
    const std::string_view piece = raw.substr(0, slash);
    raw = slash == std::string_view::npos ? std::string_view() : raw.substr(slash + 1);
    if (piece.empty()) continue;
    if (!PercentDecode(piece, false, &seg)) return BadTarget("malformed percent-encoding in the path");
    if (seg == "." || seg == "..") return BadTarget("the path may not contain . or .. segments");
    for (char c : seg) {
      if (c == '/' || c == '\\') return BadTarget("the path may not contain encoded slashes");
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return BadTarget("the path may not contain control characters");
    }
    if (!IsValidUtf8(seg)) return BadTarget("the path is not valid UTF-8");
    path->push_back('/');
    *path += seg;
  }
  if (path->empty()) path->push_back('/');
  if (q == std::string_view::npos) return out;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      std::string k, v;
      if (!PercentDecode(pair.substr(0, eq), true, &k))
        return BadTarget("malformed percent-encoding in the query");
      if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &v))
        return BadTarget("malformed percent-encoding in the query");
      if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos)
        return BadTarget("the query may not contain NUL");
      if (!IsValidUtf8(k) || !IsValidUtf8(v)) return BadTarget("the query is not valid UTF-8");
      (*query)[k] = v;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

Response ErrorResponse(int status, std::string_view code, std::string_view message, std::string_view field) {
  Response r;
  r.status = status;
  api::JsonWriter w(&r.body);
  // Messages echo what the client sent (a symbol, a path): capped, so a 10,000-character name is not
  // sent back whole. The writer replaces invalid UTF-8.
  w.BeginObject().Key("error").BeginObject().Field("code", code).Field("message", TruncateUtf8(message, 240));
  if (!field.empty()) w.Field("field", TruncateUtf8(field, 64));
  w.EndObject().EndObject();
  return r;
}

Response ErrorResponse(int status, std::string_view code, const Error& error) {
  return ErrorResponse(status, code, error.message, error.field);
}

Response JsonResponse(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace vnt::http
