#include "api/rule_json.h"

#include <gtest/gtest.h>

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
  std::string field, error;
  const auto r = ParseRuleJson(Json(Gap()), &field, &error);
  ASSERT_TRUE(r) << field << ": " << error;
  core::AlertRule want = Gap();
  want.id = 0;
  EXPECT_EQ(Json(*r), Json(want));
}

TEST(RuleJson, ABadMemberIsNamed) {
  std::string field, error;
  EXPECT_FALSE(ParseRuleJson(R"({"metric":"last_price","comparison":"~","threshold":1})", &field, &error));
  EXPECT_EQ(field, "comparison");
  EXPECT_FALSE(ParseRuleJson("[]", &field, &error));
  EXPECT_EQ(field, "body");
}

}  // namespace
}  // namespace vnt::api
