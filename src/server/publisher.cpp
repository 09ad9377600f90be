#include "server/publisher.h"

#include "api/json_patch.h"
#include "api/json_text.h"
#include "api/json_writer.h"
#include "api/market_json.h"
#include "api/series_json.h"

namespace vnt::server {

std::string_view ToString(WsChannel c) {
  return kWsChannelNames.Name(c);
}

std::optional<WsChannel> WsChannelOfPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/ws/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  return kWsChannelNames.Parse(path.substr(kPrefix.size()));
}

bool ParseSymbolFilter(std::string_view list, SymbolFilter* out) {
  out->clear();
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string s(list.substr(start, comma - start));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    for (char& c : s)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!s.empty()) {
      if (s.size() > Symbol::kMax) return false;
      for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
      out->insert(s);
    }
    start = comma + 1;
  }
  return true;
}

namespace {
bool Passes(const SymbolFilter& f, Symbol s) {
  return f.empty() || f.count(std::string(s.view())) > 0;
}
}  // namespace

void Publisher::OnAlert(const core::Alert& a) {
  std::string msg;
  api::JsonWriter w(&msg);
  const std::uint64_t seq = ++seq_[static_cast<std::size_t>(WsChannel::kAlerts)];
  w.BeginObject()
      .Field("type", "alert")
      .Field("channel", "alerts")
      .Field("seq", static_cast<std::int64_t>(seq))
      .Field("epoch", static_cast<std::int64_t>(epoch_));
  w.Key("data");
  api::WriteAlert(w, a);
  w.EndObject();
  alert_messages_.push_back(std::move(msg));
}

void Publisher::OnTrade(const core::ClassifiedTrade& t) {
  const TapeTrade& stored = tape_.Add(t);
  if (pending_trades_.size() < kMaxPendingTrades)
    pending_trades_.push_back(stored);
  else
    trades_overflow_ = true;
}

void Publisher::OnDayStarted(Date) {
  tape_.Clear();
  pending_trades_.clear();
  day_started_ = true;
  session_dirty_ = true;
}

bool Publisher::Dirty(WsChannel c) const {
  switch (c) {
    case WsChannel::kMarket:
      return !dirty_symbols_.empty() || futures_dirty_ || session_dirty_ || !dirty_indices_.empty() ||
             day_started_;
    case WsChannel::kForeign:
      return !dirty_foreign_.empty() || day_started_;
    case WsChannel::kIndex:
      return !dirty_indices_.empty() || day_started_;
    case WsChannel::kTrades:
      return !pending_trades_.empty() || trades_overflow_ || day_started_;
    default:
      return false;
  }
}

void Publisher::BeginTick(bool foreign_due) {
  for (WsChannel c : {WsChannel::kMarket, WsChannel::kForeign, WsChannel::kIndex, WsChannel::kTrades}) {
    const std::size_t i = static_cast<std::size_t>(c);
    ticking_[i] = Dirty(c) && (c != WsChannel::kForeign || foreign_due || day_started_);
    if (ticking_[i]) ++seq_[i];
  }
}

void Publisher::EndTick() {
  // Nobody took this tick's market delta (no clients): the published view no longer matches what a
  // delta would be built against, so the next snapshot rebuilds it.
  if (ticking_[static_cast<std::size_t>(WsChannel::kMarket)] && !patches_.prepared) view_.valid = false;
  patches_ = TickPatches{};
  dirty_symbols_.clear();
  if (ticking_[static_cast<std::size_t>(WsChannel::kForeign)]) dirty_foreign_.clear();
  dirty_indices_.clear();
  if (ticking_[static_cast<std::size_t>(WsChannel::kTrades)]) {
    pending_trades_.clear();
    trades_overflow_ = false;
  }
  futures_dirty_ = session_dirty_ = day_started_ = false;
  ticking_.fill(false);
}

std::string Publisher::Delta(WsChannel c, const SymbolFilter& filter) const {
  // A new day invalidates everything the client holds: send the whole state as the delta. Trades that
  // overflowed the tick's buffer are sent the same way (the latest per symbol, "full").
  const bool whole = day_started_ || (c == WsChannel::kTrades && trades_overflow_);
  return Message(c, Kind::kDelta, filter, whole ? Extent::kWhole : Extent::kChanges);
}

std::string Publisher::Snapshot(WsChannel c, const SymbolFilter& filter) const {
  return Message(c, Kind::kSnapshot, filter, Extent::kWhole);
}

std::vector<std::string> Publisher::TakeAlertMessages() {
  std::vector<std::string> out;
  out.swap(alert_messages_);
  return out;
}

