#include "core/ring_buffer.h"

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

TEST(RingBufferTest, KeepsNewestWhenFull) {
  RingBuffer<int> r(3);
  for (int i = 1; i <= 5; ++i) r.push_back(i);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r.front(), 3);
  EXPECT_EQ(r[1], 4);
  EXPECT_EQ(r.back(), 5);
}

TEST(RingBufferTest, GrowsLazilyAndPreservesOrderAcrossGrowth) {
  RingBuffer<int> r(100);
  for (int i = 0; i < 5; ++i) r.push_back(i);
  r.pop_front();
  r.pop_front();
  for (int i = 5; i < 40; ++i) r.push_back(i);  // forces several re-linearising growths after pops
  ASSERT_EQ(r.size(), 38u);
  for (std::size_t i = 0; i < r.size(); ++i) EXPECT_EQ(r[i], static_cast<int>(i) + 2);
}

TEST(RingBufferTest, ClearKeepsCapacityBehaviour) {
  RingBuffer<int> r(2);
  r.push_back(1);
  r.push_back(2);
  r.clear();
  EXPECT_TRUE(r.empty());
  r.push_back(7);
  r.push_back(8);
  r.push_back(9);
  EXPECT_EQ(r.front(), 8);
  EXPECT_EQ(r.back(), 9);
}

}  // namespace
}  // namespace vnt::core
