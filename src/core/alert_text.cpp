#include "core/alert_text.h"

#include <cmath>
#include <cstdio>

namespace vnt::core {

namespace {

struct Words {
  std::string_view group, decimal;  // separators
  std::string_view bn, mn, k, vnd;  // money scales
  std::string_view per_min, per_min2;
  std::string_view shares, contracts, points;
};
constexpr Words kEnWords{",",    ".",     " bn",     " mn",        "k",      " VND",
                         "/min", "/min²", " shares", " contracts", " points"};
constexpr Words kViWords{".",     ",",      " tỷ", " triệu", " nghìn", " đồng",
                         "/phút", "/phút²", " cp", " HĐ",    " điểm"};
const Words& W(Lang l) {
  return l == Lang::kVi ? kViWords : kEnWords;
}

// v with at most `decimals` places, trailing zeros dropped, thousands grouped, in the language's separators.
std::string Number(double v, int decimals, Lang lang, bool plus = false) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  // |v| is bounded by the rule thresholds (1e15) and market figures: %.*f never needs more than 40 chars.
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string digits(buf);
  std::string frac;
  if (const auto dot = digits.find('.'); dot != std::string::npos) {
    frac = digits.substr(dot + 1);
    digits.resize(dot);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  }
  const Words& w = W(lang);
  std::string out;
  const bool negative = v < 0 && (digits != "0" || !frac.empty());
  if (negative) out += '-';
  if (plus && !negative && (digits != "0" || !frac.empty())) out += '+';
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += w.group;
    out += digits[i];
  }
  if (!frac.empty()) {
    out += w.decimal;
    out += frac;
  }
  return out;
}

// Money with the reader's scale words: "1.19 bn VND" / "1,19 tỷ".
std::string Money(double v, Lang lang, bool plus) {
  const Words& w = W(lang);
  const double a = std::fabs(v);
  if (a >= 1e9) return Number(v / 1e9, 2, lang, plus) + std::string(w.bn) + (lang == Lang::kEn ? " VND" : "");
  if (a >= 1e6) return Number(v / 1e6, 1, lang, plus) + std::string(w.mn) + (lang == Lang::kEn ? " VND" : "");
  if (a >= 1e3) return Number(v / 1e3, 1, lang, plus) + std::string(w.k) + (lang == Lang::kEn ? " VND" : "");
  return Number(v, 0, lang, plus) + std::string(w.vnd);
}

std::string Figure(double v, AlertUnit unit, Lang lang, bool price, bool plus) {
  const Words& w = W(lang);
  switch (unit) {
    case AlertUnit::kVnd:
      // The board shows stock prices in thousands of VND, without a unit.
      if (price) return Number(v / 1000.0, 2, lang, plus);
      return Money(v, lang, plus);
    case AlertUnit::kPoints:
      return Number(v, 2, lang, plus) + std::string(w.points);
    case AlertUnit::kShares:
      return Number(v, 0, lang, plus) + std::string(w.shares);
    case AlertUnit::kContracts:
      return Number(v, 0, lang, plus) + std::string(w.contracts);
    case AlertUnit::kPercent:
      return Number(v, 2, lang, plus) + "%";
    case AlertUnit::kVndPerMin:
      return Money(v, lang, plus) + std::string(w.per_min);
    case AlertUnit::kVndPerMinPerMin:
      return Money(v, lang, plus) + std::string(w.per_min2);
    case AlertUnit::kSharesPerMin:
      return Number(v, 0, lang, plus) + std::string(w.shares) + std::string(w.per_min);
    case AlertUnit::kMultiple:
      return (lang == Lang::kVi ? "gấp " : "x") + Number(v, 1, lang) + (lang == Lang::kVi ? " lần" : "");
    case AlertUnit::kCount_:
      return Number(v, 0, lang, plus);
    case AlertUnit::kNone:
      break;
  }
  return Number(v, 4, lang, plus);
}

