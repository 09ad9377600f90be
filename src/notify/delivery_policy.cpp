#include "notify/delivery_policy.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "api/json_writer.h"
#include "client/backoff.h"

namespace vnt::notify {

namespace {

constexpr std::size_t kTelegramMaxText = 4096;  // Bot API limit, in characters (we cut in bytes: safe)
constexpr std::int64_t kMaxRetryAfterSeconds = 24 * 3600;

std::optional<std::chrono::seconds> Seconds(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return std::chrono::seconds(std::min(v, kMaxRetryAfterSeconds));  // an HTTP date is ignored
}

bool IsInteger(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return !s.empty() && s.size() <= 19 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Cuts s to at most n bytes without splitting a UTF-8 sequence.
void CutUtf8(std::string* s, std::size_t n) {
  if (s->size() <= n) return;
  while (n > 0 && (static_cast<unsigned char>((*s)[n]) & 0xC0) == 0x80) --n;
  s->resize(n);
}

}  // namespace

std::string_view ToString(Channel c) {
  return kChannelNames.Name(c, "webhook");
}

std::string_view ToString(Result r) {
  return kResultNames.Name(r, "dropped");
}

Verdict Judge(Channel channel, const client::ClientReply& reply) {
  Verdict v;
  if (!reply.ok()) {
    v.kind = Verdict::kRetry;
    v.reason = reply.error_text;
    v.key = client::ToString(reply.error);
    return v;
  }
  const int st = reply.status;
  if (st >= 200 && st < 300) {
    v.kind = Verdict::kDelivered;
    return v;
  }
  v.reason = "HTTP " + std::to_string(st);
  v.key = v.reason;
  if (channel == Channel::kTelegram) {
    TelegramError te = ParseTelegramError(reply.body);
    if (!te.description.empty()) v.reason += ": " + te.description;
    v.retry_after = te.retry_after;
  }
  if (!v.retry_after && !reply.retry_after.empty()) v.retry_after = Seconds(reply.retry_after);
  v.kind = st == 408 || st == 429 || st >= 500 ? Verdict::kRetry : Verdict::kFail;
  return v;
}

std::chrono::milliseconds RetryDelay(int retry, std::chrono::milliseconds base, std::chrono::milliseconds max,
                                     double unit, std::optional<std::chrono::seconds> retry_after) {
  const std::chrono::milliseconds backoff = client::BackoffDelay(retry, base, max, 0.2, unit);
  if (retry_after && *retry_after > backoff) return *retry_after;
  return backoff;
}

bool ValidTelegramToken(std::string_view token) {
  const std::size_t colon = token.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > 20) return false;
  const std::string_view id = token.substr(0, colon), key = token.substr(colon + 1);
  return std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }) && key.size() >= 30 &&
         key.size() <= 100 && std::all_of(key.begin(), key.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

bool ValidTelegramChatId(std::string_view chat_id) {
  if (IsInteger(chat_id)) return true;
  if (chat_id.size() < 2 || chat_id.size() > 64 || chat_id.front() != '@') return false;
  return std::all_of(chat_id.begin() + 1, chat_id.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string TelegramTarget(std::string_view base_path, std::string_view token) {
  std::string t(base_path);
  t += "/bot";
  t += token;
  t += "/sendMessage";
  return t;
}

std::string TelegramBody(std::string_view chat_id, std::string_view text) {
  std::string out;
  api::JsonWriter w(&out);
  w.BeginObject();
  w.Key("chat_id");
  std::int64_t id = 0;
  if (IsInteger(chat_id) &&
      std::from_chars(chat_id.data(), chat_id.data() + chat_id.size(), id).ec == std::errc())
    w.Int(id);
  else
    w.String(chat_id);
  w.Field("text", text);
  w.Field("disable_web_page_preview", true);
  w.EndObject();
  return out;
}

std::string TelegramText(const core::Alert& a, core::Lang lang) {
  std::string_view mark = "🟡 ";
  if (a.severity == core::Severity::kCritical) mark = "🔴 ";
  if (a.severity == core::Severity::kInfo) mark = "🔵 ";
  std::string text(mark);
  text += core::AlertSentence(a, lang);
  CutUtf8(&text, kTelegramMaxText);
  return text;
}

TelegramError ParseTelegramError(std::string_view body) {
  TelegramError out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (body.empty() || parser.parse(body.data(), body.size(), true).get(doc)) return out;
  std::string_view description;
  if (!doc["description"].get(description)) {
    out.description = std::string(description);
    CutUtf8(&out.description, 300);  // a log line, not a page
  }
  std::int64_t retry_after = 0;
  if (!doc["parameters"]["retry_after"].get(retry_after) && retry_after >= 0)
    out.retry_after = std::chrono::seconds(std::min(retry_after, kMaxRetryAfterSeconds));
  return out;
}

}  // namespace vnt::notify
