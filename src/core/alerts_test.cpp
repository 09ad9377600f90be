#include "core/alerts.h"

#include <gtest/gtest.h>

namespace vnt::core {
namespace {

TEST(AlertsTest, MetricNamesRoundTrip) {
  const auto names = MetricNames();
  ASSERT_EQ(names.size(), static_cast<std::size_t>(Metric::kCount));
  for (std::size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(ParseMetric(names[i])) << names[i];
    EXPECT_EQ(static_cast<std::size_t>(*ParseMetric(names[i])), i);
  }
  EXPECT_EQ(ParseMetric("BASIS_PCT"), Metric::kBasisPct);
  EXPECT_FALSE(ParseMetric("price"));
}

TEST(AlertsTest, Comparisons) {
  EXPECT_EQ(ParseComparison(">="), Comparison::kGe);
  EXPECT_EQ(ParseComparison("lt"), Comparison::kLt);
  EXPECT_FALSE(ParseComparison("!="));
  EXPECT_TRUE(Compare(2, Comparison::kGt, 1));
  EXPECT_FALSE(Compare(1, Comparison::kGt, 1));
  EXPECT_TRUE(Compare(1, Comparison::kGe, 1));
  EXPECT_TRUE(Compare(0.1 + 0.2, Comparison::kEq, 0.3));
  EXPECT_FALSE(Compare(0.31, Comparison::kEq, 0.3));
  EXPECT_TRUE(Compare(-1, Comparison::kLe, -1));
}

TEST(AlertsTest, BasisRegimeHysteresisDoesNotFlap) {
  BasisRegime r;
  EXPECT_FALSE(r.Update(0.2, 0.5));  // inside the band: nothing established
  EXPECT_FALSE(r.Update(0.6, 0.5));  // premium established (not a crossing)
  EXPECT_EQ(r.regime, 1);
  for (double b : {0.1, -0.2, 0.3, -0.4, 0.0, -0.49, 0.2}) EXPECT_FALSE(r.Update(b, 0.5)) << b;
  auto flip = r.Update(-0.5, 0.5);
  ASSERT_TRUE(flip);
  EXPECT_EQ(*flip, -1);
  for (double b : {0.4, -0.1, 0.49}) EXPECT_FALSE(r.Update(b, 0.5)) << b;
  flip = r.Update(0.7, 0.5);
  ASSERT_TRUE(flip);
  EXPECT_EQ(*flip, 1);
}

TEST(AlertsTest, CooldownPerKeyAndSymbol) {
  AlertBook book;
  const Symbol a = Symbol::Of("FPT"), b = Symbol::Of("VNM");
  EXPECT_TRUE(book.TryFire(1, a, 1000, 60));
  EXPECT_FALSE(book.TryFire(1, a, 1059, 60));
  EXPECT_TRUE(book.TryFire(1, b, 1059, 60));  // other symbol
  EXPECT_TRUE(book.TryFire(2, a, 1059, 60));  // other rule
  EXPECT_TRUE(book.TryFire(1, a, 1060, 60));
  EXPECT_FALSE(book.TryFire(1, a, 1000, 60));  // an out-of-order earlier time is still inside
  book.ResetDay();
  EXPECT_TRUE(book.TryFire(1, a, 10, 60));
}

TEST(AlertsTest, RuleCrud) {
  AlertBook book;
  AlertRule r;
  r.metric = Metric::kLastPrice;
  r.symbol = "fpt";
  const auto id = book.AddRule(r);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, 1);
  EXPECT_EQ(book.rules()[0].symbol, "FPT");
  r.id = 1;
  const auto duplicate = book.AddRule(r);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error(), (Error{ErrorCode::kAlreadyExists, "a rule with this id exists", "id"}));
  r.id = 10;
  EXPECT_EQ(book.AddRule(r).value_or(-1), 10);
  EXPECT_EQ(book.AddRule(AlertRule{}).value_or(-1), 11);  // next id follows the largest
  AlertRule bad;
  bad.symbol = "";
  const auto refused = book.AddRule(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().field, "symbol");
  EXPECT_FALSE(refused.error().message.empty());
  r.id = 10;
  r.threshold = 42;
  EXPECT_TRUE(book.UpdateRule(r).ok());
  EXPECT_EQ(book.rules()[1].threshold, 42);
  r.id = 99;
  const Status missing = book.UpdateRule(r);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(book.RemoveRule(10));
  EXPECT_FALSE(book.RemoveRule(10));
  EXPECT_EQ(book.rules().size(), 2u);
}

TEST(AlertsTest, RecordNumbersAndBounds) {
  AlertBook book(3);
  for (int i = 0; i < 5; ++i) book.Record(Alert{});
  EXPECT_EQ(book.recent().size(), 3u);
  EXPECT_EQ(book.recent().front().id, 3u);
  EXPECT_EQ(book.recent().back().id, 5u);
}

}  // namespace

AlertRule Rule(Comparison c, double threshold, Frequency f = Frequency::kEveryTime, int cooldown = 0) {
  AlertRule r;
  r.id = 7;
  r.metric = Metric::kLastPrice;
  r.comparison = c;
  r.threshold = threshold;
  r.frequency = f;
  r.cooldown_sec = cooldown;
  return r;
}

