#include "feed/events.h"

namespace vnt::feed {

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kTrade:
      return "X-TRADE";
    case Channel::kQuote:
      return "X-QUOTE";
    case Channel::kSnapshot:
      return "X";
    case Channel::kForeign:
      return "R";
    case Channel::kIndex:
      return "MI";
    case Channel::kStatus:
      return "F";
    case Channel::kBar:
      return "B";
    case Channel::kOddLot:
      return "OL";
    case Channel::kQuote2021:
      return "Quote";
    case Channel::kTrade2021:
      return "Trade";
    case Channel::kCount:
      break;
  }
  return "";
}

}  // namespace vnt::feed
