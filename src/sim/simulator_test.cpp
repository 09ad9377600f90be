#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>
#include <regex>
#include <set>
#include <variant>

#include "feed/decoder.h"
#include "sim/market_rules.h"
#include "sim/sim_test_day.h"

namespace vnt::sim {
namespace {

using core::Channel;
using feed::DecodeOutput;
using feed::Decoder;
using simtest::AllChannels;
using simtest::Day;
using simtest::Decoded;
using simtest::FullDay;
using simtest::Hms;
using simtest::Limits;
using simtest::LimitsOf;
using simtest::Run;

TEST(Simulator, PricesOnTheTickGridAndWithinLimits) {
  const Day& d = FullDay();
  const auto limits = LimitsOf(d);
  ASSERT_EQ(limits.size(), 34u);
  auto check = [&](const Symbol& s, Price p, const std::string& what) {
    const Limits& l = limits.at(s);
    ASSERT_TRUE(OnGrid(l.market, p)) << s.str() << " " << what << " " << ToString(p);
    ASSERT_GE(p, l.floor) << s.str() << " " << what;
    ASSERT_LE(p, l.ceiling) << s.str() << " " << what;
  };
  for (const Decoded& x : d.frames) {
    if (const auto* t = std::get_if<core::TradeEvent>(&x.event)) {
      check(t->h.symbol, *t->t.last_price, "last");
      check(t->h.symbol, *t->t.high, "high");
      check(t->h.symbol, *t->t.low, "low");
    } else if (const auto* q = std::get_if<core::QuoteEvent>(&x.event)) {
      const bool futures = limits.at(q->h.symbol).market == Market::kDerivatives;
      ASSERT_LE(q->book.bid_count, futures ? 10 : 3);
      ASSERT_LE(q->book.ask_count, futures ? 10 : 3);
      ASSERT_GE(q->book.bid_count, 1);
      ASSERT_GE(q->book.ask_count, 1);
      for (int i = 0; i < q->book.bid_count; ++i) check(q->h.symbol, q->book.bids[i].price, "bid");
      for (int i = 0; i < q->book.ask_count; ++i) check(q->h.symbol, q->book.asks[i].price, "ask");
      ASSERT_LT(q->book.bids[0].price, q->book.asks[0].price);  // never crossed or locked
      for (int i = 0; i < q->book.bid_count; ++i) {
        ASSERT_GT(q->book.bids[i].volume.raw(), 0);
        if (!futures) {
          ASSERT_EQ(q->book.bids[i].volume.raw() % kHoseLot.raw(), 0);
        }
      }
    }
  }
  for (const GroundTruthTrade& g : d.truth) {
    check(g.symbol, g.price, "truth");
    if (limits.at(g.symbol).market == Market::kHose) {
      ASSERT_EQ(g.volume.raw() % kHoseLot.raw(), 0);
    }
  }
}

TEST(Simulator, CumulativeTotalsEqualGroundTruth) {
  const Day& d = FullDay();
  std::map<Symbol, Volume> vol;
  std::map<Symbol, Vnd> val;
  std::map<Symbol, std::size_t> trades;
  std::map<std::int64_t, const GroundTruthTrade*> by_seq;
  for (const GroundTruthTrade& g : d.truth) {
    vol[g.symbol] += g.volume;
    val[g.symbol] += Vnd{g.price.raw / 10'000 * g.volume.raw()};
    by_seq[g.seq] = &g;
  }
  std::map<Symbol, Volume> last_total;
  for (const Decoded& x : d.frames) {
    const auto* t = std::get_if<core::TradeEvent>(&x.event);
    if (!t) continue;
    ++trades[t->h.symbol];
    const GroundTruthTrade& g = *by_seq.at(x.frame.trade);
    ASSERT_EQ(g.symbol, t->h.symbol);
    ASSERT_EQ(*t->t.last_price, g.price);
    ASSERT_EQ(*t->t.last_vol, g.volume);
    ASSERT_EQ(t->t.side, g.aggressor);  // exchange Side = the true aggressor; auctions carry none
    ASSERT_EQ(*t->t.total_vol, last_total[t->h.symbol] + g.volume);
    last_total[t->h.symbol] = *t->t.total_vol;
  }
  ASSERT_EQ(last_total.size(), 34u);
  for (const auto& [sym, total] : last_total) EXPECT_EQ(total, vol[sym]) << sym.str();
  std::size_t n = 0;
  for (const auto& [sym, k] : trades) n += k;
  EXPECT_EQ(n, d.truth.size());
}

TEST(Simulator, AuctionPrintsAreNeutralAndAtSessionEnd) {
  const Day& d = FullDay();
  std::map<Symbol, std::vector<int>> auction_times;
  for (const Decoded& x : d.frames) {
    const auto* t = std::get_if<core::TradeEvent>(&x.event);
    if (!t) continue;
    const bool futures = t->h.symbol.view().size() == 9;
    if (t->h.session == Session::kAto || t->h.session == Session::kAtc) {
      EXPECT_EQ(t->t.side, Side::kUnknown);
      auction_times[t->h.symbol].push_back(t->h.time.time.sec);
    } else {
      ASSERT_EQ(t->h.session, Session::kLo) << x.frame.text;
      ASSERT_NE(t->t.side, Side::kUnknown);
      const int s = t->h.time.time.sec;
      ASSERT_TRUE((s >= (futures ? Hms(9, 0) : Hms(9, 15)) && s < Hms(11, 30)) ||
                  (s >= Hms(13, 0) && s < Hms(14, 30)))
          << x.frame.text;
    }
  }
  ASSERT_EQ(auction_times.size(), 34u);
  for (const auto& [sym, times] : auction_times) {
    const bool futures = sym.view().size() == 9;
    EXPECT_EQ(times, (std::vector<int>{futures ? Hms(9, 0) : Hms(9, 15), Hms(14, 45)})) << sym.str();
  }
  for (const GroundTruthTrade& g : d.truth) {
    const int s = g.time.time.sec;
    if (s == Hms(14, 45) || s == Hms(9, 15) || (s == Hms(9, 0) && g.symbol.view().size() == 9))
      continue;  // the auction prints
    EXPECT_NE(g.aggressor, Side::kUnknown);
  }
}

TEST(Simulator, LunchBreakHasNoTrades) {
  const Day& d = FullDay();
  for (const GroundTruthTrade& g : d.truth) {
    ASSERT_FALSE(g.time.time.sec >= Hms(11, 30) && g.time.time.sec < Hms(13, 0));
  }
  for (const Decoded& x : d.frames) {
    const int s = x.frame.time.time.sec;
    if (s > Hms(11, 30) && s < Hms(13, 0)) {
      ASSERT_NE(x.frame.kind, core::Channel::kTrade);
      ASSERT_NE(x.frame.kind, core::Channel::kQuote);
    }
  }
  // And there is a burst at the open: the first 30 minutes of continuous trading are busier than
  // 30 minutes at mid-morning.
  int open = 0, mid = 0;
  for (const GroundTruthTrade& g : d.truth) {
    const int s = g.time.time.sec;
    if (s > Hms(9, 15) && s <= Hms(9, 45)) ++open;
    if (s > Hms(10, 30) && s <= Hms(11, 0)) ++mid;
  }
  EXPECT_GT(open, mid * 3 / 2);
}

TEST(Simulator, TradesHitTheBookThatPrevailedBefore) {
  // Buy aggressors lift the best ask, sell aggressors hit the best bid, inside-spread trades fall strictly
  // between them: so a quote-rule classifier fed this stream is exact on the at-touch trades.
  const Day& d = FullDay();
  std::map<std::int64_t, const GroundTruthTrade*> by_seq;
  for (const GroundTruthTrade& g : d.truth) by_seq[g.seq] = &g;
  std::map<Symbol, core::Book> book;
  std::size_t inside = 0, checked = 0;
  for (const Decoded& x : d.frames) {
    if (const auto* q = std::get_if<core::QuoteEvent>(&x.event)) {
      book[q->h.symbol] = q->book;
    } else if (x.frame.kind == core::Channel::kTrade) {
      const GroundTruthTrade& g = *by_seq.at(x.frame.trade);
      if (g.aggressor == Side::kUnknown || !book.count(g.symbol)) continue;
      const core::Book& b = book[g.symbol];
      ++checked;
      if (g.inside_spread) {
        ++inside;
        ASSERT_GT(g.price, b.bids[0].price);
        ASSERT_LT(g.price, b.asks[0].price);
      } else if (g.aggressor == Side::kBuy) {
        ASSERT_EQ(g.price, b.asks[0].price) << x.frame.text;
        ASSERT_LE(g.volume, b.asks[0].volume);
      } else {
        ASSERT_EQ(g.price, b.bids[0].price) << x.frame.text;
        ASSERT_LE(g.volume, b.bids[0].volume);
      }
    }
  }
  EXPECT_GT(checked, 10'000u);
  EXPECT_GT(inside, 0u);
  EXPECT_LT(inside, checked / 5);
}

TEST(Simulator, Vn30IndexMatchesConstituents) {
  const Day& d = FullDay();
  const IndexInfo& vn30 = d.indices.at(0);
  ASSERT_EQ(vn30.id, Symbol::Of("VN30"));
  ASSERT_EQ(vn30.components.size(), 30u);
  std::map<Symbol, double> last;
  for (const StockInfo& s : d.stocks) last[s.symbol] = s.ref.ToDouble();
  int checked = 0;
  for (const Decoded& x : d.frames) {
    if (const auto* t = std::get_if<core::TradeEvent>(&x.event)) {
      if (last.count(t->h.symbol)) last[t->h.symbol] = t->t.last_price->ToDouble();
    } else if (const auto* m = std::get_if<core::IndexEvent>(&x.event)) {
      if (m->h.symbol != vn30.id) continue;
      // Recompute from the constituents' last prices: sum(price x shares x free float x cap) / divisor.
      double sum = 0;
      for (std::size_t i = 0; i < vn30.components.size(); ++i) {
        const StockInfo& s = d.stocks[vn30.stock_index[i]];
        ASSERT_EQ(s.symbol, vn30.components[i]);
        sum += last[s.symbol] * static_cast<double>(s.shares) * s.free_float * vn30.cap[i];
      }
      ASSERT_NEAR(m->value->ToDouble(), sum / vn30.divisor, 0.0051) << x.frame.text;
      ASSERT_EQ(*m->change, *m->value - *m->prior_value);
      ASSERT_EQ(*m->all_qty, *m->total_qtty + *m->total_qtty_pt);
      ASSERT_EQ(*m->all_value, *m->total_value + *m->total_value_pt);
      ASSERT_EQ(*m->advances + *m->declines + *m->no_changes, 30);
      ++checked;
    }
  }
  EXPECT_GT(checked, 3000);
}

TEST(Simulator, Vn30CapAndNormalisation) {
  const Day& d = FullDay();
  const IndexInfo& vn30 = d.indices.at(0);
  double total = 0;
  std::vector<double> w;
  for (std::size_t i = 0; i < vn30.components.size(); ++i) {
    w.push_back(d.stocks[vn30.stock_index[i]].ref.ToDouble() * vn30.factors[i]);
    total += w.back();
  }
  int capped = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    EXPECT_LE(w[i] / total, 0.10 + 1e-9) << vn30.components[i].str();
    if (vn30.cap[i] < 1) {
      ++capped;
      EXPECT_NEAR(w[i] / total, 0.10, 1e-9);
    }
  }
  EXPECT_GT(capped, 0);  // the default basket has names above 10% (e.g. ACB, MBB, HPG)
  std::vector<double> refs;
  for (std::size_t i : vn30.stock_index) refs.push_back(d.stocks[i].ref.ToDouble());
  EXPECT_NEAR(vn30.Compute(refs), vn30.prior_value.ToDouble(), 1e-6);
}

TEST(Simulator, SessionScheduleAndStatusFrames) {
  EXPECT_EQ(StockSession(TimeOfDay::Of(8, 59, 59)), Session::kClosed);
  EXPECT_EQ(StockSession(TimeOfDay::Of(9, 0, 0)), Session::kAto);
  EXPECT_EQ(StockSession(TimeOfDay::Of(9, 15, 0)), Session::kLo);
  EXPECT_EQ(StockSession(TimeOfDay::Of(11, 30, 0)), Session::kBreak);
  EXPECT_EQ(StockSession(TimeOfDay::Of(13, 0, 0)), Session::kLo);
  EXPECT_EQ(StockSession(TimeOfDay::Of(14, 30, 0)), Session::kAtc);
  EXPECT_EQ(StockSession(TimeOfDay::Of(14, 45, 0)), Session::kPt);
  EXPECT_EQ(StockSession(TimeOfDay::Of(15, 0, 0)), Session::kClosed);
  EXPECT_EQ(FuturesSession(TimeOfDay::Of(8, 44, 59)), Session::kClosed);
  EXPECT_EQ(FuturesSession(TimeOfDay::Of(8, 45, 0)), Session::kAto);
  EXPECT_EQ(FuturesSession(TimeOfDay::Of(9, 0, 0)), Session::kLo);
  EXPECT_EQ(FuturesSession(TimeOfDay::Of(11, 30, 0)), Session::kBreak);
  EXPECT_EQ(FuturesSession(TimeOfDay::Of(14, 30, 0)), Session::kAtc);
  EXPECT_EQ(FuturesSession(TimeOfDay::Of(14, 45, 0)), Session::kClosed);

  const Day& d = FullDay();
  // (time, session) -> number of F frames, separately for stocks and futures.
  std::map<std::pair<int, Session>, int> stocks, futures;
  for (const Decoded& x : d.frames) {
    const auto* f = std::get_if<core::StatusEvent>(&x.event);
    if (!f) continue;
    const bool fut = f->exchange == "DERIVATIVES";
    EXPECT_EQ(f->trading_status, fut ? "Normal" : "N");
    ++(fut ? futures : stocks)[{f->h.time.time.sec, f->h.session}];
  }
  const std::map<std::pair<int, Session>, int> want_stocks = {
      {{Hms(8, 45), Session::kClosed}, 30}, {{Hms(9, 0), Session::kAto}, 30},
      {{Hms(9, 15), Session::kLo}, 30},     {{Hms(11, 30), Session::kBreak}, 30},
      {{Hms(13, 0), Session::kLo}, 30},     {{Hms(14, 30), Session::kAtc}, 30},
      {{Hms(14, 45), Session::kPt}, 30},    {{Hms(15, 0), Session::kClosed}, 30}};
  const std::map<std::pair<int, Session>, int> want_futures = {
      {{Hms(8, 45), Session::kAto}, 4},    {{Hms(9, 0), Session::kLo}, 4},
      {{Hms(11, 30), Session::kBreak}, 4}, {{Hms(13, 0), Session::kLo}, 4},
      {{Hms(14, 30), Session::kAtc}, 4},   {{Hms(14, 45), Session::kClosed}, 4}};
  EXPECT_EQ(stocks, want_stocks);
  EXPECT_EQ(futures, want_futures);
  // Every frame's TradingSession agrees with the schedule.
  for (const Decoded& x : d.frames) {
    const core::Header& h = core::HeaderOf(x.event);
    // Trade reports keep the session they matched in (auction prints: ATO/ATC at the session end).
    if (x.frame.trade >= 0 || h.channel == Channel::kForeign) continue;
    const bool fut = h.symbol.view().size() == 9;
    const Session want = fut ? FuturesSession(h.time.time) : StockSession(h.time.time);
    ASSERT_EQ(h.session, want) << x.frame.text;
  }
}

TEST(Simulator, IndexPublishedEveryFiveSecondsInSession) {
  const Day& d = FullDay();
  std::set<int> times;
  for (const Decoded& x : d.frames)
    if (x.frame.kind == core::Channel::kIndex && x.frame.symbol == Symbol::Of("VNINDEX"))
      times.insert(x.frame.time.time.sec);
  for (int t = Hms(9, 0); t < Hms(15, 0); t += 5) {
    const Session s = StockSession(TimeOfDay{t});
    if (s == Session::kBreak) {
      EXPECT_FALSE(times.count(t) && t != Hms(11, 30)) << t;
    } else {
      EXPECT_TRUE(times.count(t)) << t;
    }
  }
  EXPECT_TRUE(times.count(Hms(15, 0)));
  EXPECT_TRUE(times.count(Hms(8, 45)));  // the snapshot at start
}

// Default channels (no X subscription): every symbol's reference, ceiling and floor arrive at start in an X
// frame without a trade, and during the auctions each stock's indicative price every index interval.
TEST(Simulator, ReferenceAtStartAndIndicativePricesInAuctions) {
  SimConfig cfg;
  cfg.activity = 0.05;
  cfg.start = TimeOfDay::Of(8, 50, 0);
  cfg.end = TimeOfDay::Of(9, 16, 0);
  const Day d = sim::Run(cfg);
  std::set<Symbol> referenced, indicative;
  for (const Decoded& x : d.frames) {
    const auto* e = std::get_if<core::SnapshotEvent>(&x.event);
    if (e == nullptr) continue;
    if (x.frame.time.time == cfg.start) {
      ASSERT_TRUE(e->t.ref_price && e->t.ceiling && e->t.floor) << x.frame.text;
      EXPECT_GT(e->t.ref_price->raw, 0);
      EXPECT_EQ(e->t.total_vol.value_or(Volume{}), Volume{});  // no trade in it
      referenced.insert(e->h.symbol);
    }
    if (e->h.session == Session::kAto && e->t.est_matched_price && e->t.est_matched_price->raw > 0) {
      EXPECT_GE(*e->t.est_matched_price, *e->t.floor);
      EXPECT_LE(*e->t.est_matched_price, *e->t.ceiling);
      indicative.insert(e->h.symbol);
    }
  }
  EXPECT_EQ(referenced.size(), d.stocks.size() + d.futures.size());
  EXPECT_EQ(indicative.size(), d.stocks.size() + d.futures.size());  // futures: ATO 08:45-09:00
}

// VNINDEX is the whole of HOSE: the basket plus ~370 other stocks, so its breadth counts ~400 names, its
// volume exceeds the VN30's, and its level still moves with the basket (three quarters of the cap).
TEST(Simulator, VnindexCoversTheWholeMarket) {
  const Day& d = FullDay();
  const core::IndexEvent* last_vni = nullptr;
  const core::IndexEvent* last_vn30 = nullptr;
  int frames = 0, same_direction = 0, both_moved = 0;
  for (const Decoded& x : d.frames) {
    const auto* e = std::get_if<core::IndexEvent>(&x.event);
    if (e == nullptr) continue;
    if (e->h.symbol == Symbol::Of("VN30")) last_vn30 = e;
    if (e->h.symbol != Symbol::Of("VNINDEX")) continue;
    last_vni = e;
    ++frames;
    ASSERT_TRUE(e->advances && e->declines && e->no_changes);
    EXPECT_EQ(*e->advances + *e->declines + *e->no_changes, 30 + RestOfMarket::kDefaultCount);
    if (last_vn30 && last_vn30->change && e->change && last_vn30->change->raw != 0 && e->change->raw != 0) {
      ++both_moved;
      same_direction += (last_vn30->change->raw > 0) == (e->change->raw > 0);
    }
  }
  ASSERT_NE(last_vni, nullptr);
  ASSERT_NE(last_vn30, nullptr);
  EXPECT_GT(frames, 1000);
  EXPECT_GT(last_vni->total_qtty->raw(), last_vn30->total_qtty->raw() * 2);
  EXPECT_GT(*last_vni->total_value, *last_vn30->total_value);
  EXPECT_GT(last_vni->total_qtty_pt->raw(), 0);
  EXPECT_EQ(*last_vni->all_qty, *last_vni->total_qtty + *last_vni->total_qtty_pt);
  // Not 30 names in one direction: a spread of advances and declines among ~400.
  EXPECT_GT(*last_vni->advances, 30);
  EXPECT_GT(*last_vni->declines, 30);
  EXPECT_GT(same_direction * 10, both_moved * 7) << same_direction << " of " << both_moved;
}

TEST(Simulator, ForeignRoomCumulativeAndConsistent) {
  const Day& d = FullDay();
  std::map<Symbol, const StockInfo*> info;
  for (const StockInfo& s : d.stocks) info[s.symbol] = &s;
  std::map<Symbol, core::ForeignRoomEvent> prev;
  std::map<Symbol, Price> last;
  int frames = 0, net_changes = 0;
  for (const Decoded& x : d.frames) {
    if (const auto* t = std::get_if<core::TradeEvent>(&x.event)) last[t->h.symbol] = *t->t.last_price;
    const auto* r = std::get_if<core::ForeignRoomEvent>(&x.event);
    if (!r) continue;
    ++frames;
    const StockInfo& s = *info.at(r->h.symbol);
    ASSERT_EQ(*r->total_room, s.total_room);
    ASSERT_EQ(*r->current_room, s.current_room_open - (*r->buy_vol - *r->sell_vol)) << x.frame.text;
    ASSERT_GE(*r->current_room, Volume{});
    ASSERT_LE(*r->current_room, *r->total_room);
    const Price px = last.count(r->h.symbol) ? last[r->h.symbol] : s.ref;
    ASSERT_EQ(r->buy_val->raw(), r->buy_vol->raw() * px.RoundToInt());  // HOSE: volume x last price
    ASSERT_EQ(r->sell_val->raw(), r->sell_vol->raw() * px.RoundToInt());
    if (auto it = prev.find(r->h.symbol); it != prev.end()) {
      ASSERT_GE(*r->buy_vol, *it->second.buy_vol);
      ASSERT_GE(*r->sell_vol, *it->second.sell_vol);
      ASSERT_TRUE(*r->buy_vol > *it->second.buy_vol ||
                  *r->sell_vol > *it->second.sell_vol);  // only on change
      if (*r->current_room != *it->second.current_room) ++net_changes;
    }
    prev[r->h.symbol] = *r;
  }
  EXPECT_GT(frames, 3000);
  EXPECT_GT(net_changes, 1000);
  // Stocks whose foreign room is full stay full: foreigners can buy only what foreigners sold.
  const auto& mwg = prev.at(Symbol::Of("MWG"));
  EXPECT_GE(*mwg.sell_vol + info.at(Symbol::Of("MWG"))->current_room_open, *mwg.buy_vol);
}

TEST(Simulator, FuturesContractsAndPrices) {
  const Day& d = FullDay();
  ASSERT_EQ(d.futures.size(), 4u);
  EXPECT_EQ(d.futures[0].symbol, Symbol::Of("41I1G3000"));  // March 2026, last trading day 19/03
  EXPECT_EQ(d.futures[0].days_to_expiry, 1);
  EXPECT_EQ(d.futures[1].symbol, Symbol::Of("41I1G4000"));
  for (const FuturesInfo& f : d.futures) {
    EXPECT_EQ(f.exchange, "DERIVATIVES");
    const PriceLimits l = DailyLimits(Market::kDerivatives, f.ref);
    EXPECT_EQ(f.ceiling, l.ceiling);
    EXPECT_EQ(f.floor, l.floor);
    EXPECT_NEAR(f.ref.ToDouble(), 1885.42, 40);
  }
  // Futures values include the 100,000 VND multiplier; the front month is the busiest contract.
  std::map<Symbol, core::TradeEvent> last;
  for (const Decoded& x : d.frames)
    if (const auto* t = std::get_if<core::TradeEvent>(&x.event)) last[t->h.symbol] = *t;
  const core::TradeEvent& front = last.at(d.futures[0].symbol);
  EXPECT_EQ(front.t.trading_status, "Normal");
  EXPECT_GT(*front.t.total_vol, *last.at(d.futures[1].symbol).t.total_vol);
  EXPECT_GT(front.t.total_vol->raw(), 10'000);
  const double avg = front.t.total_val->ToDouble() / front.t.total_vol->ToDouble();
  EXPECT_NEAR(avg / 100'000, front.t.last_price->ToDouble(), 60);
}

// Mean of (futures last price - VN30 MI value) over the continuous session, for one contract.

double MeanBasis(Date date, int year, int month, int* days_out) {
  SimConfig cfg;
  cfg.date = date;
  cfg.end = TimeOfDay::Of(14, 30, 0);
  cfg.channels.x_quote = false;
  cfg.channels.foreign = false;
  cfg.channels.status = false;
  const Day d = Run(cfg);
  EXPECT_TRUE(d.errors.empty());
  Symbol code;
  for (const FuturesInfo& f : d.futures) {
    if (f.listed.contract.month.year == year && f.listed.contract.month.month == month) {
      code = f.symbol;
      *days_out = f.days_to_expiry;
    }
  }
  EXPECT_FALSE(code.empty());
  double fut = 0, sum = 0;
  int n = 0;
  for (const Decoded& x : d.frames) {
    if (const auto* t = std::get_if<core::TradeEvent>(&x.event)) {
      if (t->h.symbol == code) fut = t->t.last_price->ToDouble();
    } else if (const auto* m = std::get_if<core::IndexEvent>(&x.event)) {
      if (m->h.symbol != Symbol::Of("VN30") || fut == 0 || m->h.session != Session::kLo) continue;
      sum += fut - m->value->ToDouble();
      ++n;
    }
  }
  EXPECT_GT(n, 1000);
  return n ? sum / n : 0;
}

TEST(Simulator, FuturesBasisConvergesAtExpiry) {
  // April 2026 contract (41I1G4000), last trading day Thursday 16/04/2026: 30 days before, then on the day.
  int days_far = -1, days_expiry = -1;
  const double far = MeanBasis(Date::Of(2026, 3, 17), 2026, 4, &days_far);
  const double at_expiry = MeanBasis(Date::Of(2026, 4, 16), 2026, 4, &days_expiry);
  ASSERT_EQ(days_far, 30);
  ASSERT_EQ(days_expiry, 0);
  // Default carry -3%/year: about -4.6 points 30 days out, about 0 on the last day.
  EXPECT_LT(far, -2.5);
  EXPECT_GT(far, -8.0);
  EXPECT_LT(std::fabs(at_expiry), 1.0);
  EXPECT_LT(std::fabs(at_expiry), std::fabs(far) / 3);
}

std::pair<std::uint64_t, std::size_t> HashFrames(SimConfig cfg) {
  Simulator sim(std::move(cfg));
  SimFrame f;
  std::uint64_t h = 0;
  std::size_t n = 0;
  while (sim.Next(&f)) {
    h = h * 1099511628211ULL + std::hash<std::string>{}(f.text);
    ++n;
  }
  return {h, n};
}

TEST(Simulator, DeterministicForASeed) {
  SimConfig cfg = AllChannels();
  cfg.start = TimeOfDay::Of(8, 55, 0);
  cfg.end = TimeOfDay::Of(9, 40, 0);
  const auto a = HashFrames(cfg);
  const auto b = HashFrames(cfg);
  EXPECT_EQ(a, b);
  EXPECT_GT(a.second, 1000u);
  cfg.seed = 2;
  const auto c = HashFrames(cfg);
  EXPECT_NE(a.first, c.first);
}

TEST(Simulator, MarketDoesNotDependOnTheChannels) {
  SimConfig a;
  a.end = TimeOfDay::Of(9, 30, 0);
  SimConfig b = a;
  b.channels = ChannelSet{false, false, true, false, false, false, true};
  Simulator sa(a), sb(b);
  SimFrame f;
  std::size_t quotes = 0;
  while (sa.Next(&f)) quotes += f.kind == core::Channel::kQuote;
  std::set<core::Channel> kinds;
  while (sb.Next(&f)) kinds.insert(f.kind);
  EXPECT_GT(quotes, 0u);
  EXPECT_EQ(kinds, (std::set<core::Channel>{core::Channel::kSnapshot, core::Channel::kBar}));
  ASSERT_EQ(sa.truth().size(), sb.truth().size());
  for (std::size_t i = 0; i < sa.truth().size(); ++i) {
    ASSERT_EQ(sa.truth()[i].price, sb.truth()[i].price);
    ASSERT_EQ(sa.truth()[i].volume, sb.truth()[i].volume);
    ASSERT_EQ(sa.truth()[i].aggressor, sb.truth()[i].aggressor);
  }
}

TEST(Simulator, LateStartRunsTheMorningSilently) {
  SimConfig cfg;
  cfg.start = TimeOfDay::Of(10, 0, 0);
  cfg.end = TimeOfDay::Of(10, 1, 0);
  std::vector<GroundTruthTrade> observed;
  Simulator sim(cfg);
  sim.SetTradeObserver([&](const GroundTruthTrade& g) { observed.push_back(g); });
  Decoder dec;
  DecodeOutput out;
  SimFrame f;
  std::vector<SimFrame> first;
  Volume first_total{-1};
  while (sim.Next(&f)) {
    ASSERT_GE(f.time.time, cfg.start);
    if (first.size() < 34) first.push_back(f);
    if (f.kind == core::Channel::kTrade && first_total < Volume{}) {
      out.clear();
      ASSERT_TRUE(dec.Decode(f.text, out));
      first_total = *std::get<core::TradeEvent>(out.events[0]).t.total_vol;
      ASSERT_GT(first_total,
                *std::get<core::TradeEvent>(out.events[0]).t.last_vol);  // morning volume is there
    }
  }
  // The start snapshot begins with one F frame per symbol announcing the current session.
  for (const SimFrame& x : first) {
    ASSERT_EQ(x.kind, core::Channel::kStatus);
    out.clear();
    ASSERT_TRUE(dec.Decode(x.text, out));
    ASSERT_EQ(std::get<core::StatusEvent>(out.events[0]).h.session, Session::kLo);
  }
  EXPECT_EQ(observed.size(), sim.truth().size());
  ASSERT_FALSE(observed.empty());
  EXPECT_EQ(observed.front().seq, 0);
}

TEST(Simulator, ActivityScalesTheTradeRate) {
  SimConfig lo, hi;
  lo.end = hi.end = TimeOfDay::Of(10, 0, 0);
  lo.activity = 0.5;
  hi.activity = 2.0;
  Simulator a(lo), b(hi);
  SimFrame f;
  while (a.Next(&f)) {
  }
  while (b.Next(&f)) {
  }
  EXPECT_GT(b.truth().size(), a.truth().size() * 3);
}

TEST(Simulator, RejectsBadConfig) {
  SimConfig cfg;
  cfg.end = TimeOfDay::Of(8, 0, 0);
  EXPECT_THROW(Simulator{cfg}, std::invalid_argument);
  cfg = SimConfig{};
  cfg.stocks = {StockSpec{"BAD", "", "", 22960, 1000, 0.5, 0.3, 0.1, 1}};  // off the 50 VND grid
  EXPECT_THROW(Simulator{cfg}, std::invalid_argument);
}

}  // namespace
}  // namespace vnt::sim
