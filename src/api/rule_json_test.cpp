#include "api/rule_json.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace vnt::api {
namespace {

core::AlertRule Gap() {
  core::AlertRule r;
  r.id = 3;
  r.name = "gap";
  r.metric = core::Metric::kLastPrice;
  r.symbol = "FPT";
  r.comparison = core::Comparison::kGe;
  r.threshold = 23000;
  r.cooldown_sec = 30;
  r.webhook_url = "http://127.0.0.1:9/h";
  return r;
}

std::string Json(const core::AlertRule& r) {
  std::string s;
  JsonWriter w(&s);
  WriteRule(w, r);
  return s;
}

TEST(RuleJson, EveryField) {
  EXPECT_EQ(
      Json(Gap()),
      R"({"id":3,"name":"gap","metric":"last_price","symbol":"FPT","comparison":">=","threshold":23000,)"
      R"("cooldown_sec":30,"enabled":true,"severity":"warning","frequency":"every_time","window_min":5,)"
      R"("webhook_url":"http://127.0.0.1:9/h"})");
}

// What the API answers is a body it accepts, and gives the same rule back (the id is the server's).
TEST(RuleJson, WrittenRuleParsesBack) {
  const auto r = ParseRuleJson(Json(Gap()));
  ASSERT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
  core::AlertRule want = Gap();
  want.id = 0;
  EXPECT_EQ(Json(*r), Json(want));
}

TEST(RuleJson, ABadMemberIsNamed) {
  const auto cmp = ParseRuleJson(R"({"metric":"last_price","comparison":"~","threshold":1})");
  ASSERT_FALSE(cmp.ok());
  EXPECT_EQ(cmp.error(), (Error{ErrorCode::kInvalidArgument,
                                "comparison must be one of >, >=, <, <=, ==, crosses_above, crosses_below",
                                "comparison"}));
  const auto body = ParseRuleJson("[]");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error(), (Error{ErrorCode::kParse, "body must be a JSON object", "body"}));
}

// Every member's refusal names that member, as an invalid argument with a sentence for people.
TEST(RuleJson, EachMembersRefusalNamesIt) {
  const std::string base = R"("metric":"last_price","comparison":">","threshold":1)";
  const std::pair<std::string, std::string> cases[] = {
      {"metric", R"({"comparison":">","threshold":1})"},
      {"metric", R"({"metric":"nope","comparison":">","threshold":1})"},
      {"comparison", R"({"metric":"last_price","threshold":1})"},
      {"threshold", R"({"metric":"last_price","comparison":">"})"},
      {"threshold", R"({"metric":"last_price","comparison":">","threshold":1e16})"},
      {"cooldown_sec", "{" + base + R"(,"cooldown_sec":-1})"},
      {"enabled", "{" + base + R"(,"enabled":"yes"})"},
      {"name", "{" + base + R"(,"name":7})"},
      {"severity", "{" + base + R"(,"severity":"loud"})"},
      {"frequency", "{" + base + R"(,"frequency":"sometimes"})"},
      {"window_min", "{" + base + R"(,"window_min":61})"},
      {"webhook_url", "{" + base + R"(,"webhook_url":"ftp://x"})"},
  };
  for (const auto& [field, body] : cases) {
    const auto r = ParseRuleJson(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << body;
    EXPECT_EQ(r.error().field, field) << body;
    EXPECT_FALSE(r.error().message.empty()) << body;
  }
  EXPECT_TRUE(ParseRuleJson("{" + base + "}").ok());
}

}  // namespace
}  // namespace vnt::api
