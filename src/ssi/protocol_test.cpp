#include "ssi/protocol.h"

#include <gtest/gtest.h>

namespace vnt::ssi {
namespace {

// The message of a failed result; "" when it holds a value (so a check on the text fails visibly).
template <typename T>
std::string Why(const Result<T>& r) {
  return r.ok() ? std::string() : r.error().message;
}

TEST(SsiBaseUrl, ParsesSchemesPortsAndPaths) {
  auto u = ParseBaseUrl("https://fc-data.ssi.com.vn/");
  ASSERT_TRUE(u.ok()) << Why(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "fc-data.ssi.com.vn");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->path, "");
  EXPECT_EQ(u->HostHeader(), "fc-data.ssi.com.vn");

  u = ParseBaseUrl("http://127.0.0.1:9100/base/");
  ASSERT_TRUE(u.ok()) << Why(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->port, 9100);
  EXPECT_EQ(u->path, "/base");
  EXPECT_EQ(u->HostHeader(), "127.0.0.1:9100");

  u = ParseBaseUrl("wss://fc-datahub.ssi.com.vn");
  ASSERT_TRUE(u.ok()) << Why(u);
  EXPECT_TRUE(u->tls);

  const auto no_scheme = ParseBaseUrl("fc-data.ssi.com.vn");
  EXPECT_FALSE(no_scheme.ok());
  EXPECT_NE(Why(no_scheme).find("scheme"), std::string::npos);
  EXPECT_FALSE(ParseBaseUrl("ftp://x/").ok());
  EXPECT_FALSE(ParseBaseUrl("http://x:0/").ok());
  EXPECT_FALSE(ParseBaseUrl("http://x:99999/").ok());
  EXPECT_FALSE(ParseBaseUrl("http://x:12a/").ok());
  EXPECT_FALSE(ParseBaseUrl("http:///path").ok());
  EXPECT_FALSE(ParseBaseUrl("http://x/?a=1").ok());
}

TEST(SsiUrlEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(UrlEncode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(UrlEncode("[{\"name\":\"H\"}]"), "%5B%7B%22name%22%3A%22H%22%7D%5D");
  EXPECT_EQ(UrlEncode("a+b/c=="), "a%2Bb%2Fc%3D%3D");
}

TEST(SsiToken, RequestBodyEscapes) {
  EXPECT_EQ(AccessTokenRequestBody("id", "se\"c\\r"), R"({"consumerID":"id","consumerSecret":"se\"c\\r"})");
}

TEST(SsiToken, ParsesSuccessAndRefusals) {
  TokenReply r =
      ParseAccessTokenReply(R"({"message":"Success","status":200,"data":{"accessToken":"a.b.c"}})");
  EXPECT_EQ(r.token, "a.b.c");
  EXPECT_EQ(r.error, "");
  // SSI answers bad credentials with HTTP 200 and a non-200 status in the body.
  r = ParseAccessTokenReply(R"({"message":"Invalid consumerID or consumerSecret","status":401,"data":null})");
  EXPECT_EQ(r.token, "");
  EXPECT_EQ(r.error, "Invalid consumerID or consumerSecret");
  r = ParseAccessTokenReply(R"({"message":"The connection is invalid","status":400,"data":null})");
  EXPECT_EQ(r.error, "The connection is invalid");
  r = ParseAccessTokenReply(R"({"message":"Success","status":"200","data":{"AccessToken":"t"}})");
  EXPECT_EQ(r.token, "t");  // status as a string, PascalCase key
  EXPECT_FALSE(ParseAccessTokenReply("<html>").error.empty());
  EXPECT_FALSE(ParseAccessTokenReply(R"({"status":200,"data":{}})").error.empty());
  EXPECT_FALSE(ParseAccessTokenReply(R"({"status":200})").error.empty());
}

TEST(SsiToken, ReadsJwtExpiry) {
  // {"alg":"RS256","typ":"JWT"} . {"aud":"x","iat":1688956785,"exp":1688985585} . sig
  const std::string token =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJ4IiwiaWF0IjoxNjg4OTU2Nzg1LCJleHAiOjE2ODg5ODU1ODV9."
      "c2ln";
  auto exp = JwtExpiry(token);
  ASSERT_TRUE(exp);
  EXPECT_EQ(*exp, 1688985585);
  // Padded standard base64 of {"exp":12} works too.
  EXPECT_EQ(JwtExpiry("h.eyJleHAiOjEyfQ==.s").value_or(0), 12);
  EXPECT_FALSE(JwtExpiry("not-a-jwt"));
  EXPECT_FALSE(JwtExpiry("a.!!!.c"));
  EXPECT_FALSE(JwtExpiry("a.eyJhIjoxfQ.c"));  // {"a":1}: no exp
}

TEST(SsiToken, RefreshesAnHourBeforeOrAtAQuarterOfShortLifetimes) {
  const std::int64_t iat = 1'000'000, exp = iat + 8 * 3600;
  EXPECT_FALSE(TokenNeedsRefresh(iat, exp, iat + 6 * 3600));
  EXPECT_TRUE(TokenNeedsRefresh(iat, exp, exp - 3600));
  EXPECT_TRUE(TokenNeedsRefresh(iat, exp, exp + 1));
  EXPECT_FALSE(TokenNeedsRefresh(iat, iat + 40, iat + 29));  // 40 s token: margin 10 s
  EXPECT_TRUE(TokenNeedsRefresh(iat, iat + 40, iat + 30));
}

TEST(SsiRest, IndexComponents) {
  auto syms = ParseIndexComponents(
      R"({"data":[{"IndexCode":"VN30","IndexName":"VN30","Exchange":"HOSE","TotalSymbolNo":"2",
          "IndexComponent":[{"Isin":"ACB","StockSymbol":"ACB"},{"Isin":"FPT","StockSymbol":"FPT"},
          {"Isin":"ACB","StockSymbol":"ACB"}]}],"message":"Success","status":"Success","totalRecord":1})");
  ASSERT_TRUE(syms.ok()) << Why(syms);
  EXPECT_EQ(*syms, (std::vector<std::string>{"ACB", "FPT"}));
  const auto refused = ParseIndexComponents(R"({"message":"Missing Authorization header","status":401})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
  EXPECT_NE(Why(refused).find("Missing Authorization header"), std::string::npos);
  const auto none =
      ParseIndexComponents(R"({"data":[],"message":"Success","status":"Success","totalRecord":0})");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_NE(Why(none).find("no symbols"), std::string::npos);
  EXPECT_EQ(ParseIndexComponents("<html>").error().code, ErrorCode::kParse);
}

