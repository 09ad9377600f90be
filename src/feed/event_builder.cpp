#include "feed/event_builder.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <string>
#include <variant>

#include "feed/number.h"

namespace vnt::feed::internal {
namespace {

// Reads one Content's fields into an event; every getter leaves an absent field absent.
class Builder {
 public:
  explicit Builder(const FieldSet& fields) : fields_(fields) {}

  Status Build(Channel channel, DecodeOutput& out, bool repaired) {
    vnt::core::Header h;
    if (Status st = MakeHeader(channel, &h, repaired)) return st;
    switch (channel) {
      case Channel::kTrade:
      case Channel::kTrade2021:
        return Emplace<TradeEvent>(out, h, [&](TradeEvent& e) { return Trade(&e.t); });
      case Channel::kQuote:
      case Channel::kQuote2021:
        return Emplace<QuoteEvent>(out, h, [&](QuoteEvent& e) { return BookLevels(&e.book); });
      case Channel::kSnapshot:
        return Emplace<SnapshotEvent>(out, h, [&](SnapshotEvent& e) {
          if (Status st = Trade(&e.t)) return st;
          return BookLevels(&e.book);
        });
      case Channel::kOddLot:
        return Emplace<OddLotEvent>(out, h, [&](OddLotEvent& e) {
          if (Status st = Trade(&e.t)) return st;
          return BookLevels(&e.book);
        });
      case Channel::kForeign:
        return Emplace<ForeignRoomEvent>(out, h, [&](ForeignRoomEvent& e) -> Status {
          if (Status st = GetInt(Field::kTotalRoom, &e.total_room)) return st;
          if (Status st = GetInt(Field::kCurrentRoom, &e.current_room)) return st;
          if (Status st = GetIntEither(Field::kBuyVol, Field::kFBuyVol, &e.buy_vol)) return st;
          if (Status st = GetIntEither(Field::kSellVol, Field::kFSellVol, &e.sell_vol)) return st;
          if (Status st = GetIntEither(Field::kBuyVal, Field::kFBuyVal, &e.buy_val)) return st;
          return GetIntEither(Field::kSellVal, Field::kFSellVal, &e.sell_val);
        });
      case Channel::kIndex:
        return Emplace<IndexEvent>(out, h, [&](IndexEvent& e) -> Status {
          if (Status st = GetPrice(Field::kIndexValue, &e.value)) return st;
          if (Status st = GetPrice(Field::kPriorIndexValue, &e.prior_value)) return st;
          e.change = Signed(Field::kChange);
          e.ratio_change = Signed(Field::kRatioChange);
          if (Status st = GetInt(Field::kTotalTrade, &e.total_trade)) return st;
          if (Status st = GetInt(Field::kTotalQtty, &e.total_qtty)) return st;
          if (Status st = GetInt(Field::kTotalQttyPt, &e.total_qtty_pt)) return st;
          if (Status st = GetInt(Field::kTotalQttyOd, &e.total_qtty_od)) return st;
          if (Status st = GetInt(Field::kAllQty, &e.all_qty)) return st;
          if (Status st = GetInt(Field::kTotalValue, &e.total_value)) return st;
          if (Status st = GetInt(Field::kTotalValuePt, &e.total_value_pt)) return st;
          if (Status st = GetInt(Field::kTotalValueOd, &e.total_value_od)) return st;
          if (Status st = GetInt(Field::kAllValue, &e.all_value)) return st;
          if (Status st = GetSmallInt(Field::kAdvances, &e.advances)) return st;
          if (Status st = GetSmallInt(Field::kDeclines, &e.declines)) return st;
          if (Status st = GetSmallInt(Field::kNoChanges, &e.no_changes)) return st;
          if (Status st = GetSmallInt(Field::kCeilings, &e.ceilings)) return st;
          return GetSmallInt(Field::kFloors, &e.floors);
        });
      case Channel::kStatus:
        return Emplace<StatusEvent>(out, h, [&](StatusEvent& e) -> Status {
          if (const std::string_view* s = fields_.String(Field::kTradingStatus)) e.trading_status.assign(*s);
          const std::string_view* ex = fields_.String(Field::kExchange);
          if (!ex) ex = fields_.String(Field::kMarketId);
          if (ex) e.exchange.assign(*ex);
          return std::nullopt;
        });
      case Channel::kBar:
        return Emplace<BarEvent>(out, h, [&](BarEvent& e) -> Status {
          if (Status st = GetPrice(Field::kOpen, &e.open)) return st;
          if (Status st = GetPrice(Field::kHigh, &e.high)) return st;
          if (Status st = GetPrice(Field::kLow, &e.low)) return st;
          if (Status st = GetPrice(Field::kClose, &e.close)) return st;
          if (Status st = GetInt(Field::kVolume, &e.volume)) return st;
          return GetInt(Field::kValue, &e.value);
        });
      case Channel::kCount:
        break;
    }
    return Fail{ErrorKind::kUnknownDataType, "unknown channel"};
  }

