#include "core/futures_state.h"

#include <algorithm>
#include <cmath>

#include "core/candles.h"

namespace vnt::core {

double FuturesTradingMinuteOfDay(TimeOfDay t) {
  if (!t.valid()) return 0;
  constexpr int kMorningOpen = 8 * 3600 + 45 * 60;
  constexpr int kMorningClose = 11 * 3600 + 30 * 60;
  constexpr int kAfternoonOpen = 13 * 3600;
  constexpr int kAfternoonClose = 14 * 3600 + 45 * 60;
  constexpr double kMorningMinutes = (kMorningClose - kMorningOpen) / 60.0;
  const int s = t.sec;
  if (s <= kMorningOpen) return 0;
  if (s <= kMorningClose) return (s - kMorningOpen) / 60.0;
  if (s <= kAfternoonOpen) return kMorningMinutes;
  if (s <= kAfternoonClose) return kMorningMinutes + (s - kAfternoonOpen) / 60.0;
  return kFuturesTradingMinutesPerDay;
}

double FairBasis(double spot, double carry_rate, double dividend_yield, int calendar_days) {
  if (calendar_days <= 0) return 0;
  return spot * (std::exp((carry_rate - dividend_yield) * calendar_days / 365.0) - 1.0);
}

std::optional<double> BasisSlope(const RingBuffer<BasisPoint>& history, int window_min) {
  if (history.size() < 2) return std::nullopt;
  // The window is measured in trading minutes, so at 13:05 a 30-minute window still reaches back into the
  // morning session instead of holding five points.
  const double oldest_allowed = history.back().trading_min - window_min;
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = history.size(); i-- > 0;) {
    const BasisPoint& p = history[i];
    if (p.trading_min < oldest_allowed) break;
    const double x = p.trading_min;
    const double y = p.basis.ToDouble();
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 2) return std::nullopt;
  const double den = n * sxx - sx * sx;
  // Points all at one trading minute (e.g. collected during the lunch break) carry no time information.
  if (std::fabs(den) < 1e-9) return std::nullopt;
  return (n * sxy - sx * sy) / den;
}

bool RecomputeBasis(FuturesState& s, Price spot, ExchangeTime now, const FuturesConfig& cfg) {
  if (s.last.raw <= 0 || spot.raw <= 0) {
    s.has_basis = false;
    return false;
  }
  s.has_basis = true;
  s.spot = spot;
  s.basis = s.last - spot;
  s.basis_pct = static_cast<double>(s.basis.raw) * 100.0 / static_cast<double>(spot.raw);
  s.fair_basis = FairBasis(spot.ToDouble(), cfg.carry_rate, cfg.dividend_yield, s.days_to_expiry);
  s.basis_minus_fair = s.basis.ToDouble() - s.fair_basis;
  if (now.date.valid() && (!s.updated.date.valid() || s.updated < now)) s.updated = now;

  const std::int32_t minute = MinuteOf(now.time);
  if (minute >= 0) {
    BasisPoint p{minute, FuturesTradingMinuteOfDay(now.time), s.basis, s.last, spot};
    if (!s.history.empty() && s.history.back().minute == minute) {
      s.history.back() = p;  // one point per minute: the latest basis of the minute
    } else if (s.history.empty() || s.history.back().minute < minute) {
      s.history.push_back(p);
    }
  }

  const double today_left = kFuturesTradingMinutesPerDay - FuturesTradingMinuteOfDay(now.time);
  s.trading_minutes_left = s.days_to_expiry < 0
                               ? 0.0
                               : today_left + static_cast<double>(kFuturesTradingMinutesPerDay) *
                                                  std::max(s.business_days_after_today, 0);
  s.slope_per_min = BasisSlope(s.history, cfg.convergence_window_min);
  if (s.slope_per_min && s.trading_minutes_left <= cfg.projection_horizon_min) {
    s.projected_basis_at_expiry = s.basis.ToDouble() + *s.slope_per_min * s.trading_minutes_left;
  } else {
    s.projected_basis_at_expiry.reset();
  }
  if (s.trading_minutes_left >= 1.0) {
    s.required_slope_per_min = -s.basis.ToDouble() / s.trading_minutes_left;
  } else {
    s.required_slope_per_min.reset();
  }
  return true;
}

}  // namespace vnt::core
