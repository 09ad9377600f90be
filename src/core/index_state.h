#pragma once
// State of one market index (MI channel): value, change, breadth, volumes and a bounded intraday series.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/events.h"
#include "core/ring_buffer.h"
#include "core/types.h"

namespace vnt::core {

// One point of an index's intraday series: the values seen in a minute of exchange time (value = the last,
// the minute's close; open, high and low for candles).
struct IndexPoint {
  std::int32_t minute = 0;  // seconds since midnight of the minute's start
  Price value;
  Price open, high, low;
};

// One index. Key = IndexId upper-cased ("VN30", "VNINDEX", "HNXINDEX").
struct IndexState {
  // The series holds one point per minute; 400 covers a whole session day (08:45-15:00 is 375 minutes).
  static constexpr std::size_t kSeriesCapacity = 400;

  Symbol id;       // upper-cased IndexId
  Symbol feed_id;  // IndexId as the feed spells it ("VNIndex")
  Price value, prior_value;
  Price change;           // value - prior when both known, else the feed's Change
  double change_pct = 0;  // change / prior * 100 when prior known, else the feed's RatioChange
  std::int32_t advances = 0, declines = 0, no_changes = 0, ceilings = 0, floors = 0;
  std::int64_t total_trade = 0;
  Volume total_qtty{}, total_qtty_pt{}, total_qtty_od{}, all_qty{};  // matched, put-through, odd, all
  Vnd total_value{}, total_value_pt{}, total_value_od{}, all_value{};
  Session session = Session::kUnknown;
  ExchangeTime updated;
  RingBuffer<IndexPoint> series{kSeriesCapacity};

  // Applies an MI frame; fields the frame lacks keep their value. Returns false (nothing changed) for a frame
  // older than the last applied one.
  bool Apply(const core::IndexEvent& e, ExchangeTime time);
  // advances / (advances + declines); nullopt with no breadth yet.
  std::optional<double> AdvanceRatio() const {
    const std::int32_t d = advances + declines;
    if (d <= 0) return std::nullopt;
    return static_cast<double>(advances) / d;
  }
};

// Upper-cases an IndexId so "VNIndex" and "VNINDEX" are one key.
Symbol NormalizeIndexId(Symbol id);

}  // namespace vnt::core
