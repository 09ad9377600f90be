#include "feed/decoder.h"

#include <simdjson.h>

#include <cstring>
#include <optional>

#include "feed/fields.h"
#include "feed/lenient_json.h"
#include "feed/number.h"

namespace vnt::feed {

namespace od = simdjson::ondemand;

std::string_view ErrorKindName(ErrorKind k) {
  return kErrorKindNames.Name(k, "unknown");
}

std::string_view ControlKindName(ControlKind k) {
  return kControlKindNames.Name(k, "unknown");
}

namespace {

std::string_view TrimWs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<Channel> ParseChannel(std::string_view s) {
  // The spellings SSI uses, compared exactly first (cheap; the common ones lead the table), then trimmed and
  // in any case.
  if (const auto c = core::kChannelNames.Parse(s)) return c;
  return core::kChannelNames.Parse(TrimWs(s), NameCase::kInsensitive);
}

// A failure inside one level of the frame. `syntax` marks JSON syntax failures, the only ones that
// RepairJson may fix.
struct Fail {
  ErrorKind kind;
  std::string detail;
  bool syntax = false;
};
using Status = std::optional<Fail>;

Fail FromSimdjson(simdjson::error_code e, const char* where) {
  switch (e) {
    case simdjson::UTF8_ERROR:
      return Fail{ErrorKind::kInvalidUtf8, std::string(where) + ": invalid UTF-8"};
    case simdjson::DEPTH_ERROR:
      return Fail{ErrorKind::kTooDeep, std::string(where) + ": nesting too deep"};
    case simdjson::CAPACITY:
      return Fail{ErrorKind::kTooLarge, std::string(where) + ": document too large"};
    case simdjson::INCORRECT_TYPE:
      return Fail{ErrorKind::kWrongType, std::string(where) + ": " + simdjson::error_message(e), true};
    default:
      break;
  }
  return Fail{ErrorKind::kMalformedJson, std::string(where) + ": " + simdjson::error_message(e), true};
}

Fail FromRepair(RepairStatus st, const Fail& original) {
  switch (st) {
    case RepairStatus::kTruncated:
      return Fail{ErrorKind::kTruncated, original.detail + " (document is truncated)"};
    case RepairStatus::kTooDeep:
      return Fail{ErrorKind::kTooDeep, "nesting too deep"};
    default:
      break;
  }
  return Fail{ErrorKind::kMalformedJson, original.detail};
}

// True when text starts like a JSON array, string or number (a valid document that is not an object),
// as opposed to plain garbage.
bool LooksLikeJsonValue(std::string_view text) {
  text = TrimWs(text);
  if (text.empty()) return false;
  const char c = text.front();
  return c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9');
}

// Deepest nesting of [ and { outside strings, stopping early past `limit`. Only run on frames that
// already failed: simdjson's On-Demand API does not check depth while skipping values.
int MaxDepth(std::string_view s, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth && (max_depth = depth) > limit) return max_depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}
constexpr int kMaxDepth = 64;

// True when nothing but whitespace follows the top-level value that was just consumed.
bool AtEnd(od::document& doc) {
  const char* loc = nullptr;
  return doc.current_location().get(loc) == simdjson::OUT_OF_BOUNDS;
}

// A reusable buffer with simdjson's required padding after the data.
class PaddedBuffer {
 public:
  const char* Load(std::string_view s) {
    const std::size_t need = s.size() + simdjson::SIMDJSON_PADDING;
    if (need > cap_) {
      cap_ = need * 2;
      data_.reset(new char[cap_]);
    }
    if (!s.empty()) std::memcpy(data_.get(), s.data(), s.size());
    std::memset(data_.get() + s.size(), 0, simdjson::SIMDJSON_PADDING);
    size_ = s.size();
    return data_.get();
  }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return cap_; }
  const char* data() const { return data_.get(); }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t cap_ = 0;
  std::size_t size_ = 0;
};

// Byte classes for the fast path, one table lookup per byte.
enum : std::uint8_t { kPlain = 0, kStop = 1, kBad = 2 };
struct ByteClasses {
  std::uint8_t string_class[256];  // inside a string: stop at '\\' or '"', reject control bytes
  bool token_end[256];             // end of a number or literal
  constexpr ByteClasses() : string_class(), token_end() {
    for (int c = 0; c < 0x20; ++c) string_class[c] = kBad;
    string_class[static_cast<unsigned char>('\\')] = kStop;
    string_class[static_cast<unsigned char>('"')] = kStop;
    for (char c : {',', '}', ']', '{', '[', ' ', '\t', '\\', '"', ':', '\n', '\r'})
      token_end[static_cast<unsigned char>(c)] = true;
    token_end[0] = true;
  }
};
constexpr ByteClasses kBytes;