TEST(SsiRest, Securities) {
  const auto listed = ParseSecurities(R"({"data":[{"Market":"DER","Symbol":"41I1G4000","StockName":"x"},
                                        {"Market":"DER","Symbol":"41B5G3000"}],"message":"Success",
                                "status":"Success","totalRecord":2})");
  ASSERT_TRUE(listed.ok()) << Why(listed);
  EXPECT_EQ(*listed, (std::vector<std::string>{"41I1G4000", "41B5G3000"}));
  const auto refused = ParseSecurities(R"({"message":"Missing Authorization header","status":401})");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(Why(refused).find("Missing Authorization header"), std::string::npos);
  // A success envelope listing nothing is an empty list, not an error.
  const auto empty = ParseSecurities(R"({"data":[],"status":"Success"})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(SsiSignalr, Targets) {
  const std::string cd = "%5B%7B%22name%22%3A%22FcMarketDataV2Hub%22%7D%5D";
  EXPECT_EQ(NegotiateTarget("", "1.5"), "/v2.0/signalr/negotiate?clientProtocol=1.5&connectionData=" + cd);
  EXPECT_EQ(ConnectTarget("/x", "1.5", "a/b+c"),
            "/x/v2.0/signalr/connect?transport=webSockets&clientProtocol=1.5&connectionToken=a%2Fb%2Bc"
            "&connectionData=" +
                cd + "&tid=10");
  EXPECT_EQ(
      ReconnectTarget("", "1.5", "t", "d-1,2|3", "g"),
      "/v2.0/signalr/reconnect?transport=webSockets&clientProtocol=1.5&connectionToken=t&connectionData=" +
          cd + "&messageId=d-1%2C2%7C3&groupsToken=g");
  EXPECT_EQ(
      ReconnectTarget("", "1.5", "t", "", ""),
      "/v2.0/signalr/reconnect?transport=webSockets&clientProtocol=1.5&connectionToken=t&connectionData=" +
          cd);
  EXPECT_EQ(
      StartTarget("", "2.1", "t").rfind("/v2.0/signalr/start?transport=webSockets&clientProtocol=2.1", 0),
      0u);
  EXPECT_EQ(AbortTarget("", "2.1", "t").rfind("/v2.0/signalr/abort?", 0), 0u);
}

