#pragma once
// The engine's input contract: typed market events, as the feed decoder (src/feed) produces them from SSI
// FastConnect v2 frames. Core owns the vocabulary and includes nothing of feed; the decoder depends on core.
// Standard library only.
//
// Field presence: SSI omits fields, sends null or "NaN"; a field the frame did not carry is
// std::nullopt, never a made-up zero. Units are the feed's: VND for stock prices and values,
// index points for futures and indices, shares or contracts for volumes.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "common/enum_names.h"
#include "core/types.h"

namespace vnt::core {

// The DataType of a Broadcast payload. kQuote2021/kTrade2021 are the 2021 spec's "Quote"/"Trade".
enum class Channel : std::uint8_t {
  kTrade,      // X-TRADE
  kQuote,      // X-QUOTE
  kSnapshot,   // X
  kForeign,    // R
  kIndex,      // MI
  kStatus,     // F
  kBar,        // B
  kOddLot,     // OL
  kQuote2021,  // Quote
  kTrade2021,  // Trade
  kCount
};
// The channel's DataType as SSI spells it ("X-TRADE", "MI", ...), exact.
inline constexpr auto kChannelNames = MakeEnumNames<Channel>({
    {Channel::kTrade, "X-TRADE"},
    {Channel::kQuote, "X-QUOTE"},
    {Channel::kSnapshot, "X"},
    {Channel::kForeign, "R"},
    {Channel::kIndex, "MI"},
    {Channel::kStatus, "F"},
    {Channel::kBar, "B"},
    {Channel::kOddLot, "OL"},
    {Channel::kQuote2021, "Quote"},
    {Channel::kTrade2021, "Trade"},
});
static_assert(kChannelNames.Unique() && kChannelNames.size() == static_cast<std::size_t>(Channel::kCount));
constexpr std::string_view ChannelName(Channel c) {
  return kChannelNames.Name(c);
}

// Fields common to every market event.
struct Header {
  Channel channel = Channel::kTrade;
  Symbol symbol;      // ticker, futures code (KRX or VN30FYYMM) or index id for MI
  ExchangeTime time;  // TradingDate + Time (TradingTime in older frames)
  Session session = Session::kUnknown;
  bool repaired = false;  // decoded only after repairing malformed JSON (doc transcriptions)
};

// One price level; a level the feed sends as zeros is not stored.
struct Level {
  Price price;
  Volume volume{};
};

// Up to 10 levels per side, best first. Level i is present when price or volume is non-zero
// (price 0 with volume > 0 is an ATO/ATC market order in the auction book).
struct Book {
  std::array<Level, 10> bids{};
  std::array<Level, 10> asks{};
  std::uint8_t bid_count = 0;  // levels 0..bid_count-1 of `bids` are filled, in feed order
  std::uint8_t ask_count = 0;
};

// Last match and day totals (X-TRADE, and the trade half of X / OL).
struct TradeFields {
  std::optional<Price> last_price;
  std::optional<Volume> last_vol;
  std::optional<Volume> total_vol;
  std::optional<Vnd> total_val;
  std::optional<Price> ref_price, ceiling, floor;
  std::optional<Price> avg_price, prior_close, change, ratio_change, est_matched_price;
  std::optional<Price> high, low, open, close;  // Highest/Lowest on X-TRADE, High/Low on X
  Side side = Side::kUnknown;                   // exchange aggressor side (BU / SD)
  std::string trading_status;                   // "N", "H", "Active", ... (empty when absent)
};

struct TradeEvent {  // X-TRADE (and 2021 "Trade")
  Header h;
  TradeFields t;
};

struct QuoteEvent {  // X-QUOTE (and 2021 "Quote")
  Header h;
  Book book;
};

struct SnapshotEvent {  // X: quote + trade in one frame
  Header h;
  TradeFields t;
  Book book;
};

struct OddLotEvent {  // OL: odd-lot board, 3 levels
  Header h;
  TradeFields t;
  Book book;
};

struct ForeignRoomEvent {  // R: cumulative foreign trading for the day
  Header h;
  std::optional<Volume> total_room, current_room;  // cap and remaining room, shares
  std::optional<Volume> buy_vol, sell_vol;
  std::optional<Vnd> buy_val, sell_val;
};

struct IndexEvent {  // MI
  Header h;          // h.symbol = IndexId
  std::optional<Price> value, prior_value, change, ratio_change;
  std::optional<std::int64_t> total_trade;
  std::optional<Volume> total_qtty, total_qtty_pt, total_qtty_od, all_qty;
  std::optional<Vnd> total_value, total_value_pt, total_value_od, all_value;
  std::optional<std::int32_t> advances, declines, no_changes, ceilings, floors;
};

struct StatusEvent {  // F: session / status change of a security
  Header h;
  std::string trading_status;
  std::string exchange;
};

struct BarEvent {  // B: per-tick OHLCV bar (Value is always 0 at SSI)
  Header h;
  std::optional<Price> open, high, low, close;
  std::optional<Volume> volume;
  std::optional<Vnd> value;
};

using MarketEvent = std::variant<TradeEvent, QuoteEvent, SnapshotEvent, ForeignRoomEvent, IndexEvent,
                                 StatusEvent, BarEvent, OddLotEvent>;

inline const Header& HeaderOf(const MarketEvent& e) {
  return std::visit([](const auto& x) -> const Header& { return x.h; }, e);
}

}  // namespace vnt::core
