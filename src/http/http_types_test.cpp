#include "http/http_types.h"

#include <gtest/gtest.h>

namespace vnt::http {
namespace {

TEST(ParseRequestTarget, CanonicalPathAndDecodedQuery) {
  const auto t = ParseRequestTarget("//api///history/F%50T/candles?from=2026-03-18&x=a+b&x=c");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->path, "/api/history/FPT/candles");
  EXPECT_EQ(t->query, (std::map<std::string, std::string>{{"from", "2026-03-18"}, {"x", "c"}}));
  EXPECT_EQ(ParseRequestTarget("/")->path, "/");
}

TEST(ParseRequestTarget, RefusedTargetsSayWhyAndNameTheTarget) {
  for (const char* bad : {"api", "/a%zz", "/a/%2e%2e/b", "/a%2Fb", "/a%00", "/a?b=%4", "/a?b=%00", "/%ff"}) {
    const auto t = ParseRequestTarget(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(t.error().field, "target") << bad;
    EXPECT_FALSE(t.error().message.empty()) << bad;
  }
  EXPECT_EQ(ParseRequestTarget("/a/../b").error().message, "the path may not contain . or .. segments");
}

TEST(ParseRequestTarget, EachRefusalHasItsOwnSentence) {
  EXPECT_EQ(ParseRequestTarget("/a%zz").error().message, "malformed percent-encoding in the path");
  EXPECT_EQ(ParseRequestTarget("/a?b=%4").error().message, "malformed percent-encoding in the query");
  EXPECT_EQ(ParseRequestTarget("/a?b=%00").error().message, "the query may not contain NUL");
  const auto ok = ParseRequestTarget("/a//b?k=v");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->path, "/a/b");
  EXPECT_EQ(ok->query.at("k"), "v");
}

TEST(ErrorResponse, FromAnErrorCarriesItsMessageAndField) {
  const Response r = ErrorResponse(
      400, "bad_parameter", Error{ErrorCode::kInvalidArgument, "threshold must be finite", "threshold"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"bad_parameter","message":"threshold must be finite","field":"threshold"}})");
}

}  // namespace
}  // namespace vnt::http
