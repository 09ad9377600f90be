#pragma once
// The Content keys the decoder understands, matched case-insensitively, and a reusable
// per-frame store of their values (no allocation: strings are views into the parser's buffer).

#include <array>
#include <cstdint>
#include <string_view>

#include "core/types.h"

namespace vnt::feed {

// X(name, kind): kind N = number (also accepted as a numeric string, "NaN" = absent), S = string.
// A field list laid out by hand: clang-format cannot keep a macro of calls stable.
// clang-format off
#define VNT_FEED_FIELDS(X)                                                                                   \
  X(RType, S) X(TradingDate, S) X(Time, S) X(TradingTime, S) X(Symbol, S) X(Isin, S) X(Exchange, S)          \
  X(MarketId, S) X(TradingSession, S) X(TradingStatus, S) X(Side, S) X(IndexId, S) X(Ceiling, N)             \
  X(Floor, N) X(RefPrice, N) X(Open, N) X(High, N) X(Low, N) X(Close, N) X(AvgPrice, N) X(Avg, N)            \
  X(PriorVal, N) X(LastPrice, N) X(LastVol, N) X(TotalVal, N) X(TotalVol, N) X(Change, N)                    \
  X(RatioChange, N) X(EstMatchedPrice, N) X(Highest, N) X(Lowest, N) X(BidPrice1, N) X(BidPrice2, N)         \
  X(BidPrice3, N) X(BidPrice4, N) X(BidPrice5, N) X(BidPrice6, N) X(BidPrice7, N) X(BidPrice8, N)            \
  X(BidPrice9, N) X(BidPrice10, N) X(BidVol1, N) X(BidVol2, N) X(BidVol3, N) X(BidVol4, N) X(BidVol5, N)     \
  X(BidVol6, N) X(BidVol7, N) X(BidVol8, N) X(BidVol9, N) X(BidVol10, N) X(AskPrice1, N) X(AskPrice2, N)     \
  X(AskPrice3, N) X(AskPrice4, N) X(AskPrice5, N) X(AskPrice6, N) X(AskPrice7, N) X(AskPrice8, N)            \
  X(AskPrice9, N) X(AskPrice10, N) X(AskVol1, N) X(AskVol2, N) X(AskVol3, N) X(AskVol4, N) X(AskVol5, N)     \
  X(AskVol6, N) X(AskVol7, N) X(AskVol8, N) X(AskVol9, N) X(AskVol10, N) X(TotalRoom, N)                     \
  X(CurrentRoom, N) X(BuyVol, N) X(SellVol, N) X(BuyVal, N) X(SellVal, N) X(FBuyVol, N) X(FSellVol, N)       \
  X(FBuyVal, N) X(FSellVal, N) X(IndexValue, N) X(PriorIndexValue, N) X(TotalTrade, N) X(TotalQtty, N)       \
  X(TotalValue, N) X(Advances, N) X(NoChanges, N) X(Declines, N) X(Ceilings, N) X(Floors, N)                 \
  X(TotalQttyPt, N) X(TotalValuePt, N) X(AllQty, N) X(AllValue, N) X(TotalQttyOd, N) X(TotalValueOd, N)      \
  X(Volume, N) X(Value, N)
// clang-format on

enum class Field : std::uint8_t {
#define VNT_X(name, kind) k##name,
  VNT_FEED_FIELDS(VNT_X)
#undef VNT_X
      kCount
};

enum class FieldKind : std::uint8_t { kNumber, kString };

// The field a Content key names (case-insensitive), or Field::kCount when we do not use it.
Field LookupField(std::string_view key);
std::string_view FieldName(Field f);

namespace internal {
// Kind per field, in Field order (inline: KindOf sits on the decoder's per-field path).
inline constexpr FieldKind kKinds[] = {
#define VNT_X(name, kind) (#kind[0] == 'N' ? FieldKind::kNumber : FieldKind::kString),
    VNT_FEED_FIELDS(VNT_X)
#undef VNT_X
};
}  // namespace internal
inline FieldKind KindOf(Field f) {
  return internal::kKinds[static_cast<std::size_t>(f)];
}

// Values of one Content object. Presence is tracked with a generation counter so that Reset() is O(1).
class FieldSet {
 public:
  void Reset() { ++gen_; }
  void SetNumber(Field f, Fixed4 v) {
    Slot& s = slots_[Index(f)];
    s.gen = gen_;
    s.num = v;
  }
  void SetString(Field f, std::string_view v) {
    Slot& s = slots_[Index(f)];
    s.gen = gen_;
    s.str = v;
  }
  bool Has(Field f) const { return slots_[Index(f)].gen == gen_; }
  const Fixed4* Number(Field f) const { return Has(f) ? &slots_[Index(f)].num : nullptr; }
  const std::string_view* String(Field f) const { return Has(f) ? &slots_[Index(f)].str : nullptr; }

 private:
  static std::size_t Index(Field f) { return static_cast<std::size_t>(f); }
  struct Slot {
    std::uint32_t gen = 0;
    Fixed4 num;
    std::string_view str;
  };
  std::array<Slot, static_cast<std::size_t>(Field::kCount)> slots_{};
  std::uint32_t gen_ = 1;
};

}  // namespace vnt::feed
