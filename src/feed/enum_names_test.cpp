// The decoder's name tables: each value -> name -> value, unknown names refused, names unique.

#include <gtest/gtest.h>

#include "common/enum_names_testing.h"
#include "feed/decoder.h"

namespace vnt::feed {
namespace {

using vnt::testing::EnumRange;
using vnt::testing::ExpectTableRoundTrip;

TEST(FeedEnumNames, ErrorKind) {
  ExpectTableRoundTrip(kErrorKindNames, EnumRange(ErrorKind::kMalformedJson, ErrorKind::kInvalidValue));
  EXPECT_EQ(ErrorKindName(ErrorKind::kUnknownDataType), "unknown_datatype");
  EXPECT_EQ(ErrorKindName(ErrorKind::kCount), "unknown");
}

TEST(FeedEnumNames, ControlKind) {
  ExpectTableRoundTrip(kControlKindNames, EnumRange(ControlKind::kKeepAlive, ControlKind::kEmpty));
  EXPECT_EQ(ControlKindName(ControlKind::kHubError), "hub_error");
  EXPECT_EQ(ControlKindName(ControlKind::kCount), "unknown");
}

}  // namespace
}  // namespace vnt::feed