 private:
  Status MakeHeader(Channel channel, vnt::core::Header* h, bool repaired) {
    h->channel = channel;
    h->repaired = repaired;
    const Field id_field = channel == Channel::kIndex ? Field::kIndexId : Field::kSymbol;
    const std::string_view* sym = fields_.String(id_field);
    if (!sym || TrimWs(*sym).empty()) {
      return Fail{ErrorKind::kMissingField, "missing field " + std::string(FieldName(id_field))};
    }
    if (!Symbol::Make(TrimWs(*sym), &h->symbol)) {
      return Fail{ErrorKind::kInvalidValue, std::string(FieldName(id_field)) + " is too long"};
    }
    if (const std::string_view* d = fields_.String(Field::kTradingDate)) {
      if (!ParseFeedDate(*d, &h->time.date))
        return Fail{ErrorKind::kBadDate, "TradingDate '" + std::string(*d) + "'"};
    } else if (channel != Channel::kBar) {
      return Fail{ErrorKind::kMissingField, "missing field TradingDate"};
    }
    const std::string_view* t = fields_.String(Field::kTime);
    if (!t) t = fields_.String(Field::kTradingTime);
    if (!t) return Fail{ErrorKind::kMissingField, "missing field Time"};
    if (!ParseFeedTime(*t, &h->time.time)) return Fail{ErrorKind::kBadTime, "Time '" + std::string(*t) + "'"};
    if (const std::string_view* s = fields_.String(Field::kTradingSession)) h->session = ParseSession(*s);
    return std::nullopt;
  }

  // Reads a non-negative price/volume/value; a negative one is an error (never a silently wrong event).
  Status NonNegative(Field f, std::optional<Fixed4>* out) {
    const Fixed4* v = fields_.Number(f);
    if (!v) return std::nullopt;
    if (v->raw < 0) return Fail{ErrorKind::kInvalidValue, std::string(FieldName(f)) + " is negative"};
    *out = *v;
    return std::nullopt;
  }
  Status GetPrice(Field f, std::optional<Price>* out) { return NonNegative(f, out); }
  // T: std::int64_t, Volume or Vnd (the strong types are built here, from the parsed integer).
  template <typename T>
  Status GetInt(Field f, std::optional<T>* out) {
    std::optional<Fixed4> v;
    if (Status st = NonNegative(f, &v)) return st;
    if (v) *out = T{v->RoundToInt()};
    return std::nullopt;
  }
  template <typename T>
  Status GetSmallInt(Field f, std::optional<T>* out) {
    std::optional<std::int64_t> v;
    if (Status st = GetInt(f, &v)) return st;
    if (v) *out = static_cast<T>(*v);
    return std::nullopt;
  }
  std::optional<Price> Signed(Field f) const {
    const Fixed4* v = fields_.Number(f);
    return v ? std::optional<Price>(*v) : std::nullopt;
  }
  // First present of two spellings (BuyVol / FBuyVol).
  template <typename T>
  Status GetIntEither(Field a, Field b, std::optional<T>* out) {
    if (Status st = GetInt(a, out)) return st;
    if (!*out) return GetInt(b, out);
    return std::nullopt;
  }

