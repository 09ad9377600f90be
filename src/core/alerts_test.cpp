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
  std::string err;
  const auto id = book.AddRule(r, &err);
  ASSERT_TRUE(id) << err;
  EXPECT_EQ(*id, 1);
  EXPECT_EQ(book.rules()[0].symbol, "FPT");
  r.id = 1;
  EXPECT_FALSE(book.AddRule(r, &err));  // duplicate id
  r.id = 10;
  EXPECT_EQ(book.AddRule(r, &err), 10);
  EXPECT_EQ(book.AddRule(AlertRule{}, &err), 11);  // next id follows the largest
  AlertRule bad;
  bad.symbol = "";
  EXPECT_FALSE(book.AddRule(bad, &err));
  EXPECT_FALSE(err.empty());
  r.id = 10;
  r.threshold = 42;
  EXPECT_TRUE(book.UpdateRule(r, &err));
  EXPECT_EQ(book.rules()[1].threshold, 42);
  r.id = 99;
  EXPECT_FALSE(book.UpdateRule(r, &err));
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
}  // namespace vnt::core
