#include "core/alert_text.h"

#include <gtest/gtest.h>

#include <regex>

namespace vnt::core {
namespace {

// No scientific notation and no run of 10+ digits: what a reader must never see.
void ExpectReadable(const std::string& s) {
  EXPECT_FALSE(std::regex_search(s, std::regex("[0-9][eE][+-]?[0-9]"))) << s;
  EXPECT_FALSE(std::regex_search(s, std::regex("[0-9]{10}"))) << s;
  EXPECT_FALSE(std::regex_search(s, std::regex("nan|inf"))) << s;
}

TEST(AlertTextTest, FiguresFollowTheReadersConventions) {
  EXPECT_EQ(FormatFigure(1.19e9, AlertUnit::kVndPerMin, Lang::kVi), "1,19 tỷ/phút");
  EXPECT_EQ(FormatFigure(1.19e9, AlertUnit::kVndPerMin, Lang::kEn), "1.19 bn VND/min");
  EXPECT_EQ(FormatFigure(-1194260000, AlertUnit::kVndPerMinPerMin, Lang::kEn), "-1.19 bn VND/min²");
  EXPECT_EQ(FormatFigure(350.2e6, AlertUnit::kVnd, Lang::kVi), "350,2 triệu");
  EXPECT_EQ(FormatFigure(12'500, AlertUnit::kVnd, Lang::kVi), "12,5 nghìn");
  EXPECT_EQ(FormatFigure(105'500, AlertUnit::kVnd, Lang::kEn, true), "105.5");
  EXPECT_EQ(FormatFigure(105'500, AlertUnit::kVnd, Lang::kVi, true), "105,5");
  EXPECT_EQ(FormatFigure(23'150, AlertUnit::kVnd, Lang::kEn, true), "23.15");
  EXPECT_EQ(FormatFigure(2'238'800, AlertUnit::kShares, Lang::kVi), "2.238.800 cp");
  EXPECT_EQ(FormatFigure(2'238'800, AlertUnit::kShares, Lang::kEn), "2,238,800 shares");
  EXPECT_EQ(FormatFigure(1283.9, AlertUnit::kPoints, Lang::kEn), "1,283.9 points");
  EXPECT_EQ(FormatFigure(84.456, AlertUnit::kPercent, Lang::kVi), "84,46%");
  EXPECT_EQ(FormatFigure(4.2, AlertUnit::kMultiple, Lang::kVi), "gấp 4,2 lần");
  EXPECT_EQ(FormatFigure(1e15, AlertUnit::kVnd, Lang::kEn), "1,000,000 bn VND");
  ExpectReadable(FormatFigure(1e15, AlertUnit::kShares, Lang::kEn) + "x");  // grouped, never a bare run
}

Alert Base(AlertType t) {
  Alert a;
  a.type = t;
  a.symbol = Symbol::Of("FPT");
  a.time.date = Date::Of(2026, 12, 7);
  a.time.time = TimeOfDay::Of(9, 31, 0);
  return a;
}

TEST(AlertTextTest, EveryTypeInBothLanguages) {
  std::vector<Alert> all;
  Alert v = Base(AlertType::kVolumeSpike);
  v.metric = "minute_volume";
  v.unit = AlertUnit::kShares;
  v.value = 52'300;
  v.threshold = 37'350;
  v.AddDetail("average", 12'450, AlertUnit::kShares);
  v.AddDetail("multiple", 4.2, AlertUnit::kMultiple);
  v.AddDetail("lookback_min", 10, AlertUnit::kCount_);
  EXPECT_EQ(
      AlertSentence(v, Lang::kVi),
      "FPT: khối lượng đột biến 52.300 cp trong 1 phút, gấp 4,2 lần trung bình 10 phút trước (12.450 cp)");
  EXPECT_EQ(AlertSentence(v, Lang::kEn),
            "FPT volume spike: 52,300 shares in one minute, x4.2 the average of the previous 10 minutes "
            "(12,450 shares)");
  all.push_back(v);

  Alert b = Base(AlertType::kPriceBreakout);
  b.metric = "last_price";
  b.unit = AlertUnit::kVnd;
  b.direction = Direction::kUp;
  b.value = b.threshold = 105'500;
  EXPECT_EQ(AlertSentence(b, Lang::kVi), "FPT chạm giá trần: 105,5");
  EXPECT_EQ(AlertSentence(b, Lang::kEn), "FPT hit the ceiling: 105.5");
  all.push_back(b);

  Alert f = Base(AlertType::kForeignAcceleration);
  f.metric = "foreign_net_accel_val";
  f.unit = AlertUnit::kVndPerMinPerMin;
  f.direction = Direction::kDown;
  f.value = -1'194'260'000;
  f.threshold = -1e9;
  f.AddDetail("net_speed_val", -2.5e9, AlertUnit::kVndPerMin);
  EXPECT_EQ(AlertSentence(f, Lang::kVi),
            "FPT: khối ngoại tăng tốc bán ròng -1,19 tỷ/phút² (tốc độ ròng -2,5 tỷ/phút)");
  all.push_back(f);

  Alert k = Base(AlertType::kBasisDivergence);
  k.symbol = Symbol::Of("41I1G1000");
  k.contract = Symbol::Of("VN30F2612");
  k.alias = "VN30F1M";
  k.metric = "basis";
  k.unit = AlertUnit::kPoints;
  k.direction = Direction::kUp;
  k.value = 1.25;
  k.AddDetail("basis_pct", 0.098, AlertUnit::kPercent);
  k.AddDetail("spot", 1283.9, AlertUnit::kPoints);
  EXPECT_EQ(AlertSentence(k, Lang::kEn),
            "VN30F1M (VN30F2612) basis flipped to premium: +1.25 points (0.1%), VN30 1,283.9");
  EXPECT_EQ(AlertSentence(k, Lang::kVi),
            "VN30F1M (VN30F2612): basis chuyển sang dương (premium) +1,25 điểm (0,1%), VN30 1.283,9");
  all.push_back(k);

  Alert d = Base(AlertType::kVelocityDivergence);
  d.metric = "price_move_pct";
  d.unit = AlertUnit::kPercent;
  d.direction = Direction::kUp;
  d.window_sec = 300;
  d.value = 0.45;
  d.AddDetail("imbalance_pct", -32, AlertUnit::kPercent);
  EXPECT_EQ(AlertSentence(d, Lang::kEn),
            "FPT price +0.45% over 5 minutes while active flow is selling (imbalance -32%)");
  all.push_back(d);

  Alert i = Base(AlertType::kImbalanceExtreme);
  i.metric = "active_buy_ratio";
  i.unit = AlertUnit::kPercent;
  i.direction = Direction::kUp;
  i.window_sec = 300;
  i.value = 84;
  i.AddDetail("aggressed_vol", 123'400, AlertUnit::kShares);
  EXPECT_EQ(AlertSentence(i, Lang::kVi),
            "FPT: mua chủ động áp đảo, tỷ lệ mua chủ động 84% trong 5 phút (123.400 cp)");
  all.push_back(i);

  Alert u = Base(AlertType::kUserRule);
  u.rule_id = 3;
  u.rule_name = "FPT vượt 105";
  u.metric = "last_price";
  u.unit = AlertUnit::kVnd;
  u.comparison = "crosses_above";
  u.value = 105'600;
  u.threshold = 105'500;
  EXPECT_EQ(AlertSentence(u, Lang::kVi), "FPT vượt 105: FPT giá khớp vượt lên trên 105,5 (105,6)");
  Alert g = u;
  g.rule_name.clear();
  g.metric = "total_vol";
  g.unit = AlertUnit::kShares;
  g.comparison = ">=";
  g.value = 2'238'800;
  g.threshold = 1e6;
  EXPECT_EQ(AlertSentence(g, Lang::kEn), "rule 3: FPT total volume 2,238,800 shares ≥ 1,000,000 shares");
  all.push_back(u);
  all.push_back(g);

  for (const Alert& a : all) {
    for (Lang l : {Lang::kEn, Lang::kVi}) ExpectReadable(AlertSentence(a, l));
  }
}

// Every rule metric reads as words in both languages: a new metric without a translation fails here.
TEST(AlertTextTest, EveryMetricHasWordsInBothLanguages) {
  for (std::string_view name : MetricNames()) {
    Alert a = Base(AlertType::kUserRule);
    a.rule_id = 1;
    a.metric = std::string(name);
    a.comparison = ">";
    // An API name with an underscore never reaches a reader; one-word names may read as themselves
    // ("change"; "basis" is the Vietnamese traders' word too).
    if (name.find('_') == std::string_view::npos) continue;
    for (Lang l : {Lang::kEn, Lang::kVi})
      EXPECT_EQ(AlertSentence(a, l).find(name), std::string::npos) << AlertSentence(a, l);
  }
}

}  // namespace
}  // namespace vnt::core
