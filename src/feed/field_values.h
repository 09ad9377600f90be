#pragma once
// One Content value into the decoder's FieldSet, shared by the fast and the general path: the type a known
// field accepts, numbers sent as strings (2021 frames), .NET's "NaN" as absent, and the display-only
// fields that tolerate any type. A field outside the list (Field::kCount) is the caller's business.

#include <string_view>

#include "feed/decoder_internal.h"
#include "feed/fields.h"

namespace vnt::feed::internal {

// Fields we only display (Side, TradingStatus, RType, Isin): other types there are tolerated rather than
// rejecting the whole event.
bool IsDecorative(Field f);

// A JSON number token where field `f` belongs: kWrongType for a string field (unless decorative),
// kNumberOutOfRange, or a syntax failure for a token outside the JSON number grammar.
Status SetFromNumberToken(FieldSet& fields, Field f, std::string_view tok);

// A string value where a number field belongs: the number it spells, absent for "", "NaN" and "null",
// kWrongType or kNumberOutOfRange otherwise.
Status SetNumberFromString(FieldSet& fields, Field f, std::string_view str);

// A string value where field `f` belongs (inline: the fast path's per-field step for every string field).
inline Status SetFromString(FieldSet& fields, Field f, std::string_view str) {
  if (KindOf(f) == FieldKind::kString) {
    fields.SetString(f, str);
    return std::nullopt;
  }
  return SetNumberFromString(fields, f, str);
}

// A boolean, object or array where field `f` belongs: kWrongType unless the field is decorative.
Status SetFromOther(Field f);

}  // namespace vnt::feed::internal
