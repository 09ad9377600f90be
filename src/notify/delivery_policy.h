#pragma once
// What the alert delivery decides without I/O: how a reply is judged (delivered, retry, give up), how long
// to wait before the next attempt, and the Telegram Bot API's request (target, body, text).
//
// Judging: 2xx = delivered; 408, 429, 5xx and every transport failure (timeout, refused, TLS, broken
// connection) = retried; any other status (3xx: redirects are not followed, 4xx: the request is wrong and
// will stay wrong) = failed at once. A Retry-After header (seconds), or Telegram's parameters.retry_after,
// sets the next delay when it is longer than the backoff.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/http_message.h"
#include "common/enum_names.h"
#include "core/alert_text.h"
#include "core/alerts.h"

namespace vnt::notify {

// Where a delivery goes.
enum class Channel : std::uint8_t { kWebhook, kTelegram, kCount };
inline constexpr auto kChannelNames =
    MakeEnumNames<Channel>({{Channel::kWebhook, "webhook"}, {Channel::kTelegram, "telegram"}});
static_assert(kChannelNames.Unique() && kChannelNames.size() == static_cast<std::size_t>(Channel::kCount));
// "webhook", "telegram".
std::string_view ToString(Channel c);

// Outcomes counted per channel: a delivery ends delivered, failed or dropped (exactly one of them); each
// retry of a delivery is counted as retried.
enum class Result : std::uint8_t { kDelivered, kRetried, kFailed, kDropped, kCount };
inline constexpr auto kResultNames = MakeEnumNames<Result>({
    {Result::kDelivered, "delivered"},
    {Result::kRetried, "retried"},
    {Result::kFailed, "failed"},
    {Result::kDropped, "dropped"},
});
static_assert(kResultNames.Unique() && kResultNames.size() == static_cast<std::size_t>(Result::kCount));
// "delivered", "retried", "failed", "dropped".
std::string_view ToString(Result r);

// The judgement of one attempt.
struct Verdict {
  enum Kind : std::uint8_t { kDelivered, kRetry, kFail } kind = kFail;
  std::optional<std::chrono::seconds> retry_after;  // the server's requested wait
  std::string reason;  // "HTTP 503", "HTTP 400: Bad Request: chat not found", or the transport error
  std::string key;  // the kind of problem, stable across attempts ("HTTP 503", "timeout"): logs dedupe on it
};
Verdict Judge(Channel channel, const client::ClientReply& reply);

// The wait before retry number `retry` (0 = the first): client::BackoffDelay from `base` doubling to `max`
// with 20% jitter (`unit` in [0, 1)), or the server's retry_after when that is longer.
std::chrono::milliseconds RetryDelay(int retry, std::chrono::milliseconds base, std::chrono::milliseconds max,
                                     double unit, std::optional<std::chrono::seconds> retry_after);

// ---- Telegram Bot API ----

// A bot token as @BotFather issues it: digits, ':', then letters, digits, '_' or '-' (30 to 100 of them).
// The check keeps anything but a token out of the request path.
bool ValidTelegramToken(std::string_view token);
// A chat id: an integer (negative for groups and channels) or @channelusername.
bool ValidTelegramChatId(std::string_view chat_id);
// "<base_path>/bot<token>/sendMessage" (base_path without a trailing '/').
std::string TelegramTarget(std::string_view base_path, std::string_view token);
// {"chat_id":...,"text":...,"disable_web_page_preview":true}; an integer chat id is sent as a number.
std::string TelegramBody(std::string_view chat_id, std::string_view text);
// The message: a severity mark and the alert's sentence in `lang`, cut (at a UTF-8 boundary) to Telegram's
// 4096-character limit.
std::string TelegramText(const core::Alert& a, core::Lang lang);
// Telegram's error reply {"ok":false,"error_code":..,"description":..,"parameters":{"retry_after":..}}: the
// description and the retry_after; nothing when the body is not such a reply.
struct TelegramError {
  std::string description;
  std::optional<std::chrono::seconds> retry_after;
};
TelegramError ParseTelegramError(std::string_view body);

}  // namespace vnt::notify
