#include "feed/field_values.h"

#include <string>

#include "feed/number.h"

namespace vnt::feed::internal {

bool IsDecorative(Field f) {
  return f == Field::kSide || f == Field::kTradingStatus || f == Field::kRType || f == Field::kIsin;
}

Status SetFromNumberToken(FieldSet& fields, Field f, std::string_view tok) {
  if (KindOf(f) == FieldKind::kString) {
    if (IsDecorative(f)) return std::nullopt;
    return Fail{ErrorKind::kWrongType, std::string(FieldName(f)) + " is not a string"};
  }
  Fixed4 value;
  switch (ParseFixed4(tok, &value)) {
    case NumberStatus::kOk:
      break;
    case NumberStatus::kOutOfRange:
      return Fail{ErrorKind::kNumberOutOfRange, std::string(FieldName(f)) + " is out of range"};
    case NumberStatus::kInvalid:
      return Fail{ErrorKind::kMalformedJson, std::string(FieldName(f)) + ": bad number", true};
  }
  fields.SetNumber(f, value);
  return std::nullopt;
}

Status SetNumberFromString(FieldSet& fields, Field f, std::string_view str) {
  // Numbers sent as strings (2021 frames) are accepted; .NET's "NaN" (nothing traded yet) = absent.
  const std::string_view t = TrimWs(str);
  if (t.empty() || IEquals(t, "NaN") || IEquals(t, "null")) return std::nullopt;
  Fixed4 value;
  switch (ParseFixed4(t, &value)) {
    case NumberStatus::kOk:
      break;
    case NumberStatus::kOutOfRange:
      return Fail{ErrorKind::kNumberOutOfRange, std::string(FieldName(f)) + " is out of range"};
    case NumberStatus::kInvalid:
      return Fail{ErrorKind::kWrongType, std::string(FieldName(f)) + " is not a number"};
  }
  fields.SetNumber(f, value);
  return std::nullopt;
}

Status SetFromOther(Field f) {
  if (IsDecorative(f)) return std::nullopt;
  return Fail{ErrorKind::kWrongType,
              std::string(FieldName(f)) +
                  (KindOf(f) == FieldKind::kNumber ? " is not a number" : " is not a string")};
}

}  // namespace vnt::feed::internal