TEST(AlertsTest, CrossingFiresOncePerCrossingWithHysteresis) {
  AlertBook book;
  const AlertRule r = Rule(Comparison::kCrossesAbove, 100'000);  // gap = 0.1 % = 100 VND
  const Symbol fpt = Symbol::Of("FPT");
  std::int64_t t = 1000;
  EXPECT_FALSE(book.RuleFires(r, fpt, 99'500, t++));   // arms (below the level by more than the gap)
  EXPECT_TRUE(book.RuleFires(r, fpt, 100'000, t++));   // crossed: fires
  EXPECT_FALSE(book.RuleFires(r, fpt, 100'500, t++));  // still above: no repeat on every tick
  EXPECT_FALSE(book.RuleFires(r, fpt, 99'950, t++));   // back below, inside the gap: not re-armed
  EXPECT_FALSE(book.RuleFires(r, fpt, 100'100, t++));  // so this is no new crossing
  EXPECT_FALSE(book.RuleFires(r, fpt, 99'900, t++));   // below by the gap: re-armed
  EXPECT_TRUE(book.RuleFires(r, fpt, 100'200, t++));   // crossed again
}

TEST(AlertsTest, CrossingNeedsAValueOnTheOtherSideFirst) {
  AlertBook book;
  const AlertRule r = Rule(Comparison::kCrossesBelow, 50);
  const Symbol s = Symbol::Of("VNM");
  EXPECT_FALSE(book.RuleFires(r, s, 40, 1));  // first value already below: that is no crossing
  EXPECT_FALSE(book.RuleFires(r, s, 45, 2));
  EXPECT_FALSE(book.RuleFires(r, s, 51, 3));  // above by more than the gap (0.05): armed
  EXPECT_TRUE(book.RuleFires(r, s, 49.9, 4));
  // Each symbol of a "*" rule has its own state.
  EXPECT_FALSE(book.RuleFires(r, Symbol::Of("HPG"), 49, 5));
}

TEST(AlertsTest, FrequencyOnceOncePerBarEveryTime) {
  AlertBook book;
  const Symbol s = Symbol::Of("FPT");
  AlertRule once = Rule(Comparison::kGt, 10, Frequency::kOnce);
  EXPECT_TRUE(book.RuleFires(once, s, 11, 100));
  EXPECT_FALSE(book.RuleFires(once, s, 12, 5000));
  book.ResetDay();  // once per trading day
  EXPECT_TRUE(book.RuleFires(once, s, 12, 90000));

  AlertRule bar = Rule(Comparison::kGt, 10, Frequency::kOncePerBar);
  bar.id = 8;
  EXPECT_TRUE(book.RuleFires(bar, s, 11, 600));   // 00:10:00
  EXPECT_FALSE(book.RuleFires(bar, s, 11, 659));  // same minute bar
  EXPECT_TRUE(book.RuleFires(bar, s, 11, 660));   // next bar
  EXPECT_FALSE(book.RuleFires(bar, s, 9, 720));   // condition false

  AlertRule every = Rule(Comparison::kGe, 10, Frequency::kEveryTime, 30);
  every.id = 9;
  EXPECT_TRUE(book.RuleFires(every, s, 10, 1000));
  EXPECT_FALSE(book.RuleFires(every, s, 10, 1029));
  EXPECT_TRUE(book.RuleFires(every, s, 10, 1030));
  // Editing a rule re-arms it.
  ASSERT_TRUE(book.AddRule(once).ok());
  EXPECT_FALSE(book.RuleFires(once, s, 12, 90001));
  ASSERT_TRUE(book.UpdateRule(once).ok());
  EXPECT_TRUE(book.RuleFires(once, s, 12, 90002));
}

TEST(AlertsTest, RuleValidationOfNewFields) {
  AlertBook book;
  AlertRule r = Rule(Comparison::kGt, 1);
  r.id = 0;
  r.window_min = 0;
  auto added = book.AddRule(r);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().message.find("window_min"), std::string::npos);
  EXPECT_EQ(added.error().field, "window_min");
  r.window_min = 15;
  r.webhook_url = "ftp://example.com/x";
  added = book.AddRule(r);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().message.find("webhook_url"), std::string::npos);
  EXPECT_EQ(added.error().field, "webhook_url");
  r.webhook_url = "https://hooks.example.com/alert?k=1";
  added = book.AddRule(r);
  EXPECT_TRUE(added.ok()) << added.error().message;
  EXPECT_FALSE(ValidWebhookUrl("http://"));
  EXPECT_FALSE(ValidWebhookUrl("http://a b"));
  EXPECT_TRUE(ValidWebhookUrl("http://127.0.0.1:8080/hook"));
  EXPECT_EQ(ParseComparison("crosses_above"), Comparison::kCrossesAbove);
  EXPECT_EQ(ToString(Comparison::kCrossesBelow), "crosses_below");
  EXPECT_EQ(ParseFrequency("once_per_bar"), Frequency::kOncePerBar);
  EXPECT_FALSE(ParseFrequency("sometimes"));
}

TEST(AlertsTest, AlertTypeNamesRoundTrip) {
  for (int i = 0; i < static_cast<int>(AlertType::kCount); ++i) {
    const auto t = static_cast<AlertType>(i);
    EXPECT_EQ(ParseAlertType(ToString(t)), t) << ToString(t);
  }
  EXPECT_FALSE(ParseAlertType("Volume_Spike"));
  EXPECT_FALSE(ParseAlertType(""));
}

}  // namespace vnt::core
