#include "feed/fast_path.h"

#include <simdjson.h>

#include <cstring>

#include "feed/event_builder.h"
#include "feed/field_values.h"
#include "feed/frame_scanner.h"
#include "feed/number.h"

namespace vnt::feed::internal {

void FastPath::Guess::Set(Field f) {
  field = f;
  len = 0;
  std::memset(text, 0, sizeof text);
  if (f == Field::kCount) return;
  const std::string_view name = FieldName(f);
  if (name.size() + Q2::kLen > sizeof text) return;
  std::memcpy(text, name.data(), name.size());
  std::memcpy(text + name.size(), Q2::kText, Q2::kLen);
  len = name.size() + Q2::kLen;
}

bool FastPath::Frame(std::string_view frame, DecodeOutput& out) {
  if (frame.size() < 8 || frame[0] != '{' || !simdjson::validate_utf8(frame.data(), frame.size()))
    return false;
  Scanner sc(frame);
  sc.Eat('{');
  bool has_m = false;
  for (;;) {
    std::string_view key, v;
    sc.SkipWs();
    if (!sc.Quote<Q0>() || !sc.String<Q0>(&key) || !sc.Eat(':')) return false;
    sc.SkipWs();
    if (key == "C") {
      if (!sc.Quote<Q0>() || !sc.String<Q0>(&v)) return false;
    } else if (key == "M") {
      if (has_m || !sc.Eat('[') || sc.Eat(']')) return false;
      has_m = true;
      do {
        if (!HubMessage(sc, out)) return false;
      } while (sc.Eat(','));
      if (!sc.Eat(']')) return false;
    } else {
      return false;  // S, T, G, I...: protocol frames take the general path
    }
    if (sc.Eat(',')) continue;
    if (sc.Eat('}')) break;
    return false;
  }
  sc.SkipWs();
  return sc.AtEnd() && has_m;
}

bool FastPath::Argument(std::string_view escaped, DecodeOutput& out, Status* st) {
  Scanner sc(escaped);
  if (!Payload(sc, out, st)) return false;
  sc.SkipWs();
  if (!sc.AtEnd()) *st = Fail{ErrorKind::kMalformedJson, "Broadcast argument: trailing content"};
  return true;
}

bool FastPath::HubMessage(Scanner& sc, DecodeOutput& out) {
  if (!sc.Eat('{')) return false;
  bool broadcast = false, has_a = false;
  Status st;
  for (;;) {
    std::string_view key, v;
    sc.SkipWs();
    if (!sc.Quote<Q0>() || !sc.String<Q0>(&key) || !sc.Eat(':')) return false;
    sc.SkipWs();
    if (key == "H") {
      if (!sc.Quote<Q0>() || !sc.String<Q0>(&v)) return false;
    } else if (key == "M") {
      if (!sc.Quote<Q0>() || !sc.String<Q0>(&v) || (v != "Broadcast" && !IEquals(v, "Broadcast")))
        return false;
      broadcast = true;
    } else if (key == "A") {
      // Decoding A[0] before M is known is fine: a non-Broadcast message makes the whole frame decline.
      if (has_a || !sc.Eat('[')) return false;
      sc.SkipWs();
      if (!sc.Quote<Q0>() || !Payload(sc, out, &st)) return false;
      if (st) out.errors.push_back(DecodeError{st->kind, std::move(st->detail)});
      sc.SkipWs();
      if (!sc.Quote<Q0>() || !sc.Eat(']')) return false;
      has_a = true;
    } else {
      return false;
    }
    if (sc.Eat(',')) continue;
    if (sc.Eat('}')) break;
    return false;
  }
  return broadcast && has_a;
}

// The Broadcast payload {\"DataType\":..,\"Content\":\"{..}\"} inside A[0], and its Content, read in
// place. Returns false to decline; otherwise *st holds the outcome of building the event.
bool FastPath::Payload(Scanner& sc, DecodeOutput& out, Status* st) {
  if (!sc.Eat('{')) return false;
  std::string_view datatype, rtype;
  bool has_content = false;
  for (;;) {
    std::string_view key;
    sc.SkipWs();
    if (!sc.Quote<Q1>() || !sc.String<Q1>(&key) || !sc.Eat(':')) return false;
    sc.SkipWs();
    if (key == "Content" || IEquals(key, "Content")) {
      if (has_content || !sc.Quote<Q1>() || !Content(sc, ParseChannel(datatype.empty() ? rtype : datatype)))
        return false;
      sc.SkipWs();
      if (!sc.Quote<Q1>()) return false;
      has_content = true;
    } else if (key == "DataType" || IEquals(key, "DataType") || IEquals(key, "RType")) {
      std::string_view v;
      if (!sc.Quote<Q1>() || !sc.String<Q1>(&v)) return false;
      (IEquals(key, "DataType") ? datatype : rtype) = v;
    } else {
      return false;
    }
    if (sc.Eat(',')) continue;
    if (sc.Eat('}')) break;
    return false;
  }
  if (!has_content) return false;
  const std::optional<Channel> channel = ParseChannel(datatype.empty() ? rtype : datatype);
  if (!channel) return false;
  *st = BuildEvent(*channel, fields_, false, out);
  return true;
}

bool FastPath::Content(Scanner& sc, std::optional<Channel> channel) {
  fields_.Reset();
  std::size_t pos = 0;
  if (!sc.Eat('{')) return false;
  if (sc.Eat('}')) return true;
  for (;;) {
    sc.SkipWs();
    if (!sc.Quote<Q2>()) return false;
    Field f;
    Guess* guess =
        channel && pos < kMaxPredicted ? &key_order_[static_cast<std::size_t>(*channel)][pos] : nullptr;
    ++pos;
    if (guess && guess->len != 0 && sc.Literal(guess->text, guess->len)) {
      f = guess->field;  // SSI sends a channel's keys in the same order every time
    } else {
      std::string_view key;
      if (!sc.String<Q2>(&key)) return false;
      f = LookupField(key);
      if (guess) guess->Set(f);
    }
    if (!sc.Eat(':')) return false;
    sc.SkipWs();
    if (f != Field::kCount && KindOf(f) == FieldKind::kNumber &&
        (sc.Peek() == '-' || (sc.Peek() >= '0' && sc.Peek() <= '9'))) {
      Fixed4 value;
      if (sc.FastNumber(&value)) {
        fields_.SetNumber(f, value);
        if (sc.Eat(',')) continue;
        if (sc.Eat('}')) return true;
        return false;
      }
    }
    if (sc.Quote<Q2>()) {
      std::string_view v;
      if (!sc.String<Q2>(&v)) return false;
      if (f != Field::kCount && SetFromString(fields_, f, v)) return false;
    } else {
      std::string_view tok;
      if (!sc.Token(&tok)) return false;
      const char c0 = tok.front();
      if ((c0 >= '0' && c0 <= '9') || c0 == '-') {
        // ParseFixed4 accepts only the JSON number grammar, so it validates the token too.
        if (f == Field::kCount ? !IsStrictJsonNumber(tok) : SetFromNumberToken(fields_, f, tok).has_value())
          return false;
      } else if (tok == "null") {
        // absent
      } else if (tok == "true" || tok == "false") {
        if (f != Field::kCount && SetFromOther(f)) return false;
      } else {
        return false;
      }
    }
    if (sc.Eat(',')) continue;
    if (sc.Eat('}')) return true;
    return false;
  }
}

}  // namespace vnt::feed::internal
