#include "server/ws_filter.h"

#include <charconv>
#include <vector>

#include "api/json_patch.h"

namespace vnt::server {

namespace {

using Members = std::vector<std::pair<std::string_view, std::string_view>>;

std::string_view Unquote(std::string_view v) {
  return v.size() >= 2 && v.front() == '"' && v.back() == '"' ? v.substr(1, v.size() - 2)
                                                              : std::string_view{};
}

bool Named(const SymbolFilter& names, std::string_view s) {
  return !s.empty() && names.count(std::string(s)) > 0;
}

// The value of member `key` of a compact object ("" when absent or not an object).
std::string_view Member(std::string_view obj, std::string_view key) {
  Members m;
  if (!api::SplitMembers(obj, &m)) return {};
  for (const auto& [k, v] : m)
    if (k == key) return v;
  return {};
}

// An alert is for a client that names its symbol, its contract or its alias.
bool AlertPasses(std::string_view alert, const SymbolFilter& names) {
  Members m;
  if (!api::SplitMembers(alert, &m)) return true;
  for (const auto& [k, v] : m)
    if ((k == "symbol" || k == "contract" || k == "alias") && Named(names, Unquote(v))) return true;
  return false;
}

void AppendMember(std::string_view key, std::string_view value, bool* first, std::string* out) {
  if (!*first) out->push_back(',');
  *first = false;
  out->push_back('"');
  out->append(key);
  out->append("\":");
  out->append(value);
}

// {"ACB":{..},"FPT":{..}} -> only the named keys.
void FilterObjectKeys(std::string_view obj, const SymbolFilter& names, std::string* out) {
  Members m;
  if (!api::SplitMembers(obj, &m)) return out->append(obj), void();
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : m)
    if (Named(names, k)) AppendMember(k, v, &first, out);
  out->push_back('}');
}

// [{..,"symbol":"ACB",..},..] -> only the elements `keep` accepts.
template <typename Keep>
void FilterElements(std::string_view arr, Keep keep, std::string* out) {
  std::vector<std::string_view> e;
  if (!api::SplitElements(arr, &e)) return out->append(arr), void();
  out->push_back('[');
  bool first = true;
  for (std::string_view el : e) {
    if (!keep(el)) continue;
    if (!first) out->push_back(',');
    first = false;
    out->append(el);
  }
  out->push_back(']');
}

}  // namespace

std::optional<std::string> FilterMessage(WsChannel c, std::string_view msg, const SymbolFilter& names) {
  if (names.empty() || c == WsChannel::kIndex) return std::string(msg);
  Members top;
  if (!api::SplitMembers(msg, &top)) return std::string(msg);
  std::string_view type, data;
  for (const auto& [k, v] : top) {
    if (k == "type") type = Unquote(v);
    if (k == "data") data = v;
  }
  if (c == WsChannel::kAlerts && type == "alert") {
    if (!AlertPasses(data, names)) return std::nullopt;
    return std::string(msg);
  }
  Members fields;
  if (data.empty() || !api::SplitMembers(data, &fields)) return std::string(msg);
  std::string out;
  out.reserve(msg.size());
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : top) {
    if (k != "data") {
      AppendMember(k, v, &first, &out);
      continue;
    }
    AppendMember("data", "", &first, &out);
    out.push_back('{');
    bool first_field = true;
    for (const auto& [fk, fv] : fields) {
      AppendMember(fk, "", &first_field, &out);
      if (fk == "symbols" && (c == WsChannel::kMarket || c == WsChannel::kForeign)) {
        FilterObjectKeys(fv, names, &out);
      } else if (fk == "trades" && c == WsChannel::kTrades) {
        FilterElements(
            fv, [&](std::string_view t) { return Named(names, Unquote(Member(t, "symbol"))); }, &out);
      } else if (fk == "alerts" && c == WsChannel::kAlerts) {
        FilterElements(
            fv, [&](std::string_view a) { return AlertPasses(a, names); }, &out);
      } else {
        out.append(fv);
      }
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

bool ReadHead(std::string_view msg, MessageHead* out) {
  *out = MessageHead{};
  // The header members come first; stop before "data" (the bulk of the message).
  const std::size_t data = msg.find(",\"data\":");
  if (data == std::string_view::npos) return false;
  std::string head(msg.substr(0, data));
  head.push_back('}');
  Members m;
  if (!api::SplitMembers(head, &m)) return false;
  auto number = [](std::string_view v, auto* n) {
    return std::from_chars(v.data(), v.data() + v.size(), *n).ec == std::errc{};
  };
  bool has_seq = false;
  for (const auto& [k, v] : m) {
    if (k == "type")
      out->type = std::string(Unquote(v));
    else if (k == "channel")
      out->channel = std::string(Unquote(v));
    else if (k == "seq")
      has_seq = number(v, &out->seq);
    else if (k == "epoch")
      number(v, &out->epoch);
    else if (k == "full")
      out->full = v == "true";
    else if (k == "sent_ms")
      number(v, &out->sent_ms);
  }
  return has_seq && !out->type.empty();
}

}  // namespace vnt::server
