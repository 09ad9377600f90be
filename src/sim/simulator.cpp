#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "sim/frame_builder.h"
#include "sim/market_rules.h"

namespace vnt::sim {

namespace {

constexpr int Hms(int h, int m, int s = 0) {
  return h * 3600 + m * 60 + s;
}

// The market starts moving here even when the caller asks for a later start (state is then built
// silently), so that a 10:00 start shows a realistic mid-morning book and day totals.
constexpr int kMarketWarmup = Hms(8, 30);
constexpr int kFuturesClose = Hms(14, 45);

// Mean trade sizes used to size auction prints (shares, contracts).
constexpr double kMeanStockTrade = 3150;
constexpr double kMeanFuturesTrade = 8;
// Seconds of continuous trading in a day (09:15-11:30 and 13:00-14:30).
constexpr double kContinuousSeconds = 13'500;

// Per-second volatility: about 1.0% a day for the market factor, 1.2% idiosyncratic.
constexpr double kMarketSigma = 7.5e-5;
constexpr double kIdioSigma = 9.0e-5;

// Base trade rates per second in continuous trading (before liquidity, profile and activity).
constexpr double kStockRate = 0.3;
constexpr std::array<double, 4> kFuturesRate = {2.5, 0.15, 0.02, 0.01};  // 1M, 2M, 1Q, 2Q

struct ProfilePoint {
  int t;
  double v;
};
// Trade-rate multiplier over continuous trading: a burst after the open, a quieter late morning, a
// pick-up before the close (the lunch break and auctions are handled by the session).
constexpr ProfilePoint kStockProfile[] = {{Hms(9, 15), 2.5},  {Hms(9, 45), 1.2}, {Hms(10, 30), 1.0},
                                          {Hms(11, 30), 0.7}, {Hms(13, 0), 1.1}, {Hms(13, 20), 0.9},
                                          {Hms(14, 0), 1.0},  {Hms(14, 30), 2.2}};
constexpr ProfilePoint kFuturesProfile[] = {{Hms(9, 0), 3.0},   {Hms(9, 15), 2.5},  {Hms(9, 45), 1.2},
                                            {Hms(10, 30), 1.0}, {Hms(11, 30), 0.7}, {Hms(13, 0), 1.1},
                                            {Hms(13, 20), 0.9}, {Hms(14, 0), 1.0},  {Hms(14, 30), 2.2}};

template <std::size_t N>
double Interpolate(const ProfilePoint (&pts)[N], int t) {
  if (t <= pts[0].t) return pts[0].v;
  for (std::size_t i = 1; i < N; ++i) {
    if (t <= pts[i].t) {
      const double f = static_cast<double>(t - pts[i - 1].t) / (pts[i].t - pts[i - 1].t);
      return pts[i - 1].v + f * (pts[i].v - pts[i - 1].v);
    }
  }
  return pts[N - 1].v;
}

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

bool Trading(Session s) {
  return s == Session::kAto || s == Session::kLo || s == Session::kAtc;
}

constexpr std::string_view kHose = "HOSE";
constexpr std::string_view kDerivatives = "DERIVATIVES";

}  // namespace

Session StockSession(TimeOfDay t) {
  const int s = t.sec;
  if (s < Hms(9, 0)) return Session::kClosed;
  if (s < Hms(9, 15)) return Session::kAto;
  if (s < Hms(11, 30)) return Session::kLo;
  if (s < Hms(13, 0)) return Session::kBreak;
  if (s < Hms(14, 30)) return Session::kLo;
  if (s < Hms(14, 45)) return Session::kAtc;
  if (s < Hms(15, 0)) return Session::kPt;
  return Session::kClosed;
}

Session FuturesSession(TimeOfDay t) {
  const int s = t.sec;
  if (s < Hms(8, 45)) return Session::kClosed;
  if (s < Hms(9, 0)) return Session::kAto;
  if (s < Hms(11, 30)) return Session::kLo;
  if (s < Hms(13, 0)) return Session::kBreak;
  if (s < Hms(14, 30)) return Session::kLo;
  if (s < Hms(14, 45)) return Session::kAtc;
  return Session::kClosed;
}

// Live state of one stock or futures contract.
struct Simulator::Instrument {
  bool futures = false;
  Market market = Market::kHose;
  std::size_t info = 0;  // index in stocks_ or futures_
  Symbol symbol;
  std::string_view exchange;
  std::string_view status;  // TradingStatus: "N" (stocks), "Normal" (futures)
  Price ref, ceiling, floor;
  int depth = 3;
  double rate = 0;  // base trades per second in continuous trading
  // Fair value (Fixed4 raw units as double): where informed order flow pushes the book.
  double beta = 1, idio = 0, fair = 0;
  double basis_noise = 0, basis_sigma = 0;
  int days_to_expiry = 0;
  // Book: contiguous price levels from the best price outward; a level beyond the limit is empty.
  Price bid1, ask1;
  std::array<Volume, 10> bid_vol{}, ask_vol{};
  // Day statistics.
  bool traded = false;
  Price last, open, high, low, est_matched;
  Volume last_vol = 0, total_vol = 0;
  Vnd total_val = 0;  // VND (futures: points x contracts x multiplier)
  Side last_side = Side::kUnknown;
  // Foreign flow (stocks).
  double f_buy_p = 0, f_sell_p = 0;
  Volume f_buy = 0, f_sell = 0, room_open = 0, total_room = 0;
  bool foreign_dirty = false;
  bool snapshot = false;  // emit X for this symbol

