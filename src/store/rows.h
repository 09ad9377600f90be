#pragma once
// The rows of the history store: what the writer accepts and what the reader returns. Plain values (no SQLite
// types); prices are Fixed4, volumes and values integers, times exchange times (see schema.h).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/alerts.h"
#include "core/candles.h"
#include "core/classifier.h"
#include "core/types.h"

namespace vnt::store {

// One classified trade (table ticks).
struct TickRow {
  Symbol symbol;
  ExchangeTime time;
  Price price;
  Volume volume{};
  Vnd value{};
  Volume unattributed{};  // volume from missed frames, counted neutral
  core::Aggressor side = core::Aggressor::kNeutral;
  core::ClassifyMethod method = core::ClassifyMethod::kTick;
  Session session = Session::kUnknown;
  Price bid, ask;  // best bid/ask before the trade (zero = none)
  bool futures = false;
  friend bool operator==(const TickRow&, const TickRow&) = default;
};

// One closed 1-minute candle (table candles_1m): the engine's Candle as is.
using CandleRow = core::Candle;

// A symbol's foreign flow at one exchange time (table foreign_snapshots).
struct ForeignRow {
  Symbol symbol;
  ExchangeTime time;
  Volume buy_vol{}, sell_vol{};  // cumulative today
  Vnd buy_val{}, sell_val{};
  std::optional<Volume> total_room, current_room;
  double net_speed_vol = 0, net_speed_val = 0;  // per minute
  double net_accel_vol = 0, net_accel_val = 0;  // per minute per minute
  friend bool operator==(const ForeignRow&, const ForeignRow&) = default;
};

// An index at one exchange time (table index_snapshots).
struct IndexRow {
  Symbol id;  // upper-cased
  ExchangeTime time;
  Price value, change;
  double change_pct = 0;
  std::int32_t advances = 0, declines = 0, no_changes = 0, ceilings = 0, floors = 0;
  std::int64_t total_trade = 0;
  Volume total_qtty{}, total_qtty_pt{}, all_qty{};
  Vnd total_value{}, total_value_pt{}, all_value{};
  Session session = Session::kUnknown;
  friend bool operator==(const IndexRow&, const IndexRow&) = default;
};

// A futures contract's basis at one exchange time (table futures_basis).
struct BasisRow {
  Symbol krx_code, legacy_code;
  ExchangeTime time;
  Price last, spot, basis;
  double basis_pct = 0;
  double fair_basis = 0;
  Volume volume{};  // contracts counted today
  friend bool operator==(const BasisRow&, const BasisRow&) = default;
};

// One fired alert (table alerts). `id` is assigned by the store (ignored when writing). The engine's ids
// restart with the process: (epoch, engine_id) names an alert across restarts (epoch 0: written before
// schema 5 / PostgreSQL 3, or by a caller without an epoch).
struct AlertRow {
  std::int64_t id = 0;
  std::uint64_t engine_id = 0;
  std::int64_t epoch = 0;  // the writing process's epoch (its start, Unix microseconds)
  core::AlertType type = core::AlertType::kUserRule;
  core::Severity severity = core::Severity::kWarning;
  Symbol symbol;
  std::int64_t rule_id = 0;
  std::string message;
  double value = 0, threshold = 0;
  ExchangeTime time;
  // The alert's structured facts (core::Alert); details as "key=value=unit" joined by ';'.
  Symbol contract;
  std::string alias, rule_name, metric;
  core::AlertUnit unit = core::AlertUnit::kNone;
  core::Direction direction = core::Direction::kNone;
  std::string comparison;
  std::int32_t window_sec = 0;
  std::string details;
  friend bool operator==(const AlertRow&, const AlertRow&) = default;
};
// The row of a fired alert, and back (the alert's id is the row's engine_id).
AlertRow ToAlertRow(const core::Alert& a);
core::Alert ToAlert(const AlertRow& r);
std::optional<core::AlertUnit> ParseAlertUnit(std::string_view s);
std::optional<core::Direction> ParseDirection(std::string_view s);

// How one delivery of an alert ended (table alert_deliveries), joined to its alert by (epoch, engine_id).
struct DeliveryRow {
  std::int64_t epoch = 0;       // the process that fired the alert (AlertRow::epoch)
  std::uint64_t engine_id = 0;  // the alert's engine id
  ExchangeTime alert_time;      // the alert's exchange time (its date is what retention prunes on)
  std::string channel;          // webhook | rule_webhook | telegram
  std::string result;           // delivered | given_up | dropped
  std::int32_t attempts = 0;    // attempts made (0: never sent)
  std::int32_t status = 0;      // the last HTTP status, 0 = none
  std::string error;            // the last problem, "" = none
  std::int64_t done_ms = 0;     // wall clock when it ended, Unix ms
  friend bool operator==(const DeliveryRow&, const DeliveryRow&) = default;
};

// One raw feed frame of the journal (table frames).
struct FrameRow {
  Date date;                 // trading date the frame belongs to
  std::int64_t seq = 0;      // the source's sequence number (informational; order is arrival order)
  std::int64_t recv_ms = 0;  // receive time, Unix ms
  std::string text;
  friend bool operator==(const FrameRow&, const FrameRow&) = default;
};

// Anything the writer accepts.
using Row = std::variant<TickRow, CandleRow, ForeignRow, IndexRow, BasisRow, AlertRow, FrameRow, DeliveryRow>;

// The tables, in Row alternative order (Row::index() == static_cast<size_t>(Table)).
enum class Table : std::uint8_t {
  kTicks,
  kCandles,
  kForeign,
  kIndex,
  kBasis,
  kAlerts,
  kFrames,
  kAlertDeliveries,
  kCount
};
inline constexpr std::size_t kTableCount = static_cast<std::size_t>(Table::kCount);
static_assert(std::variant_size_v<Row> == kTableCount, "one table per Row alternative");

// SQL table name ("ticks", "candles_1m", ...), also the Prometheus label.
std::string_view TableName(Table t);
// The table a row goes to.
inline Table TableOf(const Row& r) {
  return static_cast<Table>(r.index());
}

// Inverses of the core ToString() of the enums stored as text; nullopt for anything else.
std::optional<core::Aggressor> ParseAggressor(std::string_view s);
std::optional<core::ClassifyMethod> ParseClassifyMethod(std::string_view s);

}  // namespace vnt::store
