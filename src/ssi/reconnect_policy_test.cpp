#include "ssi/reconnect_policy.h"

#include <gtest/gtest.h>

// The connection policy: resume within the DisconnectTimeout or negotiate anew, what each outcome means, the
// backoff, and the failure log that does not flood.

namespace vnt::ssi {
namespace {

using std::chrono::milliseconds;

TEST(ReconnectPolicy, BackoffDoublesUpToTheCapAndStartsOverAfterAStream) {
  ReconnectPolicy p(milliseconds(1000), milliseconds(5000));
  EXPECT_EQ(p.NextDelay(0.5), milliseconds(1000));  // unit 0.5: no jitter
  EXPECT_EQ(p.NextDelay(0.5), milliseconds(2000));
  EXPECT_EQ(p.NextDelay(0.5), milliseconds(4000));
  EXPECT_EQ(p.NextDelay(0.5), milliseconds(5000));
  EXPECT_EQ(p.NextDelay(0.0), milliseconds(4000));  // -20 %
  p.ResetBackoff();
  EXPECT_EQ(p.NextDelay(0.5), milliseconds(1000));
  p.NextDelay(0.5);
  p.After(Outcome(End::kFailed, "x", /*streamed=*/true), 0);
  EXPECT_EQ(p.NextDelay(0.5), milliseconds(1000));
}

TEST(ReconnectPolicy, ALostStreamResumesWithinTheDisconnectTimeout) {
  ReconnectPolicy p(milliseconds(1000), milliseconds(60000));
  EXPECT_FALSE(p.ShouldResume(0));  // nothing negotiated
  NegotiateInfo info;
  info.connection_token = "tok";
  info.disconnect_timeout = milliseconds(30000);
  p.Negotiated(info);
  const ReconnectPolicy::Step lost = p.After(Outcome(End::kLost, "idle", true), 100'000);
  EXPECT_EQ(lost.state, "reconnecting");
  EXPECT_TRUE(lost.lost);
  EXPECT_TRUE(lost.retry_now);  // it was streaming: /reconnect at once
  EXPECT_EQ(lost.level, LogLevel::kWarning);
  EXPECT_TRUE(p.ShouldResume(129'999));
  EXPECT_FALSE(p.ShouldResume(130'000));
  const ReconnectPolicy::Step again = p.After(Outcome(End::kLost, "idle", false), 110'000);
  EXPECT_FALSE(again.retry_now);  // never got to stream: back off first
  ASSERT_TRUE(p.info().has_value());
  EXPECT_EQ(p.info()->connection_token, "tok");
}

TEST(ReconnectPolicy, AuthAndConnectFailuresForgetTheConnection) {
  ReconnectPolicy p(milliseconds(1000), milliseconds(60000));
  p.Negotiated(NegotiateInfo{});
  const ReconnectPolicy::Step auth = p.After(Outcome(End::kAuth, "401"), 0);
  EXPECT_EQ(auth.state, "auth-failed");
  EXPECT_TRUE(auth.auth);
  EXPECT_FALSE(auth.connect);
  EXPECT_FALSE(auth.retry_now);
  EXPECT_EQ(auth.level, LogLevel::kError);
  EXPECT_FALSE(p.info().has_value());
  EXPECT_FALSE(p.ShouldResume(1));

  p.Negotiated(NegotiateInfo{});
  const ReconnectPolicy::Step failed = p.After(Outcome(End::kFailed, "refused"), 0);
  EXPECT_EQ(failed.state, "unreachable");
  EXPECT_TRUE(failed.connect);
  EXPECT_FALSE(failed.lost);
  EXPECT_FALSE(p.info().has_value());
}

TEST(FailureLog, ARepeatedFailureIsSaidEveryTenthTime) {
  FailureLog log;
  const FailureLog::Line first = log.Note(LogLevel::kError, "down", milliseconds(1500));
  EXPECT_EQ(first.level, LogLevel::kError);
  EXPECT_EQ(first.text, "down; retrying in 1.5 s");
  // The next nine are repeats at debug level; the tenth repeat (the eleventh failure) is said again.
  for (int i = 1; i <= 9; ++i) {
    EXPECT_EQ(log.Note(LogLevel::kError, "down", milliseconds(1000)).level, LogLevel::kDebug);
  }
  const FailureLog::Line again = log.Note(LogLevel::kError, "down", milliseconds(2000));
  EXPECT_EQ(again.level, LogLevel::kError);
  EXPECT_EQ(again.text, "down (11 times); retrying in 2.0 s");
  EXPECT_EQ(log.Note(LogLevel::kWarning, "other", milliseconds(1000)).level, LogLevel::kWarning);
  log.Clear();
  EXPECT_EQ(log.Note(LogLevel::kError, "other", milliseconds(1000)).level, LogLevel::kError);
}

}  // namespace
}  // namespace vnt::ssi