  Session SessionAt(int t) const {
    return futures ? FuturesSession(TimeOfDay{t}) : StockSession(TimeOfDay{t});
  }
  Price Tick(Price p) const { return TickAt(market, p); }
  double Mid() const { return (static_cast<double>(bid1.raw) + static_cast<double>(ask1.raw)) / 2; }
};

Simulator::Simulator(SimConfig cfg, const core::HolidayCalendar& calendar)
    : cfg_(std::move(cfg)), rng_(cfg_.seed) {
  if (!cfg_.date.valid()) throw std::invalid_argument("SimConfig.date is not set");
  if (!cfg_.start.valid() || !cfg_.end.valid() || cfg_.end < cfg_.start || cfg_.end.sec >= 86400)
    throw std::invalid_argument("SimConfig: need 0 <= start <= end < 24:00");
  if (cfg_.foreign_interval_s <= 0 || cfg_.index_interval_s <= 0)
    throw std::invalid_argument("SimConfig: intervals must be positive");
  if (!(cfg_.activity >= 0)) throw std::invalid_argument("SimConfig: activity must be >= 0");

  stocks_ = MakeStocks(cfg_.stocks.empty() ? DefaultVn30Stocks() : cfg_.stocks);
  indices_.push_back(MakeCappedIndex("VN30", "VN30", stocks_, cfg_.vn30_prior));
  indices_.push_back(MakeMarketCapIndex("VNINDEX", "VNINDEX", stocks_, cfg_.vnindex_prior));
  pt_qty_.assign(indices_.size(), 0);
  pt_val_.assign(indices_.size(), 0);
  if (cfg_.vnindex_rest > 0) rest_.emplace(cfg_.seed, cfg_.vnindex_rest);

  char cursor[40];
  std::snprintf(cursor, sizeof cursor, "d-%08X-B,", static_cast<unsigned>(cfg_.seed * 0x9E3779B1u));
  cursor_prefix_ = cursor;
  trading_date_ = FormatTradingDate(cfg_.date);

  const auto wants_snapshot = [&](const Symbol& s) {
    return cfg_.snapshot_symbols.empty() ||
           std::find(cfg_.snapshot_symbols.begin(), cfg_.snapshot_symbols.end(), s) !=
               cfg_.snapshot_symbols.end();
  };

  // Opening gap of the market (shared) and of each stock.
  market_factor_ = rng_.Normal() * 0.004;
  for (std::size_t i = 0; i < stocks_.size(); ++i) {
    const StockInfo& s = stocks_[i];
    Instrument ins;
    ins.market = Market::kHose;
    ins.info = i;
    ins.symbol = s.symbol;
    ins.exchange = kHose;
    ins.status = "N";
    ins.ref = s.ref;
    ins.ceiling = s.ceiling;
    ins.floor = s.floor;
    ins.depth = 3;
    ins.rate = kStockRate * s.liquidity * cfg_.activity;
    ins.beta = 0.7 + 0.6 * rng_.Uniform();
    ins.idio = rng_.Normal() * 0.005;
    ins.fair = static_cast<double>(s.ref.raw) * (1 + ins.beta * market_factor_ + ins.idio);
    const double base = 0.08 + 0.12 * rng_.Uniform();
    const double bias = rng_.Normal() * 0.04;  // a net-buying or net-selling day for foreigners
    ins.f_buy_p = std::clamp(base + bias, 0.01, 0.5);
    ins.f_sell_p = std::clamp(base - bias, 0.01, 0.5);
    ins.total_room = s.total_room;
    ins.room_open = s.current_room_open;
    ins.snapshot = wants_snapshot(s.symbol);
    instruments_.push_back(ins);
  }

  const auto listed = core::ListedContracts(cfg_.date, calendar);
  const double vn30_prior = cfg_.vn30_prior.ToDouble();
  for (std::size_t k = 0; k < listed.size(); ++k) {
    FuturesInfo f;
    f.listed = listed[k];
    f.symbol = listed[k].contract.krx_code;
    f.name = std::string(listed[k].contract.legacy_code.view()) + " (" + f.symbol.str() + ")";
    f.exchange = std::string(kDerivatives);
    f.days_to_expiry = core::CalendarDaysToExpiry(listed[k].contract, cfg_.date);
    f.liquidity = kFuturesRate[k] / kFuturesRate[0];
    Instrument ins;
    ins.futures = true;
    ins.market = Market::kDerivatives;
    ins.info = k;
    ins.symbol = f.symbol;
    ins.exchange = kDerivatives;
    ins.status = "Normal";
    ins.depth = 10;
    ins.rate = kFuturesRate[k] * cfg_.activity;
    ins.days_to_expiry = f.days_to_expiry;
    ins.basis_sigma = 0.3 + 0.15 * std::sqrt(static_cast<double>(std::max(0, f.days_to_expiry)));
    ins.basis_noise = rng_.Normal() * ins.basis_sigma;
    // Reference = yesterday's settlement: yesterday's VN30 close plus yesterday's basis.
    const double prev_basis =
        vn30_prior * cfg_.basis_rate * (f.days_to_expiry + 1) / 365.0 + rng_.Normal() * ins.basis_sigma;
    f.ref = RoundToGrid(Market::kDerivatives, (vn30_prior + prev_basis) * Fixed4::kScale);
    const PriceLimits l = DailyLimits(Market::kDerivatives, f.ref);
    f.ceiling = l.ceiling;
    f.floor = l.floor;
    ins.ref = f.ref;
    ins.ceiling = f.ceiling;
    ins.floor = f.floor;
    ins.fair = static_cast<double>(f.ref.raw);
    ins.snapshot = wants_snapshot(f.symbol);
    futures_.push_back(std::move(f));
    instruments_.push_back(ins);
  }

  // Pre-open books around the reference price (displayed from the opening auction on).
  for (Instrument& ins : instruments_) {
    ins.bid1 = TickDown(ins.market, ins.ref);
    ins.ask1 = ins.ref;
    for (int i = 0; i < ins.depth; ++i) {
      ins.bid_vol[i] = ins.futures ? rng_.Range(1, 80) : rng_.Range(5, 2000) * kHoseLot;
      ins.ask_vol[i] = ins.futures ? rng_.Range(1, 80) : rng_.Range(5, 2000) * kHoseLot;
    }
  }

  first_second_ = std::min(cfg_.start.sec, kMarketWarmup);
  now_ = first_second_ - 1;
  if (cfg_.keep_truth) truth_.reserve(1 << 16);
}

Simulator::~Simulator() = default;

void Simulator::SetTradeObserver(std::function<void(const GroundTruthTrade&)> observer) {
  observer_ = std::move(observer);
}

bool Simulator::Next(SimFrame* out) {
  while (read_ == count_) {
    if (now_ >= cfg_.end.sec) return false;
    read_ = count_ = 0;
    ++now_;
    StepSecond(now_);
  }
  SimFrame& f = pending_[read_++];
  out->text.swap(f.text);
  out->time = f.time;
  out->kind = f.kind;
  out->symbol = f.symbol;
  out->trade = f.trade;
  return true;
}

// ---------------------------------------------------------------------------------------------------
// One second of the market. Order inside a second: session changes (auction prints first, then the F
// frames of the new session), order flow, put-through deals, R, MI.

void Simulator::StepSecond(int t) {
  emitting_ = t >= cfg_.start.sec;
  const bool at_start = t == cfg_.start.sec;

  const Session stock_before = StockSession(TimeOfDay{t - 1});
  const Session stock_now = StockSession(TimeOfDay{t});
  const Session fut_before = FuturesSession(TimeOfDay{t - 1});
  const Session fut_now = FuturesSession(TimeOfDay{t});
  if (fut_before != fut_now && t > first_second_) SessionChanges(t, false, fut_before, fut_now);
  if (stock_before != stock_now && t > first_second_) SessionChanges(t, true, stock_before, stock_now);
  // The start snapshot (F, books, R, MI) comes before any order flow of the first second.
  if (at_start) EmitSnapshotAtStart(t);

  UpdateFairValues(t);
  for (Instrument& ins : instruments_) {
    const Session s = ins.SessionAt(t);
    if (s == Session::kLo)
      Continuous(t, ins);
    else if (s == Session::kAto || s == Session::kAtc)
      AuctionQuotes(ins);
  }
  PutThrough(t);

  if (at_start) return;
  if (cfg_.channels.foreign && t % cfg_.foreign_interval_s == 0) {
    for (Instrument& ins : instruments_)
      if (!ins.futures && ins.foreign_dirty) EmitForeign(t, ins);
  }
  const bool index_time =
      (t % cfg_.index_interval_s == 0 && (Trading(stock_now) || stock_now == Session::kPt)) ||
      stock_before != stock_now;
  // The auctions' indicative prices, at the index cadence (the X channel does this when subscribed).
  if (cfg_.channels.reference && !cfg_.channels.x_snapshot && t % cfg_.index_interval_s == 0) {
    for (Instrument& ins : instruments_) {
      const Session s = ins.SessionAt(t);
      if (s == Session::kAto || s == Session::kAtc) EmitSnapshot(t, ins, s, -1);
    }
  }
  if (cfg_.channels.index && index_time) {
    for (std::size_t i = 0; i < indices_.size(); ++i) EmitIndex(t, i, stock_now);
  }
}

void Simulator::EmitSnapshotAtStart(int t) {
  for (Instrument& ins : instruments_) EmitStatus(t, ins, ins.SessionAt(t));
  // Reference data before anything trades (X frames with no trade in them).
  if (cfg_.channels.reference && !cfg_.channels.x_snapshot) {
    for (Instrument& ins : instruments_) EmitSnapshot(t, ins, ins.SessionAt(t), -1);
  }
  for (Instrument& ins : instruments_) {
    const Session s = ins.SessionAt(t);
    if (Trading(s) || s == Session::kBreak) {
      EmitQuote(t, ins, s);
      if (SnapshotOn(ins)) EmitSnapshot(t, ins, s, -1);
    }
  }
  for (Instrument& ins : instruments_)
    if (!ins.futures) EmitForeign(t, ins);
  for (std::size_t i = 0; i < indices_.size(); ++i) EmitIndex(t, i, StockSession(TimeOfDay{t}));
}

void Simulator::SessionChanges(int t, bool stocks, Session from, Session to) {
  for (Instrument& ins : instruments_) {
    if (ins.futures == stocks) continue;
    // The call auction matches once, at its end, and the print still belongs to the auction session.
    if (from == Session::kAto || from == Session::kAtc) Auction(t, ins, from);
    if (t != cfg_.start.sec) EmitStatus(t, ins, to);
  }
}

void Simulator::UpdateFairValues(int t) {
  const Session stock_s = StockSession(TimeOfDay{t});
  if (Trading(stock_s)) {
    market_factor_ += kMarketSigma * rng_.Normal();
    for (Instrument& ins : instruments_) {
      if (ins.futures) continue;
      ins.idio += kIdioSigma * rng_.Normal();
      ins.fair = static_cast<double>(ins.ref.raw) * (1 + ins.beta * market_factor_ + ins.idio);
    }
  }
  if (!Trading(FuturesSession(TimeOfDay{t}))) return;
  // Futures follow the VN30 implied by the stocks' fair values plus a carry basis that shrinks to zero
  // at expiry, plus mean-reverting noise (about 5 minutes half-life).
  std::vector<double>& prices = scratch_prices_;
  prices.resize(stocks_.size());
  for (std::size_t i = 0; i < stocks_.size(); ++i) prices[i] = instruments_[i].fair / Fixed4::kScale;
  const double vn30 = indices_[0].Compute(prices);
  const double day_left = std::max(0, kFuturesClose - t) / 86400.0;
  for (Instrument& ins : instruments_) {
    if (!ins.futures) continue;
    ins.basis_noise += -ins.basis_noise / 300.0 + ins.basis_sigma * 0.0816 * rng_.Normal();  // sqrt(2/300)
    const double carry = vn30 * cfg_.basis_rate * (std::max(0, ins.days_to_expiry) + day_left) / 365.0;
    const double noise_scale = ins.days_to_expiry > 0 ? 1.0 : std::max(0.1, day_left * 86400 / 20'700.0);
    ins.fair = (vn30 + carry + ins.basis_noise * noise_scale) * Fixed4::kScale;
  }
}

// ---------------------------------------------------------------------------------------------------
// Order flow.

namespace {

Volume DrawTradeVolume(Rng& rng, bool futures) {
  const double u = rng.Uniform();
  if (futures) {
    if (u < 0.6) return rng.Range(1, 3);
    if (u < 0.9) return rng.Range(3, 15);
    if (u < 0.98) return rng.Range(15, 50);
    return rng.Range(50, 200);
  }
  std::int64_t lots;
  if (u < 0.5)
    lots = rng.Range(1, 5);
  else if (u < 0.8)
    lots = rng.Range(5, 30);
  else if (u < 0.95)
    lots = rng.Range(30, 100);
  else
    lots = rng.Range(100, 1000);
  return lots * kHoseLot;
}

Volume DrawLevelVolume(Rng& rng, bool futures) {
  return futures ? rng.Range(1, 80) : rng.Range(5, 2000) * kHoseLot;
}

}  // namespace

void Simulator::AuctionQuotes(Instrument& ins) {
  // Orders keep arriving during a call auction: the displayed book changes, nothing matches.
  const int n = rng_.Count(0.15 * ins.rate + 0.01);
  for (int i = 0; i < n; ++i) {
    const bool bid = rng_.Chance(0.5);
    const int level = static_cast<int>(rng_.Range(0, ins.depth - 1));
    (bid ? ins.bid_vol : ins.ask_vol)[level] += DrawTradeVolume(rng_, ins.futures);
    EmitQuote(now_, ins, ins.SessionAt(now_));
    if (SnapshotOn(ins)) EmitSnapshot(now_, ins, ins.SessionAt(now_), -1);
  }
}

void Simulator::Auction(int t, Instrument& ins, Session session) {
  const Price price = std::clamp(RoundToGrid(ins.market, ins.fair), ins.floor, ins.ceiling);
  const double share = session == Session::kAto ? 0.01 + 0.02 * rng_.Uniform() : 0.03 + 0.04 * rng_.Uniform();
  const double mean = ins.futures ? kMeanFuturesTrade : kMeanStockTrade;
  Volume vol = static_cast<Volume>(ins.rate * kContinuousSeconds * mean * share);
  if (!ins.futures) vol = vol / kHoseLot * kHoseLot;
  if (vol <= 0) vol = ins.futures ? 1 : kHoseLot;
  // The book re-forms around the auction price.
  if (price >= ins.ceiling) {
    ins.ask1 = ins.ceiling;
    ins.bid1 = TickDown(ins.market, ins.ceiling);
  } else if (price <= ins.floor) {
    ins.bid1 = ins.floor;
    ins.ask1 = TickUp(ins.market, ins.floor);
  } else if (rng_.Chance(0.5)) {
    ins.bid1 = price;
    ins.ask1 = TickUp(ins.market, price);
  } else {
    ins.bid1 = TickDown(ins.market, price);
    ins.ask1 = price;
  }
  for (int i = 0; i < ins.depth; ++i) {
    ins.bid_vol[i] = DrawLevelVolume(rng_, ins.futures);
    ins.ask_vol[i] = DrawLevelVolume(rng_, ins.futures);
  }
  ins.est_matched = price;
  RecordTrade(t, ins, price, vol, Side::kUnknown, false, true, session);
  // After the opening auction the re-formed book belongs to continuous trading; after the closing
  // auction the book is gone (put-through or closed), so nothing is shown.
  const Session next = ins.SessionAt(t);
  if (next == Session::kLo) {
    EmitQuote(t, ins, next);
    if (SnapshotOn(ins)) EmitSnapshot(t, ins, next, -1);
  }
}

void Simulator::Continuous(int t, Instrument& ins) {
  const double profile = ins.futures ? Interpolate(kFuturesProfile, t) : Interpolate(kStockProfile, t);
  const Session session = Session::kLo;

  // Market makers re-quote toward the fair value when it has moved more than 1.5 ticks from the mid.
  bool requoted = false;
  for (int step = 0; step < 5; ++step) {
    const double gap = (ins.fair - ins.Mid()) / static_cast<double>(ins.Tick(ins.bid1).raw);
    if (gap > 1.5 && ins.ask1 < ins.ceiling) {
      ins.ask1 = TickUp(ins.market, ins.ask1);
      std::rotate(ins.ask_vol.begin(), ins.ask_vol.begin() + 1, ins.ask_vol.begin() + ins.depth);
      ins.ask_vol[ins.depth - 1] = DrawLevelVolume(rng_, ins.futures);
      const Price nb = TickUp(ins.market, ins.bid1);
      if (nb < ins.ask1) {
        ins.bid1 = nb;
        std::rotate(ins.bid_vol.begin(), ins.bid_vol.begin() + ins.depth - 1,
                    ins.bid_vol.begin() + ins.depth);
        ins.bid_vol[0] = DrawLevelVolume(rng_, ins.futures);
      }
      requoted = true;
    } else if (gap < -1.5 && ins.bid1 > ins.floor) {
      ins.bid1 = TickDown(ins.market, ins.bid1);
      std::rotate(ins.bid_vol.begin(), ins.bid_vol.begin() + 1, ins.bid_vol.begin() + ins.depth);
      ins.bid_vol[ins.depth - 1] = DrawLevelVolume(rng_, ins.futures);
      const Price na = TickDown(ins.market, ins.ask1);
      if (na > ins.bid1) {
        ins.ask1 = na;
        std::rotate(ins.ask_vol.begin(), ins.ask_vol.begin() + ins.depth - 1,
                    ins.ask_vol.begin() + ins.depth);
        ins.ask_vol[0] = DrawLevelVolume(rng_, ins.futures);
      }
      requoted = true;
    } else {
      break;
    }
  }
  if (requoted) {
    EmitQuote(t, ins, session);
    if (SnapshotOn(ins)) EmitSnapshot(t, ins, session, -1);
  }

  const int trades = rng_.Count(ins.rate * profile);
  for (int i = 0; i < trades; ++i) {
    // Informed flow: buyers dominate while the fair value is above the mid, sellers below it.
    const double gap = (ins.fair - ins.Mid()) / static_cast<double>(ins.Tick(ins.bid1).raw);
    const double p_buy = std::clamp(0.5 + 0.12 * gap, 0.1, 0.9);
    Trade(t, ins, rng_.Chance(p_buy) ? Side::kBuy : Side::kSell);
  }

  const int quotes = rng_.Count(0.8 * ins.rate * profile);
  for (int i = 0; i < quotes; ++i) {
    const bool bid = rng_.Chance(0.5);
    const int level = static_cast<int>(rng_.Range(0, ins.depth - 1));
    Volume& v = (bid ? ins.bid_vol : ins.ask_vol)[level];
    if (rng_.Chance(0.5)) {
      v += DrawTradeVolume(rng_, ins.futures);
    } else {
      const Volume unit = ins.futures ? 1 : kHoseLot;
      v = std::max(unit, v / 2 / unit * unit);
    }
    EmitQuote(t, ins, session);
    if (SnapshotOn(ins)) EmitSnapshot(t, ins, session, -1);
  }
}

void Simulator::Trade(int t, Instrument& ins, Side side) {
  const Market m = ins.market;
  int spread_ticks = 0;
  for (Price p = ins.bid1; p < ins.ask1 && spread_ticks < 50; p = TickUp(m, p)) ++spread_ticks;
  const bool inside = spread_ticks >= 2 && rng_.Chance(0.3);
  Volume vol = DrawTradeVolume(rng_, ins.futures);
  Price price;
  bool book_changed = true;
  if (inside) {
    // A crossing order priced inside the spread meets a hidden or just-arrived counter order.
    price = ins.bid1;
    const std::int64_t steps = rng_.Range(1, spread_ticks - 1);
    for (std::int64_t k = 0; k < steps; ++k) price = TickUp(m, price);
    book_changed = false;
  } else if (side == Side::kBuy) {
    price = ins.ask1;
    vol = std::min(vol, ins.ask_vol[0]);
    ins.ask_vol[0] -= vol;
    if (ins.ask_vol[0] == 0) {
      if (ins.ask1 >= ins.ceiling) {
        ins.ask_vol[0] = DrawLevelVolume(rng_, ins.futures);  // sellers keep coming at the ceiling
      } else {
        ins.ask1 = TickUp(m, ins.ask1);
        std::rotate(ins.ask_vol.begin(), ins.ask_vol.begin() + 1, ins.ask_vol.begin() + ins.depth);
        ins.ask_vol[ins.depth - 1] = DrawLevelVolume(rng_, ins.futures);
        if (rng_.Chance(0.5)) {  // a new bid steps into the gap: the price has moved up one tick
          ins.bid1 = TickDown(m, ins.ask1);
          std::rotate(ins.bid_vol.begin(), ins.bid_vol.begin() + ins.depth - 1,
                      ins.bid_vol.begin() + ins.depth);
          ins.bid_vol[0] = DrawLevelVolume(rng_, ins.futures) / 4 + (ins.futures ? 1 : kHoseLot);
          if (!ins.futures) ins.bid_vol[0] = ins.bid_vol[0] / kHoseLot * kHoseLot;
        }
      }
    }
  } else {
    price = ins.bid1;
    vol = std::min(vol, ins.bid_vol[0]);
    ins.bid_vol[0] -= vol;
    if (ins.bid_vol[0] == 0) {
      if (ins.bid1 <= ins.floor) {
        ins.bid_vol[0] = DrawLevelVolume(rng_, ins.futures);
      } else {
        ins.bid1 = TickDown(m, ins.bid1);
        std::rotate(ins.bid_vol.begin(), ins.bid_vol.begin() + 1, ins.bid_vol.begin() + ins.depth);
        ins.bid_vol[ins.depth - 1] = DrawLevelVolume(rng_, ins.futures);
        if (rng_.Chance(0.5)) {
          ins.ask1 = TickUp(m, ins.bid1);
          std::rotate(ins.ask_vol.begin(), ins.ask_vol.begin() + ins.depth - 1,
                      ins.ask_vol.begin() + ins.depth);
          ins.ask_vol[0] = DrawLevelVolume(rng_, ins.futures) / 4 + (ins.futures ? 1 : kHoseLot);
          if (!ins.futures) ins.ask_vol[0] = ins.ask_vol[0] / kHoseLot * kHoseLot;
        }
      }
    }
  }
  RecordTrade(t, ins, price, vol, side, inside, false, Session::kLo);
  if (book_changed) EmitQuote(t, ins, Session::kLo);
}

void Simulator::RecordTrade(int t, Instrument& ins, Price price, Volume vol, Side side, bool inside,
                            bool auction, Session session) {
  if (!ins.traded) {
    ins.open = ins.high = ins.low = price;
    ins.traded = true;
  }
  ins.high = std::max(ins.high, price);
  ins.low = std::min(ins.low, price);
  ins.last = price;
  ins.last_vol = vol;
  ins.last_side = side;
  ins.total_vol += vol;
  // Stock prices are whole VND; futures value includes the 100,000 VND multiplier (both exact).
  ins.total_val += ins.futures ? price.raw * vol * (kFuturesMultiplier / Fixed4::kScale)
                               : price.raw / Fixed4::kScale * vol;

  GroundTruthTrade g;
  g.symbol = ins.symbol;
  g.time = ExchangeTime{cfg_.date, TimeOfDay{t}};
  g.price = price;
  g.volume = vol;
  g.aggressor = side;
  g.inside_spread = inside;
  if (!ins.futures) {
    // Each side of the match is a foreign investor with its own probability; a foreign buy needs room,
    // a foreign sell needs foreign holdings (total room minus remaining room is what they hold).
    const bool fb = rng_.Chance(ins.f_buy_p);
    const bool fs = rng_.Chance(ins.f_sell_p);
    const Volume room = ins.room_open - (ins.f_buy - ins.f_sell);
    const Volume held = ins.total_room - room;
    g.foreign_buyer = fb && room >= vol;
    g.foreign_seller = fs && held >= vol;
    if (g.foreign_buyer) ins.f_buy += vol;
    if (g.foreign_seller) ins.f_sell += vol;
    if (g.foreign_buyer || g.foreign_seller) ins.foreign_dirty = true;
  }
  if (!emitting_) return;
  g.seq = trade_seq_++;
  if (cfg_.keep_truth) truth_.push_back(g);
  if (observer_) observer_(g);
  EmitTrade(t, ins, session, g.seq, auction);
  if (cfg_.channels.bars) EmitBar(t, ins, g.seq);
  if (SnapshotOn(ins)) EmitSnapshot(t, ins, session, g.seq);
}

void Simulator::PutThrough(int t) {
  // Negotiated deals (09:00-11:30, 13:00-15:00): not matched trades, only in the MI put-through fields.
  const Session s = StockSession(TimeOfDay{t});
  if (!(s == Session::kAto || s == Session::kLo || s == Session::kAtc || s == Session::kPt)) return;
  for (std::size_t i = 0; i < stocks_.size(); ++i) {
    if (!rng_.Chance(stocks_[i].liquidity * cfg_.activity / 3600.0)) continue;
    const Volume vol = rng_.Range(200, 5000) * kHoseLot;
    const Vnd value = vol * (instruments_[i].ref.raw / Fixed4::kScale);
    for (std::size_t k = 0; k < indices_.size(); ++k) {
      const auto& c = indices_[k].stock_index;
      if (std::find(c.begin(), c.end(), i) == c.end()) continue;
      pt_qty_[k] += vol;
      pt_val_[k] += value;
    }
  }
}

bool Simulator::SnapshotOn(const Instrument& ins) const {
  return cfg_.channels.x_snapshot && ins.snapshot;
}

double Simulator::IndexValue(std::size_t index) const {
  const IndexInfo& idx = indices_[index];
  std::vector<double>& prices = scratch_prices_;
  prices.resize(idx.stock_index.size());
  for (std::size_t i = 0; i < idx.stock_index.size(); ++i) {
    const Instrument& ins = instruments_[idx.stock_index[i]];
    prices[i] = (ins.traded ? ins.last : ins.ref).ToDouble();
  }
  return idx.Compute(prices);
}

// ---------------------------------------------------------------------------------------------------
// Frames (key sets and order as in SSI's samples, fastconnect-v2.md §4).

SimFrame& Simulator::NewFrame(int t, core::Channel kind, const Symbol& symbol) {
  if (count_ == pending_.size()) pending_.emplace_back();
  SimFrame& f = pending_[count_++];
  f.time = ExchangeTime{cfg_.date, TimeOfDay{t}};
  f.kind = kind;
  f.symbol = symbol;
  f.trade = -1;
  return f;
}

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
  SimFrame& f = NewFrame(t, core::Channel::kTrade, ins.symbol);
  f.trade = seq;
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  const std::string_view sym = ins.symbol.view();
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "X-TRADE");
  b.Str("RType", "X-TRADE");
  b.Str("TradingDate", trading_date_);
  b.Str("Time", std::string_view(tm, 8));
  b.Str("Isin", sym);
  b.Str("Symbol", sym);
  b.Dbl("Ceiling", ins.ceiling);
  b.Dbl("Floor", ins.floor);
  b.Dbl("RefPrice", ins.ref);
  b.Dbl("AvgPrice", Fixed4::FromRaw(RoundDiv(ins.total_val * 100, ins.total_vol) * 100));
  b.Dbl("PriorVal", ins.ref);
  b.Dbl("LastPrice", ins.last);
  b.DblInt("LastVol", ins.last_vol);
  b.DblInt("TotalVal", ins.total_val);
  b.DblInt("TotalVol", ins.total_vol);
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
  SimFrame& f = NewFrame(t, core::Channel::kQuote, ins.symbol);
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  const DisplayedBook d = Display(ins, ins.market);
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "X-QUOTE");
  b.Str("TradingDate", trading_date_);
  b.Str("Time", std::string_view(tm, 8));
  b.Str("Exchange", ins.exchange);
  b.Str("Symbol", ins.symbol.view());
  b.Str("RType", "X-QUOTE");
  for (int i = 0; i < 10; ++i) b.Dbl(kAskPrice[i], d.ask_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kAskVol[i], d.ask_vol[i]);
  for (int i = 0; i < 10; ++i) b.Dbl(kBidPrice[i], d.bid_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kBidVol[i], d.bid_vol[i]);
  b.Str("TradingSession", ToString(session));
  b.End();
}

