#include "feed/json_path.h"

#include <simdjson.h>

#include <cstring>
#include <optional>
#include <string>

#include "feed/event_builder.h"
#include "feed/fast_path.h"
#include "feed/field_values.h"
#include "feed/lenient_json.h"

namespace vnt::feed::internal {
namespace {

namespace od = simdjson::ondemand;

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

}  // namespace

// The three levels, each with its own parser and padded buffer (a level's views point into its buffer
// while the next level runs).
class JsonPath::Levels {
 public:
  explicit Levels(FastPath& fast) : fields_(fast.fields()), fast_(fast) {}

  void Decode(std::string_view frame, DecodeOutput& out, Mark start) {
    Status st = Envelope(frame, out, false);
    if (st && st->syntax) {
      // Roll back whatever the broken attempt produced, then try the repaired text once.
      Rollback(out, start);
      const RepairStatus rs = RepairJson(frame, &repair_env_);
      if (rs == RepairStatus::kOk) {
        st = Envelope(repair_env_, out, true);
        if (st && st->syntax) st->syntax = false;
      } else {
        st = FromRepair(rs, *st);
      }
    }
    if (st) AddError(out, std::move(*st));
    if (out.errors.size() > start.errors && MaxDepth(frame, kMaxDepth) > kMaxDepth) {
      // Whatever failed, the cause is the nesting: report that one reason.
      out.errors.resize(start.errors);
      out.errors.push_back(
          DecodeError{ErrorKind::kTooDeep, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"});
    }
  }

 private:
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
        Status st;
        if (fast_.Argument(arg.substr(1, arg.size() - 2), out, &st)) return st;
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
        if (Status st = SetFromNumberToken(fields_, f, v.raw_json_token())) return st;
      } else if (type == od::json_type::string) {
        std::string_view str;
        if (auto e = v.get_string().get(str)) return FromSimdjson(e, "Content");
        if (Status st = SetFromString(fields_, f, str)) return st;
      } else if (Status st = SetFromOther(f)) {
        return st;
      }
    }
    if (!AtEnd(doc)) return Fail{ErrorKind::kMalformedJson, "Content: trailing content", true};
    return BuildEvent(channel, fields_, repaired, out);
  }

  FieldSet& fields_;
  FastPath& fast_;
  od::parser env_, payload_, content_, strings_;
  PaddedBuffer env_buf_, payload_buf_, content_buf_, string_buf_;
  std::string repair_env_, repair_payload_, repair_content_;
  std::string method_, completion_id_, completion_error_;
};

JsonPath::JsonPath(FastPath& fast) : levels_(std::make_unique<Levels>(fast)) {}
JsonPath::~JsonPath() = default;

void JsonPath::Decode(std::string_view frame, DecodeOutput& out, Mark start) {
  levels_->Decode(frame, out, start);
}

}  // namespace vnt::feed::internal
