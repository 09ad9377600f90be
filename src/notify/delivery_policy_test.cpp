#include "notify/delivery_policy.h"

#include <gtest/gtest.h>

namespace vnt::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

client::ClientReply Status(int st, std::string body = {}, std::string retry_after = {}) {
  client::ClientReply r;
  r.status = st;
  r.body = std::move(body);
  r.retry_after = std::move(retry_after);
  return r;
}

TEST(Judge, TwoHundredsAreDelivered) {
  for (int st : {200, 201, 202, 204, 299})
    EXPECT_EQ(Judge(Channel::kWebhook, Status(st)).kind, Verdict::kDelivered);
}

TEST(Judge, ServerErrorsTimeoutsAndTransportFailuresAreRetried) {
  for (int st : {408, 429, 500, 502, 503, 504}) {
    const Verdict v = Judge(Channel::kWebhook, Status(st));
    EXPECT_EQ(v.kind, Verdict::kRetry) << st;
    EXPECT_EQ(v.reason, "HTTP " + std::to_string(st));
    EXPECT_EQ(v.key, v.reason);
  }
  for (auto e : {client::NetError::kTimeout, client::NetError::kConnect, client::NetError::kTls,
                 client::NetError::kIo, client::NetError::kResolve}) {
    client::ClientReply r;
    r.error = e;
    r.error_text = "cannot connect to 127.0.0.1:9: Connection refused";
    const Verdict v = Judge(Channel::kWebhook, r);
    EXPECT_EQ(v.kind, Verdict::kRetry);
    EXPECT_EQ(v.reason, r.error_text);
    EXPECT_EQ(v.key, client::ToString(e));  // stable across attempts, whatever the text says
  }
}

TEST(Judge, OtherStatusesFailWithoutRetry) {
  for (int st : {301, 302, 400, 401, 403, 404, 405, 410, 413, 422})
    EXPECT_EQ(Judge(Channel::kWebhook, Status(st)).kind, Verdict::kFail) << st;
}

TEST(Judge, RetryAfterHeaderInSeconds) {
  EXPECT_EQ(Judge(Channel::kWebhook, Status(503, "", "12")).retry_after, seconds(12));
  EXPECT_FALSE(Judge(Channel::kWebhook, Status(503, "", "Wed, 21 Oct 2015 07:28:00 GMT")).retry_after);
  EXPECT_FALSE(Judge(Channel::kWebhook, Status(503, "", "-3")).retry_after);
}

TEST(Judge, TelegramErrorsCarryTheDescriptionAndRetryAfter) {
  const Verdict v =
      Judge(Channel::kTelegram,
            Status(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5",)"
                        R"("parameters":{"retry_after":5}})"));
  EXPECT_EQ(v.kind, Verdict::kRetry);
  EXPECT_EQ(v.retry_after, seconds(5));
  EXPECT_EQ(v.reason, "HTTP 429: Too Many Requests: retry after 5");
  const Verdict bad =
      Judge(Channel::kTelegram,
            Status(400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})"));
  EXPECT_EQ(bad.kind, Verdict::kFail);
  EXPECT_EQ(bad.reason, "HTTP 400: Bad Request: chat not found");
  EXPECT_EQ(Judge(Channel::kTelegram, Status(502, "<html>bad gateway</html>")).reason, "HTTP 502");
}

TEST(RetryDelay, BacksOffWithJitterAndHonoursALongerRetryAfter) {
  const milliseconds base(1000), max(30000);
  EXPECT_EQ(RetryDelay(0, base, max, 0.5, std::nullopt), milliseconds(1000));
  EXPECT_EQ(RetryDelay(2, base, max, 0.5, std::nullopt), milliseconds(4000));
  EXPECT_EQ(RetryDelay(2, base, max, 0.0, std::nullopt), milliseconds(3200));
  EXPECT_EQ(RetryDelay(10, base, max, 0.5, std::nullopt), milliseconds(30000));
  EXPECT_EQ(RetryDelay(0, base, max, 0.5, seconds(5)), milliseconds(5000));
  EXPECT_EQ(RetryDelay(3, base, max, 0.5, seconds(1)), milliseconds(8000));
}

TEST(Telegram, TokenAndChatId) {
  EXPECT_TRUE(ValidTelegramToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
  EXPECT_FALSE(ValidTelegramToken(""));
  EXPECT_FALSE(ValidTelegramToken("123456789"));
  EXPECT_FALSE(ValidTelegramToken(":AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
  EXPECT_FALSE(ValidTelegramToken("12a:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
  EXPECT_FALSE(ValidTelegramToken("123:short"));
  EXPECT_FALSE(ValidTelegramToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALD/../x"));
  EXPECT_TRUE(ValidTelegramChatId("123456"));
  EXPECT_TRUE(ValidTelegramChatId("-1001234567890"));
  EXPECT_TRUE(ValidTelegramChatId("@vn30_alerts"));
  EXPECT_FALSE(ValidTelegramChatId(""));
  EXPECT_FALSE(ValidTelegramChatId("-"));
  EXPECT_FALSE(ValidTelegramChatId("@"));
  EXPECT_FALSE(ValidTelegramChatId("chat 1"));
}

TEST(Telegram, RequestTargetAndBody) {
  EXPECT_EQ(TelegramTarget("", "1:abc"), "/bot1:abc/sendMessage");
  EXPECT_EQ(TelegramTarget("/tg", "1:abc"), "/tg/bot1:abc/sendMessage");
  EXPECT_EQ(TelegramBody("-100123", "FPT chạm giá trần \"105,5\""),
            R"({"chat_id":-100123,"text":"FPT chạm giá trần \"105,5\"","disable_web_page_preview":true})");
  EXPECT_EQ(TelegramBody("@chan", "x"), R"({"chat_id":"@chan","text":"x","disable_web_page_preview":true})");
}

TEST(Telegram, TextIsTheSentenceWithASeverityMark) {
  core::Alert a;
  a.type = core::AlertType::kPriceBreakout;
  a.severity = core::Severity::kCritical;
  Symbol::Make("FPT", &a.symbol);
  a.metric = "last_price";
  a.unit = core::AlertUnit::kVnd;
  a.direction = core::Direction::kUp;
  a.value = 105500;
  a.threshold = 105500;
  const std::string vi = TelegramText(a, core::Lang::kVi);
  EXPECT_EQ(vi.rfind("🔴 ", 0), 0u) << vi;
  EXPECT_EQ(vi.substr(std::string("🔴 ").size()), core::AlertSentence(a, core::Lang::kVi));
  EXPECT_NE(TelegramText(a, core::Lang::kEn), vi);
  a.severity = core::Severity::kInfo;
  EXPECT_EQ(TelegramText(a, core::Lang::kVi).rfind("🔵 ", 0), 0u);
}

TEST(Telegram, ParseErrorIgnoresWhatIsNotAnErrorReply) {
  EXPECT_TRUE(ParseTelegramError("").description.empty());
  EXPECT_TRUE(ParseTelegramError("not json").description.empty());
  EXPECT_FALSE(ParseTelegramError(R"({"ok":false})").retry_after);
  EXPECT_EQ(ParseTelegramError(R"({"parameters":{"retry_after":999999999}})").retry_after,
            seconds(24 * 3600));
}

}  // namespace
}  // namespace vnt::notify
