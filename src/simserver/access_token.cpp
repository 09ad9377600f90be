#include "simserver/access_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "simserver/ascii.h"

namespace vnt::simserver {

std::string Base64(std::string_view bytes, bool url_safe) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  if (url_safe) {
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  // OpenSSL decodes the padded standard alphabet only.
  std::string in(text.substr(0, text.find('=')));
  for (char& c : in) c = c == '-' ? '+' : c == '_' ? '/' : c;
  const std::size_t tail = in.size() % 4;
  if (tail == 1) return std::nullopt;
  in.append(tail == 0 ? 0 : 4 - tail, '=');
  std::string out(in.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the bytes that padding stands for.
  out.resize(static_cast<std::size_t>(n) - (tail == 0 ? 0 : 4 - tail));
  return out;
}

bool Credentials::Accepts(std::string_view given_id, std::string_view given_secret) const {
  if (id.empty() && secret.empty()) return !given_id.empty() && !given_secret.empty();
  return given_id == id && given_secret == secret;
}

std::string TokenAuthority::Sign(std::string_view signing_input) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, &len);
  return Base64(std::string_view(reinterpret_cast<const char*>(mac), len), true);
}

namespace {

// The "aud" claim as a JSON string whose bytes base64 never turns into '-' or '_': with 7-bit bytes only the
// third byte of a group can, and only when it is '>', '?', '~' or DEL, so those are written as \u escapes.
// A consumer id with other bytes outside printable ASCII is written in hex.
std::string AudienceJson(std::string_view consumer_id) {
  const bool printable =
      std::all_of(consumer_id.begin(), consumer_id.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  std::string out = "\"";
  for (char c : consumer_id) {
    const auto u = static_cast<unsigned char>(c);
    char buf[8];
    if (!printable) {
      std::snprintf(buf, sizeof buf, "%02x", u);
    } else if (c == '>' || c == '?' || c == '~' || c == '"' || c == '\\') {
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
    } else {
      buf[0] = c;
      buf[1] = '\0';
    }
    out += buf;
  }
  return out + "\"";
}

}  // namespace

std::string TokenAuthority::Mint(std::string_view consumer_id, std::int64_t now) const {
  const std::string header = Base64(R"({"alg":"RS256","typ":"JWT"})", true);
  // No '-' or '_' in the payload's base64 (standard and URL-safe decoders then agree), and no '=' either: the
  // "pad" field grows until the JSON is a multiple of 3 bytes.
  const std::string claims = "\"aud\":" + AudienceJson(consumer_id) + ",\"iat\":" + std::to_string(now) +
                             ",\"exp\":" + std::to_string(now + ttl_s_) + ",\"scope\":\"FCData\",\"pad\":\"";
  std::string json = "{" + claims + "\"}";
  while (json.size() % 3 != 0) json.insert(json.size() - 2, "0");
  const std::string input = header + "." + Base64(json, true);
  return input + "." + Sign(input);
}

bool TokenAuthority::Valid(std::string_view token, std::int64_t now) const {
  const auto first = token.find('.'), last = token.rfind('.');
  if (first == std::string_view::npos || first == last) return false;
  const std::string expected = Sign(token.substr(0, last));
  const std::string_view sig = token.substr(last + 1);
  if (sig.size() != expected.size() || CRYPTO_memcmp(sig.data(), expected.data(), sig.size()) != 0)
    return false;
  const auto json = Base64Decode(token.substr(first + 1, last - first - 1));
  if (!json) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::int64_t exp = 0;
  if (parser.parse(*json).get(root) || root["exp"].get_int64().get(exp)) return false;
  return now < exp;
}

std::string AccessTokenSuccess(std::string_view token) {
  return R"({"message":"Success","status":200,"data":{"accessToken":)" + JsonQuote(token) + "}}";
}

std::string AccessTokenRefused(std::string_view message) {
  return R"({"message":)" + JsonQuote(message) + R"(,"status":401,"data":null})";
}

bool ParseAccessTokenRequest(std::string_view body, std::string* id, std::string* secret) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(body.data(), body.size(), true).get(obj)) return false;
  for (auto field : obj) {
    std::string_view v;
    if (field.value.get_string().get(v)) continue;
    if (IEquals(field.key, "consumerID")) *id = std::string(v);
    if (IEquals(field.key, "consumerSecret")) *secret = std::string(v);
  }
  return true;
}

std::string BearerToken(std::string_view authorization_header, std::string_view access_token_param) {
  const std::string_view h = TrimSpaces(authorization_header);
  if (h.size() > 7 && IEquals(h.substr(0, 7), "bearer ")) return std::string(TrimSpaces(h.substr(7)));
  return std::string(access_token_param);
}

}  // namespace vnt::simserver
