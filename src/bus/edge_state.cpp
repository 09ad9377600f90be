#include "bus/edge_state.h"

#include <algorithm>
#include <cstdlib>

#include "api/json_patch.h"
#include "bus/edge_source.h"
#include "server/ws_filter.h"

namespace vnt::bus {

using server::WsChannel;
using Members = std::vector<std::pair<std::string_view, std::string_view>>;

namespace {

std::string_view Unquote(std::string_view v) {
  return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : std::string_view();
}

std::int64_t ToInt(std::string_view v) {
  return std::strtoll(std::string(v).c_str(), nullptr, 10);
}

std::string_view Member(const Members& m, std::string_view key) {
  for (const auto& [k, v] : m)
    if (k == key) return v;
  return {};
}

bool IsObject(std::string_view v) {
  return !v.empty() && v.front() == '{';
}

}  // namespace

// ---- RawObject ----

bool RawObject::Parse(std::string_view obj) {
  Clear();
  Members m;
  if (!api::SplitMembers(obj, &m)) return false;
  members_.reserve(m.size());
  for (const auto& [k, v] : m) Set(k, std::string(v));
  return true;
}

const std::string* RawObject::Find(std::string_view key) const {
  auto it = index_.find(std::string(key));
  return it == index_.end() ? nullptr : &members_[it->second].second;
}

void RawObject::Set(std::string_view key, std::string value) {
  auto [it, added] = index_.emplace(std::string(key), members_.size());
  if (added)
    members_.emplace_back(std::string(key), std::move(value));
  else
    members_[it->second].second = std::move(value);
}

void RawObject::Erase(std::string_view key) {
  auto it = index_.find(std::string(key));
  if (it == index_.end()) return;
  members_.erase(members_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (std::size_t i = 0; i < members_.size(); ++i) index_.emplace(members_[i].first, i);
}

void RawObject::Clear() {
  members_.clear();
  index_.clear();
}

void RawObject::AppendText(std::string* out) const {
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : members_) {
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(k);
    out->append("\":");
    out->append(v);
  }
  out->push_back('}');
}

std::string RawObject::Text() const {
  std::string out;
  AppendText(&out);
  return out;
}

std::string MergePatch(std::string_view base, std::string_view patch) {
  RawObject obj;
  Members p;
  if (!IsObject(base) || !IsObject(patch) || !api::SplitMembers(patch, &p) || !obj.Parse(base))
    return std::string(patch);
  for (const auto& [k, v] : p) {
    const std::string* old = obj.Find(k);
    if (old == nullptr) {
      if (v != "null") obj.Set(k, std::string(v));
    } else if (IsObject(*old) && IsObject(v)) {
      obj.Set(k, MergePatch(*old, v));
    } else if (IsObject(*old) && v == "null") {
      obj.Erase(k);
    } else {
      obj.Set(k, std::string(v));
    }
  }
  return obj.Text();
}

// ---- EdgeState ----

void EdgeState::Follow(EdgeSource& source) {
  for (std::size_t i = 0; i < kChannels; ++i) Follow(source, static_cast<WsChannel>(i));
}

void EdgeState::Follow(EdgeSource& source, WsChannel c) {
  Channel& ch = ch_[Index(c)];
  const EdgeSource::ChannelStatus& st = source.status(c);
  if (!st.synced) {
    ch.ready = false;  // a gap: wait for the snapshot the source asked for
    return;
  }
  bool rebuild = !ch.have || ch.epoch != st.epoch || ch.seq > st.seq;
  // A newer snapshot base restores the engine's order of items added since (trades keep their depth).
  if (!rebuild && c != WsChannel::kTrades && source.base_seq(c) != ch.base_seq) rebuild = true;
  std::vector<server::SharedMessage> msgs;
  if (!rebuild && ch.seq != st.seq && !source.Since(c, ch.epoch, ch.seq, &msgs)) rebuild = true;
  if (rebuild) {
    msgs = source.Snapshot(c);
    Reset(c);
    if (msgs.empty()) return;
    ch.base_seq = source.base_seq(c);
  }
  bool ok = true;
  for (const auto& m : msgs) ok = Apply(c, *m) && ok;
  ch.ready = ch.have && ok;
}

void EdgeState::Reset(WsChannel c) {
  ch_[Index(c)] = Channel{};
  ClearData(c);
}

void EdgeState::ClearData(WsChannel c) {
  ++version_;
  switch (c) {
    case WsChannel::kMarket:
      symbols_.Clear();
      indices_.Clear();
      futures_.clear();
      break;
    case WsChannel::kForeign:
      foreign_vn30_.clear();
      foreign_symbols_.Clear();
      break;
    case WsChannel::kAlerts:
      alerts_.clear();
      break;
    case WsChannel::kTrades:
      tape_.clear();
      break;
    default:
      break;
  }
}

void EdgeState::ReadHeader(WsChannel c, const Members& top) {
  Channel& ch = ch_[Index(c)];
  std::string_view td = Member(top, "trading_date"), et = Member(top, "exchange_time"),
                   s = Member(top, "session");
  if (td.empty() || et.empty() || s.empty()) return;  // alerts carry no clock
  ch.header = EdgeHeader{std::string(td), std::string(et), std::string(s)};
  ch.has_header = true;
}

const EdgeHeader& EdgeState::header() const {
  static const EdgeHeader kNone;
  const EdgeHeader* best = nullptr;
  for (const Channel& ch : ch_) {
    if (!ch.has_header) continue;
    // Quoted "YYYY-MM-DD" and "HH:MM:SS" order as the times do; null ("") comes first.
    const auto key = [](const EdgeHeader& h) {
      return std::make_pair(Unquote(h.trading_date), Unquote(h.exchange_time));
    };
    if (best == nullptr || key(*best) < key(ch.header)) best = &ch.header;
  }
  return best ? *best : kNone;
}

bool EdgeState::Apply(WsChannel c, std::string_view msg) {
  server::MessageHead head;
  Members top;
  if (!server::ReadHead(msg, &head) || !api::SplitMembers(msg, &top)) return false;
  const std::string_view data = Member(top, "data");
  if (data.empty()) return false;
  const bool replace = head.type == "snapshot" || head.full;
  Channel& ch = ch_[Index(c)];
  if (replace) ClearData(c);
  bool ok = true;
  switch (c) {
    case WsChannel::kMarket:
      ok = ApplyMarket(data, replace);
      break;
    case WsChannel::kForeign:
      ok = ApplyForeign(data, replace);
      break;
    case WsChannel::kAlerts:
      if (head.type == "alert") {
        ok = ApplyAlert(data);
      } else {
        Members d;
        std::vector<std::string_view> items;
        ok = api::SplitMembers(data, &d) && api::SplitElements(Member(d, "alerts"), &items);
        for (std::string_view a : items) ok = ApplyAlert(a) && ok;
      }
      break;
    case WsChannel::kTrades:
      ok = ApplyTrades(data, replace);
      break;
    default:
      break;
  }
  ReadHeader(c, top);
  ch.have = true;
  ch.epoch = head.epoch;
  ch.seq = head.seq;
  ++version_;
  return ok;
}

int EdgeState::FindContract(std::string_view name, bool aliases) const {
  for (std::size_t i = 0; i < futures_.size(); ++i) {
    Members m;
    if (!api::SplitMembers(futures_[i], &m)) continue;
    if (Unquote(Member(m, "symbol")) == name || Unquote(Member(m, "krx_code")) == name ||
        (aliases && Unquote(Member(m, "alias")) == name))
      return static_cast<int>(i);
  }
  return -1;
}

bool EdgeState::ApplyMarket(std::string_view data, bool replace) {
  Members d, items;
  if (!api::SplitMembers(data, &d)) return false;
  bool ok = true;
  for (auto [key, target] : {std::pair{"symbols", &symbols_}, std::pair{"indices", &indices_}}) {
    if (!api::SplitMembers(Member(d, key), &items)) {
      ok = false;
      continue;
    }
    for (const auto& [k, v] : items) {
      const std::string* old = replace ? nullptr : target->Find(k);
      target->Set(k, old ? MergePatch(*old, v) : std::string(v));
    }
  }
  std::vector<std::string_view> futures;
  const std::string_view f = Member(d, "futures");
  if (f.empty()) return ok;  // a delta without futures changes
  if (!api::SplitElements(f, &futures)) return false;
  for (std::string_view patch : futures) {
    Members m;
    const int at = !replace && api::SplitMembers(patch, &m) ? FindContract(Unquote(Member(m, "symbol"))) : -1;
    if (at >= 0)
      futures_[static_cast<std::size_t>(at)] = MergePatch(futures_[static_cast<std::size_t>(at)], patch);
    else
      futures_.emplace_back(patch);
  }
  return ok;
}

bool EdgeState::ApplyForeign(std::string_view data, bool) {
  Members d, items;
  if (!api::SplitMembers(data, &d)) return false;
  foreign_vn30_ = std::string(Member(d, "vn30"));
  if (!api::SplitMembers(Member(d, "symbols"), &items)) return false;
  for (const auto& [k, v] : items) foreign_symbols_.Set(k, std::string(v));  // whole objects
  return !foreign_vn30_.empty();
}

bool EdgeState::ApplyAlert(std::string_view text) {
  Members m;
  if (!api::SplitMembers(text, &m)) return false;
  Alert a;
  a.text = std::string(text);
  a.id = static_cast<std::uint64_t>(ToInt(Member(m, "id")));
  a.rule_id = ToInt(Member(m, "rule_id"));
  a.type = std::string(Unquote(Member(m, "type")));
  a.severity = std::string(Unquote(Member(m, "severity")));
  a.symbol = std::string(Unquote(Member(m, "symbol")));
  a.contract = std::string(Unquote(Member(m, "contract")));
  a.alias = std::string(Unquote(Member(m, "alias")));
  // "YYYY-MM-DDTHH:MM:SS+07:00" without its offset, as the engine matches the from/to bounds ("" = null).
  a.time = std::string(Unquote(Member(m, "time")).substr(0, 19));
  alerts_.push_back(std::move(a));
  while (alerts_.size() > limits_.alerts) alerts_.pop_front();
  return true;
}

bool EdgeState::ApplyTrades(std::string_view data, bool replace) {
  Members d, m;
  std::vector<std::string_view> items;
  if (!api::SplitMembers(data, &d) || !api::SplitElements(Member(d, "trades"), &items)) return false;
  bool ok = true;
  for (std::string_view t : items) {
    if (!api::SplitMembers(t, &m)) {
      ok = false;
      continue;
    }
    Trade tr;
    tr.seq = static_cast<std::uint64_t>(ToInt(Member(m, "seq")));
    tr.volume = ToInt(Member(m, "volume"));
    tr.text = std::string(t);
    Tape& tape = tape_[std::string(Unquote(Member(m, "symbol")))];
    if (replace) {
      tape.trades.push_back(std::move(tr));  // newest first per symbol: sorted below
    } else if (tape.trades.empty() || tape.trades.back().seq < tr.seq) {
      if (tape.trades.empty() && !tape.complete) tape.complete = true;  // a symbol's first trades of the day
      tape.trades.push_back(std::move(tr));
      if (tape.trades.size() > limits_.tape_per_symbol) tape.trades.pop_front();  // the engine drops it too
    }
  }
  if (replace) {
    // A snapshot carries the newest trades_snapshot_per_symbol of each symbol: fewer is the whole day.
    for (auto& [sym, tape] : tape_) {
      std::sort(tape.trades.begin(), tape.trades.end(),
                [](const Trade& a, const Trade& b) { return a.seq < b.seq; });
      tape.complete = tape.trades.size() < limits_.trades_snapshot_per_symbol;
    }
  }
  return ok;
}

std::vector<const EdgeState::Trade*> EdgeState::Latest(std::string_view symbol, std::size_t limit,
                                                       std::uint64_t before_seq, std::int64_t min_volume,
                                                       bool* exact) const {
  std::vector<const Trade*> out;
  auto it = tape_.find(std::string(symbol));
  // No trades held: none since the snapshot, which lists every symbol the engine's tape has.
  *exact = true;
  if (it == tape_.end()) return out;
  const Tape& tape = it->second;
  for (auto t = tape.trades.rbegin(); t != tape.trades.rend() && out.size() < limit; ++t) {
    if (before_seq > 0 && t->seq >= before_seq) continue;
    if (t->volume < min_volume) continue;
    out.push_back(&*t);
  }
  *exact = tape.complete || out.size() >= limit;
  return out;
}

}  // namespace vnt::bus
