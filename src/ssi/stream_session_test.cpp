#include "ssi/stream_session.h"

#include <gtest/gtest.h>

#include <string>

// The per-frame bookkeeping of the SignalR stream: when SwitchChannels is due, what each frame means, the
// cursor kept for /reconnect, and the healthy-stream signal.

namespace vnt::ssi {
namespace {

constexpr const char* kData =
    "{\"C\":\"d-1,2|A,0\",\"M\":[{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[\"{}\"]}]}";

TEST(StreamSession, SubscribesOnceAfterTheFirstFrame) {
  StreamSession s;
  s.Begin(false);
  EXPECT_FALSE(s.SubscribeDue());  // a new connection waits for the init frame
  const FrameAction init = s.OnFrame("{\"C\":\"d-1,0|A,0\",\"S\":1,\"M\":[]}", 1000);
  EXPECT_FALSE(init.push);
  EXPECT_FALSE(init.subscribed);
  EXPECT_EQ(s.cursor(), "d-1,0|A,0");
  ASSERT_TRUE(s.SubscribeDue());
  EXPECT_EQ(s.TakeSubscriptionId(), 0);
  EXPECT_FALSE(s.SubscribeDue());
  s.OnFrame("{}", 1100);
  EXPECT_FALSE(s.SubscribeDue());

  s.Begin(true);  // /reconnect: no init frame to wait for, and the next id
  ASSERT_TRUE(s.SubscribeDue());
  EXPECT_EQ(s.TakeSubscriptionId(), 1);
  EXPECT_EQ(s.cursor(), "d-1,0|A,0");  // kept across connections
}

TEST(StreamSession, ClassifiesFrames) {
  StreamSession s;
  s.Begin(false);
  const FrameAction garbage = s.OnFrame("not json", 1);
  EXPECT_TRUE(garbage.malformed);
  EXPECT_TRUE(garbage.push);  // the decoder counts and reports it
  EXPECT_TRUE(s.SubscribeDue());
  const int id = s.TakeSubscriptionId();

  const FrameAction keep_alive = s.OnFrame("{}", 2);
  EXPECT_TRUE(keep_alive.keep_alive);
  EXPECT_FALSE(keep_alive.push);

  const FrameAction data = s.OnFrame(kData, 3);
  EXPECT_TRUE(data.push);
  EXPECT_FALSE(data.subscribed);
  EXPECT_EQ(s.cursor(), "d-1,2|A,0");

  const FrameAction other = s.OnFrame("{\"I\":\"" + std::to_string(id + 5) + "\"}", 4);
  EXPECT_FALSE(other.subscribed);  // not our invocation

  const FrameAction hub_error = s.OnFrame(
      "{\"C\":\"c\",\"G\":\"g-1\",\"M\":[{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Error\",\"A\":[\"quota "
      "exceeded\"]}]}",
      5);
  ASSERT_EQ(hub_error.hub_errors.size(), 1u);
  EXPECT_EQ(hub_error.hub_errors[0], "quota exceeded");
  EXPECT_EQ(s.groups_token(), "g-1");
}

TEST(StreamSession, CompletionOfOurSwitchChannelsOnceThenHealthyAfterTenSeconds) {
  StreamSession s;
  s.Begin(true);
  const int id = s.TakeSubscriptionId();
  const std::string done = "{\"I\":\"" + std::to_string(id) + "\"}";
  const FrameAction a = s.OnFrame(done, 50'000);
  EXPECT_TRUE(a.subscribed);
  EXPECT_TRUE(a.subscribe_error.empty());
  EXPECT_FALSE(a.healthy);
  EXPECT_FALSE(s.OnFrame(done, 50'001).subscribed);  // once per connection
  EXPECT_FALSE(s.OnFrame(kData, 60'000).healthy);
  EXPECT_TRUE(s.OnFrame(kData, 60'001).healthy);
  EXPECT_FALSE(s.OnFrame("{}", 70'000).healthy);  // keep-alives do not count

  s.Begin(true);
  const int id2 = s.TakeSubscriptionId();
  const FrameAction failed =
      s.OnFrame("{\"I\":\"" + std::to_string(id2) + "\",\"E\":\"bad channel\"}", 80'000);
  EXPECT_TRUE(failed.subscribed);
  EXPECT_EQ(failed.subscribe_error, "bad channel");
  EXPECT_FALSE(s.OnFrame(kData, 85'000).healthy);  // a new connection starts its own ten seconds
}

}  // namespace
}  // namespace vnt::ssi