struct MetricName {
  std::string_view key, en, vi;
};
constexpr MetricName kMetricWords[] = {
    {"last_price", "last price", "giá khớp"},
    {"change", "change", "thay đổi"},
    {"change_pct", "change %", "% thay đổi"},
    {"total_vol", "total volume", "tổng khối lượng"},
    {"total_val", "traded value", "giá trị giao dịch"},
    {"trade_count", "trade count", "số lệnh khớp"},
    {"vwap", "VWAP", "giá bình quân (VWAP)"},
    {"active_buy_vol", "active buy volume", "khối lượng mua chủ động"},
    {"active_sell_vol", "active sell volume", "khối lượng bán chủ động"},
    {"active_buy_ratio", "active-buy ratio", "tỷ lệ mua chủ động"},
    {"active_buy_ratio_5m", "active-buy ratio (5 min)", "tỷ lệ mua chủ động (5 phút)"},
    {"active_buy_ratio_window", "active-buy ratio", "tỷ lệ mua chủ động"},
    {"volume_multiple", "minute volume vs average", "khối lượng phút so với trung bình"},
    {"foreign_buy_vol", "foreign buy volume", "khối lượng NN mua"},
    {"foreign_sell_vol", "foreign sell volume", "khối lượng NN bán"},
    {"foreign_net_vol", "foreign net volume", "khối lượng NN mua ròng"},
    {"foreign_net_val", "foreign net value", "giá trị NN mua ròng"},
    {"foreign_net_speed_vol", "foreign net speed", "tốc độ NN mua ròng"},
    {"foreign_net_speed_val", "foreign net value speed", "tốc độ giá trị NN mua ròng"},
    {"foreign_net_accel_val", "foreign net acceleration", "gia tốc NN mua ròng"},
    {"room_used_pct", "foreign room used", "room NN đã dùng"},
    {"basis", "basis", "basis"},
    {"basis_pct", "basis %", "basis %"},
    {"fair_basis", "fair basis", "basis hợp lý"},
    {"basis_minus_fair", "basis minus fair", "basis trừ basis hợp lý"},
    {"index_value", "index", "chỉ số"},
    {"index_change_pct", "index change %", "% thay đổi chỉ số"},
    {"advances", "advancing stocks", "số mã tăng"},
    {"declines", "declining stocks", "số mã giảm"},
    {"minute_volume", "minute volume", "khối lượng phút"},
    {"price_move_pct", "price move", "biến động giá"},
};

std::string_view MetricWord(std::string_view key, Lang lang) {
  for (const MetricName& m : kMetricWords) {
    if (m.key == key) return lang == Lang::kVi ? m.vi : m.en;
  }
  return key;
}

std::string ComparisonWord(std::string_view c, Lang lang) {
  if (c == "crosses_above") return lang == Lang::kVi ? "vượt lên trên" : "crossed above";
  if (c == "crosses_below") return lang == Lang::kVi ? "xuống dưới" : "crossed below";
  if (c == ">=") return "≥";
  if (c == "<=") return "≤";
  if (c == "==") return "=";
  return std::string(c);
}

std::optional<double> Detail(const Alert& a, std::string_view key) {
  for (std::size_t i = 0; i < a.n_details; ++i) {
    if (a.details[i].key == key) return a.details[i].value;
  }
  return std::nullopt;
}

// "FPT", or "VN30F1M (VN30F2412)" for a contract with an alias, or "VN30F2412".
std::string Subject(const Alert& a) {
  if (a.contract.empty()) return a.symbol.str();
  if (a.alias.empty()) return a.contract.str();
  return a.alias + " (" + a.contract.str() + ")";
}

std::string Minutes(int window_sec, Lang lang) {
  return std::to_string(std::max(window_sec, 60) / 60) + (lang == Lang::kVi ? " phút" : " minutes");
}

}  // namespace

std::optional<Lang> ParseLang(std::string_view s) {
  return kLangNames.Parse(s);
}

std::string_view ToString(Lang l) {
  return kLangNames.Name(l, "en");
}

bool IsPriceMetric(std::string_view metric) {
  return metric == "last_price" || metric == "change" || metric == "vwap";
}

std::string FormatFigure(double v, AlertUnit unit, Lang lang, bool price) {
  return Figure(v, unit, lang, price, false);
}

