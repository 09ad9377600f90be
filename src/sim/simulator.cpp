#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "sim/frame_builder.h"
#include "sim/market_rules.h"
#include "sim/sim_internal.h"

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
  pt_qty_.assign(indices_.size(), Volume{});
  pt_val_.assign(indices_.size(), Vnd{});
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
      ins.bid_vol[i] = ins.futures ? Volume{rng_.Range(1, 80)} : rng_.Range(5, 2000) * kHoseLot;
      ins.ask_vol[i] = ins.futures ? Volume{rng_.Range(1, 80)} : rng_.Range(5, 2000) * kHoseLot;
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
    if (u < 0.6) return Volume{rng.Range(1, 3)};
    if (u < 0.9) return Volume{rng.Range(3, 15)};
    if (u < 0.98) return Volume{rng.Range(15, 50)};
    return Volume{rng.Range(50, 200)};
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
  return futures ? Volume{rng.Range(1, 80)} : rng.Range(5, 2000) * kHoseLot;
}

// v rounded down to a multiple of unit (whole lots).
Volume FloorTo(Volume v, Volume unit) {
  return v.raw() / unit.raw() * unit;
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
  Volume vol{static_cast<std::int64_t>(ins.rate * kContinuousSeconds * mean * share)};
  if (!ins.futures) vol = FloorTo(vol, kHoseLot);
  if (vol <= Volume{}) vol = ins.futures ? Volume{1} : kHoseLot;
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
      const Volume unit = ins.futures ? Volume{1} : kHoseLot;
      v = std::max(unit, FloorTo(Volume{v.raw() / 2}, unit));
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
    if (ins.ask_vol[0] == Volume{}) {
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
          ins.bid_vol[0] =
              Volume{DrawLevelVolume(rng_, ins.futures).raw() / 4} + (ins.futures ? Volume{1} : kHoseLot);
          if (!ins.futures) ins.bid_vol[0] = FloorTo(ins.bid_vol[0], kHoseLot);
        }
      }
    }
  } else {
    price = ins.bid1;
    vol = std::min(vol, ins.bid_vol[0]);
    ins.bid_vol[0] -= vol;
    if (ins.bid_vol[0] == Volume{}) {
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
          ins.ask_vol[0] =
              Volume{DrawLevelVolume(rng_, ins.futures).raw() / 4} + (ins.futures ? Volume{1} : kHoseLot);
          if (!ins.futures) ins.ask_vol[0] = FloorTo(ins.ask_vol[0], kHoseLot);
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
  ins.total_val += Vnd{ins.futures ? price.raw * vol.raw() * (kFuturesMultiplier / Fixed4::kScale)
                                   : price.raw / Fixed4::kScale * vol.raw()};

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
    const Vnd value{vol.raw() * (instruments_[i].ref.raw / Fixed4::kScale)};
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

}  // namespace vnt::sim
