#include "api/market_json.h"

#include <cstdio>
#include <ctime>

namespace vnt::api {

std::string ExchangeTimeText(const ExchangeTime& t) {
  if (!t.date.valid() || !t.time.valid()) return "";
  std::string out = ToString(t.date);
  out.push_back('T');
  out += ToString(t.time);
  out += "+07:00";
  return out;
}

std::string ExchangeTimeText(Date d, std::int32_t sec_of_day) {
  return ExchangeTimeText(ExchangeTime{d, TimeOfDay{sec_of_day}});
}

void WriteTime(JsonWriter& w, std::string_view key, const ExchangeTime& t) {
  w.Key(key).StringOrNull(ExchangeTimeText(t));
}

void WritePriceOrNull(JsonWriter& w, std::string_view key, Price p) {
  w.Key(key);
  if (p.raw == 0)
    w.Null();
  else
    w.Price(p);
}

void WriteBook(JsonWriter& w, const core::Book& book) {
  w.Key("bid").BeginArray();
  for (std::uint8_t i = 0; i < book.bid_count; ++i)
    w.BeginArray().Price(book.bids[i].price).Int(book.bids[i].volume.raw()).EndArray();
  w.EndArray();
  w.Key("ask").BeginArray();
  for (std::uint8_t i = 0; i < book.ask_count; ++i)
    w.BeginArray().Price(book.asks[i].price).Int(book.asks[i].volume.raw()).EndArray();
  w.EndArray();
}

void WriteMarketClock(JsonWriter& w, const core::MarketEngine& e) {
  w.Key("trading_date").StringOrNull(ToString(e.trading_date()));
  w.Key("exchange_time").StringOrNull(ToString(e.market_time().time));
  w.Key("session").StringOrNull(ToString(e.market_session()));
}

namespace {
void PriceOrNull(JsonWriter& w, std::string_view k, Price p) {
  WritePriceOrNull(w, k, p);
}
void Time(JsonWriter& w, std::string_view k, const ExchangeTime& t) {
  WriteTime(w, k, t);
}
}  // namespace

void WriteFlow(JsonWriter& w, const core::FlowStats& f, std::int64_t multiplier) {
  w.BeginObject();
  w.Field("active_buy_vol", f.buy_vol);
  w.Field("active_sell_vol", f.sell_vol);
  w.Field("neutral_vol", f.neutral_vol);
  w.Field("total_vol", f.volume());
  w.Field("active_buy_val", f.buy_val);
  w.Field("active_sell_val", f.sell_val);
  w.Field("neutral_val", f.neutral_val);
  w.Field("total_val", f.value());
  w.Field("trade_count", f.trade_count);
  PriceOrNull(w, "vwap", core::Vwap(f, multiplier));
  w.Key("active_buy_ratio").Optional(f.ActiveBuyRatio());
  w.EndObject();
}

void WriteSymbol(JsonWriter& w, const core::SymbolState& s, unsigned bucket_mask) {
  w.BeginObject();
  w.Field("symbol", s.symbol.view());
  w.Field("kind", core::ToString(s.kind));
  w.Key("session").StringOrNull(ToString(s.session));
  w.Key("trading_status").StringOrNull(s.trading_status);
  Time(w, "time", s.last_time);
  PriceOrNull(w, "ref_price", s.ref);
  PriceOrNull(w, "ceiling", s.ceiling);
  PriceOrNull(w, "floor", s.floor);
  PriceOrNull(w, "open", s.open);
  PriceOrNull(w, "high", s.high);
  PriceOrNull(w, "low", s.low);
  PriceOrNull(w, "last_price", s.last);
  // During ATO/ATC: the price the auction would match at now (EstMatchedPrice); null otherwise.
  PriceOrNull(w, "indicative_price", s.indicative);
  w.Field("last_vol", s.last_vol);
  w.Key("change");
  if (s.last.raw > 0 && s.ref.raw > 0)
    w.Price(s.change());
  else
    w.Null();
  w.Key("change_pct");
  if (s.last.raw > 0 && s.ref.raw > 0)
    w.Double(s.change_pct(), 4);
  else
    w.Null();
  // Aggressor flow: active buy + active sell + neutral = total_vol (the volume the engine counted);
  // baseline_vol is what had traded before the engine first saw the symbol today.
  const core::FlowStats& t = s.total;
  w.Field("active_buy_vol", t.buy_vol);
  w.Field("active_sell_vol", t.sell_vol);
  w.Field("neutral_vol", t.neutral_vol);
  w.Field("total_vol", t.volume());
  w.Field("active_buy_val", t.buy_val);
  w.Field("active_sell_val", t.sell_val);
  w.Field("neutral_val", t.neutral_val);
  w.Field("total_val", t.value());
  w.Field("trade_count", t.trade_count);
  PriceOrNull(w, "vwap", s.vwap());
  w.Key("active_buy_ratio").Optional(t.ActiveBuyRatio());
  w.Field("baseline_vol", s.baseline_volume);
  w.Field("feed_total_vol", s.feed_total_vol);
  w.Field("feed_total_val", s.feed_total_val);
  w.Key("sessions").BeginObject();
  for (std::size_t b = 0; b < core::kSessionBuckets; ++b) {
    if ((bucket_mask & (1u << b)) == 0) continue;
    w.Key(core::ToString(static_cast<core::SessionBucket>(b)));
    WriteFlow(w, s.buckets[b], s.multiplier);
  }
  w.EndObject();
  WriteBook(w, s.book);
  if (s.foreign.state().has_data) {
    w.Key("foreign");
    WriteForeignState(w, s.foreign.state());
  }
  w.EndObject();
}

void WriteForeignState(JsonWriter& w, const core::ForeignState& f) {
  w.BeginObject();
  w.Field("buy_vol", f.buy_vol);
  w.Field("sell_vol", f.sell_vol);
  w.Field("net_vol", f.net_vol());
  w.Field("buy_val", f.buy_val);
  w.Field("sell_val", f.sell_val);
  w.Field("net_val", f.net_val());
  w.Key("total_room").Optional(f.total_room);
  w.Key("current_room").Optional(f.current_room);
  w.Key("room_used_pct").Optional(f.room_used_pct());
  // Speeds are null until their window covers the minimum, accelerations until two ready speeds exist.
  const auto speed = [&](std::string_view k, double v) { f.speed_ready ? w.Field(k, v) : w.Key(k).Null(); };
  const auto accel = [&](std::string_view k, double v) { f.accel_ready ? w.Field(k, v) : w.Key(k).Null(); };
  speed("buy_speed_vol", f.buy_speed_vol);
  speed("sell_speed_vol", f.sell_speed_vol);
  speed("net_speed_vol", f.net_speed_vol);
  speed("net_speed_val", f.net_speed_val);
  accel("net_accel_vol", f.net_accel_vol);
  accel("net_accel_val", f.net_accel_val);
  w.Field("window_min", f.window_min);
  Time(w, "time", f.updated);
  w.EndObject();
}

void WriteIndex(JsonWriter& w, const core::IndexState& i) {
  w.BeginObject();
  w.Field("id", i.id.view());
  w.Field("feed_id", i.feed_id.view());
  PriceOrNull(w, "value", i.value);
  PriceOrNull(w, "prior_value", i.prior_value);
  w.Field("change", i.change);
  w.Key("change_pct").Double(i.change_pct, 4);
  w.Field("advances", i.advances);
  w.Field("declines", i.declines);
  w.Field("no_changes", i.no_changes);
  w.Field("ceilings", i.ceilings);
  w.Field("floors", i.floors);
  w.Field("total_trade", i.total_trade);
  w.Field("total_qtty", i.total_qtty);
  w.Field("total_value", i.total_value);
  w.Field("total_qtty_pt", i.total_qtty_pt);
  w.Field("total_value_pt", i.total_value_pt);
  w.Field("all_qty", i.all_qty);
  w.Field("all_value", i.all_value);
  w.Key("session").StringOrNull(ToString(i.session));
  Time(w, "time", i.updated);
  w.Field("series_points", static_cast<std::int64_t>(i.series.size()));
  w.EndObject();
}

void WriteFutures(JsonWriter& w, const core::FuturesState& f) {
  w.BeginObject();
  w.Field("symbol", f.contract.legacy_code.view());
  w.Field("krx_code", f.contract.krx_code.view());
  w.Key("alias");
  if (f.alias)
    w.String(core::ToString(*f.alias));
  else
    w.Null();
  w.Field("last_trading_day", ToString(f.contract.last_trading_day));
  w.Field("days_to_expiry", f.days_to_expiry);
  w.Field("expiry_calendar_covered", f.expiry_calendar_covered);
  w.Field("front", f.front);
  PriceOrNull(w, "last", f.last);
  PriceOrNull(w, "ref_price", f.ref);
  w.Field("change", f.change);
  w.Key("change_pct").Double(f.change_pct, 4);
  w.Field("volume", f.volume);
  w.Field("baseline_vol", f.baseline_vol);
  w.Field("feed_total_vol", f.feed_total_vol);
  w.Field("active_buy_vol", f.active_buy_vol);
  w.Field("active_sell_vol", f.active_sell_vol);
  w.Field("neutral_vol", f.neutral_vol);
  w.Field("value", f.value);
  w.Field("trade_count", f.trade_count);
  WriteBook(w, f.book);
  // Basis figures exist only once both the contract and the VN30 have traded: null before, never 0.
  const auto basis_price = [&](std::string_view k, Price v) {
    w.Key(k);
    f.has_basis ? w.Price(v) : w.Null();
  };
  const auto basis_ratio = [&](std::string_view k, double v) {
    w.Key(k);
    f.has_basis ? w.Double(v, 4) : w.Null();
  };
  basis_price("basis", f.basis);
  basis_ratio("basis_pct", f.basis_pct);
  basis_price("spot", f.spot);
  basis_ratio("fair_basis", f.fair_basis);
  basis_ratio("basis_minus_fair", f.basis_minus_fair);
  w.Key("premium");
  if (f.has_basis)
    w.String(f.basis.raw > 0 ? "premium" : f.basis.raw < 0 ? "discount" : "flat");
  else
    w.Null();
  w.Key("slope_per_min").Optional(f.slope_per_min);
  w.Key("projected_basis_at_expiry").Optional(f.projected_basis_at_expiry);
  w.Key("required_slope_per_min").Optional(f.required_slope_per_min);
  w.Field("trading_minutes_left", f.trading_minutes_left);
  w.Field("basis_points", static_cast<std::int64_t>(f.history.size()));
  Time(w, "time", f.updated);
  w.EndObject();
}

namespace {
void AlertFields(JsonWriter& w, const core::Alert& a);
}  // namespace

void WriteAlert(JsonWriter& w, const core::Alert& a) {
  w.BeginObject();
  AlertFields(w, a);
  w.EndObject();
}

std::string UtcMillis(std::int64_t unix_ms) {
  const std::int64_t ms = ((unix_ms % 1000) + 1000) % 1000;
  const std::time_t secs = static_cast<std::time_t>((unix_ms - ms) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void WriteAlert(JsonWriter& w, const core::Alert& a, const std::vector<AlertDeliveryJson>& deliveries) {
  w.BeginObject();
  AlertFields(w, a);
  w.Key("deliveries").BeginArray();
  for (const AlertDeliveryJson& d : deliveries) {
    w.BeginObject();
    w.Field("channel", d.channel);
    w.Field("result", d.result);
    w.Field("attempts", d.attempts);
    w.Key("status");
    if (d.status > 0)
      w.Int(d.status);
    else
      w.Null();
    w.Key("error").StringOrNull(d.error);
    w.Field("time", UtcMillis(d.time_ms));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

namespace {
void AlertFields(JsonWriter& w, const core::Alert& a) {
  const auto text_or_null = [&w](const char* key, std::string_view v) { w.Key(key).StringOrNull(v); };
  w.Field("id", static_cast<std::int64_t>(a.id));
  w.Field("type", core::ToString(a.type));
  w.Field("severity", core::ToString(a.severity));
  w.Field("symbol", a.symbol.view());
  text_or_null("contract", a.contract.view());
  text_or_null("alias", a.alias);
  w.Field("rule_id", a.rule_id);
  w.Field("rule_name", a.rule_name);
  w.Field("metric", a.metric);
  text_or_null("unit", core::ToString(a.unit));
  text_or_null("direction", core::ToString(a.direction));
  text_or_null("comparison", a.comparison);
  w.Key("window_sec");
  if (a.window_sec > 0)
    w.Int(a.window_sec);
  else
    w.Null();
  w.Field("value", a.value);
  w.Field("threshold", a.threshold);
  w.Key("details").BeginObject();
  for (std::size_t i = 0; i < a.n_details; ++i) {
    w.Key(a.details[i].key).BeginObject();
    w.Field("value", a.details[i].value);
    text_or_null("unit", core::ToString(a.details[i].unit));
    w.EndObject();
  }
  w.EndObject();
  Time(w, "time", a.time);
  w.Field("message", a.message);
}
}  // namespace

void WriteTrade(JsonWriter& w, const core::ClassifiedTrade& t, std::uint64_t seq) {
  w.BeginObject();
  if (seq > 0) w.Field("seq", static_cast<std::int64_t>(seq));
  w.Field("symbol", t.symbol.view());
  Time(w, "time", t.time);
  w.Field("price", t.price);
  w.Field("volume", t.volume);
  w.Field("value", t.value);
  w.Field("side", core::ToString(t.side));
  w.Field("method", core::ToString(t.method));
  w.Key("session").StringOrNull(ToString(t.session));
  PriceOrNull(w, "bid", t.bid);
  PriceOrNull(w, "ask", t.ask);
  if (t.unattributed != Volume{}) w.Field("unattributed_vol", t.unattributed);
  w.EndObject();
}

void WriteEngineCounters(JsonWriter& w, const core::EngineCounters& c) {
  w.BeginObject();
  w.Field("events", static_cast<std::int64_t>(c.events));
  w.Key("events_by_channel").BeginObject();
  for (std::size_t ch = 0; ch < c.events_by_channel.size(); ++ch) {
    if (c.events_by_channel[ch])
      w.Field(core::ChannelName(static_cast<core::Channel>(ch)),
              static_cast<std::int64_t>(c.events_by_channel[ch]));
  }
  w.EndObject();
  const std::pair<const char*, std::uint64_t> rows[] = {
      {"trades_counted", c.trades_counted},
      {"duplicates_skipped", c.duplicates_skipped},
      {"quote_only_snapshots", c.quote_only_snapshots},
      {"baselines", c.baselines},
      {"stale_frames", c.stale_frames},
      {"foreign_resets", c.foreign_resets},
      {"no_total_vol_trades", c.no_total_vol_trades},
      {"unattributed_volume", c.unattributed_volume},
      {"stale_date_events", c.stale_date_events},
      {"out_of_order", c.out_of_order},
      {"unknown_symbols", c.unknown_symbols},
      {"unknown_symbol_events", c.unknown_symbol_events},
      {"late_candle_trades", c.late_candle_trades},
      {"reattributed_trades", c.reattributed_trades},
      {"empty_symbol_events", c.empty_symbol_events},
      {"sink_errors", c.sink_errors},
      {"day_rollovers", c.day_rollovers},
      {"alerts", c.alerts},
  };
  for (const auto& [k, v] : rows) w.Field(k, static_cast<std::int64_t>(v));
  w.Key("alerts_by_type").BeginObject();
  for (std::size_t t = 0; t < c.alerts_by_type.size(); ++t)
    w.Field(core::ToString(static_cast<core::AlertType>(t)), static_cast<std::int64_t>(c.alerts_by_type[t]));
  w.EndObject();
  w.EndObject();
}

void WriteOrderBook(JsonWriter& w, const core::SymbolState& s) {
  w.BeginObject().Field("symbol", s.symbol.view());
  Time(w, "time", s.last_time);
  WriteBook(w, s.book);
  w.EndObject();
}

void WriteVolumeProfile(JsonWriter& w, const core::SymbolState& s) {
  w.BeginObject().Field("symbol", s.symbol.view()).Key("levels").BeginArray();
  for (const auto& [raw, v] : s.profile) {
    w.BeginObject().Field("price", Price::FromRaw(raw)).Field("active_buy_vol", v.buy_vol);
    w.Field("active_sell_vol", v.sell_vol).Field("neutral_vol", v.neutral_vol).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteForeignSummary(JsonWriter& w, const core::MarketEngine& e, std::size_t top_n) {
  w.BeginObject();
  const core::ForeignTotals t = e.Vn30ForeignTotals();
  w.Key("vn30").BeginObject();
  w.Field("buy_vol", t.buy_vol);
  w.Field("sell_vol", t.sell_vol);
  w.Field("net_vol", t.net_vol());
  w.Field("buy_val", t.buy_val);
  w.Field("sell_val", t.sell_val);
  w.Field("net_val", t.net_val());
  w.Field("net_speed_vol", t.net_speed_vol);
  w.Field("net_speed_val", t.net_speed_val);
  w.Field("symbols", t.symbols);
  w.EndObject();
  auto ranks = [&](std::string_view key, const std::vector<core::ForeignRank>& rows) {
    w.Key(key).BeginArray();
    for (const core::ForeignRank& r : rows) {
      w.BeginObject()
          .Field("symbol", r.symbol.view())
          .Field("net_vol", r.net_vol)
          .Field("net_val", r.net_val);
      w.EndObject();
    }
    w.EndArray();
  };
  ranks("top_buyers", e.TopForeignBuyers(top_n));
  ranks("top_sellers", e.TopForeignSellers(top_n));
  w.Key("symbols").BeginObject();
  for (const core::SymbolState& s : e.symbols()) {
    if (!s.foreign.state().has_data) continue;
    w.Key(s.symbol.view());
    WriteForeignState(w, s.foreign.state());
  }
  w.EndObject();
  w.EndObject();
}

namespace {

void WriteBreadth(JsonWriter& w, const core::IndexState* i) {
  if (i == nullptr) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Field("advances", i->advances);
  w.Field("declines", i->declines);
  w.Field("no_changes", i->no_changes);
  w.Field("ceilings", i->ceilings);
  w.Field("floors", i->floors);
  w.Key("advance_ratio").Optional(i->AdvanceRatio());
  w.EndObject();
}

void WriteIndexPt(JsonWriter& w, const core::IndexState* i) {
  if (i == nullptr) {
    w.Null();
    return;
  }
  w.BeginObject().Field("qty", i->total_qtty_pt).Field("value", i->total_value_pt).EndObject();
}

}  // namespace

void WriteMarketOverview(JsonWriter& w, const core::MarketOverview& o,
                         const std::vector<const core::ClassifiedTrade*>& pt_deals) {
  w.BeginObject();
  w.Key("vn30");
  if (o.vn30_index)
    WriteIndex(w, *o.vn30_index);
  else
    w.Null();
  w.Key("vnindex");
  if (o.vnindex)
    WriteIndex(w, *o.vnindex);
  else
    w.Null();
  w.Key("breadth").BeginObject();
  w.Key("vnindex");
  WriteBreadth(w, o.vnindex);
  w.Key("vn30");
  WriteBreadth(w, o.vn30_index);
  w.EndObject();

  const core::ContributionReport& c = o.vn30;
  w.Key("contributions").BeginObject();
  w.Field("ready", c.ready);
  w.Key("index_change");
  if (c.ready)
    w.Double(c.index_change, 2);
  else
    w.Null();
  w.Key("sum_points").Double(c.sum_points, 4);
  w.Key("residual");
  if (c.ready)
    w.Double(c.residual, 4);
  else
    w.Null();
  // The index rebuilt from the newest prices (prior + sum): ahead of the feed's index between two MI frames.
  w.Key("rebuilt_index");
  if (c.ready)
    w.Double(o.vn30_index->prior_value.ToDouble() + c.sum_points, 2);
  else
    w.Null();
  Time(w, "index_time", o.vn30_index ? o.vn30_index->updated : ExchangeTime{});
  Time(w, "prices_time", o.prices_time);
  w.Field("unknown", c.unknown);
  w.Field("cap", core::kVn30WeightCap);
  w.Field("weights",
          "listed shares x free float per constituent (HOSE review data), capped at 10 %, "
          "at today's reference prices");
  w.EndObject();

  w.Key("tiles").BeginArray();
  for (const core::HeatTile& t : o.tiles) {
    w.BeginObject();
    w.Field("symbol", t.symbol.view());
    w.Field("seen", t.seen);
    PriceOrNull(w, "ref", t.ref);
    PriceOrNull(w, "last", t.last);
    PriceOrNull(w, "ceiling", t.ceiling);
    PriceOrNull(w, "floor", t.floor);
    w.Field("traded", t.traded);
    w.Key("change_pct");
    if (t.ref.raw > 0)
      w.Double(t.change_pct, 4);
    else
      w.Null();
    w.Field("volume", t.volume);
    w.Field("value", t.value);
    w.Key("foreign_net_vol");
    if (t.has_foreign)
      w.Int(t.foreign_net_vol.raw());
    else
      w.Null();
    w.Key("foreign_net_val");
    if (t.has_foreign)
      w.Int(t.foreign_net_val.raw());
    else
      w.Null();
    w.Key("contribution");
    if (t.contribution)
      w.Double(*t.contribution, 4);
    else
      w.Null();
    w.Key("weight").Double(t.weight, 6);
    w.EndObject();
  }
  w.EndArray();

  w.Key("put_through").BeginObject();
  w.Key("symbols").BeginArray();
  for (const core::PutThroughRow& r : o.put_through) {
    w.BeginObject();
    w.Field("symbol", r.symbol.view());
    w.Field("volume", r.volume);
    w.Field("value", r.value);
    w.Field("deals", r.deals);
    PriceOrNull(w, "average_price", r.average);
    w.EndObject();
  }
  w.EndArray();
  w.Field("total_vol", o.put_through_vol);
  w.Field("total_val", o.put_through_val);
  w.Key("deals").BeginArray();
  for (const core::ClassifiedTrade* t : pt_deals) WriteTrade(w, *t);
  w.EndArray();
  w.Key("index").BeginObject();
  w.Key("vn30");
  WriteIndexPt(w, o.vn30_index);
  w.Key("vnindex");
  WriteIndexPt(w, o.vnindex);
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

}  // namespace vnt::api