std::string Publisher::Message(WsChannel c, Kind kind, const SymbolFilter& filter, Extent extent) const {
  std::string out;
  out.reserve(extent == Extent::kWhole ? 64 << 10 : 4 << 10);
  api::JsonWriter w(&out);
  const bool is_snapshot = kind == Kind::kSnapshot;
  w.BeginObject().Field("type", is_snapshot ? "snapshot" : "delta").Field("channel", ToString(c));
  w.Field("seq", static_cast<std::int64_t>(seq_[static_cast<std::size_t>(c)]));
  w.Field("epoch", static_cast<std::int64_t>(epoch_));
  if (c == WsChannel::kMarket && !is_snapshot) {
    PrepareMarketTick();
    extent = patches_.full ? Extent::kWhole : Extent::kChanges;
  }
  // A delta that carries the whole state (a new trading day): apply it like a snapshot.
  if (extent == Extent::kWhole && !is_snapshot) w.Field("full", true);
  api::WriteMarketClock(w, engine_);
  if (sent_ms_ > 0) w.Field("sent_ms", sent_ms_);
  w.Key("data");
  out.push_back('{');
  switch (c) {
    case WsChannel::kMarket:
      // Snapshots and whole-state deltas come from the published view, other deltas are this tick's patches.
      if (is_snapshot && !view_.valid) RebuildView();
      if (is_snapshot || patches_.full)
        MarketView(&out, filter);
      else
        MarketPatches(&out, filter);
      break;
    case WsChannel::kForeign:
      ForeignData(&out, filter, extent);
      break;
    case WsChannel::kIndex:
      IndexData(&out, extent);
      break;
    case WsChannel::kAlerts: {
      // The alerts snapshot: the recent alerts, newest last.
      api::JsonWriter a(&out);
      a.Key("alerts").BeginArray();
      const auto& alerts = engine_.recent_alerts();
      for (std::size_t i = 0; i < alerts.size(); ++i)
        if (Passes(filter, alerts[i].symbol)) api::WriteAlert(a, alerts[i]);
      a.EndArray();
      break;
    }
    case WsChannel::kTrades:
      TradesData(&out, filter, extent);
      break;
    case WsChannel::kCount:
      break;
  }
  out += "}}";
  return out;
}

using api::Json;

SymbolFilter Publisher::ExpandFutures(const SymbolFilter& filter) const {
  SymbolFilter codes = filter;
  for (const std::string& name : filter) {
    if (const core::FuturesState* f = engine_.FindContract(name)) {
      codes.insert(std::string(f->contract.krx_code.view()));
      codes.insert(std::string(f->contract.legacy_code.view()));
    }
  }
  return codes;
}

void Publisher::TradesData(std::string* out, const SymbolFilter& filter, Extent extent) const {
  // A futures contract is asked for by KRX code, VN30FYYMM or alias; trades carry the code the feed used.
  const SymbolFilter codes = ExpandFutures(filter);
  api::JsonWriter w(out);
  w.Key("trades").BeginArray();
  if (extent == Extent::kWhole) {
    // Newest first, symbol by symbol.
    for (const Symbol& s : tape_.symbols()) {
      if (!Passes(codes, s)) continue;
      for (const TapeTrade* t : tape_.Latest(s, kTradesSnapshotPerSymbol))
        api::WriteTrade(w, t->trade, t->seq);
    }
  } else {
    for (const TapeTrade& t : pending_trades_)
      if (Passes(codes, t.trade.symbol)) api::WriteTrade(w, t.trade, t.seq);
  }
  w.EndArray();
}

void Publisher::RebuildView() const {
  view_ = View{};
  view_.valid = true;
  for (const core::SymbolState& s : engine_.symbols()) {
    if (s.kind == core::SymbolKind::kFutures) continue;
    view_.symbols[s.symbol] = Json([&](api::JsonWriter& w) { api::WriteSymbol(w, s); });
  }
  for (const core::IndexState& i : engine_.indices())
    view_.indices[i.id] = Json([&](api::JsonWriter& w) { api::WriteIndex(w, i); });
  for (const core::FuturesState& f : engine_.futures())
    view_.futures[f.contract.legacy_code] = Json([&](api::JsonWriter& w) { api::WriteFutures(w, f); });
}

void Publisher::PrepareMarketTick() const {
  if (patches_.prepared) return;
  patches_.prepared = true;
  patches_.full = day_started_ || !view_.valid;
  if (patches_.full) {  // a new day (or no view yet): everything, as a snapshot would carry it
    RebuildView();
    return;
  }
  auto update = [](std::string& published, std::string next, std::string* patch) {
    const bool changed =
        published.empty() ? (patch->assign(next), true) : api::AppendObjectPatch(published, next, patch);
    published = std::move(next);
    return changed;
  };
  for (const core::SymbolState& s : engine_.symbols()) {
    if (s.kind == core::SymbolKind::kFutures || dirty_symbols_.count(s.symbol) == 0) continue;
    std::string patch;
    if (update(view_.symbols[s.symbol], Json([&](api::JsonWriter& w) { api::WriteSymbol(w, s); }), &patch))
      patches_.symbols.emplace_back(s.symbol, std::move(patch));
  }
  for (const core::IndexState& i : engine_.indices()) {
    if (dirty_indices_.count(i.id) == 0) continue;
    std::string patch;
    if (update(view_.indices[i.id], Json([&](api::JsonWriter& w) { api::WriteIndex(w, i); }), &patch))
      patches_.indices.emplace_back(i.id, std::move(patch));
  }
  if (futures_dirty_) {
    for (const core::FuturesState& f : engine_.futures()) {
      std::string& published = view_.futures[f.contract.legacy_code];
      const bool is_new = published.empty();
      std::string patch;
      if (!update(published, Json([&](api::JsonWriter& w) { api::WriteFutures(w, f); }), &patch)) continue;
      if (!is_new) {  // a patch names its contract
        std::string named = "{\"symbol\":";
        api::AppendQuoted(f.contract.legacy_code.view(), &named);
        if (patch.size() > 2) named.push_back(',');
        named.append(patch, 1, std::string::npos);
        patch = std::move(named);
      }
      patches_.futures.push_back(std::move(patch));
    }
  }
}

