#include "ssi/protocol.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace vnt::ssi {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The member of an object whose key equals `key` ignoring case (.NET servers and clients mix cases).
using Element = simdjson::simdjson_result<simdjson::dom::element>;
Element Of(simdjson::dom::element e) {
  return Element(std::move(e));
}
Element Member(simdjson::dom::object obj, std::string_view key) {
  for (auto field : obj) {
    if (IEquals(field.key, key)) return Of(field.value);
  }
  return Element(simdjson::NO_SUCH_FIELD);
}

bool Parse(std::string_view text, simdjson::dom::parser& parser, simdjson::dom::element* out) {
  return !parser.parse(text.data(), text.size(), true).get(*out);
}

// A JSON number or numeric string as a double.
std::optional<double> Number(Element e) {
  double d;
  if (!e.get_double().get(d)) return d;
  std::int64_t i;
  if (!e.get_int64().get(i)) return static_cast<double>(i);
  std::string_view s;
  if (!e.get_string().get(s)) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return v;
  }
  return std::nullopt;
}

std::string String(Element e) {
  std::string_view s;
  if (!e.get_string().get(s)) return std::string(s);
  std::int64_t i;
  if (!e.get_int64().get(i)) return std::to_string(i);
  return {};
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static const char* kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Standard or URL-safe base64 with optional padding; nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string TransportQuery(std::string_view protocol, std::string_view conn_token) {
  return "transport=webSockets&clientProtocol=" + UrlEncode(protocol) +
         "&connectionToken=" + UrlEncode(conn_token) + "&connectionData=" + ConnectionData();
}

}  // namespace

std::string BaseUrl::HostHeader() const {
  const std::uint16_t def = tls ? 443 : 80;
  return port == def ? host : host + ":" + std::to_string(port);
}

Result<BaseUrl> ParseBaseUrl(std::string_view url) {
  const auto bad = [](std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message), "url"};
  };
  BaseUrl out;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    return bad("no scheme (expected https://, http://, wss:// or ws://)");
  }
  const std::string_view scheme = url.substr(0, sep);
  if (IEquals(scheme, "https") || IEquals(scheme, "wss")) {
    out.tls = true;
  } else if (!IEquals(scheme, "http") && !IEquals(scheme, "ws")) {
    return bad("unsupported scheme '" + std::string(scheme) + "'");
  }
  std::string_view rest = url.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return bad("a base URL takes no query or fragment");
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.path = std::string(path);
  out.port = out.tls ? 443 : 80;
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    const std::string_view p = authority.substr(colon + 1);
    unsigned v = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || v == 0 || v > 65535) {
      return bad("bad port '" + std::string(p) + "'");
    }
    out.port = static_cast<std::uint16_t>(v);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) {
    return bad("no host");
  }
  out.host = std::string(authority);
  return out;
}

std::string UrlEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string AccessTokenRequestBody(std::string_view consumer_id, std::string_view consumer_secret) {
  return "{\"consumerID\":\"" + JsonEscape(consumer_id) + "\",\"consumerSecret\":\"" +
         JsonEscape(consumer_secret) + "\"}";
}

TokenReply ParseAccessTokenReply(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (!Parse(body, parser, &root) || root.get_object().get(obj)) {
    return {{}, "AccessToken reply is not a JSON object"};
  }
  const std::optional<double> status = Number(Member(obj, "status"));
  const std::string message = String(Member(obj, "message"));
  if (!status || *status != 200) {
    return {{}, message.empty() ? "AccessToken refused (no message)" : message};
  }
  simdjson::dom::object data;
  if (Member(obj, "data").get_object().get(data)) return {{}, "AccessToken reply has no data object"};
  std::string token = String(Member(data, "accessToken"));
  if (token.empty()) return {{}, "AccessToken reply has no data.accessToken"};
  return {std::move(token), {}};
}

std::optional<std::int64_t> JwtExpiry(std::string_view token) {
  const auto a = token.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = token.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  const std::optional<std::string> payload = Base64Decode(token.substr(a + 1, b - a - 1));
  if (!payload) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (!Parse(*payload, parser, &root) || root.get_object().get(obj)) return std::nullopt;
  const std::optional<double> exp = Number(Member(obj, "exp"));
  if (!exp || !std::isfinite(*exp)) return std::nullopt;
  return static_cast<std::int64_t>(*exp);
}