std::string AlertSentence(const Alert& a, Lang lang) {
  const bool vi = lang == Lang::kVi;
  const bool up = a.direction == Direction::kUp;
  const bool price = IsPriceMetric(a.metric);
  const std::string who = Subject(a);
  const auto fig = [&](double v, AlertUnit u, bool plus = false) { return Figure(v, u, lang, price, plus); };
  const auto detail = [&](std::string_view key, AlertUnit u) {
    const auto d = Detail(a, key);
    return d ? Figure(*d, u, lang, false, false) : std::string("-");
  };
  const AlertUnit vol_unit = a.unit == AlertUnit::kContracts ? AlertUnit::kContracts : AlertUnit::kShares;
  switch (a.type) {
    case AlertType::kVolumeSpike:
      return vi ? who + ": khối lượng đột biến " + fig(a.value, a.unit) + " trong 1 phút, " +
                      detail("multiple", AlertUnit::kMultiple) + " trung bình " +
                      std::to_string(static_cast<int>(Detail(a, "lookback_min").value_or(0))) +
                      " phút trước (" + detail("average", a.unit) + ")"
                : who + " volume spike: " + fig(a.value, a.unit) + " in one minute, " +
                      detail("multiple", AlertUnit::kMultiple) + " the average of the previous " +
                      std::to_string(static_cast<int>(Detail(a, "lookback_min").value_or(0))) + " minutes (" +
                      detail("average", a.unit) + ")";
    case AlertType::kPriceBreakout:
      return vi ? who + (up ? " chạm giá trần: " : " chạm giá sàn: ") +
                      Figure(a.value, a.unit, lang, true, false)
                : who + (up ? " hit the ceiling: " : " hit the floor: ") +
                      Figure(a.value, a.unit, lang, true, false);
    case AlertType::kForeignAcceleration:
      return vi ? who + ": khối ngoại tăng tốc " + (up ? "mua" : "bán") + " ròng " + fig(a.value, a.unit) +
                      " (tốc độ ròng " + detail("net_speed_val", AlertUnit::kVndPerMin) + ")"
                : who + " foreign net " + (up ? "buying" : "selling") +
                      " accelerating: " + fig(a.value, a.unit) + " (net speed " +
                      detail("net_speed_val", AlertUnit::kVndPerMin) + ")";
    case AlertType::kBasisDivergence:
      return vi ? who + ": basis chuyển sang " + (up ? "dương (premium) " : "âm (discount) ") +
                      fig(a.value, a.unit, true) + " (" + detail("basis_pct", AlertUnit::kPercent) +
                      "), VN30 " + Number(Detail(a, "spot").value_or(0), 2, lang)
                : who + " basis flipped to " + (up ? "premium: " : "discount: ") +
                      fig(a.value, a.unit, true) + " (" + detail("basis_pct", AlertUnit::kPercent) +
                      "), VN30 " + Number(Detail(a, "spot").value_or(0), 2, lang);
    case AlertType::kVelocityDivergence:
      return vi ? who + ": giá " + fig(a.value, a.unit, true) + " trong " + Minutes(a.window_sec, lang) +
                      " nhưng dòng tiền chủ động nghiêng về " + (up ? "bán" : "mua") + " (chênh lệch " +
                      Figure(Detail(a, "imbalance_pct").value_or(0), AlertUnit::kPercent, lang, false, true) +
                      ")"
                : who + " price " + fig(a.value, a.unit, true) + " over " + Minutes(a.window_sec, lang) +
                      " while active flow is " + (up ? "selling" : "buying") + " (imbalance " +
                      Figure(Detail(a, "imbalance_pct").value_or(0), AlertUnit::kPercent, lang, false, true) +
                      ")";
    case AlertType::kImbalanceExtreme:
      return vi ? who + ": " + (up ? "mua" : "bán") + " chủ động áp đảo, tỷ lệ mua chủ động " +
                      fig(a.value, a.unit) + " trong " + Minutes(a.window_sec, lang) + " (" +
                      detail("aggressed_vol", vol_unit) + ")"
                : who + " active " + (up ? "buying" : "selling") + " dominates: active-buy ratio " +
                      fig(a.value, a.unit) + " over " + Minutes(a.window_sec, lang) + " (" +
                      detail("aggressed_vol", vol_unit) + " aggressed)";
    case AlertType::kUserRule:
    case AlertType::kCount:
      break;
  }
  std::string label = a.rule_name;
  if (label.empty()) label = (vi ? "quy tắc " : "rule ") + std::to_string(a.rule_id);
  std::string metric(MetricWord(a.metric, lang));
  if (a.window_sec > 0 && a.metric == "active_buy_ratio_window")
    metric += vi ? " (" + Minutes(a.window_sec, lang) + ")" : " (" + Minutes(a.window_sec, lang) + ")";
  const std::string cmp = ComparisonWord(a.comparison, lang);
  if (a.comparison == "crosses_above" || a.comparison == "crosses_below")
    return label + ": " + who + " " + metric + " " + cmp + " " + fig(a.threshold, a.unit) + " (" +
           fig(a.value, a.unit) + ")";
  return label + ": " + who + " " + metric + " " + fig(a.value, a.unit) + " " + cmp + " " +
         fig(a.threshold, a.unit);
}

}  // namespace vnt::core