TEST(SsiSignalr, Negotiate) {
  auto info = ParseNegotiate(
      R"({"Url":"/v2.0/signalr","ConnectionToken":"tok","ConnectionId":"id","KeepAliveTimeout":20.0,
          "DisconnectTimeout":30.0,"ConnectionTimeout":110.0,"TryWebSockets":true,"ProtocolVersion":"1.5",
          "TransportConnectTimeout":5.0,"LongPollDelay":0.0})");
  ASSERT_TRUE(info.ok()) << Why(info);
  EXPECT_EQ(info->connection_token, "tok");
  EXPECT_EQ(info->connection_id, "id");
  EXPECT_EQ(info->protocol_version, "1.5");
  EXPECT_EQ(info->keep_alive_timeout.count(), 20000);
  EXPECT_EQ(info->disconnect_timeout.count(), 30000);
  EXPECT_EQ(info->transport_connect_timeout.count(), 5000);

  // No KeepAliveTimeout (keep-alives off on the server): the default watchdog stays.
  info = ParseNegotiate(
      R"({"ConnectionToken":"t","TryWebSockets":true,"ProtocolVersion":"2.0","KeepAliveTimeout":null})");
  ASSERT_TRUE(info.ok()) << Why(info);
  EXPECT_EQ(info->keep_alive_timeout.count(), 20000);

  EXPECT_NE(Why(ParseNegotiate(R"({"ConnectionToken":"t","TryWebSockets":false,"ProtocolVersion":"1.5"})"))
                .find("WebSockets"),
            std::string::npos);
  EXPECT_NE(Why(ParseNegotiate(R"({"TryWebSockets":true,"ProtocolVersion":"1.5"})")).find("ConnectionToken"),
            std::string::npos);
  EXPECT_NE(Why(ParseNegotiate(R"({"ConnectionToken":"t","TryWebSockets":true,"ProtocolVersion":"3.0"})"))
                .find("protocol"),
            std::string::npos);
  const auto unauthorized = ParseNegotiate("Unauthorized");
  ASSERT_FALSE(unauthorized.ok());
  EXPECT_EQ(unauthorized.error().code, ErrorCode::kParse);
}

TEST(SsiSignalr, OneCommaJoinedChannelList) {
  EXPECT_EQ(
      ChannelList({"ACB", "FPT"}, {"41I1G4000"}, {"VN30", "VNINDEX"}),
      "X-TRADE:ACB-FPT-41I1G4000,X-QUOTE:ACB-FPT-41I1G4000,R:ACB-FPT,MI:VN30-VNINDEX,F:ACB-FPT-41I1G4000");
  EXPECT_EQ(ChannelList({}, {}, {"VN30"}), "MI:VN30");
  // The X snapshot carries the auctions' EstMatchedPrice.
  EXPECT_EQ(ChannelList({"ACB"}, {"41I1G4000"}, {"VN30"}, true),
            "X-TRADE:ACB-41I1G4000,X-QUOTE:ACB-41I1G4000,X:ACB-41I1G4000,R:ACB,MI:VN30,F:ACB-41I1G4000");
  EXPECT_EQ(SwitchChannelsInvocation("X-TRADE:ACB,MI:VN30", 3),
            R"({"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["X-TRADE:ACB,MI:VN30"],"I":3})");
}

