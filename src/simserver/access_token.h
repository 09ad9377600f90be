#pragma once
// The AccessToken endpoint of SSI FastConnect Data v2 (fastconnect-v2.md §1), without I/O: the request
// body, the exact replies, JWT-shaped tokens with an 8 h `exp`, and the Bearer token of a request.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vnt::simserver {

// Base64 of bytes: the standard alphabet with '=' padding, or the URL-safe one without padding.
std::string Base64(std::string_view bytes, bool url_safe);
// Decodes either alphabet, with or without padding; nullopt on another character.
std::optional<std::string> Base64Decode(std::string_view text);

// The credentials the server accepts: one ConsumerID/ConsumerSecret pair, or (both empty) any non-empty pair.
struct Credentials {
  std::string id, secret;
  bool Accepts(std::string_view given_id, std::string_view given_secret) const;
};

// Mints and checks access tokens: header {"alg":"RS256","typ":"JWT"}, payload {aud, iat, exp, scope, pad}
// whose base64 has no '-', '_' or '=' (the Python SDK decodes it with the standard alphabet), and an
// HMAC-SHA256 signature under the server's secret, so the server can tell its own tokens apart.
class TokenAuthority {
 public:
  TokenAuthority(std::string secret, std::int64_t ttl_s) : secret_(std::move(secret)), ttl_s_(ttl_s) {}
  // A token for `consumer_id` issued at `now` (Unix seconds), expiring at now + ttl.
  std::string Mint(std::string_view consumer_id, std::int64_t now) const;
  // True for a token this authority minted that has not expired at `now`.
  bool Valid(std::string_view token, std::int64_t now) const;

 private:
  std::string Sign(std::string_view signing_input) const;
  std::string secret_;
  std::int64_t ttl_s_;
};

// Exactly {"message":"Success","status":200,"data":{"accessToken":"<token>"}} (the Python SDK rejects
// any extra key).
std::string AccessTokenSuccess(std::string_view token);
// {"message":"<message>","status":401,"data":null}, sent with HTTP 200 like SSI's other refusals.
std::string AccessTokenRefused(std::string_view message);
// Reads consumerID / consumerSecret (keys in any case: .NET sends ConsumerID) from a JSON body; false when
// the body is not a JSON object.
bool ParseAccessTokenRequest(std::string_view body, std::string* id, std::string* secret);

// The token of a request: "Authorization: Bearer <t>" (scheme in any case), else the access_token query
// parameter (the Java SDK); empty when neither is given.
std::string BearerToken(std::string_view authorization_header, std::string_view access_token_param);

}  // namespace vnt::simserver