void Simulator::EmitSnapshot(int t, const Instrument& ins, Session session, std::int64_t seq) {
  if (!emitting_) return;
  SimFrame& f = NewFrame(t, core::Channel::kSnapshot, ins.symbol);
  f.trade = seq;
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  const DisplayedBook d = Display(ins, ins.market);
  const std::string_view sym = ins.symbol.view();
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "X");
  b.Str("RType", "X");
  b.Str("TradingDate", trading_date_);
  b.Str("Time", std::string_view(tm, 8));
  b.Str("Isin", sym);
  b.Str("Symbol", sym);
  b.Dbl("Ceiling", ins.ceiling);
  b.Dbl("Floor", ins.floor);
  b.Dbl("RefPrice", ins.ref);
  b.Dbl("Open", ins.traded ? ins.open : Price{});
  b.Dbl("High", ins.traded ? ins.high : Price{});
  b.Dbl("Low", ins.traded ? ins.low : Price{});
  b.Dbl("Close", ins.traded ? ins.last : Price{});
  if (ins.total_vol > 0)
    b.Dbl("AvgPrice", Fixed4::FromRaw(RoundDiv(ins.total_val * 100, ins.total_vol) * 100));
  else
    b.Str("AvgPrice", "NaN");  // what SSI sends before the first trade (2026 capture)
  b.Dbl("PriorVal", ins.ref);
  b.Dbl("LastPrice", ins.traded ? ins.last : Price{});
  b.DblInt("LastVol", ins.traded ? ins.last_vol : 0);
  b.DblInt("TotalVal", ins.total_val);
  b.DblInt("TotalVol", ins.total_vol);
  for (int i = 0; i < 10; ++i) b.Dbl(kBidPrice[i], d.bid_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kBidVol[i], d.bid_vol[i]);
  for (int i = 0; i < 10; ++i) b.Dbl(kAskPrice[i], d.ask_px[i]);
  for (int i = 0; i < 10; ++i) b.DblInt(kAskVol[i], d.ask_vol[i]);
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
  SimFrame& f = NewFrame(t, core::Channel::kBar, ins.symbol);
  f.trade = seq;
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "B");
  b.Str("RType", "B");
  b.Str("Symbol", ins.symbol.view());
  b.Str("Time", std::string_view(tm, 8));
  b.Plain("Open", ins.last);
  b.Plain("High", ins.last);
  b.Plain("Low", ins.last);
  b.Plain("Close", ins.last);
  b.Int("Volume", ins.last_vol);
  b.Int("Value", 0);
  b.End();
}