TEST(SsiSignalr, InspectsTransportFields) {
  auto f = InspectFrame("{}");
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->keep_alive);

  f = InspectFrame(R"({"C":"d-1,0|A,1","S":1,"M":[]})");
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->init);
  EXPECT_FALSE(f->has_messages);
  EXPECT_EQ(f->cursor, "d-1,0|A,1");

  f = InspectFrame(R"({"I":"4"})");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->completion.value_or(-1), 4);
  EXPECT_TRUE(f->completion_error.empty());
  f = InspectFrame(R"({"I":4,"E":"bad channel"})");
  EXPECT_EQ(f->completion_error, "bad channel");

  f = InspectFrame(R"({"C":"c2","G":"grp","T":1,"M":[{"H":"fcmarketdatav2hub","M":"Broadcast","A":["{}"]},
                      {"H":"FcMarketDataV2Hub","M":"error","A":["Channel XYZ is invalid"]}]})");
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->reconnected);
  EXPECT_TRUE(f->has_messages);
  EXPECT_EQ(f->groups_token, "grp");
  EXPECT_EQ(f->hub_errors, (std::vector<std::string>{"Channel XYZ is invalid"}));

  EXPECT_FALSE(InspectFrame("{\"C\":\"x\",\"M\":[{\"H\""));
  EXPECT_FALSE(InspectFrame("[1]"));
}

TEST(SsiBackoff, GrowsCapsAndJitters) {
  using std::chrono::milliseconds;
  EXPECT_EQ(BackoffDelay(0, milliseconds(1000), milliseconds(60000), 0.0, 0.5).count(), 1000);
  EXPECT_EQ(BackoffDelay(3, milliseconds(1000), milliseconds(60000), 0.0, 0.5).count(), 8000);
  EXPECT_EQ(BackoffDelay(30, milliseconds(1000), milliseconds(60000), 0.0, 0.5).count(), 60000);
  EXPECT_EQ(BackoffDelay(0, milliseconds(1000), milliseconds(60000), 0.2, 0.0).count(), 800);
  EXPECT_EQ(BackoffDelay(0, milliseconds(1000), milliseconds(60000), 0.2, 0.999999).count(), 1199);
}

// ---- reference prices (DailyStockPrice) ----

TEST(SsiReference, ReportDateOfSecuritiesDetails) {
  const auto day = ParseReportDate(R"({"data":[{"RType":"y","ReportDate":"18/03/2026","TotalNoSym":"1",
      "RepeatedInfo":[]}],"message":"Success","status":"Success","totalRecord":1})");
  ASSERT_TRUE(day.ok()) << Why(day);
  EXPECT_EQ(*day, "18/03/2026");
  const auto null_date = ParseReportDate(R"({"data":[{"RType":"y","ReportDate":null}],"status":"Success"})");
  EXPECT_FALSE(null_date.ok());
  EXPECT_NE(Why(null_date).find("ReportDate"), std::string::npos);
  EXPECT_FALSE(ParseReportDate(R"({"data":[{"ReportDate":"2026-03-18"}]})").ok());
  const auto refused = ParseReportDate(R"({"data":null,"message":"Unauthorized","status":"Fail"})");
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(Why(refused).find("Unauthorized"), std::string::npos);
  EXPECT_FALSE(ParseReportDate("<html>").ok());
}

// The shape of SSI's 2023 sample: every number a string.
constexpr std::string_view kDailyStockPrice =
    R"({"data":[{"TradingDate":"17/03/2026","PriceChange":"0","CeilingPrice":"80000","FloorPrice":"70000",)"
    R"("RefPrice":"75000","OpenPrice":"75100","Symbol":"FPT","Time":null},)"
    R"({"TradingDate":"18/03/2026","PriceChange":"0","PerPriceChange":"0.00","CeilingPrice":"82700",)"
    R"("FloorPrice":"72000","RefPrice":"77350","OpenPrice":"0","HighestPrice":"0","ClosePrice":"0",)"
    R"("TotalMatchVol":"0","Symbol":"FPT","Time":null}],"message":"Success","status":"Success","totalRecord":2})";

TEST(SsiReference, TakesOnlyTodaysRowOfDailyStockPrice) {
  auto r = ParseDailyStockPrice(kDailyStockPrice, "fpt", "18/03/2026");
  ASSERT_TRUE(r.ok()) << Why(r);
  EXPECT_EQ(r->symbol, "fpt");
  EXPECT_EQ(r->trading_date, "18/03/2026");
  EXPECT_EQ(r->ref, "77350");
  EXPECT_EQ(r->ceiling, "82700");
  EXPECT_EQ(r->floor, "72000");
  // Yesterday's row is never today's reference.
  const std::string other_day = Why(ParseDailyStockPrice(kDailyStockPrice, "FPT", "19/03/2026"));
  EXPECT_NE(other_day.find("only other days"), std::string::npos) << other_day;
  // Another symbol's row is not this one's.
  EXPECT_FALSE(ParseDailyStockPrice(kDailyStockPrice, "VNM", "18/03/2026").ok());
  const std::string no_row = Why(ParseDailyStockPrice(
      R"({"data":[],"message":"Success","status":"Success","totalRecord":0})", "FPT", "18/03/2026"));
  EXPECT_NE(no_row.find("no row for 18/03/2026"), std::string::npos) << no_row;
}

