#include "api/event_json.h"

#include <cstdio>
#include <type_traits>

namespace vnt::api {

using namespace core;  // NOLINT(google-build-using-namespace): the event vocabulary

namespace {

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) { out_->push_back('{'); }
  void End() { out_->push_back('}'); }

  void Key(std::string_view k) {
    if (!first_) out_->push_back(',');
    first_ = false;
    AppendJsonString(k, out_);
    out_->push_back(':');
  }
  void Str(std::string_view k, std::string_view v) {
    Key(k);
    AppendJsonString(v, out_);
  }
  void StrOrNull(std::string_view k, std::string_view v) {
    if (v.empty()) return Null(k);
    Str(k, v);
  }
  void Null(std::string_view k) {
    Key(k);
    *out_ += "null";
  }
  void Num(std::string_view k, const std::optional<Fixed4>& v) {
    Key(k);
    if (!v) {
      *out_ += "null";
      return;
    }
    char buf[32];
    out_->append(buf, static_cast<std::size_t>(FormatFixed4(*v, buf)));
  }
  template <typename T>
  void Int(std::string_view k, const std::optional<T>& v) {
    Key(k);
    if (!v) {
      *out_ += "null";
      return;
    }
    if constexpr (std::is_integral_v<T>)
      *out_ += std::to_string(*v);
    else
      *out_ += std::to_string(v->raw());  // Volume, Vnd
  }
  void Bool(std::string_view k, bool v) {
    Key(k);
    *out_ += v ? "true" : "false";
  }
  void Levels(std::string_view k, const std::array<Level, 10>& levels, std::uint8_t n) {
    Key(k);
    out_->push_back('[');
    char buf[32];
    for (std::uint8_t i = 0; i < n; ++i) {
      if (i) out_->push_back(',');
      out_->push_back('[');
      out_->append(buf, static_cast<std::size_t>(FormatFixed4(levels[i].price, buf)));
      out_->push_back(',');
      *out_ += std::to_string(levels[i].volume.raw());
      out_->push_back(']');
    }
    out_->push_back(']');
  }

 private:
  std::string* out_;
  bool first_ = true;
};

void HeaderJson(const Header& h, Writer& w) {
  w.Str("channel", ChannelName(h.channel));
  w.Str("symbol", h.symbol.view());
  w.StrOrNull("trading_date", ToString(h.time.date));
  w.StrOrNull("time", ToString(h.time.time));
  w.StrOrNull("session", ToString(h.session));
  if (h.repaired) w.Bool("repaired", true);
}

void TradeJson(const TradeFields& t, Writer& w) {
  w.Num("last_price", t.last_price);
  w.Int("last_vol", t.last_vol);
  w.Int("total_vol", t.total_vol);
  w.Int("total_val", t.total_val);
  w.Num("ref_price", t.ref_price);
  w.Num("ceiling", t.ceiling);
  w.Num("floor", t.floor);
  w.StrOrNull("side", ToString(t.side));
  w.Num("avg_price", t.avg_price);
  w.Num("open", t.open);
  w.Num("high", t.high);
  w.Num("low", t.low);
  w.Num("close", t.close);
  w.Num("change", t.change);
  w.Num("ratio_change", t.ratio_change);
  w.Num("est_matched_price", t.est_matched_price);
  w.StrOrNull("trading_status", t.trading_status);
}

void BookJson(const Book& b, Writer& w) {
  w.Levels("bids", b.bids, b.bid_count);
  w.Levels("asks", b.asks, b.ask_count);
}

}  // namespace

void AppendEventJson(const MarketEvent& ev, std::string* out) {
  Writer w(out);
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        HeaderJson(e.h, w);
        if constexpr (std::is_same_v<T, TradeEvent>) {
          TradeJson(e.t, w);
        } else if constexpr (std::is_same_v<T, QuoteEvent>) {
          BookJson(e.book, w);
        } else if constexpr (std::is_same_v<T, SnapshotEvent> || std::is_same_v<T, OddLotEvent>) {
          TradeJson(e.t, w);
          BookJson(e.book, w);
        } else if constexpr (std::is_same_v<T, ForeignRoomEvent>) {
          w.Int("buy_vol", e.buy_vol);
          w.Int("sell_vol", e.sell_vol);
          w.Int("buy_val", e.buy_val);
          w.Int("sell_val", e.sell_val);
          w.Int("total_room", e.total_room);
          w.Int("current_room", e.current_room);
        } else if constexpr (std::is_same_v<T, IndexEvent>) {
          w.Num("value", e.value);
          w.Num("prior_value", e.prior_value);
          w.Num("change", e.change);
          w.Num("ratio_change", e.ratio_change);
          w.Int("advances", e.advances);
          w.Int("declines", e.declines);
          w.Int("no_changes", e.no_changes);
          w.Int("ceilings", e.ceilings);
          w.Int("floors", e.floors);
          w.Int("total_trade", e.total_trade);
          w.Int("total_qtty", e.total_qtty);
          w.Int("total_value", e.total_value);
          w.Int("total_qtty_pt", e.total_qtty_pt);
          w.Int("total_value_pt", e.total_value_pt);
          w.Int("all_qty", e.all_qty);
          w.Int("all_value", e.all_value);
        } else if constexpr (std::is_same_v<T, StatusEvent>) {
          w.StrOrNull("trading_status", e.trading_status);
          w.StrOrNull("exchange", e.exchange);
        } else if constexpr (std::is_same_v<T, BarEvent>) {
          w.Num("open", e.open);
          w.Num("high", e.high);
          w.Num("low", e.low);
          w.Num("close", e.close);
          w.Int("volume", e.volume);
          w.Int("value", e.value);
        }
      },
      ev);
  w.End();
}

}  // namespace vnt::api
