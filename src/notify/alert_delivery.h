#pragma once
// Alerts -> deliveries, as an engine sink (engine thread; it only serialises and enqueues):
//   - the webhook (--alert-webhook): every alert at or above the minimum severity, POSTed as its JSON
//     object (api::WriteAlert: the bytes of REST and WebSocket), Content-Type application/json;
//   - a rule's own webhook_url: that rule's alerts whatever their severity (once when it is the same URL
//     as the webhook);
//   - Telegram (bot token + chat id): every alert at or above the minimum severity, as the Bot API's
//     sendMessage with the alert's sentence in the chosen language.
// Each delivery carries its alert's id and exchange time, so its outcome (notifier.h) names the alert; the
// destination kinds are "webhook", "rule_webhook" and "telegram". With a webhook secret every webhook POST
// (the rules' too) carries X-VNT-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>.
// The bot token and the secret are never in a log line, an error or a metric.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/alert_text.h"
#include "core/alerts.h"
#include "core/engine.h"
#include "notify/notifier.h"

namespace vnt::notify {

// The delivery settings of `serve` (flags, else environment variables).
struct DeliveryOptions {
  std::string webhook_url;               // --alert-webhook / ALERT_WEBHOOK_URL ("" = none)
  std::string webhook_secret;            // --alert-webhook-secret / ALERT_WEBHOOK_SECRET ("" = unsigned)
  std::string min_severity = "warning";  // --alert-min-severity / ALERT_MIN_SEVERITY: info|warning|critical
  std::string telegram_token;            // --telegram-bot-token / TELEGRAM_BOT_TOKEN ("" = no Telegram)
  std::string telegram_chat_id;          // --telegram-chat-id / TELEGRAM_CHAT_ID
  std::string telegram_api_url = "https://api.telegram.org";  // --telegram-api-url / TELEGRAM_API_URL
  std::string language = "vi";  // --alert-language / ALERT_LANGUAGE: vi|en (the Telegram text)
  int retry_s = 60;             // --alert-retry-s: how long a delivery is tried
  int timeout_s = 10;           // --alert-timeout-s: one attempt
  std::size_t queue = 256;      // --alert-queue: deliveries waiting per destination
  std::string ca_file;          // --alert-ca-file: extra CA certificates (PEM)
};

// The worker's settings for these options (the caller sets the log sink and the outcome hook).
NotifierConfig MakeNotifierConfig(const DeliveryOptions& o);

// The signature header's value for `body`: "sha256=" + lower-case hex HMAC-SHA256(secret, body).
std::string WebhookSignature(std::string_view secret, std::string_view body);
// The header carrying it.
inline constexpr const char* kSignatureHeader = "X-VNT-Signature";

class AlertDelivery : public core::MarketSink {
 public:
  // The rule with this id, or nullptr (the engine's rules, read on the engine thread).
  using RuleLookup = std::function<const core::AlertRule*(std::int64_t rule_id)>;

  // Checks the options and adds the configured destinations to `notifier`; an error (kInvalidArgument,
  // field = the option) with one line naming the option, never quoting a token or a webhook URL.
  static vnt::Result<std::unique_ptr<AlertDelivery>> Make(const DeliveryOptions& o, Notifier& notifier,
                                                          RuleLookup rules);

  void OnAlert(const core::Alert& a) override;

  // What is configured, for the start-up log line (no secrets): "webhook https://host/… (alerts >= warning);
  // telegram via https://api.telegram.org (vi) (alerts >= warning); rules' own webhooks".
  std::string Describe() const;

 private:
  AlertDelivery(Notifier& n, RuleLookup rules) : notifier_(n), rules_(std::move(rules)) {}
  // The destination of a rule's webhook URL (cached; nullptr when the URL does not parse).
  std::shared_ptr<Destination> RuleTarget(const std::string& url);

  Notifier& notifier_;
  RuleLookup rules_;
  core::Severity min_severity_ = core::Severity::kWarning;
  core::Lang lang_ = core::Lang::kVi;
  std::string webhook_url_;
  std::string webhook_secret_;
  std::shared_ptr<Destination> webhook_;
  std::string chat_id_;
  std::shared_ptr<Destination> telegram_;
  std::unordered_map<std::string, std::shared_ptr<Destination>> rule_targets_;
  std::string describe_;
};

}  // namespace vnt::notify
