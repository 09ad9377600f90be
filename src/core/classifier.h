#pragma once
// Aggressor-side classification of a trade (active buy / active sell / neutral). Pure functions plus the
// small per-symbol tick state they need. Rules, in order (design.md §3):
//   1. auction: the trade's session is ATO or ATC -> neutral. A call auction has no aggressor, so this wins
//      even over an exchange side.
//   2. exchange: the feed's Side (BU -> buy, SD -> sell).
//   3. quote: against the book that prevailed BEFORE the trade: price >= best ask -> buy, price <= best bid
//   ->
//      sell. Price-0 levels (ATO/ATC market orders) are ignored. A locked or crossed book (bid >= ask) cannot
//      tell the side, so it falls through to the tick rule.
//   4. tick: up-tick -> buy, down-tick -> sell, zero tick inherits the previous non-zero tick direction; no
//      previous direction (first trade of the day, or only zero ticks so far) -> neutral.

#include <cstdint>
#include <string_view>

#include "common/enum_names.h"
#include "core/events.h"
#include "core/types.h"

namespace vnt::core {

// The aggressor side the engine assigns to a trade.
enum class Aggressor : std::uint8_t { kNeutral, kBuy, kSell };
inline constexpr auto kAggressorNames = MakeEnumNames<Aggressor>(
    {{Aggressor::kNeutral, "neutral"}, {Aggressor::kBuy, "buy"}, {Aggressor::kSell, "sell"}});
static_assert(kAggressorNames.Unique() && kAggressorNames.size() == 3);
// "buy", "sell", "neutral".
std::string_view ToString(Aggressor a);

// Which rule decided the side; kept on every classified trade and shown to users.
enum class ClassifyMethod : std::uint8_t { kAuction, kExchange, kQuote, kTick, kPutThrough };
inline constexpr auto kClassifyMethodNames = MakeEnumNames<ClassifyMethod>({
    {ClassifyMethod::kAuction, "auction"},
    {ClassifyMethod::kExchange, "exchange"},
    {ClassifyMethod::kQuote, "quote"},
    {ClassifyMethod::kTick, "tick"},
    {ClassifyMethod::kPutThrough, "put_through"},
});
static_assert(kClassifyMethodNames.Unique() && kClassifyMethodNames.size() == 5);
// "auction", "exchange", "quote", "tick", "put_through".
std::string_view ToString(ClassifyMethod m);

// Best bid/ask of a book, ignoring price-0 (auction market order) levels; zero price = no level.
struct TopOfBook {
  Price bid;
  Price ask;
};
// The best priced levels of a book.
TopOfBook BestPrices(const core::Book& book);

// Per-symbol memory of the tick rule; reset each trading day.
struct TickState {
  Price last_price;                          // previous trade price (zero = none yet)
  Aggressor last_dir = Aggressor::kNeutral;  // direction of the last non-zero tick
};

// Result of classifying one trade.
struct Classification {
  Aggressor side = Aggressor::kNeutral;
  ClassifyMethod method = ClassifyMethod::kTick;
};

// Classifies a trade at `price` given the session, the exchange side and the book before the trade.
// Reads `tick` but does not update it (call UpdateTick after).
Classification Classify(Price price, Session session, Side exchange_side, TopOfBook before,
                        const TickState& tick);
// Records a trade price into the tick state (every trade, whatever method classified it).
void UpdateTick(TickState& tick, Price price);

}  // namespace vnt::core
