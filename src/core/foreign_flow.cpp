#include "core/foreign_flow.h"

#include <algorithm>

namespace vnt::core {

namespace {

// 128-bit intermediate for volume x value products (__extension__: no -Wpedantic warning).
__extension__ typedef __int128 Int128;

// Value of `rise` shares at the price implied by a cumulative (volume, value) pair, else at `fallback`.
Vnd ValueOfRise(Volume rise, std::optional<Volume> vol, std::optional<Vnd> val, Price fallback) {
  if (rise <= Volume{}) return Vnd{};
  if (vol && val && *vol > Volume{} && *val > Vnd{})  // exact for HOSE (val = vol x price)
    return Vnd{static_cast<std::int64_t>(static_cast<Int128>(rise.raw()) * val->raw() / vol->raw())};
  if (fallback.raw > 0)
    return Vnd{static_cast<std::int64_t>(static_cast<Int128>(rise.raw()) * fallback.raw / Fixed4::kScale)};
  return Vnd{};
}

}  // namespace

bool ForeignFlow::Apply(const core::ForeignRoomEvent& e, ExchangeTime time, Price last_price, bool auction) {
  const Volume buy_vol = e.buy_vol.value_or(state_.buy_vol);
  const Volume sell_vol = e.sell_vol.value_or(state_.sell_vol);
  const bool volume_fell = state_.has_data && (buy_vol < state_.buy_vol || sell_vol < state_.sell_vol);
  if (volume_fell && time.time.valid() && time < state_.updated) {
    ++stale_;  // an older frame sent late: its totals are behind ours, and it says nothing new
    return false;
  }

  std::int64_t now = time.LocalEpochSeconds();
  // Out-of-order frames still carry valid cumulative totals; keep the sample clock monotonic so the window
  // arithmetic never sees negative spans.
  if (!samples_.empty() && now < samples_.back().t) now = samples_.back().t;

  bool reset = false;
  const bool rebaseline = auction || in_auction_;  // during an auction and the frame that follows it
  in_auction_ = auction;
  if (volume_fell) {
    reset = true;
    samples_.clear();  // never turn a reset into a negative flow: restart the baseline here
  } else if (rebaseline) {
    samples_.clear();  // auction volume is not flow: the baseline moves past it
  } else if (state_.has_data) {
    buy_flow_ += ValueOfRise(buy_vol - state_.buy_vol, e.buy_vol, e.buy_val, last_price);
    sell_flow_ += ValueOfRise(sell_vol - state_.sell_vol, e.sell_vol, e.sell_val, last_price);
  }

  state_.has_data = true;
  state_.buy_vol = buy_vol;
  state_.sell_vol = sell_vol;
  state_.buy_val = e.buy_val.value_or(state_.buy_val);
  state_.sell_val = e.sell_val.value_or(state_.sell_val);
  if (e.total_room) state_.total_room = *e.total_room;
  if (e.current_room) state_.current_room = *e.current_room;
  state_.updated = time;

  Sample s;
  s.t = now;
  s.buy_vol = buy_vol;
  s.sell_vol = sell_vol;
  s.buy_flow = buy_flow_;
  s.sell_flow = sell_flow_;
  if (samples_.size() >= 2 && samples_.back().t == now) {
    // One sample per second bounds the history; the baseline (first sample) is never overwritten, or the
    // flow between two frames of the same second would vanish.
    samples_.back() = s;
  } else {
    samples_.push_back(s);
  }
  Recompute(now);
  return reset;
}

void ForeignFlow::Recompute(std::int64_t now) {
  // Keep exactly one sample at or before the window start: it is the reference the deltas are taken from.
  const std::int64_t window_start = now - cfg_.window_sec;
  while (samples_.size() >= 2 && samples_[1].t <= window_start) samples_.pop_front();

  Sample& cur = samples_.back();
  const Sample& ref = samples_.front();
  // A reference older than the window start means nothing changed between it and the window (a gap such as
  // the lunch break): the flow is over the window, not over the gap.
  const std::int64_t covered_sec = std::min<std::int64_t>(now - ref.t, cfg_.window_sec);
  const double covered_min = static_cast<double>(covered_sec) / 60.0;
  const double div = std::max(covered_min, cfg_.min_divisor_min);
  state_.window_min = covered_min;
  state_.speed_ready = covered_sec >= cfg_.min_window_sec && covered_sec > 0;
  state_.accel_ready = false;
  state_.net_accel_vol = 0;
  state_.net_accel_val = 0;
  cur.ready = state_.speed_ready;
  if (!state_.speed_ready) {
    state_.buy_speed_vol = state_.sell_speed_vol = state_.net_speed_vol = 0;
    state_.buy_speed_val = state_.sell_speed_val = state_.net_speed_val = 0;
    cur.net_speed_vol = cur.net_speed_val = 0;
    return;
  }
  state_.buy_speed_vol = (cur.buy_vol - ref.buy_vol).ToDouble() / div;
  state_.sell_speed_vol = (cur.sell_vol - ref.sell_vol).ToDouble() / div;
  state_.buy_speed_val = (cur.buy_flow - ref.buy_flow).ToDouble() / div;
  state_.sell_speed_val = (cur.sell_flow - ref.sell_flow).ToDouble() / div;
  state_.net_speed_vol = state_.buy_speed_vol - state_.sell_speed_vol;
  state_.net_speed_val = state_.buy_speed_val - state_.sell_speed_val;
  cur.net_speed_vol = state_.net_speed_vol;
  cur.net_speed_val = state_.net_speed_val;

  // Acceleration: against the newest sample at least the lookback old whose speed was ready.
  const std::int64_t lookback_t = now - cfg_.accel_lookback_sec;
  std::optional<std::size_t> idx;
  for (std::size_t i = samples_.size(); i-- > 0;) {
    if (samples_[i].t <= lookback_t && samples_[i].ready) {
      idx = i;
      break;
    }
  }
  if (!idx) return;
  const Sample& old = samples_[*idx];
  state_.accel_ready = true;
  const double accel_div = std::max(static_cast<double>(now - old.t) / 60.0, cfg_.min_divisor_min);
  state_.net_accel_vol = (cur.net_speed_vol - old.net_speed_vol) / accel_div;
  state_.net_accel_val = (cur.net_speed_val - old.net_speed_val) / accel_div;
}

void ForeignFlow::Clear() {
  state_ = ForeignState{};
  samples_.clear();
  buy_flow_ = sell_flow_ = Vnd{};
}

}  // namespace vnt::core