void Simulator::EmitStatus(int t, const Instrument& ins, Session session) {
  if (!emitting_ || !cfg_.channels.status) return;
  SimFrame& f = NewFrame(t, core::Channel::kStatus, ins.symbol);
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "F");
  b.Str("RType", "F");
  b.Str("MarketId", ins.exchange);
  b.Str("TradingDate", trading_date_);
  b.Str("Time", std::string_view(tm, 8));
  b.Str("Symbol", ins.symbol.view());
  b.Str("TradingSession", ToString(session));
  b.Str("TradingStatus", ins.status);
  b.Str("Exchange", ins.exchange);
  b.End();
}

void Simulator::EmitForeign(int t, Instrument& ins) {
  if (!emitting_ || !cfg_.channels.foreign) return;
  ins.foreign_dirty = false;
  SimFrame& f = NewFrame(t, core::Channel::kForeign, ins.symbol);
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  const std::string_view sym = ins.symbol.view();
  // HOSE values are approximated by SSI as cumulative volume x the current last price.
  const std::int64_t px = (ins.traded ? ins.last : ins.ref).raw / Fixed4::kScale;
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "R");
  b.Str("RType", "R");
  b.Str("TradingDate", trading_date_);
  b.Str("Time", std::string_view(tm, 8));
  b.Str("Isin", sym);
  b.Str("Symbol", sym);
  b.DblInt("TotalRoom", ins.total_room);
  b.DblInt("CurrentRoom", ins.room_open - (ins.f_buy - ins.f_sell));
  b.DblInt("BuyVol", ins.f_buy);
  b.DblInt("SellVol", ins.f_sell);
  b.DblInt("BuyVal", ins.f_buy * px);
  b.DblInt("SellVal", ins.f_sell * px);
  b.Str("MarketId", ins.exchange);
  b.Str("Exchange", ins.exchange);
  b.End();
}

