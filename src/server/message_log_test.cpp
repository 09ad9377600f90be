#include "server/message_log.h"

#include <gtest/gtest.h>

namespace vnt::server {
namespace {

SharedMessage M(std::uint64_t seq) {
  return std::make_shared<const std::string>("m" + std::to_string(seq));
}

TEST(MessageLog, ResumesWhatIsHeldElseRefuses) {
  MessageLog log(3);
  std::vector<SharedMessage> out;
  EXPECT_FALSE(log.Since(1, 0, &out)) << "nothing known yet";
  log.Reset(1, 10);
  EXPECT_TRUE(log.Since(1, 10, &out));
  EXPECT_TRUE(out.empty()) << "up to date";
  for (std::uint64_t s = 11; s <= 14; ++s) log.Append(1, s, M(s));
  EXPECT_EQ(log.size(), 3u);  // 12..14
  ASSERT_TRUE(log.Since(1, 11, &out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(*out[0], "m12");
  EXPECT_FALSE(log.Since(1, 10, &out)) << "11 was trimmed";
  EXPECT_FALSE(log.Since(2, 13, &out)) << "another epoch";
  EXPECT_FALSE(log.Since(1, 15, &out)) << "ahead";
  log.Append(1, 17, M(17));  // a jump: what came before cannot be joined
  EXPECT_FALSE(log.Since(1, 14, &out));
  EXPECT_TRUE(log.Since(1, 16, &out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(MessageLog, BoundedByBytes) {
  MessageLog log(100, 10);
  for (std::uint64_t s = 1; s <= 5; ++s) log.Append(1, s, M(s));  // 2 bytes each
  EXPECT_LE(log.bytes(), 10u);
  EXPECT_EQ(log.size(), 5u);
  log.Append(1, 6, std::make_shared<const std::string>(std::string(20, 'x')));
  EXPECT_EQ(log.size(), 1u) << "one message larger than the bound is still kept";
}

}  // namespace
}  // namespace vnt::server