  Status Trade(TradeFields* t) {
    static constexpr Field kPrices[] = {Field::kLastPrice,      Field::kRefPrice, Field::kCeiling,
                                        Field::kFloor,          Field::kAvgPrice, Field::kPriorVal,
                                        Field::kEstMatchedPrice};
    std::optional<Price>* dst[] = {&t->last_price, &t->ref_price,   &t->ceiling,          &t->floor,
                                   &t->avg_price,  &t->prior_close, &t->est_matched_price};
    for (std::size_t i = 0; i < std::size(kPrices); ++i)
      if (Status st = GetPrice(kPrices[i], dst[i])) return st;
    if (!t->avg_price)
      if (Status st = GetPrice(Field::kAvg, &t->avg_price)) return st;
    if (Status st = GetPrice(Field::kHighest, &t->high)) return st;
    if (!t->high)
      if (Status st = GetPrice(Field::kHigh, &t->high)) return st;
    if (Status st = GetPrice(Field::kLowest, &t->low)) return st;
    if (!t->low)
      if (Status st = GetPrice(Field::kLow, &t->low)) return st;
    if (Status st = GetPrice(Field::kOpen, &t->open)) return st;
    if (Status st = GetPrice(Field::kClose, &t->close)) return st;
    if (Status st = GetInt(Field::kLastVol, &t->last_vol)) return st;
    if (Status st = GetInt(Field::kTotalVol, &t->total_vol)) return st;
    if (Status st = GetInt(Field::kTotalVal, &t->total_val)) return st;
    t->change = Signed(Field::kChange);
    t->ratio_change = Signed(Field::kRatioChange);
    if (const std::string_view* s = fields_.String(Field::kSide)) {
      const std::string_view v = TrimWs(*s);
      if (IEquals(v, "BU") || IEquals(v, "B"))
        t->side = Side::kBuy;
      else if (IEquals(v, "SD") || IEquals(v, "S"))
        t->side = Side::kSell;
    }
    if (const std::string_view* s = fields_.String(Field::kTradingStatus)) t->trading_status.assign(*s);
    return std::nullopt;
  }

  Status BookLevels(Book* b) {
    auto side = [&](Field price0, Field vol0, std::array<Level, 10>* levels, std::uint8_t* count) -> Status {
      *count = 0;
      for (int i = 0; i < 10; ++i) {
        std::optional<Price> p;
        std::optional<Volume> v;
        if (Status st = GetPrice(static_cast<Field>(static_cast<int>(price0) + i), &p)) return st;
        if (Status st = GetInt(static_cast<Field>(static_cast<int>(vol0) + i), &v)) return st;
        const Price price = p.value_or(Price{});
        const Volume vol = v.value_or(Volume{});
        if (price.IsZero() && vol == Volume{}) continue;  // empty level
        (*levels)[*count] = Level{price, vol};
        ++*count;
      }
      return std::nullopt;
    };
    if (Status st = side(Field::kBidPrice1, Field::kBidVol1, &b->bids, &b->bid_count)) return st;
    return side(Field::kAskPrice1, Field::kAskVol1, &b->asks, &b->ask_count);
  }

  // Constructs the event in place in `out` (events are large: no temporaries), removing it again if
  // a field is invalid.
  template <typename T, typename Fill>
  Status Emplace(DecodeOutput& out, const vnt::core::Header& h, Fill fill) {
    T& e = std::get<T>(out.events.emplace_back(std::in_place_type<T>));
    e.h = h;
    Status st = fill(e);
    if (st) out.events.pop_back();
    return st;
  }

  const FieldSet& fields_;
};

}  // namespace

Status BuildEvent(Channel channel, const FieldSet& fields, bool repaired, DecodeOutput& out) {
  return Builder(fields).Build(channel, out, repaired);
}

}  // namespace vnt::feed::internal