bool TokenNeedsRefresh(std::int64_t issued, std::int64_t exp, std::int64_t now) {
  const std::int64_t margin = std::min<std::int64_t>(3600, std::max<std::int64_t>(0, exp - issued) / 4);
  return now >= exp - margin;
}

namespace {

// The "data" array of a REST envelope; an error (kParse, or kRejected with the server's message) naming
// `what`.
Status EnvelopeData(std::string_view body, std::string_view what, simdjson::dom::parser& parser,
                    simdjson::dom::array* data) {
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (!Parse(body, parser, &root) || root.get_object().get(obj)) {
    return Error{ErrorCode::kParse, std::string(what) + " reply is not a JSON object"};
  }
  if (Member(obj, "data").get_array().get(*data)) {
    const std::string message = String(Member(obj, "message"));
    return Error{ErrorCode::kRejected,
                 std::string(what) + " failed: " + (message.empty() ? std::string("no data") : message)};
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> ParseIndexComponents(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::array data;
  if (Status st = EnvelopeData(body, "IndexComponents", parser, &data); !st) return std::move(st).error();
  std::vector<std::string> out;
  for (simdjson::dom::element entry : data) {
    simdjson::dom::object e;
    simdjson::dom::array comps;
    if (entry.get_object().get(e) || Member(e, "IndexComponent").get_array().get(comps)) continue;
    for (simdjson::dom::element c : comps) {
      simdjson::dom::object co;
      if (c.get_object().get(co)) continue;
      std::string sym = String(Member(co, "StockSymbol"));
      if (!sym.empty() && std::find(out.begin(), out.end(), sym) == out.end()) out.push_back(std::move(sym));
    }
  }
  if (out.empty()) return Error{ErrorCode::kNotFound, "IndexComponents returned no symbols"};
  return out;
}

Result<std::vector<std::string>> ParseSecurities(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::array data;
  if (Status st = EnvelopeData(body, "Securities", parser, &data); !st) return std::move(st).error();
  std::vector<std::string> out;
  for (simdjson::dom::element e : data) {
    simdjson::dom::object o;
    if (e.get_object().get(o)) continue;
    std::string sym = String(Member(o, "Symbol"));
    if (!sym.empty()) out.push_back(std::move(sym));
  }
  return out;
}

std::string ConnectionData() {
  return UrlEncode("[{\"name\":\"" + std::string(kHubName) + "\"}]");
}

std::string NegotiateTarget(std::string_view base_path, std::string_view protocol) {
  return std::string(base_path) + std::string(kSignalrPath) +
         "/negotiate?clientProtocol=" + UrlEncode(protocol) + "&connectionData=" + ConnectionData();
}

std::string ConnectTarget(std::string_view base_path, std::string_view protocol,
                          std::string_view conn_token) {
  return std::string(base_path) + std::string(kSignalrPath) + "/connect?" +
         TransportQuery(protocol, conn_token) + "&tid=10";
}

std::string ReconnectTarget(std::string_view base_path, std::string_view protocol,
                            std::string_view conn_token, std::string_view message_id,
                            std::string_view groups_token) {
  std::string t = std::string(base_path) + std::string(kSignalrPath) + "/reconnect?" +
                  TransportQuery(protocol, conn_token);
  if (!message_id.empty()) t += "&messageId=" + UrlEncode(message_id);
  if (!groups_token.empty()) t += "&groupsToken=" + UrlEncode(groups_token);
  return t;
}

std::string StartTarget(std::string_view base_path, std::string_view protocol, std::string_view conn_token) {
  return std::string(base_path) + std::string(kSignalrPath) + "/start?" +
         TransportQuery(protocol, conn_token);
}

std::string AbortTarget(std::string_view base_path, std::string_view protocol, std::string_view conn_token) {
  return std::string(base_path) + std::string(kSignalrPath) + "/abort?" +
         TransportQuery(protocol, conn_token);
}

Result<NegotiateInfo> ParseNegotiate(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (!Parse(body, parser, &root) || root.get_object().get(obj)) {
    return Error{ErrorCode::kParse, "negotiate reply is not a JSON object"};
  }
  NegotiateInfo info;
  info.connection_token = String(Member(obj, "ConnectionToken"));
  info.connection_id = String(Member(obj, "ConnectionId"));
  info.protocol_version = String(Member(obj, "ProtocolVersion"));
  bool ws = false;
  info.try_websockets = !Member(obj, "TryWebSockets").get_bool().get(ws) && ws;
  auto seconds = [&](std::string_view key, std::chrono::milliseconds* out) {
    if (auto v = Number(Member(obj, key)); v && *v > 0 && *v < 86400) {
      *out = std::chrono::milliseconds(static_cast<std::int64_t>(*v * 1000));
    }
  };
  seconds("KeepAliveTimeout", &info.keep_alive_timeout);
  seconds("DisconnectTimeout", &info.disconnect_timeout);
  seconds("TransportConnectTimeout", &info.transport_connect_timeout);
  if (info.connection_token.empty()) {
    return Error{ErrorCode::kRejected, "negotiate reply has no ConnectionToken"};
  }
  if (!info.try_websockets) {
    return Error{ErrorCode::kRejected, "server does not offer WebSockets (TryWebSockets is not true)"};
  }
  double version = 0;
  auto [p, ec] = std::from_chars(info.protocol_version.data(),
                                 info.protocol_version.data() + info.protocol_version.size(), version);
  if (ec != std::errc() || version < 1.2 - 1e-9 || version > 2.1 + 1e-9) {
    return Error{ErrorCode::kRejected,
                 "unsupported SignalR protocol version '" + info.protocol_version + "'"};
  }
  return info;
}

std::string ChannelList(const std::vector<std::string>& stocks, const std::vector<std::string>& futures,
                        const std::vector<std::string>& indices, bool snapshots) {
  std::vector<std::string> traded = stocks;
  traded.insert(traded.end(), futures.begin(), futures.end());
  const std::string all = Join(traded, '-');
  std::vector<std::string> specs;
  if (!all.empty()) {
    specs.push_back("X-TRADE:" + all);
    specs.push_back("X-QUOTE:" + all);
    if (snapshots) specs.push_back("X:" + all);
  }
  if (!stocks.empty()) specs.push_back("R:" + Join(stocks, '-'));
  if (!indices.empty()) specs.push_back("MI:" + Join(indices, '-'));
  if (!all.empty()) specs.push_back("F:" + all);
  return Join(specs, ',');
}

std::string SwitchChannelsInvocation(std::string_view channel_list, int id) {
  return "{\"H\":\"" + std::string(kHubName) + "\",\"M\":\"SwitchChannels\",\"A\":[\"" +
         JsonEscape(channel_list) + "\"],\"I\":" + std::to_string(id) + "}";
}

std::optional<FrameInfo> InspectFrame(std::string_view frame) {
  thread_local simdjson::dom::parser parser;  // reused: this runs on every frame
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (!Parse(frame, parser, &root) || root.get_object().get(obj)) return std::nullopt;
  FrameInfo info;
  info.keep_alive = obj.size() == 0;
  for (auto field : obj) {
    const std::string_view k = field.key;
    if (k == "C") {
      info.cursor = String(Of(field.value));
    } else if (k == "G") {
      info.groups_token = String(Of(field.value));
    } else if (k == "S") {
      info.init = Number(Of(field.value)).value_or(0) == 1;
    } else if (k == "T") {
      info.reconnected = Number(Of(field.value)).value_or(0) == 1;
    } else if (k == "I") {
      if (auto v = Number(Of(field.value))) info.completion = static_cast<int>(*v);
    } else if (k == "E") {
      info.completion_error = String(Of(field.value));
    } else if (k == "M") {
      simdjson::dom::array msgs;
      if (field.value.get_array().get(msgs)) continue;
      for (simdjson::dom::element m : msgs) {
        info.has_messages = true;
        simdjson::dom::object mo;
        if (m.get_object().get(mo)) continue;
        if (!IEquals(String(Member(mo, "M")), "Error")) continue;
        simdjson::dom::array args;
        std::string text;
        if (!Member(mo, "A").get_array().get(args)) {
          for (simdjson::dom::element a : args) text += (text.empty() ? "" : "; ") + String(Of(a));
        }
        info.hub_errors.push_back(text.empty() ? "(no message)" : text);
      }
    }
  }
  return info;
}

// ---- reference prices (DailyStockPrice) ----

namespace {

// A positive price as JSON number text: a numeric string is kept as written ("28600", "1283.9"), a JSON
// number is written back in its shortest form; anything else (null, "", "NaN", 0, negative) gives "".
std::string PriceText(Element e) {
  std::string_view s;
  if (!e.get_string().get(s)) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty() || s.size() > 24) return {};
    int dots = 0;
    for (char c : s) {
      if (c == '.') {
        ++dots;
      } else if (c < '0' || c > '9') {
        return {};
      }
    }
    if (dots > 1 || s.front() == '.' || s.back() == '.') return {};
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !(v > 0)) return {};
    return std::string(s);
  }
  const std::optional<double> v = Number(e);
  if (!v || !std::isfinite(*v) || !(*v > 0)) return {};
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  if (ec != std::errc()) return {};
  return std::string(buf, p);
}

bool IsDmy(std::string_view d) {
  if (d.size() != 10 || d[2] != '/' || d[5] != '/') return false;
  for (std::size_t i : {0u, 1u, 3u, 4u, 6u, 7u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

}  // namespace

Result<std::string> ParseReportDate(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::array data;
  if (Status st = EnvelopeData(body, "SecuritiesDetails", parser, &data); !st) return std::move(st).error();
  for (simdjson::dom::element e : data) {
    simdjson::dom::object o;
    if (e.get_object().get(o)) continue;
    std::string d = String(Member(o, "ReportDate"));
    if (IsDmy(d)) return d;
  }
  return Error{ErrorCode::kNotFound, "SecuritiesDetails: no ReportDate (dd/MM/yyyy)"};
}

Result<ReferencePrices> ParseDailyStockPrice(std::string_view body, std::string_view symbol,
                                             std::string_view trading_date) {
  simdjson::dom::parser parser;
  simdjson::dom::array data;
  if (Status st = EnvelopeData(body, "DailyStockPrice", parser, &data); !st) return std::move(st).error();
  bool other_days = false;
  for (simdjson::dom::element e : data) {
    simdjson::dom::object o;
    if (e.get_object().get(o)) continue;
    const std::string sym = String(Member(o, "Symbol"));
    if (!sym.empty() && !IEquals(sym, symbol)) continue;
    if (String(Member(o, "TradingDate")) != trading_date) {
      other_days = true;
      continue;
    }
    ReferencePrices r;
    r.symbol = std::string(symbol);
    r.trading_date = std::string(trading_date);
    r.ref = PriceText(Member(o, "RefPrice"));
    r.ceiling = PriceText(Member(o, "CeilingPrice"));
    r.floor = PriceText(Member(o, "FloorPrice"));
    if (r.ref.empty() && r.ceiling.empty() && r.floor.empty()) {
      return Error{ErrorCode::kNotFound, "DailyStockPrice " + std::string(symbol) + " " +
                                             std::string(trading_date) +
                                             ": no RefPrice, CeilingPrice or FloorPrice"};
    }
    return r;
  }
  return Error{ErrorCode::kNotFound, "DailyStockPrice " + std::string(symbol) + ": no row for " +
                                         std::string(trading_date) +
                                         (other_days ? " (only other days)" : "")};
}

std::string DailyStockPriceQuery(std::string_view symbol, std::string_view market,
                                 std::string_view trading_date) {
  std::string q = "DailyStockPrice?symbol=" + UrlEncode(symbol);
  if (!market.empty()) q += "&market=" + UrlEncode(market);
  q += "&fromDate=" + UrlEncode(trading_date) + "&toDate=" + UrlEncode(trading_date) +
       "&pageIndex=1&pageSize=10";
  return q;
}

std::string ReferenceFrame(const ReferencePrices& r) {
  std::string content = "{\"RType\":\"X-TRADE\",\"TradingDate\":\"" + JsonEscape(r.trading_date) +
                        "\",\"Time\":\"00:00:00\",\"Isin\":\"" + JsonEscape(r.symbol) + "\",\"Symbol\":\"" +
                        JsonEscape(r.symbol) + "\"";
  if (!r.ceiling.empty()) content += ",\"Ceiling\":" + r.ceiling;
  if (!r.floor.empty()) content += ",\"Floor\":" + r.floor;
  if (!r.ref.empty()) content += ",\"RefPrice\":" + r.ref;
  content += "}";
  const std::string payload = "{\"DataType\":\"X-TRADE\",\"Content\":\"" + JsonEscape(content) + "\"}";
  return "{\"Src\":\"" + std::string(kReferenceSourceTag) + "\",\"M\":[{\"H\":\"" + std::string(kHubName) +
         "\",\"M\":\"Broadcast\",\"A\":[\"" + JsonEscape(payload) + "\"]}]}";
}

}  // namespace vnt::ssi