void Publisher::MarketView(std::string* out, const SymbolFilter& filter) const {
  api::JsonWriter w(out);
  w.Key("symbols").BeginObject();
  for (const core::SymbolState& s : engine_.symbols()) {  // engine order; items not yet published wait
    if (s.kind == core::SymbolKind::kFutures || !Passes(filter, s.symbol)) continue;
    auto it = view_.symbols.find(s.symbol);
    if (it == view_.symbols.end()) continue;
    w.Key(s.symbol.view()).Raw(it->second);
  }
  w.EndObject();
  w.Key("indices").BeginObject();
  for (const core::IndexState& i : engine_.indices()) {
    auto it = view_.indices.find(i.id);
    if (it == view_.indices.end()) continue;
    w.Key(i.id.view()).Raw(it->second);
  }
  w.EndObject();
  w.Key("futures").BeginArray();
  for (const core::FuturesState& f : engine_.futures()) {
    auto it = view_.futures.find(f.contract.legacy_code);
    if (it != view_.futures.end()) w.Raw(it->second);
  }
  w.EndArray();
}

void Publisher::MarketPatches(std::string* out, const SymbolFilter& filter) const {
  api::JsonWriter w(out);
  w.Key("symbols").BeginObject();
  for (const auto& [sym, patch] : patches_.symbols)
    if (Passes(filter, sym)) w.Key(sym.view()).Raw(patch);
  w.EndObject();
  w.Key("indices").BeginObject();
  for (const auto& [id, patch] : patches_.indices) w.Key(id.view()).Raw(patch);
  w.EndObject();
  if (!patches_.futures.empty()) {
    w.Key("futures").BeginArray();
    for (const std::string& patch : patches_.futures) w.Raw(patch);
    w.EndArray();
  }
}

void Publisher::ForeignData(std::string* out, const SymbolFilter& filter, Extent extent) const {
  api::JsonWriter w(out);
  const core::ForeignTotals t = engine_.Vn30ForeignTotals();
  w.Key("vn30").BeginObject();
  w.Field("buy_vol", t.buy_vol).Field("sell_vol", t.sell_vol).Field("net_vol", t.net_vol());
  w.Field("buy_val", t.buy_val).Field("sell_val", t.sell_val).Field("net_val", t.net_val());
  w.Field("net_speed_vol", t.net_speed_vol).Field("net_speed_val", t.net_speed_val);
  w.EndObject();
  auto ranks = [&](std::string_view key, const std::vector<core::ForeignRank>& rows) {
    w.Key(key).BeginArray();
    for (const core::ForeignRank& r : rows)
      w.BeginObject()
          .Field("symbol", r.symbol.view())
          .Field("net_vol", r.net_vol)
          .Field("net_val", r.net_val)
          .EndObject();
    w.EndArray();
  };
  ranks("top_buyers", engine_.TopForeignBuyers(5));
  ranks("top_sellers", engine_.TopForeignSellers(5));
  w.Key("symbols").BeginObject();
  for (const core::SymbolState& s : engine_.symbols()) {
    if (!s.foreign.state().has_data || !Passes(filter, s.symbol)) continue;
    if (extent == Extent::kChanges && dirty_foreign_.count(s.symbol) == 0) continue;
    w.Key(s.symbol.view());
    api::WriteForeignState(w, s.foreign.state());
  }
  w.EndObject();
}

void Publisher::IndexData(std::string* out, Extent extent) const {
  api::JsonWriter w(out);
  w.Key("indices").BeginObject();
  for (const core::IndexState& i : engine_.indices()) {
    if (extent == Extent::kChanges && dirty_indices_.count(i.id) == 0) continue;
    w.Key(i.id.view()).BeginObject();
    w.Key("index");
    api::WriteIndex(w, i);
    // The intraday series goes only in snapshots; deltas carry the latest point (bounded payloads).
    w.Key("series");
    const std::size_t from = extent == Extent::kWhole ? 0 : (i.series.empty() ? 0 : i.series.size() - 1);
    api::WriteIndexSeries(w, i, engine_.trading_date(), from);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace vnt::server
