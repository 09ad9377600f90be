#include "simserver/hub_protocol.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace vnt::simserver {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
std::string Decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    else if (c == '=') break;
    else return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

Params::Params(std::string_view query) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string name = Lower(Decode(pair.substr(0, eq)));
    if (name.rfind("lookuprequest.", 0) == 0) name.erase(0, 14);
    values_[name] = eq == std::string_view::npos ? std::string() : Decode(pair.substr(eq + 1));
  }
}

std::optional<std::string> Params::Get(std::string_view name) const {
  auto it = values_.find(Lower(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Base64(std::string_view bytes, bool url_safe) {
  static const char* kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char* kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* a = url_safe ? kUrl : kStd;
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
    out += a[(n >> 18) & 63];
    out += a[(n >> 12) & 63];
    out += a[(n >> 6) & 63];
    out += a[n & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += a[(n >> 18) & 63];
    out += a[(n >> 12) & 63];
    if (i + 1 < bytes.size()) {
      out += a[(n >> 6) & 63];
    } else if (!url_safe) {
      out += '=';
    }
    if (!url_safe) out += '=';
  }
  return out;
}

std::string TokenAuthority::Sign(std::string_view signing_input) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, &len);
  return Base64(std::string_view(reinterpret_cast<const char*>(mac), len), true);
}

std::string TokenAuthority::Mint(std::string_view consumer_id, std::int64_t now) const {
  const std::string header = Base64(R"({"alg":"RS256","typ":"JWT"})", true);
  // Pad the payload until its base64 has no '-' or '_' (then standard and URL-safe decoding agree) and
  // needs no '=' padding.
  std::string payload, pad;
  for (int i = 0; i < 64; ++i) {
    const std::string json = "{\"aud\":" + JsonString(consumer_id) + ",\"iat\":" + std::to_string(now) +
                             ",\"exp\":" + std::to_string(now + ttl_s_) + ",\"scope\":\"FCData\",\"nonce\":\"" +
                             pad + "\"}";
    payload = Base64(json, true);
    if (payload.find_first_of("-_") == std::string::npos && json.size() % 3 == 0) break;
    pad += 'x';
  }
  const std::string input = header + "." + payload;
  return input + "." + Sign(input);
}

bool TokenAuthority::Valid(std::string_view token, std::int64_t now) const {
  const auto dot = token.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string expected = Sign(token.substr(0, dot));
  const std::string_view sig = token.substr(dot + 1);
  if (sig.size() != expected.size() || CRYPTO_memcmp(sig.data(), expected.data(), sig.size()) != 0) return false;
  const auto first = token.find('.');
  auto json = Base64UrlDecode(token.substr(first + 1, dot - first - 1));
  if (!json) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::int64_t exp = 0;
  if (parser.parse(*json).get(root) || root["exp"].get_int64().get(exp)) return false;
  return now < exp;
}

std::string AccessTokenSuccess(std::string_view token) {
  return R"({"message":"Success","status":200,"data":{"accessToken":)" + JsonString(token) + "}}";
}

std::string AccessTokenRefused(std::string_view message) {
  return R"({"message":)" + JsonString(message) + R"(,"status":401,"data":null})";
}

bool ParseAccessTokenRequest(std::string_view body, std::string* id, std::string* secret) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (parser.parse(body.data(), body.size(), true).get(root) || root.get_object().get(obj)) return false;
  for (auto field : obj) {
    std::string_view v;
    if (field.value.get_string().get(v)) continue;
    const std::string key = Lower(field.key);
    if (key == "consumerid") *id = std::string(v);
    if (key == "consumersecret") *secret = std::string(v);
  }
  return true;
}

std::string Envelope(std::string_view data_array, std::int64_t total) {
  return R"({"data":)" + std::string(data_array) + R"(,"message":"Success","status":"Success","totalRecord":)" +
         std::to_string(total) + "}";
}

std::string ErrorEnvelope(std::string_view message, std::string_view status) {
  return R"({"data":null,"message":)" + JsonString(message) + R"(,"status":)" + JsonString(status) +
         R"(,"totalRecord":0})";
}

std::string UnauthorizedBody() { return R"({"message":"Missing Authorization header","status":401})"; }

std::string NegotiatedProtocol(std::string_view requested) {
  double v = 0;
  auto [p, ec] = std::from_chars(requested.data(), requested.data() + requested.size(), v);
  if (requested.empty() || ec != std::errc() || p != requested.data() + requested.size()) return "1.5";
  if (v < 1.2) return "1.2";
  if (v > 2.1) return "2.1";
  return std::string(requested);
}

std::string NegotiateReply(std::string_view protocol, std::string_view connection_token,
                           std::string_view connection_id, double keep_alive_s, double disconnect_s) {
  char nums[160];
  std::snprintf(nums, sizeof nums,
                R"("KeepAliveTimeout":%.1f,"DisconnectTimeout":%.1f,"ConnectionTimeout":110.0,"TryWebSockets":true,)",
                2 * keep_alive_s, disconnect_s);
  return R"({"Url":"/v2.0/signalr","ConnectionToken":)" + JsonString(connection_token) + R"(,"ConnectionId":)" +
         JsonString(connection_id) + "," + nums + R"("ProtocolVersion":)" + JsonString(protocol) +
         R"(,"TransportConnectTimeout":5.0,"LongPollDelay":0.0})";
}

std::string InitFrame(std::string_view cursor, bool reconnect) {
  return R"({"C":)" + JsonString(cursor) + (reconnect ? R"(,"T":1,"M":[]})" : R"(,"S":1,"M":[]})");
}

