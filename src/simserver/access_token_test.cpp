#include "simserver/access_token.h"

#include <gtest/gtest.h>

namespace vnt::simserver {
namespace {

TEST(Base64, RoundTripsBothAlphabets) {
  EXPECT_EQ(Base64("ab", false), "YWI=");
  EXPECT_EQ(Base64("ab", true), "YWI");
  EXPECT_EQ(Base64("\xfb\xff", false), "+/8=");
  EXPECT_EQ(Base64("\xfb\xff", true), "-_8");
  for (const std::string s : {"", "a", "ab", "abc", "abcd", "\x00\xff\x10"}) {
    EXPECT_EQ(Base64Decode(Base64(s, false)), s);
    EXPECT_EQ(Base64Decode(Base64(s, true)), s);
  }
  EXPECT_FALSE(Base64Decode("ab$c").has_value());
}

TEST(Credentials, OnePairOrAnyNonEmptyPair) {
  const Credentials fixed{"cid", "secret"};
  EXPECT_TRUE(fixed.Accepts("cid", "secret"));
  EXPECT_FALSE(fixed.Accepts("cid", "nope"));
  EXPECT_FALSE(fixed.Accepts("CID", "secret"));
  const Credentials any;
  EXPECT_TRUE(any.Accepts("x", "y"));
  EXPECT_FALSE(any.Accepts("", "y"));
  EXPECT_FALSE(any.Accepts("x", ""));
}

TEST(TokenAuthority, MintsAnEightHourJwtThatPythonCanDecode) {
  const TokenAuthority auth("secret", 8 * 3600);
  // Consumer ids with '?', '>' and '~' would put '-'/'_' into a naive payload.
  for (const std::string id : {"cid", "a?b>c~d", "?\?>>~~", "0123456789abcdef0123456789abcdef"}) {
    const std::string token = auth.Mint(id, 1688956785);
    const auto d1 = token.find('.'), d2 = token.rfind('.');
    ASSERT_NE(d1, d2);
    EXPECT_EQ(token.substr(0, d1), "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9");  // {"alg":"RS256","typ":"JWT"}
    const std::string payload = token.substr(d1 + 1, d2 - d1 - 1);
    EXPECT_EQ(payload.find_first_of("-_="), std::string::npos) << payload;
    EXPECT_EQ(payload.size() % 4, 0u);
    const auto json = Base64Decode(payload);
    ASSERT_TRUE(json.has_value());
    EXPECT_NE(json->find("\"iat\":1688956785"), std::string::npos) << *json;
    EXPECT_NE(json->find("\"exp\":1688985585"), std::string::npos) << *json;  // iat + 28800
    EXPECT_NE(json->find("\"scope\":"), std::string::npos);
    EXPECT_TRUE(auth.Valid(token, 1688956785));
  }
}

TEST(TokenAuthority, RefusesExpiredForgedAndForeignTokens) {
  const TokenAuthority auth("secret", 100);
  const std::string token = auth.Mint("cid", 1000);
  EXPECT_TRUE(auth.Valid(token, 1099));
  EXPECT_FALSE(auth.Valid(token, 1100));
  EXPECT_FALSE(TokenAuthority("other", 100).Valid(token, 1000));
  std::string forged = token;
  forged[forged.find('.') + 3] ^= 1;  // a changed payload
  EXPECT_FALSE(auth.Valid(forged, 1000));
  EXPECT_FALSE(auth.Valid("", 1000));
  EXPECT_FALSE(auth.Valid("a.b", 1000));
  EXPECT_FALSE(auth.Valid("garbage", 1000));
}

TEST(AccessTokenReplies, AreExactlyTheSdkShape) {
  EXPECT_EQ(AccessTokenSuccess("a.b.c"),
            R"({"message":"Success","status":200,"data":{"accessToken":"a.b.c"}})");
  EXPECT_EQ(AccessTokenRefused("Invalid consumerID or consumerSecret"),
            R"({"message":"Invalid consumerID or consumerSecret","status":401,"data":null})");
}

TEST(AccessTokenRequest, KeysInAnyCase) {
  std::string id, secret;
  ASSERT_TRUE(ParseAccessTokenRequest(R"({"consumerID":"a","consumerSecret":"b"})", &id, &secret));
  EXPECT_EQ(id, "a");
  EXPECT_EQ(secret, "b");
  ASSERT_TRUE(ParseAccessTokenRequest(R"({"ConsumerID":"c","ConsumerSecret":"d","extra":1})", &id, &secret));
  EXPECT_EQ(id, "c");
  EXPECT_EQ(secret, "d");
  EXPECT_FALSE(ParseAccessTokenRequest("not json", &id, &secret));
  EXPECT_FALSE(ParseAccessTokenRequest("[1]", &id, &secret));
}

TEST(BearerToken, HeaderFirstThenQueryParameter) {
  EXPECT_EQ(BearerToken("Bearer abc", ""), "abc");
  EXPECT_EQ(BearerToken("bearer  abc ", "q"), "abc");
  EXPECT_EQ(BearerToken("", "q"), "q");
  EXPECT_EQ(BearerToken("Basic xyz", "q"), "q");
  EXPECT_EQ(BearerToken("", ""), "");
}

}  // namespace
}  // namespace vnt::simserver
