#include "ssi/access_token.h"

#include <gtest/gtest.h>

// The access token's lifetime: expiry from the JWT (else eight hours), usability and the refresh wait.

namespace vnt::ssi {
namespace {

// A JWT whose payload is {"exp":<exp>} (header and signature are not read).
std::string Jwt(std::int64_t exp) {
  const std::string payload = "{\"exp\":" + std::to_string(exp) + "}";
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : payload) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kB64[(acc << (6 - bits)) & 63]);
  return "eyJhbGciOiJub25lIn0." + out + ".sig";
}

TEST(AccessToken, ExpiryFromTheJwtElseEightHours) {
  AccessToken t;
  EXPECT_TRUE(t.empty());
  EXPECT_FALSE(t.Usable(1000));
  t.Set(Jwt(1000 + 4 * 3600), 1000);
  EXPECT_EQ(t.expires(), 1000 + 4 * 3600);
  EXPECT_TRUE(t.Usable(1000));
  EXPECT_FALSE(t.Usable(1000 + 3 * 3600 + 1));  // less than an hour left
  t.Set("not-a-jwt", 5000);
  EXPECT_EQ(t.value(), "not-a-jwt");
  EXPECT_EQ(t.expires(), 5000 + 8 * 3600);
  t.Clear();
  EXPECT_TRUE(t.empty());
  EXPECT_FALSE(t.Usable(5000));
}

TEST(AccessToken, RefreshWaitIsBetweenOneAndSixtySeconds) {
  AccessToken t;
  EXPECT_EQ(t.RefreshWait(0), std::chrono::seconds(1));  // no token yet
  t.Set(Jwt(400), 0);                                    // short-lived: margin a quarter, 100 s
  EXPECT_EQ(t.RefreshWait(0), std::chrono::seconds(60));
  EXPECT_EQ(t.RefreshWait(270), std::chrono::seconds(30));
  EXPECT_EQ(t.RefreshWait(400), std::chrono::seconds(1));
}

}  // namespace
}  // namespace vnt::ssi
