#include "bus/edge_source.h"

#include "api/json_patch.h"

namespace vnt::bus {

using server::MessageHead;
using server::SharedMessage;
using server::WsChannel;

EdgeSource::EdgeSource(std::size_t resume_messages) {
  for (Channel& c : ch_) c.log = server::MessageLog(resume_messages);
}

void EdgeSource::SetBase(WsChannel c, SharedMessage msg, std::uint64_t seq) {
  Channel& ch = ch_[Index(c)];
  if (c == WsChannel::kMarket) LearnContracts(*msg);
  ch.base = std::move(msg);
  ch.base_seq = seq;
  ch.pending.reset();
}

void EdgeSource::Resync(WsChannel c, const SharedMessage& msg, const MessageHead& head) {
  Channel& ch = ch_[Index(c)];
  const bool had_state = ch.status.synced || ch.base != nullptr;
  SetBase(c, msg, head.seq);
  ch.log.Reset(head.epoch, head.seq);
  ch.status.synced = true;
  ch.status.epoch = head.epoch;
  ch.status.seq = head.seq;
  if (had_state) ++ch.status.resyncs;
  // Clients hold an older state (or none): the snapshot replaces it.
  if (broadcast_) broadcast_(c, {msg});
}

void EdgeSource::OnSnapshot(WsChannel c, SharedMessage msg, Arrival how) {
  MessageHead head;
  if (!server::ReadHead(*msg, &head) || head.type != "snapshot") return;
  Channel& ch = ch_[Index(c)];
  ++ch.status.snapshots;
  if (how == Arrival::kRestart || !ch.status.synced || head.epoch != ch.status.epoch) {
    // Nothing to do when this is exactly the state the clients hold.
    if (ch.status.synced && head.epoch == ch.status.epoch && head.seq == ch.status.seq) {
      SetBase(c, std::move(msg), head.seq);
      return;
    }
    Resync(c, msg, head);
    return;
  }
  std::vector<SharedMessage> since;
  if (head.seq <= ch.status.seq) {
    if (head.seq >= ch.base_seq && ch.log.Since(head.epoch, head.seq, &since))
      SetBase(c, std::move(msg), head.seq);
  } else {
    ch.pending = std::move(msg);  // the deltas up to it are on their way
    ch.pending_seq = head.seq;
  }
}

void EdgeSource::OnDelta(WsChannel c, SharedMessage msg, std::int64_t received_ms) {
  MessageHead head;
  if (!server::ReadHead(*msg, &head)) return;
  Channel& ch = ch_[Index(c)];
  if (!ch.status.synced) return;  // waiting for the snapshot that was asked for
  if (head.epoch != ch.status.epoch || head.seq > ch.status.seq + 1) {
    ++ch.status.gaps;
    ch.status.synced = false;
    if (request_) request_(c);
    return;
  }
  if (head.seq <= ch.status.seq) {
    ++ch.status.stale;  // already applied (a re-read after a reconnect)
    return;
  }
  ch.log.Append(head.epoch, head.seq, msg);
  ch.status.seq = head.seq;
  ++ch.status.deltas;
  if (head.sent_ms > 0) {
    ch.status.last_sent_ms = head.sent_ms;
    if (received_ms > 0) ch.status.lag_ms = std::max<std::int64_t>(0, received_ms - head.sent_ms);
  }
  if (c == WsChannel::kMarket && head.full) LearnContracts(*msg);
  if (ch.pending && ch.pending_seq == head.seq) SetBase(c, std::move(ch.pending), head.seq);
  if (broadcast_) broadcast_(c, {std::move(msg)});
}

std::vector<SharedMessage> EdgeSource::Snapshot(WsChannel c) {
  Channel& ch = ch_[Index(c)];
  if (!ch.base || !ch.status.synced) return {};
  std::vector<SharedMessage> out;
  if (!ch.log.Since(ch.status.epoch, ch.base_seq, &out)) {
    // The deltas since the base were trimmed (refreshes stopped arriving): ask for a fresh snapshot.
    if (request_) request_(c);
    ch.status.synced = false;
    return {};
  }
  out.insert(out.begin(), ch.base);
  return out;
}

bool EdgeSource::Since(WsChannel c, std::uint64_t epoch, std::uint64_t seq,
                       std::vector<SharedMessage>* out) const {
  const Channel& ch = ch_[Index(c)];
  return ch.status.synced && ch.log.Since(epoch, seq, out);
}

server::SymbolFilter EdgeSource::Expand(const server::SymbolFilter& filter) const {
  server::SymbolFilter out = filter;
  for (const std::string& name : filter) {
    auto it = contracts_.find(name);
    if (it != contracts_.end()) out.insert(it->second.begin(), it->second.end());
  }
  return out;
}

void EdgeSource::LearnContracts(std::string_view market_msg) {
  // data.futures: [{"symbol":"VN30F2604","krx_code":"41I1G4000","alias":"VN30F1M",..},..]
  std::vector<std::pair<std::string_view, std::string_view>> top, data, fields;
  if (!api::SplitMembers(market_msg, &top)) return;
  std::string_view futures;
  for (const auto& [k, v] : top)
    if (k == "data" && api::SplitMembers(v, &data))
      for (const auto& [dk, dv] : data)
        if (dk == "futures") futures = dv;
  std::vector<std::string_view> items;
  if (futures.empty() || !api::SplitElements(futures, &items)) return;
  contracts_.clear();
  auto unquote = [](std::string_view v) {
    return v.size() >= 2 && v.front() == '"' ? std::string(v.substr(1, v.size() - 2)) : std::string();
  };
  for (std::string_view item : items) {
    if (!api::SplitMembers(item, &fields)) continue;
    std::vector<std::string> names;
    for (const auto& [k, v] : fields)
      if (k == "symbol" || k == "krx_code" || k == "alias")
        if (std::string n = unquote(v); !n.empty()) names.push_back(std::move(n));
    for (const std::string& n : names) contracts_[n] = names;
  }
}

}  // namespace vnt::bus
