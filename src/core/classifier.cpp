#include "core/classifier.h"

namespace vnt::core {

std::string_view ToString(Aggressor a) {
  return kAggressorNames.Name(a, "neutral");
}

std::string_view ToString(ClassifyMethod m) {
  return kClassifyMethodNames.Name(m, "tick");
}

TopOfBook BestPrices(const core::Book& book) {
  // Levels are best first, but a price-0 level (market order in the auction book) can sit at the top;
  // skip those rather than assume level 0 is priced.
  TopOfBook top;
  for (std::uint8_t i = 0; i < book.bid_count && i < book.bids.size(); ++i) {
    if (book.bids[i].price.raw > 0) {
      top.bid = book.bids[i].price;
      break;
    }
  }
  for (std::uint8_t i = 0; i < book.ask_count && i < book.asks.size(); ++i) {
    if (book.asks[i].price.raw > 0) {
      top.ask = book.asks[i].price;
      break;
    }
  }
  return top;
}

Classification Classify(Price price, Session session, Side exchange_side, TopOfBook before,
                        const TickState& tick) {
  if (session == Session::kAto || session == Session::kAtc)
    return {Aggressor::kNeutral, ClassifyMethod::kAuction};
  // A put-through deal is negotiated between two parties (and a print after the close is one too): nobody
  // aggressed, and the book it would be compared with is the stale pre-ATC one.
  if (session == Session::kPt || session == Session::kClosed)
    return {Aggressor::kNeutral, ClassifyMethod::kPutThrough};
  if (exchange_side == Side::kBuy) return {Aggressor::kBuy, ClassifyMethod::kExchange};
  if (exchange_side == Side::kSell) return {Aggressor::kSell, ClassifyMethod::kExchange};

  const bool has_bid = before.bid.raw > 0;
  const bool has_ask = before.ask.raw > 0;
  const bool crossed = has_bid && has_ask && before.bid >= before.ask;
  if (!crossed && price.raw > 0) {
    if (has_ask && price >= before.ask) return {Aggressor::kBuy, ClassifyMethod::kQuote};
    if (has_bid && price <= before.bid) return {Aggressor::kSell, ClassifyMethod::kQuote};
  }

  // Inside the spread, one-sided book or no book: tick rule.
  if (tick.last_price.raw > 0 && price.raw > 0) {
    if (price > tick.last_price) return {Aggressor::kBuy, ClassifyMethod::kTick};
    if (price < tick.last_price) return {Aggressor::kSell, ClassifyMethod::kTick};
  }
  return {tick.last_dir, ClassifyMethod::kTick};
}

void UpdateTick(TickState& tick, Price price) {
  if (price.raw <= 0) return;
  if (tick.last_price.raw > 0) {
    if (price > tick.last_price) tick.last_dir = Aggressor::kBuy;
    if (price < tick.last_price) tick.last_dir = Aggressor::kSell;
  }
  tick.last_price = price;
}

}  // namespace vnt::core