void Simulator::EmitIndex(int t, std::size_t index, Session session) {
  if (!emitting_ || !cfg_.channels.index) return;
  const IndexInfo& idx = indices_[index];
  SimFrame& f = NewFrame(t, core::Channel::kIndex, idx.id);
  char cur[64], tm[8];
  FormatTime(TimeOfDay{t}, tm);
  Volume qty = 0;
  Vnd val = 0;
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
  FrameBuilder b;
  b.Begin(&f.text, Cursor(cursor_prefix_, ++frame_seq_, cur), "MI");
  b.Str("IndexId", idx.id.view());
  b.Dbl("IndexValue", value);
  b.Dbl("PriorIndexValue", idx.prior_value);
  b.Str("TradingDate", trading_date_);
  b.Str("Time", std::string_view(tm, 8));
  b.DblInt("TotalTrade", 0);  // SSI leaves it at 0.0 (2023 capture)
  b.DblInt("TotalQtty", qty);
  b.DblInt("TotalValue", val);
  b.Str("IndexName", idx.name);
  b.Int("Advances", adv);
  b.Int("NoChanges", same);
  b.Int("Declines", dec);
  b.Int("Ceilings", ceil);
  b.Int("Floors", floor);
  b.Dbl("Change", change);
  b.Dbl("RatioChange", RatioPercent(change.raw, idx.prior_value.raw));
  b.DblInt("TotalQttyPt", pt_qty);
  b.DblInt("TotalValuePt", pt_val);
  b.Str("Exchange", idx.exchange);
  b.DblInt("AllQty", qty + pt_qty);
  b.DblInt("AllValue", val + pt_val);
  b.Str("IndexType", "Main");
  b.Str("TradingSession", ToString(session));
  b.Null("MarketId");
  b.Str("RType", "MI");
  b.Int("TotalQttyOd", 0);
  b.Int("TotalValueOd", 0);
  b.End();
}

}  // namespace vnt::sim
