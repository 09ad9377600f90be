// The delivery name tables (metrics labels, logs): each value -> name -> value, unknown names refused,
// names unique.

#include <gtest/gtest.h>

#include "common/enum_names_testing.h"
#include "notify/delivery_policy.h"
#include "notify/notifier.h"

namespace vnt::notify {
namespace {

using vnt::testing::EnumRange;
using vnt::testing::ExpectTableRoundTrip;

TEST(NotifyEnumNames, ChannelResultOutcome) {
  ExpectTableRoundTrip(kChannelNames, EnumRange(Channel::kWebhook, Channel::kTelegram));
  ExpectTableRoundTrip(kResultNames, EnumRange(Result::kDelivered, Result::kDropped));
  ExpectTableRoundTrip(kOutcomeNames, EnumRange(Outcome::kDelivered, Outcome::kDropped));
  EXPECT_EQ(ToString(Channel::kTelegram), "telegram");
  EXPECT_EQ(ToString(Result::kRetried), "retried");
  EXPECT_EQ(ToString(Outcome::kGivenUp), "given_up");
}

}  // namespace
}  // namespace vnt::notify
