#pragma once
// The SSI FastConnect Data v2 client protocol, without I/O (../shared/ssi/fastconnect-v2.md §1-§3):
// base URLs, the AccessToken exchange and JWT expiry, the REST IndexComponents reply, the classic
// SignalR 2 URLs (negotiate, connect, reconnect, start, abort), the negotiate reply, the SwitchChannels
// invocation with one comma-joined channel list, the transport fields of server frames, and the
// reconnect backoff. The WebSocket session in signalr_stream.cpp only moves bytes.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/backoff.h"
#include "common/result.h"

namespace vnt::ssi {

// An http(s) or ws(s) base URL split for a connection. `path` has no trailing '/' ("" for the root).
struct BaseUrl {
  bool tls = false;
  std::string host;
  std::uint16_t port = 0;
  std::string path;
  // "host" or "host:port" when the port is not the scheme's default (the Host header).
  std::string HostHeader() const;
};
// Parses "https://fc-data.ssi.com.vn/", "http://127.0.0.1:9000/base", "wss://..."; an error
// (kInvalidArgument, field "url") for anything else (no scheme, a bad port, a query or fragment).
Result<BaseUrl> ParseBaseUrl(std::string_view url);

// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string UrlEncode(std::string_view s);

// ---- authentication (§1) ----

// The JSON body of POST api/v2/Market/AccessToken.
std::string AccessTokenRequestBody(std::string_view consumer_id, std::string_view consumer_secret);
// The outcome of an AccessToken reply: a token, or the server's reason (bad credentials arrive as HTTP
// 200 with a non-200 `status`).
struct TokenReply {
  std::string token;  // empty on failure
  std::string error;  // the server's message, or why the body could not be read
};
TokenReply ParseAccessTokenReply(std::string_view body);
// The `exp` claim (epoch seconds) of a JWT, read the way the Python SDK does (standard or URL-safe
// base64, padding optional); nullopt when the token is not a JWT with a numeric exp.
std::optional<std::int64_t> JwtExpiry(std::string_view token);
// True when a token issued at `issued` (epoch s) and expiring at `exp` should be replaced at `now`:
// less than an hour left, or less than a quarter of its lifetime (short-lived test tokens).
bool TokenNeedsRefresh(std::int64_t issued, std::int64_t exp, std::int64_t now);

// ---- REST (§2) ----

// REST replies: an error is kParse when the body is not a JSON object, kRejected when the envelope carries
// no data (with the server's message), kNotFound when what was asked for is not in it.

// Symbols of IndexComponents ({"data":[{"IndexCode":..,"IndexComponent":[{"StockSymbol":..}]}],..});
// an error when the reply is not a success envelope or lists no symbol.
Result<std::vector<std::string>> ParseIndexComponents(std::string_view body);

// Symbols of a Securities reply ({"data":[{"Market":..,"Symbol":..},..]}), possibly none; an error when the
// reply is not a success envelope.
Result<std::vector<std::string>> ParseSecurities(std::string_view body);

// ---- reference prices before the first trade (§2.2 DailyStockPrice) ----
//
// The choice: SecuritiesDetails lists no prices at all (§2.2 item 2: Isin, Symbol, ..., ListedShare,
// TickPrice/TickIncrement), so it cannot give the reference, ceiling or floor. DailyStockPrice (item 8)
// carries `RefPrice`, `CeilingPrice`, `FloorPrice` per `TradingDate`, and only its row whose TradingDate is
// today is used: a previous day's row is never taken for today's reference (the reference is a day constant
// set by the exchange, not always yesterday's close). The trading date asked for is SecuritiesDetails'
// `ReportDate` (the server's day; the simulator's day in tests), else the Vietnam calendar date. When today's
// row is not there yet, the fetch counts as a failure and is retried; the stream's own X / X-TRADE frames
// carry the same fields once they flow.

// `ReportDate` ("dd/MM/yyyy") of a SecuritiesDetails reply; an error when absent or not a date.
Result<std::string> ParseReportDate(std::string_view body);

// Today's reference data of one symbol, as the REST gave it (prices as JSON number text, VND for stocks,
// index points for futures). A field REST left out, null or not positive is empty: never filled in.
struct ReferencePrices {
  std::string symbol;
  std::string trading_date;  // dd/MM/yyyy
  std::string ref, ceiling, floor;
};
// The row of a DailyStockPrice reply for `symbol` (any case; a row without Symbol counts as it) whose
// TradingDate is `trading_date`; an error when the reply is not a success envelope, has no such row, or the
// row has none of RefPrice / CeilingPrice / FloorPrice.
Result<ReferencePrices> ParseDailyStockPrice(std::string_view body, std::string_view symbol,
                                             std::string_view trading_date);
// The request target (under api/v2/Market/) of the DailyStockPrice call for one symbol and day.
std::string DailyStockPriceQuery(std::string_view symbol, std::string_view market,
                                 std::string_view trading_date);

// The tag that marks a frame the client made from REST reference data (not received on the stream), at the
// top level of the frame: {"Src":"rest:DailyStockPrice","M":[...]}. Recordings keep it, replays decode it
// the same way, and `grep` tells these frames from the exchange's.
inline constexpr std::string_view kReferenceSourceTag = "rest:DailyStockPrice";
// A SignalR Broadcast frame holding one X-TRADE message with only Symbol, TradingDate, Time "00:00:00"
// (REST gives no time: midnight sorts before every exchange frame of the day) and the reference fields REST
// gave. No LastPrice, LastVol, TotalVol or TradingSession: the engine records no trade, no volume cursor and
// no session from it, only the reference, ceiling and floor.
std::string ReferenceFrame(const ReferencePrices& r);

// ---- SignalR 2 (§3) ----

inline constexpr std::string_view kHubName = "FcMarketDataV2Hub";
inline constexpr std::string_view kSignalrPath = "/v2.0/signalr";

// connectionData=[{"name":"FcMarketDataV2Hub"}], URL-encoded.
std::string ConnectionData();
// Request targets (path + query) under a stream base path. `protocol` is the clientProtocol.
std::string NegotiateTarget(std::string_view base_path, std::string_view protocol);
std::string ConnectTarget(std::string_view base_path, std::string_view protocol, std::string_view conn_token);
std::string ReconnectTarget(std::string_view base_path, std::string_view protocol,
                            std::string_view conn_token, std::string_view message_id,
                            std::string_view groups_token);
std::string StartTarget(std::string_view base_path, std::string_view protocol, std::string_view conn_token);
std::string AbortTarget(std::string_view base_path, std::string_view protocol, std::string_view conn_token);

// What negotiate returns (the SignalR defaults where a field is absent).
struct NegotiateInfo {
  std::string connection_token;
  std::string connection_id;
  std::string protocol_version;
  bool try_websockets = false;
  std::chrono::milliseconds keep_alive_timeout{20000};  // silence longer than this = connection lost
  std::chrono::milliseconds disconnect_timeout{30000};  // how long /reconnect stays possible
  std::chrono::milliseconds transport_connect_timeout{5000};
};
// An error when the body is not a negotiate reply (kParse), has no ConnectionToken, does not offer
// WebSockets, or speaks a protocol version outside [1.2, 2.1] (kRejected).
Result<NegotiateInfo> ParseNegotiate(std::string_view body);

// The channel list of the one SwitchChannels call: "X-TRADE:A-B,X-QUOTE:A-B,R:A,MI:VN30-VNINDEX,F:A-B".
// Stocks get trades, quotes, foreign room and status; futures (KRX codes) trades, quotes and status. With
// `snapshots`, also "X:A-B" (after X-QUOTE): the full snapshot is the channel that carries EstMatchedPrice,
// the auction's indicative price, while nothing trades in ATO/ATC (X-TRADE is sent per match only); the
// engine counts a match seen on both X and X-TRADE once.
std::string ChannelList(const std::vector<std::string>& stocks, const std::vector<std::string>& futures,
                        const std::vector<std::string>& indices, bool snapshots = false);
// {"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["<list>"],"I":<id>}
std::string SwitchChannelsInvocation(std::string_view channel_list, int id);

// The transport part of a server frame: cursor, groups token, init / reconnect markers, a completion
// of our invocation (with its error), an Error call from the hub, or a keep-alive.
struct FrameInfo {
  bool keep_alive = false;              // "{}"
  bool init = false;                    // "S":1
  bool reconnected = false;             // "T":1
  std::string cursor;                   // "C" (message id for /reconnect)
  std::string groups_token;             // "G"
  std::optional<int> completion;        // "I" of a completion frame
  std::string completion_error;         // its "E"
  std::vector<std::string> hub_errors;  // arguments of Error calls
  bool has_messages = false;            // a non-empty "M"
};
// Nullopt when the text is not a JSON object.
std::optional<FrameInfo> InspectFrame(std::string_view frame);

// Exponential backoff with jitter (client/backoff.h).
using client::BackoffDelay;

}  // namespace vnt::ssi
