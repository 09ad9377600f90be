#include "client/http_message.h"

#include <gtest/gtest.h>

#include "client/backoff.h"
#include "common/enum_names_testing.h"

namespace vnt::client {
namespace {

TEST(ParseHttpUrl, SplitsSchemeHostPortAndTarget) {
  auto u = ParseHttpUrl("https://Hooks.Example.com/services/T0/B1/secret?x=1#frag");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->endpoint.tls);
  EXPECT_EQ(u->endpoint.host, "hooks.example.com");
  EXPECT_EQ(u->endpoint.port, 443);
  EXPECT_EQ(u->target, "/services/T0/B1/secret?x=1");
  EXPECT_EQ(u->endpoint.HostHeader(), "hooks.example.com");
  EXPECT_EQ(u->Redacted(), "https://hooks.example.com/…");  // the path may be a secret

  u = ParseHttpUrl("HTTP://127.0.0.1:9000");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_FALSE(u->endpoint.tls);
  EXPECT_EQ(u->endpoint.port, 9000);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->endpoint.HostHeader(), "127.0.0.1:9000");
  EXPECT_EQ(u->Redacted(), "http://127.0.0.1:9000");

  u = ParseHttpUrl("http://x?q=1");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->target, "/?q=1");

  u = ParseHttpUrl("http://[::1]:8080/a");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->endpoint.host, "::1");
  EXPECT_EQ(u->endpoint.HostHeader(), "[::1]:8080");
  EXPECT_EQ(u->endpoint.Origin(), "http://[::1]:8080");
}

TEST(ParseHttpUrl, RefusesWhatItCannotSend) {
  for (const char* bad :
       {"example.com/hook", "ftp://example.com/", "https://", "https:///path", "http://x:0/",
        "http://x:65536/", "http://x:12a/", "http://x:/", "http://user:pw@x/", "http://x/a b", "http://[::1/",
        "http://[]/", "http://[::1]x/", "http://x/\xc3\xa9"}) {
    const auto u = ParseHttpUrl(bad);
    ASSERT_FALSE(u.ok()) << bad;
    const std::string& e = u.error().message;
    EXPECT_FALSE(e.empty()) << bad;
    EXPECT_EQ(u.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(u.error().field, "url") << bad;
    EXPECT_EQ(e.find("x:"), std::string::npos) << "the error does not quote the URL: " << e;
  }
  const auto long_url = ParseHttpUrl("http://x/" + std::string(kMaxUrlChars, 'a'));
  ASSERT_FALSE(long_url.ok());
  EXPECT_EQ(long_url.error().message, "URL longer than 2048 characters");
}

TEST(NetError, NamesRoundTrip) {
  vnt::testing::ExpectTableRoundTrip(kNetErrorNames,
                                     vnt::testing::EnumRange(NetError::kNone, NetError::kCancelled));
  EXPECT_EQ(ToString(NetError::kTls), "tls");
}

TEST(BackoffDelay, DoublesToTheCapWithJitter) {
  using std::chrono::milliseconds;
  EXPECT_EQ(BackoffDelay(0, milliseconds(1000), milliseconds(30000), 0.2, 0.5), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(3, milliseconds(1000), milliseconds(30000), 0.2, 0.5), milliseconds(8000));
  EXPECT_EQ(BackoffDelay(40, milliseconds(1000), milliseconds(30000), 0.2, 0.5), milliseconds(30000));
  EXPECT_EQ(BackoffDelay(0, milliseconds(1000), milliseconds(30000), 0.2, 0.0), milliseconds(800));
  EXPECT_EQ(BackoffDelay(0, milliseconds(1000), milliseconds(30000), 0.2, 1.0), milliseconds(1200));
}

}  // namespace
}  // namespace vnt::client
