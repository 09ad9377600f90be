#pragma once
// Transport-neutral HTTP request/response: the router and the handlers never see Beast types.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace vnt::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as received ("/api//x?y=%20"), parsed by ParseRequestTarget
  std::string path;                            // canonical: decoded, "//" collapsed (ParseRequestTarget)
  std::map<std::string, std::string> query;    // decoded; a repeated key keeps its last value
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string remote;  // peer address
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // A body shared with a cache (sent without copying); when set it replaces `body`.
  std::shared_ptr<const std::string> shared_body;
  const std::string& Body() const { return shared_body ? *shared_body : body; }
  std::vector<std::pair<std::string, std::string>> headers;
};

// A request target split: the canonical path and the decoded query.
struct Target {
  std::string path;                          // "/a/b": each segment percent-decoded once, empty ones dropped
  std::map<std::string, std::string> query;  // a repeated key keeps its last value
};
// Splits "/a/b?x=1&y=%20z" into the canonical path and the decoded query map. An error (kInvalidArgument,
// field "target") when the target does not start with '/', has malformed percent-encoding, a segment "."
// or "..", an encoded '/' or '\\', a control character, NUL, or text that is not UTF-8: such targets are
// refused, never reinterpreted.
Result<Target> ParseRequestTarget(std::string_view target);
// Percent-decoding ('+' is a space in query strings).
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

// {"error":{"code":code,"message":message[,"field":field]}} with the given status.
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view field = {});
// The same for an Error: its message, and its field when it has one.
Response ErrorResponse(int status, std::string_view code, const Error& error);
// 200 with a JSON body.
Response JsonResponse(std::string body, int status = 200);

}  // namespace vnt::http
