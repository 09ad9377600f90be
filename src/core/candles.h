#pragma once
// One-minute candles per symbol with aggressor split, and the volume-at-price profile.

#include <cstdint>
#include <map>
#include <optional>

#include "core/classifier.h"
#include "core/ring_buffer.h"
#include "core/types.h"

namespace vnt::core {

// One minute of trading of one symbol (exchange time). Volumes in shares/contracts, value in VND.
struct Candle {
  Symbol symbol;
  Date date;
  std::int32_t minute = 0;  // seconds since midnight of the minute's start (09:15:00 -> 33300)
  Price open, high, low, close;
  Volume volume{};  // buy + sell + neutral
  Volume buy_vol{};
  Volume sell_vol{};
  Volume neutral_vol{};
  Vnd value{};
  std::int32_t trade_count = 0;
  Volume auction_vol{};  // part of `volume` matched in an opening or closing auction (ATO/ATC prints)

  // Volume traded continuously in the minute (the auction prints taken out).
  Volume continuous_vol() const { return volume - auction_vol; }

  // buy / (buy + sell) in [0, 1]; nullopt when nothing was aggressed (all neutral).
  std::optional<double> ActiveBuyRatio() const {
    const Volume directed = buy_vol + sell_vol;
    if (directed <= Volume{}) return std::nullopt;
    return buy_vol.ToDouble() / directed.ToDouble();
  }
};

// The open candle plus a bounded history of closed ones, for one symbol.
class CandleSeries {
 public:
  // History bounded to `capacity` closed candles (a trading day has < 400 minutes).
  explicit CandleSeries(std::size_t capacity = 400) : closed_(capacity) {}

  // Adds volume to the candle of `time`'s minute; closes the open candle first when `time` is in a later
  // minute and returns the closed candle then. A trade older than the open candle is folded into it (late
  // arrival); one older than the last closed candle with no candle open is dropped: *late is set in both
  // cases. `neutral_extra` is unattributed volume (missed frames): it adds to volume and neutral_vol but not
  // to trades. `auction` = an ATO/ATC print (counted in auction_vol too).
  std::optional<Candle> Add(Symbol symbol, ExchangeTime time, Price price, Volume vol, Aggressor side,
                            Vnd value, Volume neutral_extra, Vnd neutral_extra_value, bool counts_as_trade,
                            bool* late, bool auction = false);
  // Moves `vol` from one side to another in the open candle when it is `minute`'s (a published, closed
  // candle is never changed). True when it did.
  bool MoveSide(std::int32_t minute, Aggressor from, Aggressor to, Volume vol);
  // Closes the open candle when its minute starts before `time`'s minute (any time when `time` is invalid).
  std::optional<Candle> CloseBefore(ExchangeTime time);
  // The candle still being built, if any.
  const std::optional<Candle>& open_candle() const { return open_; }
  // Closed candles, oldest first.
  const RingBuffer<Candle>& closed() const { return closed_; }
  // Forgets everything (day rollover).
  void Clear() {
    open_.reset();
    closed_.clear();
  }

 private:
  std::optional<Candle> open_;
  RingBuffer<Candle> closed_;
};

// Aggressor split of the volume traded at one price.
struct VolumeAtPrice {
  Volume buy_vol{};
  Volume sell_vol{};
  Volume neutral_vol{};
  Volume total() const { return buy_vol + sell_vol + neutral_vol; }
};

// Volume profile of a symbol for the day: price (Fixed4 raw) -> split. Ordered for display.
using VolumeProfile = std::map<std::int64_t, VolumeAtPrice>;

// Minute of day (seconds at the minute's start) of an exchange time; -1 when the time is unknown.
inline std::int32_t MinuteOf(TimeOfDay t) {
  return t.valid() ? t.sec - t.sec % 60 : -1;
}

}  // namespace vnt::core