std::string Completion(std::string_view id, const std::string* error) {
  std::string out = R"({"I":)" + JsonString(id);
  if (error) out += R"(,"E":)" + JsonString(*error);
  return out + "}";
}

std::string ErrorCall(std::string_view cursor, std::string_view message) {
  return R"({"C":)" + JsonString(cursor) + R"(,"M":[{"H":"FcMarketDataV2Hub","M":"Error","A":[)" +
         JsonString(message) + "]}]}";
}

std::optional<Invocation> ParseInvocation(std::string_view text, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (parser.parse(text.data(), text.size(), true).get(root) || root.get_object().get(obj)) {
    *error = "not a JSON object";
    return std::nullopt;
  }
  Invocation inv;
  bool has_method = false, has_id = false;
  for (auto field : obj) {
    const std::string key = Lower(field.key);
    std::string_view s;
    if (key == "h" && !field.value.get_string().get(s)) {
      inv.hub = std::string(s);
    } else if (key == "m" && !field.value.get_string().get(s)) {
      inv.method = std::string(s);
      has_method = true;
    } else if (key == "i") {
      std::int64_t n;
      if (!field.value.get_string().get(s)) {
        inv.id = std::string(s);
        has_id = true;
      } else if (!field.value.get_int64().get(n)) {
        inv.id = std::to_string(n);
        has_id = true;
      }
    } else if (key == "a") {
      simdjson::dom::array args;
      if (field.value.get_array().get(args)) continue;
      for (simdjson::dom::element a : args) {
        if (!a.get_string().get(s)) {
          inv.args.emplace_back(s);
        } else {
          inv.args.push_back(simdjson::minify(a));
        }
      }
    }
  }
  if (!has_method || !has_id) {
    *error = "an invocation needs M and I";
    return std::nullopt;
  }
  return inv;
}

bool HubMatches(std::string_view hub) { return Lower(hub) == Lower(kHub); }

std::optional<Channel> ChannelOf(std::string_view data_type) {
  const std::string t = Upper(Trim(data_type));
  static const std::pair<const char*, Channel> kNames[] = {
      {"F", Channel::kF},   {"X", Channel::kX},   {"X-QUOTE", Channel::kXQuote}, {"X-TRADE", Channel::kXTrade},
      {"R", Channel::kR},   {"MI", Channel::kMI}, {"B", Channel::kB},            {"OL", Channel::kOL}};
  for (const auto& [name, c] : kNames) {
    if (t == name) return c;
  }
  return std::nullopt;
}

std::string_view ChannelName(Channel c) {
  static const char* kNames[] = {"F", "X", "X-QUOTE", "X-TRADE", "R", "MI", "B", "OL"};
  return kNames[static_cast<int>(c)];
}

std::optional<std::vector<ChannelSpec>> ParseChannels(std::string_view arg, std::string* error) {
  std::vector<ChannelSpec> out;
  while (true) {
    const auto comma = arg.find(',');
    const std::string_view part = Trim(arg.substr(0, comma));
    if (!part.empty()) {
      const auto colon = part.find(':');
      if (colon == std::string_view::npos) {
        *error = "Invalid channel '" + std::string(part) + "': expected TYPE:SYMBOLS";
        return std::nullopt;
      }
      auto ch = ChannelOf(part.substr(0, colon));
      if (!ch) {
        *error = "Invalid channel type '" + std::string(Trim(part.substr(0, colon))) + "'";
        return std::nullopt;
      }
      ChannelSpec spec;
      spec.channel = *ch;
      std::string_view list = Trim(part.substr(colon + 1));
      if (list.empty()) {
        *error = "Invalid channel '" + std::string(part) + "': no symbols";
        return std::nullopt;
      }
      if (Upper(list) == "ALL") {
        spec.all = true;
      } else {
        while (!list.empty()) {
          const auto dash = list.find('-');
          const std::string_view sym = Trim(list.substr(0, dash));
          if (sym.empty() || sym.size() > 20) {
            *error = "Invalid symbol list in '" + std::string(part) + "'";
            return std::nullopt;
          }
          spec.symbols.insert(Upper(sym));
          if (dash == std::string_view::npos) break;
          list.remove_prefix(dash + 1);
        }
      }
      out.push_back(std::move(spec));
    }
    if (comma == std::string_view::npos) break;
    arg.remove_prefix(comma + 1);
  }
  if (out.empty()) {
    *error = "Invalid channel: empty";
    return std::nullopt;
  }
  return out;
}

void Subscription::Switch(const std::vector<ChannelSpec>& specs, bool replace_all) {
  if (replace_all) {
    for (auto& c : by_channel_) c.reset();
  }
  std::optional<ChannelSpec> fresh[static_cast<int>(Channel::kCount)];
  for (const ChannelSpec& s : specs) {
    auto& slot = fresh[static_cast<int>(s.channel)];
    if (!slot) {
      slot = s;
    } else {
      // Several specs of one type in one call add up.
      slot->all = slot->all || s.all;
      slot->symbols.insert(s.symbols.begin(), s.symbols.end());
    }
  }
  for (int i = 0; i < static_cast<int>(Channel::kCount); ++i) {
    if (fresh[i]) by_channel_[i] = fresh[i];
  }
}

bool Subscription::Matches(Channel c, std::string_view symbol) const {
  const auto& slot = by_channel_[static_cast<int>(c)];
  if (!slot) return false;
  return slot->all || slot->symbols.count(std::string(symbol)) > 0;
}

bool Subscription::empty() const {
  return std::none_of(std::begin(by_channel_), std::end(by_channel_), [](const auto& s) { return s.has_value(); });
}

}  // namespace vnt::simserver