TEST(SsiReference, NeverFillsInWhatRestLeftOut) {
  // JSON numbers (futures in points), a null floor, a "NaN" ceiling: only the reference is kept.
  auto r = ParseDailyStockPrice(
      R"({"data":[{"TradingDate":"18/03/2026","RefPrice":1880.4,"CeilingPrice":"NaN","FloorPrice":null,)"
      R"("Symbol":"41I1G4000"}],"status":"Success"})",
      "41I1G4000", "18/03/2026");
  ASSERT_TRUE(r.ok()) << Why(r);
  EXPECT_EQ(r->ref, "1880.4");
  EXPECT_EQ(r->ceiling, "");
  EXPECT_EQ(r->floor, "");
  const std::string frame = ReferenceFrame(*r);
  EXPECT_NE(frame.find("RefPrice\\\\\\\":1880.4"), std::string::npos) << frame;
  EXPECT_EQ(frame.find("Ceiling"), std::string::npos) << frame;
  EXPECT_EQ(frame.find("Floor"), std::string::npos) << frame;
  // Zero, negative, garbage and missing: none of the three, so no reference at all.
  for (
      std::string_view bad :
      {R"({"data":[{"TradingDate":"18/03/2026","RefPrice":"0","CeilingPrice":"-1","FloorPrice":"7e"}]})",
       R"({"data":[{"TradingDate":"18/03/2026","Symbol":"FPT"}]})",
       R"({"data":[{"TradingDate":"18/03/2026","RefPrice":{"v":1},"CeilingPrice":true,"FloorPrice":"1.2.3"}]})"}) {
    const std::string e = Why(ParseDailyStockPrice(bad, "FPT", "18/03/2026"));
    EXPECT_NE(e.find("no RefPrice"), std::string::npos) << bad << ": " << e;
  }
  EXPECT_FALSE(ParseDailyStockPrice("{\"data\":[", "FPT", "18/03/2026").ok());
  const std::string refused = Why(ParseDailyStockPrice(
      R"({"data":null,"message":"Invalid token","status":"Fail"})", "FPT", "18/03/2026"));
  EXPECT_NE(refused.find("Invalid token"), std::string::npos);
}

TEST(SsiReference, QueryAndTaggedFrame) {
  EXPECT_EQ(DailyStockPriceQuery("FPT", "HOSE", "18/03/2026"),
            "DailyStockPrice?symbol=FPT&market=HOSE&fromDate=18%2F03%2F2026&toDate=18%2F03%2F2026"
            "&pageIndex=1&pageSize=10");
  ReferencePrices r{"FPT", "18/03/2026", "77350", "82700", "72000"};
  const std::string frame = ReferenceFrame(r);
  EXPECT_EQ(
      frame.rfind(R"({"Src":"rest:DailyStockPrice","M":[{"H":"FcMarketDataV2Hub","M":"Broadcast","A":[")", 0),
      0u)
      << frame;
  // No trade, volume or session fields: the engine must record nothing but the reference data.
  for (std::string_view absent : {"LastPrice", "LastVol", "TotalVol", "TradingSession", "EstMatchedPrice"})
    EXPECT_EQ(frame.find(absent), std::string::npos) << absent;
  EXPECT_NE(frame.find("00:00:00"), std::string::npos);
  // A SignalR data frame by the client's own transport reading, not a control frame.
  auto fi = InspectFrame(frame);
  ASSERT_TRUE(fi);
  EXPECT_TRUE(fi->has_messages);
  EXPECT_FALSE(fi->keep_alive);
  EXPECT_TRUE(fi->hub_errors.empty());
}

}  // namespace
}  // namespace vnt::ssi
