#include "notify/alert_delivery.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

#include "api/json_writer.h"
#include "api/market_json.h"

namespace vnt::notify {

namespace {

// Distinct rule webhook URLs remembered; past it the cache starts afresh (deliveries in flight keep their
// destination alive).
constexpr std::size_t kMaxRuleTargets = 1024;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The webhook destinations' extra headers: the body's signature when there is a secret.
std::function<std::vector<std::pair<std::string, std::string>>(const std::string&)> Signer(
    const std::string& secret) {
  if (secret.empty()) return nullptr;
  return [secret](const std::string& body) {
    return std::vector<std::pair<std::string, std::string>>{
        {kSignatureHeader, WebhookSignature(secret, body)}};
  };
}

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

namespace {
// A refused delivery option: the message names the option (never quoting a token or a URL).
Error BadOption(std::string message, std::string_view flag) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::string(flag)};
}
}  // namespace

NotifierConfig MakeNotifierConfig(const DeliveryOptions& o) {
  NotifierConfig c;
  c.retry_window = std::chrono::seconds(o.retry_s);
  c.attempt_timeout = std::chrono::seconds(o.timeout_s);
  c.queue_capacity = o.queue;
  c.ca_file = o.ca_file;
  return c;
}

vnt::Result<std::unique_ptr<AlertDelivery>> AlertDelivery::Make(const DeliveryOptions& o, Notifier& notifier,
                                                                RuleLookup rules) {
  std::unique_ptr<AlertDelivery> d(new AlertDelivery(notifier, std::move(rules)));
  d->webhook_secret_ = o.webhook_secret;
  const auto severity = core::ParseSeverity(Lower(o.min_severity));
  if (!severity) {
    return BadOption("--alert-min-severity (ALERT_MIN_SEVERITY) must be info, warning or critical",
                     "--alert-min-severity");
  }
  d->min_severity_ = *severity;
  const auto lang = core::ParseLang(o.language);
  if (!lang) {
    return BadOption("--alert-language (ALERT_LANGUAGE) must be vi or en", "--alert-language");
  }
  d->lang_ = *lang;
  const std::string at_least = " (alerts >= " + std::string(core::ToString(d->min_severity_)) + ")";
  if (!o.webhook_url.empty()) {
    const auto url = client::ParseHttpUrl(o.webhook_url);
    if (!url)
      return BadOption("--alert-webhook (ALERT_WEBHOOK_URL): " + url.error().message, "--alert-webhook");
    d->webhook_url_ = o.webhook_url;
    DestinationSpec spec{Channel::kWebhook, *url, "webhook " + url->Redacted()};
    spec.kind = "webhook";
    spec.headers = Signer(o.webhook_secret);
    d->webhook_ = notifier.AddDestination(std::move(spec));
    d->describe_ = "webhook " + url->Redacted() + at_least + "; ";
  }
  if (!o.telegram_token.empty() || !o.telegram_chat_id.empty()) {
    if (o.telegram_token.empty()) {
      return BadOption(
          "--telegram-chat-id (TELEGRAM_CHAT_ID) needs --telegram-bot-token (TELEGRAM_BOT_TOKEN)",
          "--telegram-bot-token");
    }
    if (!ValidTelegramToken(o.telegram_token)) {
      return BadOption(
          "--telegram-bot-token (TELEGRAM_BOT_TOKEN) is not a bot token (<digits>:<key> from @BotFather)",
          "--telegram-bot-token");
    }
    if (!ValidTelegramChatId(o.telegram_chat_id)) {
      return BadOption(
          o.telegram_chat_id.empty()
              ? "--telegram-chat-id (TELEGRAM_CHAT_ID) is required with a bot token"
              : "--telegram-chat-id (TELEGRAM_CHAT_ID) must be a number (e.g. -1001234567890) or @channel",
          "--telegram-chat-id");
    }
    auto api = client::ParseHttpUrl(o.telegram_api_url);
    if (!api || api->target.find('?') != std::string::npos) {
      return BadOption(
          "--telegram-api-url: " + (api ? std::string("a base URL takes no query") : api.error().message),
          "--telegram-api-url");
    }
    std::string base = api->target;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::string origin = api->endpoint.Origin() + base;  // the API base has no secret; the token does
    api->target = TelegramTarget(base, o.telegram_token);
    // One at a time: messages arrive in order and within the Bot API's per-chat rate.
    DestinationSpec spec{Channel::kTelegram, *api, "telegram " + origin, "application/json", 1};
    spec.kind = "telegram";
    d->telegram_ = notifier.AddDestination(std::move(spec));
    d->chat_id_ = o.telegram_chat_id;
    d->describe_ +=
        "telegram via " + origin + " (" + std::string(core::ToString(d->lang_)) + ")" + at_least + "; ";
  }
  d->describe_ += d->describe_.empty() ? "no --alert-webhook or Telegram; rules' own webhooks only"
                                       : "rules' own webhooks";
  if (!o.webhook_secret.empty()) d->describe_ += "; webhooks signed (X-VNT-Signature)";
  return d;
}

std::string AlertDelivery::Describe() const {
  return describe_;
}

std::shared_ptr<Destination> AlertDelivery::RuleTarget(const std::string& url) {
  if (auto it = rule_targets_.find(url); it != rule_targets_.end()) return it->second;
  if (rule_targets_.size() >= kMaxRuleTargets) rule_targets_.clear();
  std::shared_ptr<Destination> dest;
  if (auto parsed = client::ParseHttpUrl(url)) {
    DestinationSpec spec{Channel::kWebhook, *parsed, "rule webhook " + parsed->Redacted()};
    spec.kind = "rule_webhook";
    spec.headers = Signer(webhook_secret_);
    dest = notifier_.AddDestination(std::move(spec));
  }
  rule_targets_.emplace(url, dest);
  return dest;
}

void AlertDelivery::OnAlert(const core::Alert& a) {
  const bool loud = static_cast<int>(a.severity) >= static_cast<int>(min_severity_);
  std::string json;  // serialised once, when a webhook wants it
  const auto body = [&]() -> const std::string& {
    if (json.empty()) {
      api::JsonWriter w(&json);
      api::WriteAlert(w, a);
    }
    return json;
  };
  const DeliveryTag tag{a.id, a.time};
  const bool to_webhook = webhook_ && loud;
  if (to_webhook) notifier_.Enqueue(webhook_, body(), tag);
  if (a.rule_id != 0 && rules_) {
    const core::AlertRule* rule = rules_(a.rule_id);
    if (rule && !rule->webhook_url.empty() && !(to_webhook && rule->webhook_url == webhook_url_)) {
      if (auto dest = RuleTarget(rule->webhook_url))
        notifier_.Enqueue(dest, body(), tag);
      else  // the REST API checks URLs: this is not expected
        notifier_.CountFailed(Channel::kWebhook, tag, "rule_webhook",
                              "the rule's webhook_url does not parse");
    }
  }
  if (telegram_ && loud) notifier_.Enqueue(telegram_, TelegramBody(chat_id_, TelegramText(a, lang_)), tag);
}

}  // namespace vnt::notify
