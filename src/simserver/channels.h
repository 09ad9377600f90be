#pragma once
// SwitchChannels channel specs and per-connection subscriptions (fastconnect-v2.md §3.5), without I/O.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/events.h"

namespace vnt::simserver {

// The DataTypes (core::Channel, the vocabulary shared with the decoder and the simulator).
using core::Channel;
using core::ChannelName;  // "X-TRADE", "MI", ...
// "X-TRADE", "x-quote", " MI " ... -> Channel (case-insensitive, spaces trimmed); nullopt when unknown or
// not a FastConnect v2 channel (the 2021 "Quote"/"Trade" names cannot be subscribed to).
std::optional<Channel> ChannelOf(std::string_view data_type);

// One "TYPE:SYM1-SYM2" or "TYPE:ALL".
struct ChannelSpec {
  Channel channel = Channel::kSnapshot;
  bool all = false;
  std::set<std::string> symbols;  // upper-cased tickers, KRX futures codes or index ids
};
// "X-TRADE:ACB-FPT,MI:VN30, r : all" -> specs; an error (kInvalidArgument, field "channels") naming the bad
// part.
Result<std::vector<ChannelSpec>> ParseChannels(std::string_view arg);

// What one connection receives.
class Subscription {
 public:
  // Applies one SwitchChannels call. Additive (replace_all false): each type named in `specs` gets the new
  // list and the other types keep theirs. replace_all: the call replaces the whole subscription.
  void Switch(const std::vector<ChannelSpec>& specs, bool replace_all);
  // True when a frame of channel c about `symbol` (any case) is wanted.
  bool Matches(Channel c, std::string_view symbol) const;
  bool empty() const;
  // "MI:VN30,X-TRADE:ALL" (for logs).
  std::string Describe() const;

 private:
  std::optional<ChannelSpec> by_channel_[static_cast<int>(Channel::kCount)];
};

}  // namespace vnt::simserver
