#pragma once
// Foreign investor flow of one symbol from the R channel's cumulative day totals.
//
// - The first frame of the day is the baseline: speeds start at 0 (no spike when joining mid-session), but
// the
//   displayed buy/sell/net totals are the feed's full-day cumulative figures.
// - Speed = volume (and value) bought/sold over the last `window_sec` (default 300 s) of exchange time
//   divided by the minutes the samples cover (at most the window: a gap such as the lunch break holds no
//   flow). It is reported only once the window covers `min_window_sec` (default 60 s): before that it is
//   null (speed_ready false), so that a few seconds of flow are never read as a rate.
// - Acceleration = change of the net speed per minute, measured against the net speed recorded at the newest
//   sample at least `accel_lookback_sec` (default 60 s) old whose own speed was ready; null until there is
//   one (accel_ready false). Never measured against a baseline (speed 0 by definition).
// - Auctions (ATO, ATC) are not a minute of flow: their matched volume arrives all at once. Every frame
//   during an auction, and the first one after it (it carries the auction's volume), starts a new baseline.
// - Value speeds come from volume: each rise of the cumulative buy (sell) volume is valued at the price it
//   happened at, the frame's own BuyVal / BuyVol (for HOSE SSI sends value = cumulative volume x last price,
//   fourth section of ../shared/ssi/fastconnect-v2.md, so that ratio is the last price; a frame without the
//   value falls back to the symbol's last trade price). Differences of the cumulative values themselves are
//   never used: they are revalued at every tick, so a down-tick with no foreign trade would read as selling
//   and an up-tick as buying.
// - Only a fall of a cumulative volume is a feed reset (counted; the baseline restarts there). A fall of a
//   value is revaluation, not a reset. An R frame older than the newest one (its time is earlier) with a
//   lower volume is stale and ignored.

#include <cstdint>
#include <optional>

#include "core/events.h"
#include "core/ring_buffer.h"
#include "core/types.h"

namespace vnt::core {

// Tunables of the speed / acceleration computation.
struct ForeignFlowConfig {
  int window_sec = 300;          // speed window (5 minutes of exchange time)
  int min_window_sec = 60;       // a speed is reported once its window covers this much
  int accel_lookback_sec = 60;   // acceleration compares with the speed this long ago
  double min_divisor_min = 1.0;  // minimum minutes a speed or acceleration is divided by
};

// What a symbol's foreign flow looks like now. Volumes in shares, values in VND; speeds per minute,
// accelerations per minute per minute.
struct ForeignState {
  bool has_data = false;
  Volume buy_vol{}, sell_vol{};  // day cumulative, as sent by the feed
  Vnd buy_val{}, sell_val{};
  std::optional<Volume> total_room;    // foreign ownership cap (shares)
  std::optional<Volume> current_room;  // remaining room (shares)
  double buy_speed_vol = 0, sell_speed_vol = 0, net_speed_vol = 0;
  double buy_speed_val = 0, sell_speed_val = 0, net_speed_val = 0;
  double net_accel_vol = 0, net_accel_val = 0;
  double window_min = 0;  // minutes the speed window covers, at most window_sec / 60
  bool speed_ready =
      false;  // the window covers min_window_sec: the speeds are meaningful (else null in JSON)
  bool accel_ready = false;  // the acceleration compares two ready speeds
  ExchangeTime updated;

  Volume net_vol() const { return buy_vol - sell_vol; }
  Vnd net_val() const { return buy_val - sell_val; }
  // (total - current) / total * 100; nullopt without a positive total room.
  std::optional<double> room_used_pct() const {
    if (!total_room || *total_room <= Volume{} || !current_room) return std::nullopt;
    return (*total_room - *current_room).ToDouble() * 100.0 / total_room->ToDouble();
  }
};

// Per-symbol foreign flow tracker.
class ForeignFlow {
 public:
  explicit ForeignFlow(ForeignFlowConfig cfg = {}) : cfg_(cfg), samples_(kMaxSamples) {}

  // Applies an R frame at exchange time `time`; `last_price` (0 = unknown) values volume when the frame
  // carries no value. Returns true when a cumulative volume went down (a reset). Fields absent from the
  // frame keep their previous value.
  // `auction` = the market is in an opening or closing auction (see the header comment).
  bool Apply(const core::ForeignRoomEvent& e, ExchangeTime time, Price last_price = Price{},
             bool auction = false);
  // R frames ignored as stale (older time, lower cumulative volume).
  std::uint64_t stale() const { return stale_; }
  // The current figures.
  const ForeignState& state() const { return state_; }
  // Forgets the day (rollover): the next frame is a new baseline.
  void Clear();

 private:
  struct Sample {
    std::int64_t t = 0;  // local epoch seconds, monotonic within the tracker
    Volume buy_vol{}, sell_vol{};
    Vnd buy_flow{}, sell_flow{};  // value of the volume bought/sold since the baseline, at its prices
    double net_speed_vol = 0, net_speed_val = 0;
    bool ready = false;  // the speeds above were ready when recorded
  };
  // One sample per second at most and the window is 300 s, plus the sample just before the window.
  static constexpr std::size_t kMaxSamples = 512;

  void Recompute(std::int64_t now);

  ForeignFlowConfig cfg_;
  ForeignState state_;
  RingBuffer<Sample> samples_;
  Vnd buy_flow_{}, sell_flow_{};  // running totals behind Sample::buy_flow / sell_flow
  bool in_auction_ = false;       // the previous frame came during an auction
  std::uint64_t stale_ = 0;
};

}  // namespace vnt::core
