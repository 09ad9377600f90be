#pragma once
// Per-contract state of the VN30 index futures: last, volume, basis against the VN30 index, fair (cost of
// carry) basis, and convergence (slope of basis and the basis projected to expiry).
//
// Time for the slope and projection is counted in futures *trading* minutes: 08:45-11:30 and 13:00-14:45
// (HNX derivatives), 270 minutes per business day, so the lunch break neither flattens the slope nor counts
// towards the time left. Projected basis at expiry = basis + slope * trading minutes remaining, where the
// minutes remaining = what is left of today's 270 + 270 per business day after today up to the last trading
// day.

#include <cstdint>
#include <optional>

#include "core/events.h"
#include "core/futures.h"
#include "core/ring_buffer.h"
#include "core/types.h"

namespace vnt::core {

// Futures minutes of trading per business day (08:45-11:30 + 13:00-14:45).
inline constexpr int kFuturesTradingMinutesPerDay = 270;
// Contract multiplier: VND per index point per contract.
inline constexpr std::int64_t kFuturesMultiplier = 100'000;

// Tunables of the futures analytics.
struct FuturesConfig {
  double carry_rate = 0.045;        // r, annual, continuous compounding
  double dividend_yield = 0.02;     // q, annual
  int convergence_window_min = 30;  // slope over the basis points of the last N trading minutes
  // The slope is extrapolated to expiry only when expiry is at most this many trading minutes away: a
  // 30-minute trend says nothing about the basis weeks ahead (one trading day by default).
  int projection_horizon_min = 270;
  std::size_t history_capacity = 400;  // basis points kept per contract (one per minute)
};

// One point of a contract's basis history: the last basis of a minute of exchange time.
struct BasisPoint {
  std::int32_t minute = 0;  // seconds since midnight of the minute's start
  double trading_min = 0;   // futures trading minutes elapsed today at the point's time (x for the slope)
  Price basis;
  Price futures;
  Price spot;
};

// One contract (listed today or seen in the feed).
struct FuturesState {
  FuturesContract contract;
  std::optional<ContractAlias> alias;  // nullopt when not among today's four listed contracts
  bool front = false;                  // the contract shown as "the" VN30F (1M, or FUTURES_OVERRIDE)
  Price last, ref;
  Price change;  // last - ref (zero until both are known)
  double change_pct = 0;
  Volume volume{};  // contracts counted by the engine today
  // As for stocks: contracts traded before the engine first saw the contract today, and TotalVol as the
  // feed last sent it (volume = feed_total_vol - baseline_vol when no frame was lost).
  Volume baseline_vol{}, feed_total_vol{};
  // False when the expiry lies past the holiday data (src/core/data/vn_holidays.txt): unverified.
  bool expiry_calendar_covered = true;
  // The aggressor split of `volume` (active buy + active sell + neutral = volume), from the contract's
  // trades.
  Volume active_buy_vol{}, active_sell_vol{}, neutral_vol{};
  Vnd value{};  // points x contracts x 100,000
  std::int64_t trade_count = 0;
  Book book;               // the contract's order book as the feed last sent it (up to 10 levels a side)
  int days_to_expiry = 0;  // calendar days to the last trading day (0 on it)
  int business_days_after_today = 0;  // business days in (today, last trading day]

  bool has_basis = false;
  Price spot;             // VN30 value used for the basis
  Price basis;            // last - VN30 (points)
  double basis_pct = 0;   // basis / VN30 * 100
  double fair_basis = 0;  // VN30 * (exp((r - q) * days / 365) - 1)
  double basis_minus_fair = 0;
  std::optional<double> slope_per_min;  // least-squares slope, points per trading minute
  // basis + slope * trading_minutes_left, when expiry is within the projection horizon (else nullopt).
  std::optional<double> projected_basis_at_expiry;
  // The slope that brings the basis linearly to zero at expiry (the futures settle at the index):
  // -basis / trading_minutes_left; nullopt on the last minute. Compare with slope_per_min.
  std::optional<double> required_slope_per_min;
  double trading_minutes_left = 0;
  RingBuffer<BasisPoint> history{400};
  ExchangeTime updated;
};

// Trading minutes of the futures day elapsed at time t, in [0, 270] (fractional).
double FuturesTradingMinuteOfDay(TimeOfDay t);
// Cost-of-carry fair basis in points.
double FairBasis(double spot, double carry_rate, double dividend_yield, int calendar_days);
// Least-squares slope of basis per trading minute over the points of the last `window_min` trading minutes;
// nullopt with fewer than 2 points or no spread in time.
std::optional<double> BasisSlope(const RingBuffer<BasisPoint>& history, int window_min);
// Recomputes basis, fair basis, history, slope and projection from `spot` (VN30) at `now`.
// Returns false (and clears has_basis) when the futures last or the spot is unknown.
bool RecomputeBasis(FuturesState& s, Price spot, ExchangeTime now, const FuturesConfig& cfg);

}  // namespace vnt::core
