#include "api/json_patch.h"

#include <gtest/gtest.h>

namespace vnt::api {
namespace {

std::string Patch(std::string_view prev, std::string_view next) {
  std::string out;
  const bool changed = AppendObjectPatch(prev, next, &out);
  EXPECT_EQ(changed, !out.empty());
  return out;
}

TEST(JsonPatch, SplitsCompactObjects) {
  std::vector<std::pair<std::string_view, std::string_view>> m;
  ASSERT_TRUE(SplitMembers(R"({"a":1,"b":"x,}\"y","c":{"d":[1,{"e":"]"}]},"f":null,"g":[]})", &m));
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[1].second, R"("x,}\"y")");
  EXPECT_EQ(m[2].second, R"({"d":[1,{"e":"]"}]})");
  EXPECT_EQ(m[4].second, "[]");
  ASSERT_TRUE(SplitMembers("{}", &m));
  EXPECT_TRUE(m.empty());
  for (const char* bad :
       {"", "[1]", "{\"a\":1", "{\"a\" 1}", "{\"a\":\"x}", "{a:1}", "{\"a\":1,}", "{\"a\":{\"b\":1}"})
    EXPECT_FALSE(SplitMembers(bad, &m)) << bad;
}

TEST(JsonPatch, OnlyChangedMembersRecursingIntoObjects) {
  EXPECT_EQ(Patch(R"({"a":1,"b":2})", R"({"a":1,"b":2})"), "");
  EXPECT_EQ(Patch(R"({"a":1,"b":2})", R"({"a":1,"b":3})"), R"({"b":3})");
  // Nested objects: only the changed members; arrays are replaced whole.
  EXPECT_EQ(Patch(R"({"s":{"ato":{"v":1},"lo":{"v":2}},"bid":[[1,2],[3,4]]})",
                  R"({"s":{"ato":{"v":1},"lo":{"v":5}},"bid":[[1,2],[3,5]]})"),
            R"({"s":{"lo":{"v":5}},"bid":[[1,2],[3,5]]})");
  // A nested object that did not change is left out entirely.
  EXPECT_EQ(Patch(R"({"f":{"x":1},"y":1})", R"({"f":{"x":1},"y":2})"), R"({"y":2})");
  // New members whole, vanished members as null, a value that becomes an object whole.
  EXPECT_EQ(Patch(R"({"a":1,"gone":"x"})", R"({"a":1,"new":{"k":1}})"), R"({"new":{"k":1},"gone":null})");
  EXPECT_EQ(Patch(R"({"a":null})", R"({"a":{"k":1}})"), R"({"a":{"k":1}})");
  // Keys in another order are still matched.
  EXPECT_EQ(Patch(R"({"a":1,"b":2,"c":3})", R"({"c":3,"a":1,"b":4})"), R"({"b":4})");
  // Text that cannot be split: the whole of next.
  EXPECT_EQ(Patch(R"({"a":1)", R"({"a":2})"), R"({"a":2})");
}

TEST(JsonPatch, ApplyingThePatchGivesNext) {
  // A tiny deep merge over flat/nested members of the shapes above, as the web client does it.
  const std::string prev =
      R"({"p":100,"t":"09:15:00","s":{"ato":{"v":1},"lo":{"v":2}},"bid":[[1,2]],"f":{"r":5}})";
  const std::string next =
      R"({"p":101,"t":"09:15:01","s":{"ato":{"v":1},"lo":{"v":3}},"bid":[[1,3]],"f":{"r":5}})";
  const std::string patch = Patch(prev, next);
  EXPECT_EQ(patch, R"({"p":101,"t":"09:15:01","s":{"lo":{"v":3}},"bid":[[1,3]]})");
  EXPECT_LT(patch.size(), next.size());
}

}  // namespace
}  // namespace vnt::api

namespace vnt::api {
namespace {
TEST(JsonPatch, SplitsArrays) {
  std::vector<std::string_view> e;
  ASSERT_TRUE(SplitElements(R"([{"a":[1,2]},"x,]",3,null])", &e));
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0], R"({"a":[1,2]})");
  EXPECT_EQ(e[1], R"("x,]")");
  EXPECT_EQ(e[3], "null");
  ASSERT_TRUE(SplitElements("[]", &e));
  EXPECT_TRUE(e.empty());
  EXPECT_FALSE(SplitElements("[1,2", &e));
  EXPECT_FALSE(SplitElements("{}", &e));
}
}  // namespace
}  // namespace vnt::api
