#include "server/engine_source.h"

#include <charconv>
#include <string_view>

namespace vnt::server {

namespace {
constexpr WsChannel kAll[] = {WsChannel::kMarket, WsChannel::kForeign, WsChannel::kIndex, WsChannel::kAlerts,
                              WsChannel::kTrades};
std::size_t Index(WsChannel c) {
  return static_cast<std::size_t>(c);
}
}  // namespace

EngineSource::EngineSource(Publisher& publisher, EngineSourceOptions opts)
    : publisher_(publisher),
      opts_(opts),
      logs_{MessageLog(opts.resume_messages), MessageLog(opts.resume_messages),
            MessageLog(opts.resume_messages), MessageLog(opts.resume_messages),
            MessageLog(opts.resume_messages)} {
  for (WsChannel c : kAll) logs_[Index(c)].Reset(publisher_.epoch(), publisher_.seq(c));
}

std::vector<SharedMessage> EngineSource::Snapshot(WsChannel c) {
  return {std::make_shared<const std::string>(publisher_.Snapshot(c, {}))};
}

bool EngineSource::Since(WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                         std::vector<SharedMessage>* out) const {
  return logs_[Index(c)].Since(epoch, seq, out);
}

void EngineSource::Emit(WsChannel c, std::uint64_t seq, SharedMessage msg) {
  logs_[Index(c)].Append(publisher_.epoch(), seq, msg);
  if (bus_) bus_->PublishDelta(c, publisher_.epoch(), seq, std::move(msg));
}

namespace {
// "sent_ms" is the moment a delta is published: complete and handed to the fan-out. The publisher writes
// this 13-digit placeholder (it reads no clock) and it is overwritten in place once the message is built,
// so the stamp does not count the ~1 ms of building the market delta as delivery time.
constexpr std::int64_t kSentMsPlaceholder = 1'000'000'000'000;
constexpr std::string_view kSentMsField = "\"sent_ms\":1000000000000";

void StampSentMs(std::string* text) {
  const std::size_t at = std::string_view(*text).substr(0, 512).find(kSentMsField);
  if (at == std::string_view::npos) return;
  const std::int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, ms);
  const std::size_t width = kSentMsField.size() - 10;  // the 13 digits after "sent_ms":
  if (ec != std::errc{} || static_cast<std::size_t>(end - digits) != width) return;
  text->replace(at + 10, width, digits, width);
}
}  // namespace

void EngineSource::Tick(std::chrono::steady_clock::time_point now) {
  // The foreign channel has its own, slower cadence: its changes accumulate until it is due.
  const bool foreign_due = now - last_foreign_ >= opts_.foreign_interval;
  publisher_.SetSentMs(kSentMsPlaceholder);
  publisher_.BeginTick(foreign_due);
  for (WsChannel c : {WsChannel::kMarket, WsChannel::kForeign, WsChannel::kIndex, WsChannel::kTrades}) {
    if (!publisher_.Ticking(c)) continue;
    if (c == WsChannel::kForeign) last_foreign_ = now;
    std::string text = publisher_.Delta(c, {});
    StampSentMs(&text);
    auto msg = std::make_shared<const std::string>(std::move(text));
    Emit(c, publisher_.seq(c), msg);
    if (broadcast_) broadcast_(c, {msg});
  }
  publisher_.EndTick();
  publisher_.SetSentMs(0);  // snapshots (on demand, to the bus) are not latency samples
  if (bus_) PublishBusSnapshots(now);
}

void EngineSource::PushAlerts() {
  std::vector<std::string> texts = publisher_.TakeAlertMessages();
  if (texts.empty()) return;
  std::vector<SharedMessage> msgs;
  msgs.reserve(texts.size());
  // Each alert message took the next seq of the channel, in order.
  std::uint64_t seq = publisher_.seq(WsChannel::kAlerts) - texts.size();
  for (std::string& t : texts) {
    msgs.push_back(std::make_shared<const std::string>(std::move(t)));
    Emit(WsChannel::kAlerts, ++seq, msgs.back());
  }
  if (broadcast_) broadcast_(WsChannel::kAlerts, msgs);
}

void EngineSource::PublishBusSnapshots(std::chrono::steady_clock::time_point now) {
  const bool all = bus_->TakeSnapshotRequest();
  for (WsChannel c : kAll) {
    const std::size_t i = Index(c);
    const bool due = !bus_snapshot_sent_[i] || (bus_snapshot_seq_[i] != publisher_.seq(c) &&
                                                now - bus_snapshot_at_[i] >= opts_.bus_snapshot_interval);
    if (!all && !due) continue;
    bus_snapshot_sent_[i] = true;
    bus_snapshot_at_[i] = now;
    bus_snapshot_seq_[i] = publisher_.seq(c);
    bus_->PublishSnapshot(c, publisher_.epoch(), publisher_.seq(c),
                          std::make_shared<const std::string>(publisher_.Snapshot(c, {})));
  }
}

}  // namespace vnt::server
