#pragma once
// The VN30 market simulator: a deterministic generator of SSI FastConnect Data v2 frames (X-TRADE, X-QUOTE,
// X, R, MI, F, B) for the 30 VN30 stocks, the VN30 and VNINDEX indices and the four listed VN30 futures,
// with the true aggressor side of every trade kept as ground truth.
//
// Pure library: no I/O, no clock, no threads. The caller pulls frames with Next() and paces them by their
// exchange timestamps (1x real time ... as fast as possible). The same SimConfig (seed included) always
// gives byte-identical frames; the market itself does not depend on which channels are switched on.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/events.h"
#include "core/types.h"
#include "sim/reference_data.h"
#include "sim/rest_of_market.h"
#include "sim/rng.h"

namespace vnt::sim {

class FrameBuilder;  // sim/frame_builder.h: the SSI frame writer (wire_frames.cpp)

// Which SSI channels the simulator emits (a SwitchChannels subscription to ALL of each).
struct ChannelSet {
  bool x_trade = true;      // X-TRADE: one frame per trade, with Side BU/SD
  bool x_quote = true;      // X-QUOTE: one frame per order-book change
  bool x_snapshot = false;  // X: quote + trade snapshot per trade and per book change
  bool foreign = true;      // R: cumulative foreign flow, every foreign_interval_s per changed stock
  bool index = true;        // MI: VN30 and VNINDEX every index_interval_s and on session changes
  bool status = true;       // F: one frame per symbol on each session change (and at start)
  bool bars = false;        // B: one tick bar per trade
  // X frames without a trade, also when x_snapshot is off: each symbol's reference, ceiling and floor at
  // start (what the SSI client reads from DailyStockPrice by REST), and during ATO/ATC, every
  // index_interval_s, the indicative price (EstMatchedPrice) of each stock.
  bool reference = true;
};

// Everything that defines a simulated day.
struct SimConfig {
  std::uint64_t seed = 1;
  Date date = Date::Of(2026, 3, 18);          // trading date (futures listing and basis follow it)
  TimeOfDay start = TimeOfDay::Of(8, 45, 0);  // first emitted second (the market runs silently before)
  TimeOfDay end = TimeOfDay::Of(15, 0, 0);    // last emitted second, inclusive
  ChannelSet channels;
  std::vector<Symbol> snapshot_symbols;              // X channel symbols; empty = every symbol
  double activity = 1.0;                             // scales every trade and quote rate
  int foreign_interval_s = 3;                        // R cadence (seconds of exchange time)
  int index_interval_s = 5;                          // MI cadence
  double basis_rate = -0.03;                         // annual carry: basis ~ VN30 x rate x days / 365
  Price vn30_prior = Price::FromRaw(18'854'200);     // VN30 previous close, 1885.42
  Price vnindex_prior = Price::FromRaw(16'853'000);  // VNINDEX previous close, 1685.30
  int vnindex_rest = RestOfMarket::kDefaultCount;    // HOSE stocks outside the VN30 in VNINDEX (0 = none)
  std::vector<StockSpec> stocks;                     // empty = DefaultVn30Stocks()
  bool keep_truth = true;                            // keep every GroundTruthTrade in truth()
};

// Session schedule, Vietnam local time (fastconnect-v2.md §6.1, §6.3). Before the first session: kClosed.
// Stocks: ATO 09:00, LO 09:15, BREAK 11:30, LO 13:00, ATC 14:30, PT 14:45, C 15:00.
Session StockSession(TimeOfDay t);
// Futures: ATO 08:45, LO 09:00, BREAK 11:30, LO 13:00, ATC 14:30, C 14:45.
Session FuturesSession(TimeOfDay t);

// One emitted SignalR text frame.
struct SimFrame {
  std::string text;                            // the complete frame, ready to send on the WebSocket
  ExchangeTime time;                           // its exchange timestamp (TradingDate + Time)
  core::Channel kind = core::Channel::kTrade;  // its DataType
  Symbol symbol;                               // ticker, KRX futures code or index id
  std::int64_t trade = -1;  // GroundTruthTrade::seq of the trade the frame reports (X-TRADE, X, B), else -1
};

// The truth about one trade, for measuring the tracker's aggressor classification.
struct GroundTruthTrade {
  std::int64_t seq = 0;  // 0, 1, 2, ... in emission order
  Symbol symbol;
  ExchangeTime time;
  Price price;
  Volume volume{};
  Side aggressor = Side::kUnknown;  // kUnknown = ATO/ATC auction print (neutral)
  bool inside_spread = false;       // matched strictly between the best bid and ask
  bool foreign_buyer = false;       // counted in the R BuyVol
  bool foreign_seller = false;      // counted in the R SellVol
};

class Simulator {
 public:
  // Builds the day. Throws std::invalid_argument on an invalid config (bad stock data, end < start,
  // a non-positive interval or activity < 0).
  explicit Simulator(SimConfig cfg, const core::HolidayCalendar& calendar = core::HolidayCalendar::Vietnam());
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Moves the next frame into *out (its old buffer is recycled); false once `end` has passed.
  bool Next(SimFrame* out);
  // Called for every emitted trade as it is generated (before Next returns its frames).
  void SetTradeObserver(std::function<void(const GroundTruthTrade&)> observer);

