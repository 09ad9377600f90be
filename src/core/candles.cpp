#include "core/candles.h"

namespace vnt::core {

std::optional<Candle> CandleSeries::Add(Symbol symbol, ExchangeTime time, Price price, Volume vol,
                                        Aggressor side, Vnd value, Volume neutral_extra,
                                        Vnd neutral_extra_value, bool counts_as_trade, bool* late,
                                        bool auction) {
  *late = false;
  std::optional<Candle> closed_now;
  std::int32_t minute = MinuteOf(time.time);
  if (minute < 0) {
    // No exchange time: the trade belongs to whatever minute is open (or the last one we know of).
    minute = open_ ? open_->minute : (closed_.empty() ? 0 : closed_.back().minute);
  }
  if (open_ && minute > open_->minute) {
    closed_now = *open_;
    closed_.push_back(*open_);
    open_.reset();
  }
  if (open_ && minute < open_->minute) {
    *late = true;  // fold into the open candle: never reopen a minute already reported
  } else if (!open_) {
    if (!closed_.empty() && minute <= closed_.back().minute) {
      *late = true;  // its minute was closed and published already; dropping keeps candles append-only
      return closed_now;
    }
    Candle c;
    c.symbol = symbol;
    c.date = time.date;
    c.minute = minute;
    open_ = c;
  }
  Candle& c = *open_;
  if (price.raw > 0) {
    if (c.open.raw == 0) c.open = c.high = c.low = price;
    if (price > c.high) c.high = price;
    if (price < c.low) c.low = price;
    c.close = price;
  }
  c.volume += vol + neutral_extra;
  if (auction) c.auction_vol += vol + neutral_extra;
  c.value += value + neutral_extra_value;
  switch (side) {
    case Aggressor::kBuy:
      c.buy_vol += vol;
      break;
    case Aggressor::kSell:
      c.sell_vol += vol;
      break;
    case Aggressor::kNeutral:
      c.neutral_vol += vol;
      break;
  }
  c.neutral_vol += neutral_extra;
  if (counts_as_trade) ++c.trade_count;
  return closed_now;
}

bool CandleSeries::MoveSide(std::int32_t minute, Aggressor from, Aggressor to, Volume vol) {
  if (!open_ || open_->minute != minute) return false;
  const auto side_vol = [&](Aggressor a) -> Volume& {
    return a == Aggressor::kBuy    ? open_->buy_vol
           : a == Aggressor::kSell ? open_->sell_vol
                                   : open_->neutral_vol;
  };
  side_vol(from) -= vol;
  side_vol(to) += vol;
  return true;
}

std::optional<Candle> CandleSeries::CloseBefore(ExchangeTime time) {
  if (!open_) return std::nullopt;
  const std::int32_t minute = MinuteOf(time.time);
  if (time.time.valid() && open_->date == time.date && open_->minute >= minute) return std::nullopt;
  Candle c = *open_;
  closed_.push_back(c);
  open_.reset();
  return c;
}

}  // namespace vnt::core
