// Alert routing against real receivers on loopback: the webhook, a rule's webhook, Telegram.
#include "notify/alert_delivery.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <thread>

#include "api/json_writer.h"
#include "api/market_json.h"
#include "client/test_http_server.h"

namespace vnt::notify {
namespace {

using client::testing::Canned;
using client::testing::CannedReply;
using client::testing::ReceivedRequest;
using client::testing::TestHttpServer;
using std::chrono::milliseconds;

constexpr const char* kToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

core::Alert MakeAlert(core::Severity sev, std::int64_t rule_id = 0) {
  core::Alert a;
  a.id = 7;
  a.type = rule_id ? core::AlertType::kUserRule : core::AlertType::kPriceBreakout;
  a.severity = sev;
  Symbol::Make("FPT", &a.symbol);
  a.rule_id = rule_id;
  a.metric = "last_price";
  a.unit = core::AlertUnit::kVnd;
  a.direction = core::Direction::kUp;
  a.comparison = rule_id ? ">=" : "";
  a.value = 105500;
  a.threshold = 105500;
  a.message = core::AlertSentence(a, core::Lang::kEn);
  return a;
}

std::string AlertJson(const core::Alert& a) {
  std::string out;
  api::JsonWriter w(&out);
  api::WriteAlert(w, a);
  return out;
}

std::string MakeError(const DeliveryOptions& o) {
  Notifier n(NotifierConfig{});
  const auto d = AlertDelivery::Make(o, n, nullptr);
  EXPECT_FALSE(d.ok());
  if (d.ok()) return "";
  EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(d.error().field.starts_with("--")) << d.error().field;  // the option at fault
  return d.error().message;
}

TEST(AlertDelivery, BadOptionsAreOneLineWithoutSecrets) {
  DeliveryOptions o;
  o.webhook_url = "ftp://hooks.example.com/secret-path";
  std::string e = MakeError(o);
  EXPECT_NE(e.find("--alert-webhook"), std::string::npos) << e;
  EXPECT_EQ(e.find("secret-path"), std::string::npos) << e;

  o = {};
  o.min_severity = "loud";
  EXPECT_NE(MakeError(o).find("--alert-min-severity"), std::string::npos);
  o = {};
  o.language = "fr";
  EXPECT_NE(MakeError(o).find("--alert-language"), std::string::npos);

  o = {};
  o.telegram_token = "123:not-a-token-at-all";
  e = MakeError(o);
  EXPECT_NE(e.find("--telegram-bot-token"), std::string::npos) << e;
  EXPECT_EQ(e.find("not-a-token"), std::string::npos) << e;
  o.telegram_token = kToken;
  e = MakeError(o);
  EXPECT_NE(e.find("--telegram-chat-id"), std::string::npos) << e;
  EXPECT_EQ(e.find("AAHdq"), std::string::npos) << e;
  o = {};
  o.telegram_chat_id = "-100123";
  EXPECT_NE(MakeError(o).find("needs --telegram-bot-token"), std::string::npos);
  o.telegram_token = kToken;
  o.telegram_api_url = "api.telegram.org";
  EXPECT_NE(MakeError(o).find("--telegram-api-url"), std::string::npos);

  o = {};
  o.min_severity = "CRITICAL";  // any case
  Notifier n(NotifierConfig{});
  EXPECT_TRUE(AlertDelivery::Make(o, n, nullptr).ok());
}

TEST(AlertDelivery, RoutesBySeverityRuleAndChannel) {
  const auto ok = [](const ReceivedRequest&, std::size_t) { return Canned(200, R"({"ok":true})"); };
  TestHttpServer hook(ok), rule_hook(ok), telegram(ok);
  std::vector<core::AlertRule> rules(2);
  rules[0].id = 1;
  rules[0].webhook_url = rule_hook.url("/rule");
  rules[1].id = 2;
  rules[1].webhook_url = hook.url("/all");  // the same URL as the webhook: delivered once

  Notifier n(NotifierConfig{});
  ASSERT_TRUE(n.Start().ok());
  DeliveryOptions o;
  o.webhook_url = hook.url("/all");
  o.telegram_token = kToken;
  o.telegram_chat_id = "-1001234567890";
  o.telegram_api_url = "http://127.0.0.1:" + std::to_string(telegram.port()) + "/";
  auto d = AlertDelivery::Make(o, n, [&](std::int64_t id) -> const core::AlertRule* {
    for (const auto& r : rules)
      if (r.id == id) return &r;
    return nullptr;
  });
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ((*d)->Describe().find(kToken), std::string::npos);
  EXPECT_NE((*d)->Describe().find("telegram via http://127.0.0.1:"), std::string::npos) << (*d)->Describe();

  const core::Alert info = MakeAlert(core::Severity::kInfo);
  const core::Alert critical = MakeAlert(core::Severity::kCritical);
  const core::Alert rule_info = MakeAlert(core::Severity::kInfo, 1);
  const core::Alert rule_warning = MakeAlert(core::Severity::kWarning, 2);
  (*d)->OnAlert(info);          // below warning: nowhere
  (*d)->OnAlert(critical);      // webhook + telegram
  (*d)->OnAlert(rule_info);     // its rule's webhook only
  (*d)->OnAlert(rule_warning);  // webhook (once) + telegram
  ASSERT_TRUE(hook.WaitFor(2, milliseconds(5000)));
  ASSERT_TRUE(rule_hook.WaitFor(1, milliseconds(5000)));
  ASSERT_TRUE(telegram.WaitFor(2, milliseconds(5000)));
  std::this_thread::sleep_for(milliseconds(200));
  n.Stop();
  EXPECT_EQ(hook.count(), 2u);
  EXPECT_EQ(rule_hook.count(), 1u);
  EXPECT_EQ(telegram.count(), 2u);
  EXPECT_EQ(n.Count(Channel::kWebhook, Result::kDelivered), 3u);
  EXPECT_EQ(n.Count(Channel::kTelegram, Result::kDelivered), 2u);

  // The webhook body is the alert's JSON object, the bytes of REST and WebSocket.
  std::set<std::string> bodies;
  for (const auto& r : hook.requests()) {
    EXPECT_EQ(r.target, "/all");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    bodies.insert(r.body);
  }
  EXPECT_EQ(bodies, (std::set<std::string>{AlertJson(critical), AlertJson(rule_warning)}));
  EXPECT_EQ(rule_hook.requests()[0].body, AlertJson(rule_info));
  EXPECT_EQ(rule_hook.requests()[0].target, "/rule");

  // Telegram: sendMessage under the bot's path, the chat id as a number, the Vietnamese sentence, in order.
  const auto tg = telegram.requests();
  EXPECT_EQ(tg[0].target, std::string("/bot") + kToken + "/sendMessage");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(tg[0].body).get(doc)) << tg[0].body;
  EXPECT_EQ(int64_t(doc["chat_id"]), -1001234567890);
  EXPECT_EQ(std::string_view(doc["text"]), TelegramText(critical, core::Lang::kVi));
  EXPECT_TRUE(bool(doc["disable_web_page_preview"]));
}

TEST(AlertDelivery, ARuleWebhookThatDoesNotParseIsCountedFailed) {
  core::AlertRule rule;
  rule.id = 3;
  rule.webhook_url = "not a url";
  Notifier n(NotifierConfig{});
  ASSERT_TRUE(n.Start().ok());
  auto d = AlertDelivery::Make({}, n, [&](std::int64_t) { return &rule; });
  ASSERT_TRUE(d.ok()) << d.error().message;
  (*d)->OnAlert(MakeAlert(core::Severity::kWarning, 3));
  EXPECT_EQ(n.Count(Channel::kWebhook, Result::kFailed), 1u);
}

}  // namespace
}  // namespace vnt::notify