  // Every emitted trade so far (empty when keep_truth is false).
  const std::vector<GroundTruthTrade>& truth() const { return truth_; }
  // The VN30 stocks of the day, in basket order.
  const std::vector<StockInfo>& stocks() const { return stocks_; }
  // VN30 (index 0) and VNINDEX (index 1).
  const std::vector<IndexInfo>& indices() const { return indices_; }
  // The four listed VN30 futures (1M, 2M, 1Q, 2Q).
  const std::vector<FuturesInfo>& futures() const { return futures_; }
  // The configuration the day was built from.
  const SimConfig& config() const { return cfg_; }
  // Exchange time of the last second generated.
  TimeOfDay now() const { return TimeOfDay{now_}; }

 private:
  struct Instrument;
  void StepSecond(int t);
  void EmitSnapshotAtStart(int t);
  void UpdateFairValues(int t);
  void SessionChanges(int t, bool stocks, Session from, Session to);
  void Auction(int t, Instrument& ins, Session session);
  void Continuous(int t, Instrument& ins);
  void AuctionQuotes(Instrument& ins);
  void Trade(int t, Instrument& ins, Side side);
  void PutThrough(int t);
  void RecordTrade(int t, Instrument& ins, Price price, Volume vol, Side side, bool inside, bool auction,
                   Session session);
  // Frame writers.
  FrameBuilder StartFrame(int t, core::Channel kind, const Symbol& symbol, std::string_view data_type,
                          std::int64_t trade = -1);
  void EmitTrade(int t, const Instrument& ins, Session session, std::int64_t seq, bool auction);
  void EmitQuote(int t, const Instrument& ins, Session session);
  void EmitSnapshot(int t, const Instrument& ins, Session session, std::int64_t seq);
  void EmitBar(int t, const Instrument& ins, std::int64_t seq);
  void EmitStatus(int t, const Instrument& ins, Session session);
  void EmitForeign(int t, Instrument& ins);
  void EmitIndex(int t, std::size_t index, Session session);
  bool SnapshotOn(const Instrument& ins) const;
  double IndexValue(std::size_t index) const;

  SimConfig cfg_;
  std::vector<StockInfo> stocks_;
  std::vector<IndexInfo> indices_;
  std::vector<FuturesInfo> futures_;
  std::vector<Instrument> instruments_;  // stocks first, then futures
  std::vector<GroundTruthTrade> truth_;
  std::function<void(const GroundTruthTrade&)> observer_;
  Rng rng_;
  std::string trading_date_;  // "dd/MM/yyyy"
  std::string cursor_prefix_;
  std::vector<SimFrame> pending_;  // frames of the current second; [read_, count_) not yet returned
  std::size_t read_ = 0, count_ = 0;
  int now_ = 0;           // current second since midnight
  int first_second_ = 0;  // the market starts here (silently until cfg_.start)
  bool emitting_ = false;
  std::int64_t frame_seq_ = 0;
  std::int64_t trade_seq_ = 0;
  double market_factor_ = 0;    // cumulative market return of the day (drives every fair value)
  std::vector<Volume> pt_qty_;  // put-through volume per index (shares)
  std::vector<Vnd> pt_val_;     // put-through value per index (VND)
  mutable std::vector<double> scratch_prices_;  // reused by index computations
  std::optional<RestOfMarket> rest_;            // the rest of HOSE in VNINDEX
};

}  // namespace vnt::sim
