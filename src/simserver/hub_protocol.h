#pragma once
// The server side of SSI FastConnect Data v2 (../shared/ssi/fastconnect-v2.md §1-§3, §7), without I/O:
// request parameters bound like ASP.NET (any case, optional "lookupRequest." prefix), JWT-shaped access
// tokens with an 8 h exp, the classic SignalR 2 negotiate reply with the protocol echoed and clamped,
// channel specs ("X-TRADE:ACB-FPT,MI:VN30"), subscriptions, hub invocations and the frames the hub sends.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vnt::simserver {

inline constexpr std::string_view kHub = "FcMarketDataV2Hub";

// Query parameters: names compared case-insensitively, "lookupRequest." stripped; values percent-decoded.
class Params {
 public:
  explicit Params(std::string_view query);
  // The value of `name`, or nullopt when absent.
  std::optional<std::string> Get(std::string_view name) const;

 private:
  std::map<std::string, std::string> values_;  // lower-cased name -> value
};

// Base64 (standard alphabet with padding, or URL-safe without) of bytes.
std::string Base64(std::string_view bytes, bool url_safe);

// Mints and checks the access tokens: header {"alg":"RS256","typ":"JWT"}, payload {aud, iat, exp, scope}
// whose base64 has no '-' or '_' (the Python SDK decodes it with the standard alphabet), and an
// HMAC-SHA256 signature under a server secret, so tokens survive a restart with the same secret.
class TokenAuthority {
 public:
  TokenAuthority(std::string secret, std::int64_t ttl_s) : secret_(std::move(secret)), ttl_s_(ttl_s) {}
  std::string Mint(std::string_view consumer_id, std::int64_t now) const;
  // True for a token this authority minted that has not expired at `now`.
  bool Valid(std::string_view token, std::int64_t now) const;
  std::int64_t ttl_s() const { return ttl_s_; }

 private:
  std::string Sign(std::string_view signing_input) const;
  std::string secret_;
  std::int64_t ttl_s_;
};

// The AccessToken replies: exactly {"message","status","data"} (the Python SDK rejects extra keys).
std::string AccessTokenSuccess(std::string_view token);
std::string AccessTokenRefused(std::string_view message);  // HTTP 200, status 401, data null
// Reads consumerID / consumerSecret (keys in any case) from the JSON body; false when malformed.
bool ParseAccessTokenRequest(std::string_view body, std::string* id, std::string* secret);

// The REST envelope {"data":[...],"message":"Success","status":"Success","totalRecord":N}.
std::string Envelope(std::string_view data_array, std::int64_t total);
// An error envelope: {"data":null,"message":"...","status":"<status>","totalRecord":0}.
std::string ErrorEnvelope(std::string_view message, std::string_view status = "BadRequest");
// {"message":"Missing Authorization header","status":401}: SSI's REST answer without a valid token.
std::string UnauthorizedBody();

// ---- SignalR ----

// The client's clientProtocol echoed, clamped to [1.2, 2.1]; "1.5" when absent or not a number.
std::string NegotiatedProtocol(std::string_view requested);
std::string NegotiateReply(std::string_view protocol, std::string_view connection_token,
                           std::string_view connection_id, double keep_alive_s, double disconnect_s);
// {"C":"<cursor>","S":1,"M":[]} on connect; {"C":"<cursor>","T":1,"M":[]} on reconnect.
std::string InitFrame(std::string_view cursor, bool reconnect);
// Completion of invocation `id` (always a string in the reply), with "E" when error is given.
std::string Completion(std::string_view id, const std::string* error);
// The hub calling the client's Error method.
std::string ErrorCall(std::string_view cursor, std::string_view message);

// A client -> server hub invocation {"H":..,"M":..,"A":[..],"I":..} (I a number or a string).
struct Invocation {
  std::string hub, method, id;
  std::vector<std::string> args;  // string arguments (others as their JSON text)
};
std::optional<Invocation> ParseInvocation(std::string_view text, std::string* error);
bool HubMatches(std::string_view hub);  // case-insensitive

// Channel types of SwitchChannels.
enum class Channel : std::uint8_t { kF, kX, kXQuote, kXTrade, kR, kMI, kB, kOL, kCount };
std::optional<Channel> ChannelOf(std::string_view data_type);  // case-insensitive, spaces trimmed
std::string_view ChannelName(Channel c);

struct ChannelSpec {
  Channel channel = Channel::kX;
  bool all = false;
  std::set<std::string> symbols;  // upper-cased
};
// "X-TRADE:ACB-FPT,MI:VN30, R : ALL"; nullopt with *error naming the bad part.
std::optional<std::vector<ChannelSpec>> ParseChannels(std::string_view arg, std::string* error);

// What a connection receives. Additive: a new list for a type replaces that type's list and leaves the
// other types alone; replace: a SwitchChannels call replaces everything.
class Subscription {
 public:
  void Switch(const std::vector<ChannelSpec>& specs, bool replace_all);
  bool Matches(Channel c, std::string_view symbol) const;  // symbol upper-case
  bool empty() const;

 private:
  std::optional<ChannelSpec> by_channel_[static_cast<int>(Channel::kCount)];
};

}  // namespace vnt::simserver
