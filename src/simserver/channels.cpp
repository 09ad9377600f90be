#include "simserver/channels.h"

#include <algorithm>

#include "simserver/ascii.h"

namespace vnt::simserver {

namespace {

// The channels SwitchChannels accepts (fastconnect-v2.md §3.5).
constexpr Channel kSubscribable[] = {Channel::kStatus, Channel::kSnapshot, Channel::kQuote,
                                     Channel::kTrade,  Channel::kForeign,  Channel::kIndex,
                                     Channel::kBar,    Channel::kOddLot};

}  // namespace

std::optional<Channel> ChannelOf(std::string_view data_type) {
  const auto c = core::kChannelNames.Parse(TrimSpaces(data_type), NameCase::kInsensitive);
  if (!c || std::find(std::begin(kSubscribable), std::end(kSubscribable), *c) == std::end(kSubscribable)) {
    return std::nullopt;
  }
  return c;
}

Result<std::vector<ChannelSpec>> ParseChannels(std::string_view arg) {
  const auto bad = [](std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message), "channels"};
  };
  std::vector<ChannelSpec> out;
  for (;;) {
    const auto comma = arg.find(',');
    const std::string_view part = TrimSpaces(arg.substr(0, comma));
    if (!part.empty()) {
      const auto colon = part.find(':');
      if (colon == std::string_view::npos) {
        return bad("Invalid channel '" + std::string(part) + "': expected TYPE:SYMBOLS");
      }
      const auto channel = ChannelOf(part.substr(0, colon));
      if (!channel) {
        return bad("Invalid channel type '" + std::string(TrimSpaces(part.substr(0, colon))) + "'");
      }
      ChannelSpec spec;
      spec.channel = *channel;
      std::string_view list = TrimSpaces(part.substr(colon + 1));
      if (IEquals(list, "ALL")) {
        spec.all = true;
      } else {
        for (;;) {
          const auto dash = list.find('-');
          const std::string_view sym = TrimSpaces(list.substr(0, dash));
          if (sym.empty() || sym.size() > Symbol::kMax) {
            return bad("Invalid symbol list in channel '" + std::string(part) + "'");
          }
          spec.symbols.insert(AsciiUpper(sym));
          if (dash == std::string_view::npos) break;
          list.remove_prefix(dash + 1);
        }
      }
      out.push_back(std::move(spec));
    }
    if (comma == std::string_view::npos) break;
    arg.remove_prefix(comma + 1);
  }
  if (out.empty()) {
    return bad("Invalid channel: empty");
  }
  return out;
}

void Subscription::Switch(const std::vector<ChannelSpec>& specs, bool replace_all) {
  if (replace_all) {
    for (auto& slot : by_channel_) slot.reset();
  }
  std::optional<ChannelSpec> fresh[static_cast<int>(Channel::kCount)];
  for (const ChannelSpec& s : specs) {
    auto& slot = fresh[static_cast<int>(s.channel)];
    if (!slot) {
      slot = s;
    } else {  // several specs of one type in one call add up
      slot->all = slot->all || s.all;
      slot->symbols.insert(s.symbols.begin(), s.symbols.end());
    }
  }
  for (int i = 0; i < static_cast<int>(Channel::kCount); ++i) {
    if (fresh[i]) by_channel_[i] = std::move(fresh[i]);
  }
}

bool Subscription::Matches(Channel c, std::string_view symbol) const {
  const auto& slot = by_channel_[static_cast<int>(c)];
  if (!slot) return false;
  return slot->all || slot->symbols.count(AsciiUpper(symbol)) > 0;
}

bool Subscription::empty() const {
  return std::none_of(std::begin(by_channel_), std::end(by_channel_),
                      [](const auto& s) { return s.has_value(); });
}

std::string Subscription::Describe() const {
  std::string out;
  for (const auto& slot : by_channel_) {
    if (!slot) continue;
    if (!out.empty()) out += ',';
    out += std::string(ChannelName(slot->channel)) + ":";
    if (slot->all) {
      out += "ALL";
      continue;
    }
    bool first = true;
    for (const std::string& s : slot->symbols) {
      out += (first ? "" : "-") + s;
      first = false;
    }
  }
  return out.empty() ? "nothing" : out;
}

}  // namespace vnt::simserver