// How a quote is written at each escape level of the wire format: the frame's own strings (Q0), the
// Broadcast payload inside A[0] (Q1: \"), and Content inside the payload (Q2: \\\", escaped twice).
struct Q0 {
  static constexpr char kText[] = "\"";
  static constexpr std::size_t kLen = 1;
};
struct Q1 {
  static constexpr char kText[] = "\\\"";
  static constexpr std::size_t kLen = 2;
};
struct Q2 {
  static constexpr char kText[] = "\\\\\\\"";
  static constexpr std::size_t kLen = 4;
};

// Cursor over text for the fast path. Every method returns false rather than guess.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  void SkipWs() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;  // the wire has none: one compare
  }
  bool Eat(char c) {
    SkipWs();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  // The quote of escape level Q at the cursor; a fixed-size compare the compiler turns into one load.
  template <typename Q>
  bool Quote() {
    if (s_.size() - i_ < Q::kLen) return false;
    if constexpr (Q::kLen == 1) {
      if (s_[i_] != Q::kText[0]) return false;
    } else if constexpr (Q::kLen == 2) {
      if (s_[i_] != Q::kText[0] || s_[i_ + 1] != Q::kText[1]) return false;
    } else {
      static_assert(Q::kLen == 4);
      std::uint32_t a, b;
      std::memcpy(&a, s_.data() + i_, 4);
      std::memcpy(&b, Q::kText, 4);
      if (a != b) return false;
    }
    i_ += Q::kLen;
    return true;
  }
  // Plain characters up to the closing quote q (escape level of the caller): no escapes inside, no
  // control characters; the first backslash or '"' must start q.
  template <typename Q>
  bool String(std::string_view* out) {
    // Local cursor: writing i_ back on every byte would stop the compiler from keeping it in a register.
    const std::size_t start = i_;
    const std::size_t n = s_.size();
    const char* d = s_.data();
    std::size_t i = start;
    // Eight bytes at a time (SWAR): skip words holding no '\\', no '"' and no control byte.
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, d + i, 8);
      const std::uint64_t bs = w ^ (kOnes * '\\'), qt = w ^ (kOnes * '"');
      const std::uint64_t special =
          (((bs - kOnes) & ~bs) | ((qt - kOnes) & ~qt) | ((w - kOnes * 0x20) & ~w)) & kHigh;
      if (special != 0) {
        // The lowest flagged byte is a real one (borrows only move upwards).
        i += static_cast<std::size_t>(__builtin_ctzll(special) >> 3);
        if (static_cast<unsigned char>(d[i]) < 0x20) return false;
        *out = s_.substr(start, i - start);
        i_ = i;
        return Quote<Q>();
      }
      i += 8;
    }
    while (i < n) {
      const std::uint8_t cls = kBytes.string_class[static_cast<unsigned char>(d[i])];
      if (cls == kPlain) {
        ++i;
        continue;
      }
      if (cls == kBad) return false;
      *out = s_.substr(start, i - start);
      i_ = i;
      return Quote<Q>();
    }
    return false;
  }
  // True (and past it) when the text at the cursor is exactly `lit` (a predicted key followed by its
  // closing quote). Compares eight bytes at a time; `lit` is zero-padded to a multiple of 8.
  bool Literal(const char* lit, std::size_t len) {
    const std::size_t n = s_.size();
    if (n - i_ < len) return false;
    const char* d = s_.data() + i_;
    if (n - i_ < ((len + 7) & ~std::size_t{7})) return std::memcmp(d, lit, len) == 0 && (i_ += len, true);
    for (std::size_t k = 0; k < len; k += 8) {
      std::uint64_t a, b;
      std::memcpy(&a, d + k, 8);
      std::memcpy(&b, lit + k, 8);
      const std::size_t r = len - k;
      if (r < 8) a &= (std::uint64_t{1} << (8 * r)) - 1;
      if (a != b) return false;
    }
    i_ += len;
    return true;
  }
  // A number of the fast form (see ParseFixed4Prefix) at the cursor.
  bool FastNumber(Fixed4* out) {
    const char* p = s_.data() + i_;
    const char* e = ParseFixed4Prefix(p, s_.data() + s_.size(), out);
    if (!e) return false;
    i_ += static_cast<std::size_t>(e - p);
    return true;
  }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  // A bare token (number or literal) up to a delimiter.
  bool Token(std::string_view* out) {
    const std::size_t start = i_;
    const std::size_t n = s_.size();
    const char* d = s_.data();
    std::size_t i = start;
    while (i < n && !kBytes.token_end[static_cast<unsigned char>(d[i])]) ++i;
    i_ = i;
    *out = s_.substr(start, i - start);
    return !out->empty();
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

class Decoder::Impl {
 public:
  explicit Impl(DecoderStats& stats) : stats_(stats) {}

  void DecodeFrame(std::string_view frame, DecodeOutput& out) {
    const std::size_t ev0 = out.events.size(), c0 = out.controls.size(), e0 = out.errors.size();
    Decode(frame, out, ev0, c0, e0);
    for (std::size_t i = ev0; i < out.events.size(); ++i) {
      const vnt::core::Header& h = HeaderOf(out.events[i]);
      ++stats_.events[static_cast<std::size_t>(h.channel)];
      if (h.repaired) ++stats_.repaired;
    }
    for (std::size_t i = c0; i < out.controls.size(); ++i)
      ++stats_.controls[static_cast<std::size_t>(out.controls[i].kind)];
    for (std::size_t i = e0; i < out.errors.size(); ++i)
      ++stats_.errors[static_cast<std::size_t>(out.errors[i].kind)];
  }

 private:
  void Rollback(DecodeOutput& out, std::size_t ev0, std::size_t c0, std::size_t e0) {
    out.events.resize(ev0);
    out.controls.resize(c0);
    out.errors.resize(e0);
  }

  void Decode(std::string_view frame, DecodeOutput& out, std::size_t ev0, std::size_t c0, std::size_t e0) {
    if (FastFrame(frame, out)) return;
    Rollback(out, ev0, c0, e0);
    Status st = Envelope(frame, out, false);
    if (st && st->syntax) {
      // Roll back whatever the broken attempt produced, then try the repaired text once.
      Rollback(out, ev0, c0, e0);
      const RepairStatus rs = RepairJson(frame, &repair_env_);
      if (rs == RepairStatus::kOk) {
        st = Envelope(repair_env_, out, true);
        if (st && st->syntax) st->syntax = false;
      } else {
        st = FromRepair(rs, *st);
      }
    }
    if (st) AddError(out, std::move(*st));
    if (out.errors.size() > e0 && MaxDepth(frame, kMaxDepth) > kMaxDepth) {
      // Whatever failed, the cause is the nesting: report that one reason.
      out.errors.resize(e0);
      out.errors.push_back(
          DecodeError{ErrorKind::kTooDeep, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"});
    }
  }

  void AddError(DecodeOutput& out, Fail f) { out.errors.push_back(DecodeError{f.kind, std::move(f.detail)}); }
  void AddControl(DecodeOutput& out, ControlKind k, std::string_view id, std::string_view msg) {
    out.controls.push_back(ControlEvent{k, std::string(id), std::string(msg)});
  }

  // ---- level 1: the SignalR frame (or a bare Broadcast argument) ----
  Status Envelope(std::string_view text, DecodeOutput& out, bool repaired) {
    const char* buf = env_buf_.Load(text);
    od::document doc;
    if (auto e = env_.iterate(buf, text.size(), env_buf_.capacity()).get(doc))
      return FromSimdjson(e, "frame");
    od::object obj;
    if (auto e = doc.get_object().get(obj)) {
      if (e == simdjson::INCORRECT_TYPE && LooksLikeJsonValue(text))
        return Fail{ErrorKind::kNotAnObject, "frame is not a JSON object"};
      return FromSimdjson(e, "frame");
    }
    bool any_field = false, has_m = false, init = false, reconnect = false, has_i = false;
    std::string_view cursor, completion_id, completion_error;
    std::size_t messages = 0;
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return FromSimdjson(e, "frame");
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return FromSimdjson(e, "frame key");
      od::value v = field.value();
      if (!any_field) {
        any_field = true;
        // A bare Broadcast argument: {"DataType":..,"Content":..}.
        if (IEquals(key, "DataType") || IEquals(key, "Content") || IEquals(key, "RType")) {
          return Payload(text, out, repaired);
        }
      }
      if (key == "C" || key == "c") {
        if (v.get_string().get(cursor)) cursor = {};
      } else if (key == "S" || key == "s") {
        std::int64_t s = 0;
        if (!v.get_int64().get(s)) init = s == 1;
      } else if (key == "T" || key == "t") {
        std::int64_t t = 0;
        if (!v.get_int64().get(t)) reconnect = t == 1;
      } else if (key == "I" || key == "i") {
        has_i = true;
        od::json_type type;
        if (auto e = v.type().get(type)) return FromSimdjson(e, "completion id");
        if (type == od::json_type::string) {
          if (auto e = v.get_string().get(completion_id)) return FromSimdjson(e, "completion id");
          completion_id_.assign(completion_id);
        } else {
          std::string_view tok = TrimWs(v.raw_json_token());
          completion_id_.assign(tok);
        }
      } else if (key == "E" || key == "e") {
        if (!v.get_string().get(completion_error)) completion_error_.assign(completion_error);
      } else if (key == "M" || key == "m") {
        od::json_type type;
        if (auto e = v.type().get(type)) return FromSimdjson(e, "frame M");
        if (type == od::json_type::string)
          return Fail{ErrorKind::kUnknownFrame, "client hub invocation, not a server frame"};
        if (type != od::json_type::array) return Fail{ErrorKind::kUnknownFrame, "M is not an array"};
        has_m = true;
        od::array arr;
        if (auto e = v.get_array().get(arr)) return FromSimdjson(e, "frame M");
        for (auto item_result : arr) {
          od::value item;
          if (auto e = std::move(item_result).get(item)) return FromSimdjson(e, "frame M");
          ++messages;
          if (Status st = HubMessage(item, out, repaired)) {
            if (st->syntax) return st;      // the frame itself is broken: repair or fail it whole
            AddError(out, std::move(*st));  // this message failed; the others still count
          }
        }
      }
      // "G" (groups token), "R" (completion result) and unknown keys carry nothing we use.
    }
    if (!AtEnd(doc))
      return Fail{ErrorKind::kMalformedJson, "frame: trailing content after the JSON object", true};
    if (!any_field) {
      AddControl(out, ControlKind::kKeepAlive, {}, {});
    } else if (has_i) {
      AddControl(out, ControlKind::kCompletion, completion_id_, completion_error_);
      completion_id_.clear();
      completion_error_.clear();
    } else if (has_m) {
      if (init) {
        AddControl(out, ControlKind::kInit, cursor, {});
      } else if (reconnect) {
        AddControl(out, ControlKind::kReconnected, cursor, {});
      } else if (messages == 0) {
        AddControl(out, ControlKind::kEmpty, cursor, {});
      }
    } else {
      return Fail{ErrorKind::kUnknownFrame, "JSON object is neither a SignalR frame nor a Broadcast payload"};
    }
    return std::nullopt;
  }

  // ---- one entry of M: {"H":hub,"M":method,"A":[arg, ...]} ----
  Status HubMessage(od::value& item, DecodeOutput& out, bool repaired) {
    od::object msg;
    if (auto e = item.get_object().get(msg)) {
      if (e == simdjson::INCORRECT_TYPE)
        return Fail{ErrorKind::kUnknownFrame, "hub message is not an object"};
      return FromSimdjson(e, "frame M entry");
    }
    std::string_view method, arg;
    bool arg_is_string = false, has_arg = false;
    for (auto field_result : msg) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return FromSimdjson(e, "frame M entry");
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return FromSimdjson(e, "frame M entry");
      od::value v = field.value();
      if (key == "M" || key == "m") {
        if (v.get_string().get(method)) return Fail{ErrorKind::kUnknownMethod, "hub method is not a string"};
        method_.assign(method);
      } else if (key == "A" || key == "a") {
        od::array args;
        if (auto e = v.get_array().get(args)) {
          if (e == simdjson::INCORRECT_TYPE)
            return Fail{ErrorKind::kBadPayload, "hub arguments are not an array"};
          return FromSimdjson(e, "frame M entry");
        }
        for (auto a_result : args) {
          od::value a;
          if (auto e = std::move(a_result).get(a)) return FromSimdjson(e, "frame M entry");
          if (has_arg) continue;  // only the first argument is used
          od::json_type type;
          if (auto e = a.type().get(type)) return FromSimdjson(e, "frame M entry");
          if (type == od::json_type::string) {
            arg = TrimWs(a.raw_json_token());  // still escaped, with its quotes
            if (arg.size() < 2 || arg.front() != '"' || arg.back() != '"')
              return Fail{ErrorKind::kMalformedJson, "frame: bad string", true};
            has_arg = arg_is_string = true;
          } else if (type == od::json_type::object) {
            od::object o;
            if (auto e = a.get_object().get(o)) return FromSimdjson(e, "frame M entry");
            if (auto e = o.raw_json().get(arg)) return FromSimdjson(e, "frame M entry");
            has_arg = true;
          } else {
            return Fail{ErrorKind::kBadPayload, "Broadcast argument is neither a string nor an object"};
          }
        }
      }
      // "H": the hub name is not checked (SSI clients send it in any case).
    }
    const bool broadcast = IEquals(method_, "Broadcast");
    if (!broadcast && !IEquals(method_, "Error")) {
      return Fail{ErrorKind::kUnknownMethod, "unknown hub method '" + method_ + "'"};
    }
    if (broadcast && !has_arg) return Fail{ErrorKind::kBadPayload, "Broadcast without an argument"};
    if (arg_is_string) {
      if (broadcast && !repaired) {
        // The wire format (double-encoded JSON) is read in place; anything unusual goes the general way.
        Scanner sc(arg.substr(1, arg.size() - 2));
        Status st;
        if (FastPayload(sc, out, &st)) {
          sc.SkipWs();
          if (sc.AtEnd()) return st;
          return Fail{ErrorKind::kMalformedJson, "Broadcast argument: trailing content"};
        }
      }
      if (Status st = Unescape(arg, &arg)) return st;
    }
    if (broadcast) return Payload(arg, out, repaired);
    AddControl(out, ControlKind::kHubError, {}, arg);
    return std::nullopt;
  }

  // Unescapes a JSON string token ("..." with its quotes) with simdjson; the view lives until the next call.
  Status Unescape(std::string_view token, std::string_view* out) {
    const char* buf = string_buf_.Load(token);
    od::document doc;
    if (auto e = strings_.iterate(buf, token.size(), string_buf_.capacity()).get(doc))
      return FromSimdjson(e, "frame");
    if (auto e = doc.get_string().get(*out)) return FromSimdjson(e, "frame");
    return std::nullopt;
  }

  // ---- the fast path: payload and Content read straight from the escaped Broadcast argument ----
  // In A[0] the payload's quotes are written \" and Content's quotes \\\" (escaped twice). The
  // scanner accepts only plain strict JSON of exactly that shape (no escapes inside strings, no line
  // breaks) and returns nullopt for anything else, which the general path then decodes or rejects.

  // The whole SignalR data frame {"C":"..","M":[{"H":..,"M":"Broadcast","A":["<payload>"]},..]} read in
  // place, without simdjson's passes. Returns false (after which the caller rolls back and uses the
  // general path) for any other shape: control frames, escapes, line breaks, other key sets.
  bool FastFrame(std::string_view frame, DecodeOutput& out) {
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
          if (!FastHubMessage(sc, out)) return false;
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

  bool FastHubMessage(Scanner& sc, DecodeOutput& out) {
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
        if (!sc.Quote<Q0>() || !FastPayload(sc, out, &st)) return false;
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
  bool FastPayload(Scanner& sc, DecodeOutput& out, Status* st) {
    if (!sc.Eat('{')) return false;
    std::string_view datatype, rtype;
    bool has_content = false;
    for (;;) {
      std::string_view key;
      sc.SkipWs();
      if (!sc.Quote<Q1>() || !sc.String<Q1>(&key) || !sc.Eat(':')) return false;
      sc.SkipWs();
      if (key == "Content" || IEquals(key, "Content")) {
        if (has_content || !sc.Quote<Q1>() ||
            !FastContent(sc, ParseChannel(datatype.empty() ? rtype : datatype)))
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
    *st = Build(*channel, out, false);
    return true;
  }

  bool FastContent(Scanner& sc, std::optional<Channel> channel) {
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
        if (f != Field::kCount && SetFromString(f, v)) return false;
      } else {
        std::string_view tok;
        if (!sc.Token(&tok)) return false;
        const char c0 = tok.front();
        if ((c0 >= '0' && c0 <= '9') || c0 == '-') {
          // ParseFixed4 accepts only the JSON number grammar, so it validates the token too.
          if (f == Field::kCount ? !IsStrictJsonNumber(tok) : SetFromNumberToken(f, tok).has_value())
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

  // ---- level 2: {"DataType":..,"Content":"<json>" | {...}} ----
  Status Payload(std::string_view text, DecodeOutput& out, bool repaired) {
    Status st = PayloadOnce(text, out, repaired);
    if (st && st->syntax) {
      const RepairStatus rs = RepairJson(text, &repair_payload_);
      if (rs != RepairStatus::kOk) return FromRepair(rs, *st);
      st = PayloadOnce(repair_payload_, out, true);
      if (st) st->syntax = false;
    }
    return st;
  }

  Status PayloadOnce(std::string_view text, DecodeOutput& out, bool repaired) {
    const char* buf = payload_buf_.Load(text);
    od::document doc;
    if (auto e = payload_.iterate(buf, text.size(), payload_buf_.capacity()).get(doc))
      return FromSimdjson(e, "payload");
    od::object obj;
    if (auto e = doc.get_object().get(obj)) {
      if (e == simdjson::INCORRECT_TYPE) return Fail{ErrorKind::kNotAnObject, "payload is not a JSON object"};
      return FromSimdjson(e, "payload");
    }
    std::string_view datatype, rtype, content;
    bool has_content = false;
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return FromSimdjson(e, "payload");
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return FromSimdjson(e, "payload");
      od::value v = field.value();
      if (IEquals(key, "DataType")) {
        if (v.get_string().get(datatype)) return Fail{ErrorKind::kWrongType, "DataType is not a string"};
      } else if (IEquals(key, "RType")) {
        if (v.get_string().get(rtype)) rtype = {};
      } else if (IEquals(key, "Content")) {
        od::json_type type;
        if (auto e = v.type().get(type)) return FromSimdjson(e, "payload");
        if (type == od::json_type::string) {
          if (auto e = v.get_string().get(content)) return FromSimdjson(e, "payload");
        } else if (type == od::json_type::object) {
          od::object o;
          if (auto e = v.get_object().get(o)) return FromSimdjson(e, "payload");
          if (auto e = o.raw_json().get(content)) return FromSimdjson(e, "payload");
        } else {
          return Fail{ErrorKind::kBadPayload, "Content is neither a JSON string nor an object"};
        }
        has_content = true;
      }
    }
    if (!AtEnd(doc)) return Fail{ErrorKind::kMalformedJson, "payload: trailing content", true};
    if (!has_content) return Fail{ErrorKind::kBadPayload, "payload has no Content"};
    std::string_view name = datatype.empty() ? rtype : datatype;
    if (name.empty()) return Fail{ErrorKind::kUnknownDataType, "payload has no DataType"};
    const std::optional<Channel> channel = ParseChannel(name);
    if (!channel) return Fail{ErrorKind::kUnknownDataType, "unknown DataType '" + std::string(name) + "'"};
    return Content(*channel, content, out, repaired);
  }

  // ---- level 3: the flat Content object ----
  Status Content(Channel channel, std::string_view text, DecodeOutput& out, bool repaired) {
    Status st = ContentOnce(channel, text, out, repaired);
    if (st && st->syntax) {
      const RepairStatus rs = RepairJson(text, &repair_content_);
      if (rs != RepairStatus::kOk) return FromRepair(rs, *st);
      st = ContentOnce(channel, repair_content_, out, true);
      if (st) st->syntax = false;
    }
    return st;
  }

  Status ContentOnce(Channel channel, std::string_view text, DecodeOutput& out, bool repaired) {
    const char* buf = content_buf_.Load(text);
    od::document doc;
    if (auto e = content_.iterate(buf, text.size(), content_buf_.capacity()).get(doc))
      return FromSimdjson(e, "Content");
    od::object obj;
    if (auto e = doc.get_object().get(obj)) {
      if (e == simdjson::INCORRECT_TYPE) return Fail{ErrorKind::kNotAnObject, "Content is not a JSON object"};
      return FromSimdjson(e, "Content");
    }
    fields_.Reset();
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return FromSimdjson(e, "Content");
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return FromSimdjson(e, "Content");
      const Field f = LookupField(key);
      od::value v = field.value();
      od::json_type type;
      if (auto e = v.type().get(type)) return FromSimdjson(e, "Content");
      if (f == Field::kCount) {
        // Unused key: still validate scalars so that syntax errors are not skipped over.
        if (type == od::json_type::number || type == od::json_type::boolean || type == od::json_type::null) {
          std::string_view tok = v.raw_json_token();
          if (tok.empty()) return Fail{ErrorKind::kMalformedJson, "Content: bad value", true};
        }
        continue;
      }
      if (type == od::json_type::null) continue;  // null = absent
      if (type == od::json_type::number) {
        if (Status st = SetFromNumberToken(f, v.raw_json_token())) return st;
      } else if (type == od::json_type::string) {
        std::string_view str;
        if (auto e = v.get_string().get(str)) return FromSimdjson(e, "Content");
        if (Status st = SetFromString(f, str)) return st;
      } else if (Status st = SetFromOther(f)) {
        return st;
      }
    }
    if (!AtEnd(doc)) return Fail{ErrorKind::kMalformedJson, "Content: trailing content", true};
    return Build(channel, out, repaired);
  }

  // ---- one Content value into the field set (shared by the fast and the general path) ----
  Status SetFromNumberToken(Field f, std::string_view tok) {
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
    fields_.SetNumber(f, value);
    return std::nullopt;
  }
  Status SetFromString(Field f, std::string_view str) {
    if (KindOf(f) == FieldKind::kString) {
      fields_.SetString(f, str);
      return std::nullopt;
    }
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
    fields_.SetNumber(f, value);
    return std::nullopt;
  }
  // A boolean, object or array where a known field belongs.
  Status SetFromOther(Field f) {
    if (IsDecorative(f)) return std::nullopt;
    return Fail{ErrorKind::kWrongType,
                std::string(FieldName(f)) +
                    (KindOf(f) == FieldKind::kNumber ? " is not a number" : " is not a string")};
  }
  // Fields we only display: tolerate other types there rather than reject the whole event.
  static bool IsDecorative(Field f) {
    return f == Field::kSide || f == Field::kTradingStatus || f == Field::kRType || f == Field::kIsin;
  }

  // ---- fields -> typed event ----
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
  Status GetInt(Field f, std::optional<std::int64_t>* out) {
    std::optional<Fixed4> v;
    if (Status st = NonNegative(f, &v)) return st;
    if (v) *out = v->RoundToInt();
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
  Status GetIntEither(Field a, Field b, std::optional<std::int64_t>* out) {
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
        std::optional<std::int64_t> v;
        if (Status st = GetPrice(static_cast<Field>(static_cast<int>(price0) + i), &p)) return st;
        if (Status st = GetInt(static_cast<Field>(static_cast<int>(vol0) + i), &v)) return st;
        const Price price = p.value_or(Price{});
        const Volume vol = v.value_or(0);
        if (price.IsZero() && vol == 0) continue;  // empty level
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

  DecoderStats& stats_;
  od::parser env_, payload_, content_, strings_;
  PaddedBuffer env_buf_, payload_buf_, content_buf_, string_buf_;
  std::string repair_env_, repair_payload_, repair_content_;
  std::string method_, completion_id_, completion_error_;
  FieldSet fields_;
  static constexpr std::size_t kMaxPredicted = 64;
  // The key expected at one position of a channel's Content: its name followed by the closing quote as
  // written in the Broadcast argument (\\\"), zero-padded for Scanner::Literal. len 0 = no guess.
  struct Guess {
    Field field = Field::kCount;
    std::size_t len = 0;
    alignas(8) char text[32] = {};
    void Set(Field f) {
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
  };
  std::array<std::array<Guess, kMaxPredicted>, static_cast<std::size_t>(Channel::kCount)> key_order_{};
};

Decoder::Decoder() : impl_(std::make_unique<Impl>(stats_)) {}
Decoder::~Decoder() = default;

bool Decoder::Decode(std::string_view frame, DecodeOutput& out) {
  ++stats_.frames;
  const std::size_t errors_before = out.errors.size();
  if (frame.size() > kMaxFrameBytes) {
    ++stats_.errors[static_cast<std::size_t>(ErrorKind::kTooLarge)];
    out.errors.push_back(
        DecodeError{ErrorKind::kTooLarge, "frame of " + std::to_string(frame.size()) + " bytes"});
  } else {
    impl_->DecodeFrame(frame, out);
  }
  const bool ok = out.errors.size() == errors_before;
  if (!ok) ++stats_.frames_failed;
  return ok;
}

}  // namespace vnt::feed
