#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "sim/frame_builder.h"
#include "sim/market_rules.h"
#include "sim/sim_internal.h"

// The simulator's second half: the SSI FastConnect v2 frames it emits for its market (simulator.cpp holds
// the market model). Key sets and their order follow SSI's samples (fastconnect-v2.md §4).

namespace vnt::sim {

namespace {

// a / b rounded half away from zero (b > 0).
std::int64_t RoundDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

// round(change / ref x 100, 2) as Fixed4.
Fixed4 RatioPercent(std::int64_t change_raw, std::int64_t ref_raw) {
  if (ref_raw == 0) return Fixed4{};
  return Fixed4::FromRaw(RoundDiv(change_raw * 10'000, ref_raw) * 100);
}

// A double rounded to 2 decimals as Fixed4.
Fixed4 Round2(double v) {
  return Fixed4::FromRaw(std::llround(v * 100.0) * 100);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Frames (key sets and order as in SSI's samples, fastconnect-v2.md §4).

namespace {

// Message cursor of the n-th frame, e.g. "d-1F2A3B4C-B,17|C,0|D,1".
std::string_view Cursor(const std::string& prefix, std::int64_t n, char (&buf)[64]) {
  std::size_t len = prefix.size();
  std::copy(prefix.begin(), prefix.end(), buf);
  const auto r = std::to_chars(buf + len, buf + 40, n);
  len = static_cast<std::size_t>(r.ptr - buf);
  constexpr std::string_view kTail = "|C,0|D,1";
  std::copy(kTail.begin(), kTail.end(), buf + len);
  return {buf, len + kTail.size()};
}

}  // namespace

// A new frame of `kind` for `symbol` at second t, its envelope begun (the next message cursor, DataType
// `data_type`; `trade`: the sequence number of the trade it reports, -1 for none): the caller writes the
// Content keys into the builder and ends it.
FrameBuilder Simulator::StartFrame(int t, core::Channel kind, const Symbol& symbol,
                                   std::string_view data_type, std::int64_t trade) {
  if (count_ == pending_.size()) pending_.emplace_back();
  SimFrame& f = pending_[count_++];
  f.time = ExchangeTime{cfg_.date, TimeOfDay{t}};
  f.kind = kind;
  f.symbol = symbol;
  f.trade = trade;
  char cur[64];
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), data_type);
  return b;
}

namespace {

constexpr std::array<std::string_view, 10> kAskPrice = {"AskPrice1", "AskPrice2", "AskPrice3", "AskPrice4",
                                                        "AskPrice5", "AskPrice6", "AskPrice7", "AskPrice8",
                                                        "AskPrice9", "AskPrice10"};
constexpr std::array<std::string_view, 10> kAskVol = {"AskVol1", "AskVol2", "AskVol3", "AskVol4", "AskVol5",
                                                      "AskVol6", "AskVol7", "AskVol8", "AskVol9", "AskVol10"};
constexpr std::array<std::string_view, 10> kBidPrice = {"BidPrice1", "BidPrice2", "BidPrice3", "BidPrice4",
                                                        "BidPrice5", "BidPrice6", "BidPrice7", "BidPrice8",
                                                        "BidPrice9", "BidPrice10"};
constexpr std::array<std::string_view, 10> kBidVol = {"BidVol1", "BidVol2", "BidVol3", "BidVol4", "BidVol5",
                                                      "BidVol6", "BidVol7", "BidVol8", "BidVol9", "BidVol10"};

}  // namespace

namespace {

// "HH:mm:ss" of second t (the Time key).
struct Hms {
  explicit Hms(int t) { FormatTime(TimeOfDay{t}, buf); }
  std::string_view view() const { return {buf, 8}; }
  char buf[8];
};

// The keys X-TRADE and X open with, in SSI's order: RType, TradingDate, Time, Isin, Symbol and the day's
// price limits.
template <typename Ins>
void PriceHead(FrameBuilder& b, std::string_view rtype, std::string_view trading_date, int t,
               const Ins& ins) {
  const std::string_view sym = ins.symbol.view();
  b.Str("RType", rtype);
  b.Str("TradingDate", trading_date);
  b.Str("Time", Hms(t).view());
  b.Str("Isin", sym);
  b.Str("Symbol", sym);
  b.Dbl("Ceiling", ins.ceiling);
  b.Dbl("Floor", ins.floor);
  b.Dbl("RefPrice", ins.ref);
}

// Displayed book: level prices walk outward from the best price; levels past the limit (or past the
// instrument's depth: HOSE shows 3) are sent as 0.0.
struct DisplayedBook {
  std::array<Price, 10> bid_px{}, ask_px{};
  std::array<Volume, 10> bid_vol{}, ask_vol{};
};

template <typename Ins>
DisplayedBook Display(const Ins& ins, Market m) {
  DisplayedBook b;
  Price p = ins.ask1;
  for (int i = 0; i < ins.depth && p <= ins.ceiling; ++i, p = TickUp(m, p)) {
    b.ask_px[i] = p;
    b.ask_vol[i] = ins.ask_vol[i];
  }
  p = ins.bid1;
  for (int i = 0; i < ins.depth && p >= ins.floor; ++i, p = TickDown(m, p)) {
    b.bid_px[i] = p;
    b.bid_vol[i] = ins.bid_vol[i];
  }
  return b;
}

}  // namespace

void Simulator::EmitTrade(int t, const Instrument& ins, Session session, std::int64_t seq, bool auction) {
  if (!emitting_ || !cfg_.channels.x_trade) return;
  FrameBuilder b = StartFrame(t, core::Channel::kTrade, ins.symbol, "X-TRADE", seq);
  PriceHead(b, "X-TRADE", trading_date_, t, ins);
  b.Dbl("AvgPrice", Fixed4::FromRaw(RoundDiv(ins.total_val.raw() * 100, ins.total_vol.raw()) * 100));
  b.Dbl("PriorVal", ins.ref);
  b.Dbl("LastPrice", ins.last);
  b.DblInt("LastVol", ins.last_vol.raw());
  b.DblInt("TotalVal", ins.total_val.raw());
  b.DblInt("TotalVol", ins.total_vol.raw());
  b.Str("MarketId", ins.exchange);
  b.Str("Exchange", ins.exchange);
  b.Str("TradingSession", ToString(session));
  b.Str("TradingStatus", ins.status);
  const Fixed4 change = ins.last - ins.ref;
  b.Dbl("Change", change);
  b.Dbl("RatioChange", RatioPercent(change.raw, ins.ref.raw));
  b.Dbl("EstMatchedPrice", ins.est_matched);
  b.Plain("Highest", ins.high);
  b.Plain("Lowest", ins.low);
  if (auction)
    b.Null("Side");
  else
    b.Str("Side", ins.last_side == Side::kBuy ? "BU" : "SD");
  b.End();
}

void Simulator::EmitQuote(int t, const Instrument& ins, Session session) {
  if (!emitting_ || !cfg_.channels.x_quote) return;
  const DisplayedBook d = Display(ins, ins.market);
  FrameBuilder b = StartFrame(t, core::Channel::kQuote, ins.symbol, "X-QUOTE");
  b.Str("TradingDate", trading_date_);
  b.Str("Time", Hms(t).view());
  b.Str("Exchange", ins.exchange);
  b.Str("Symbol", ins.symbol.view());
  b.Str("RType", "X-QUOTE");
  for (int i = 0; i < 10; ++i) b.Dbl(kAskPrice[i], d.ask_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kAskVol[i], d.ask_vol[i].raw());
  for (int i = 0; i < 10; ++i) b.Dbl(kBidPrice[i], d.bid_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kBidVol[i], d.bid_vol[i].raw());
  b.Str("TradingSession", ToString(session));
  b.End();
}

void Simulator::EmitSnapshot(int t, const Instrument& ins, Session session, std::int64_t seq) {
  if (!emitting_) return;
  const DisplayedBook d = Display(ins, ins.market);
  FrameBuilder b = StartFrame(t, core::Channel::kSnapshot, ins.symbol, "X", seq);
  PriceHead(b, "X", trading_date_, t, ins);
  b.Dbl("Open", ins.traded ? ins.open : Price{});
  b.Dbl("High", ins.traded ? ins.high : Price{});
  b.Dbl("Low", ins.traded ? ins.low : Price{});
  b.Dbl("Close", ins.traded ? ins.last : Price{});
  if (ins.total_vol > Volume{})
    b.Dbl("AvgPrice", Fixed4::FromRaw(RoundDiv(ins.total_val.raw() * 100, ins.total_vol.raw()) * 100));
  else
    b.Str("AvgPrice", "NaN");  // what SSI sends before the first trade (2026 capture)
  b.Dbl("PriorVal", ins.ref);
  b.Dbl("LastPrice", ins.traded ? ins.last : Price{});
  b.DblInt("LastVol", ins.traded ? ins.last_vol.raw() : 0);
  b.DblInt("TotalVal", ins.total_val.raw());
  b.DblInt("TotalVol", ins.total_vol.raw());
  for (int i = 0; i < 10; ++i) b.Dbl(kBidPrice[i], d.bid_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kBidVol[i], d.bid_vol[i].raw());
  for (int i = 0; i < 10; ++i) b.Dbl(kAskPrice[i], d.ask_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kAskVol[i], d.ask_vol[i].raw());
  b.Str("MarketId", ins.exchange);
  b.Str("Exchange", ins.exchange);
  b.Str("TradingSession", ToString(session));
  b.Str("TradingStatus", ins.status);
  // Before the first trade SSI sends Change = -RefPrice and RatioChange = -100 (2026 capture).
  const Fixed4 change = (ins.traded ? ins.last : Price{}) - ins.ref;
  b.Dbl("Change", change);
  b.Dbl("RatioChange", RatioPercent(change.raw, ins.ref.raw));
  const bool auction_now = session == Session::kAto || session == Session::kAtc;
  b.Dbl("EstMatchedPrice", auction_now ? std::clamp(RoundToGrid(ins.market, ins.fair), ins.floor, ins.ceiling)
                                       : ins.est_matched);
  if (ins.futures) {
    if (ins.traded && ins.last_side != Side::kUnknown)
      b.Str("Side", ins.last_side == Side::kBuy ? "BU" : "SD");
    else
      b.Null("Side");
    b.Int("CloseQtty", 0);
  }
  b.End();
}

void Simulator::EmitBar(int t, const Instrument& ins, std::int64_t seq) {
  if (!emitting_) return;
  FrameBuilder b = StartFrame(t, core::Channel::kBar, ins.symbol, "B", seq);
  b.Str("RType", "B");
  b.Str("Symbol", ins.symbol.view());
  b.Str("Time", Hms(t).view());
  b.Plain("Open", ins.last);
  b.Plain("High", ins.last);
  b.Plain("Low", ins.last);
  b.Plain("Close", ins.last);
  b.Int("Volume", ins.last_vol.raw());
  b.Int("Value", 0);
  b.End();
}

void Simulator::EmitStatus(int t, const Instrument& ins, Session session) {
  if (!emitting_ || !cfg_.channels.status) return;
  FrameBuilder b = StartFrame(t, core::Channel::kStatus, ins.symbol, "F");
  b.Str("RType", "F");
  b.Str("MarketId", ins.exchange);
  b.Str("TradingDate", trading_date_);
  b.Str("Time", Hms(t).view());
  b.Str("Symbol", ins.symbol.view());
  b.Str("TradingSession", ToString(session));
  b.Str("TradingStatus", ins.status);
  b.Str("Exchange", ins.exchange);
  b.End();
}

void Simulator::EmitForeign(int t, Instrument& ins) {
  if (!emitting_ || !cfg_.channels.foreign) return;
  ins.foreign_dirty = false;
  const std::string_view sym = ins.symbol.view();
  // HOSE values are approximated by SSI as cumulative volume x the current last price.
  const std::int64_t px = (ins.traded ? ins.last : ins.ref).raw / Fixed4::kScale;
  FrameBuilder b = StartFrame(t, core::Channel::kForeign, ins.symbol, "R");
  b.Str("RType", "R");
  b.Str("TradingDate", trading_date_);
  b.Str("Time", Hms(t).view());
  b.Str("Isin", sym);
  b.Str("Symbol", sym);
  b.DblInt("TotalRoom", ins.total_room.raw());
  b.DblInt("CurrentRoom", (ins.room_open - (ins.f_buy - ins.f_sell)).raw());
  b.DblInt("BuyVol", ins.f_buy.raw());
  b.DblInt("SellVol", ins.f_sell.raw());
  b.DblInt("BuyVal", ins.f_buy.raw() * px);
  b.DblInt("SellVal", ins.f_sell.raw() * px);
  b.Str("MarketId", ins.exchange);
  b.Str("Exchange", ins.exchange);
  b.End();
}

void Simulator::EmitIndex(int t, std::size_t index, Session session) {
  if (!emitting_ || !cfg_.channels.index) return;
  const IndexInfo& idx = indices_[index];
  Volume qty{};
  Vnd val{};
  int adv = 0, dec = 0, same = 0, ceil = 0, floor = 0;
  for (std::size_t i : idx.stock_index) {
    const Instrument& ins = instruments_[i];
    qty += ins.total_vol;
    val += ins.total_val;
    const Price p = ins.traded ? ins.last : ins.ref;
    if (p > ins.ref)
      ++adv;
    else if (p < ins.ref)
      ++dec;
    else
      ++same;
    if (ins.traded && p == ins.ceiling) ++ceil;
    if (ins.traded && p == ins.floor) ++floor;
  }
  Volume pt_qty = pt_qty_[index];
  Vnd pt_val = pt_val_[index];
  double level = IndexValue(index);
  if (rest_ && idx.id == Symbol::Of("VNINDEX")) {
    // VNINDEX is all of HOSE: the basket's stocks plus the rest of the market, by market cap.
    const double basket_return = level / idx.prior_value.ToDouble() - 1.0;
    rest_->Step(t, basket_return, Trading(session));
    const RestOfMarket::Breadth r = rest_->Now();
    level = idx.prior_value.ToDouble() *
            (1.0 + (1.0 - RestOfMarket::kCapShare) * basket_return + RestOfMarket::kCapShare * r.cap_return);
    adv += r.advances;
    dec += r.declines;
    same += r.unchanged;
    ceil += r.ceilings;
    floor += r.floors;
    qty += r.qty;
    val += r.value;
    pt_qty += r.pt_qty;
    pt_val += r.pt_value;
  }
  const Fixed4 value = Round2(level);
  const Fixed4 change = value - idx.prior_value;
  FrameBuilder b = StartFrame(t, core::Channel::kIndex, idx.id, "MI");
  b.Str("IndexId", idx.id.view());
  b.Dbl("IndexValue", value);
  b.Dbl("PriorIndexValue", idx.prior_value);
  b.Str("TradingDate", trading_date_);
  b.Str("Time", Hms(t).view());
  b.DblInt("TotalTrade", 0);  // SSI leaves it at 0.0 (2023 capture)
  b.DblInt("TotalQtty", qty.raw());
  b.DblInt("TotalValue", val.raw());
  b.Str("IndexName", idx.name);
  b.Int("Advances", adv);
  b.Int("NoChanges", same);
  b.Int("Declines", dec);
  b.Int("Ceilings", ceil);
  b.Int("Floors", floor);
  b.Dbl("Change", change);
  b.Dbl("RatioChange", RatioPercent(change.raw, idx.prior_value.raw));
  b.DblInt("TotalQttyPt", pt_qty.raw());
  b.DblInt("TotalValuePt", pt_val.raw());
  b.Str("Exchange", idx.exchange);
  b.DblInt("AllQty", (qty + pt_qty).raw());
  b.DblInt("AllValue", (val + pt_val).raw());
  b.Str("IndexType", "Main");
  b.Str("TradingSession", ToString(session));
  b.Null("MarketId");
  b.Str("RType", "MI");
  b.Int("TotalQttyOd", 0);
  b.Int("TotalValueOd", 0);
  b.End();
}

}  // namespace vnt::sim
