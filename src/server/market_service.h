#pragma once
// REST handlers over the live engine (and the history store when one is attached). Runs on the server
// thread, which is also the engine thread: reads need no locks. Shapes are documented in the README.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/market_json.h"
#include "api/rule_json.h"
#include "common/result.h"
#include "core/engine.h"
#include "server/history_service.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/trade_tape.h"

namespace vnt::server {

// What /health reports about the parts the service does not own.
struct HealthInfo {
  std::function<std::string()> feed_state;  // "connected", "reconnecting", "replay-finished", ...
  std::function<double()> feed_lag_ms;      // now - exchange time of the last frame (negative = unknown)
  std::function<std::uint64_t()> frames_received;  // total frames
  std::function<std::string()> store_state;        // "ok", "degraded: <error>", "none"
};

// Where user rules are persisted (all empty = in memory only). The store's id becomes the engine's id.
// An error's message is shown after "rule not saved: " (503); a rule the store does not hold is an error.
struct RuleStore {
  std::function<Result<std::int64_t>(const core::AlertRule&)> create;  // the id the store assigned
  std::function<Status(const core::AlertRule&)> update;
  std::function<Status(std::int64_t id)> remove;
};

class MarketService {
 public:
  MarketService(core::MarketEngine& engine, HealthInfo health, HistoryProvider history, Registry& metrics);
  // Registers every endpoint on the router.
  void Register(Router& router);
  // The VN30 basket served by /api/vn30-components.
  void SetVn30(std::vector<Symbol> symbols) { vn30_ = std::move(symbols); }
  // Persists rule changes through `store` from now on.
  void SetRuleStore(RuleStore store) { rules_ = std::move(store); }
  // Checks a rule's webhook_url as the delivery will parse it (an error whose message is one line, no URL
  // in it), so a rule is refused at POST/PUT rather than failing at its first alert. Unset = core's syntax
  // check only.
  void SetWebhookCheck(std::function<Status(std::string_view url)> check) {
    webhook_check_ = std::move(check);
  }
  // Serves /api/market/trades/{symbol} from `tape` (the publisher's); unset = 503.
  void SetTradeTape(const TradeTape* tape) { tape_ = tape; }
  // The most user rules kept: a create beyond it is refused with 409.
  void SetMaxRules(std::size_t n) { max_rules_ = n; }
  // The delivery outcomes known in this process for an alert id: /api/market/alerts then gives every alert
  // a "deliveries" array. Called on the server thread; must not block. Unset = no "deliveries" member.
  void SetAlertDeliveries(std::function<std::vector<api::AlertDeliveryJson>(std::uint64_t alert_id)> f) {
    alert_deliveries_ = std::move(f);
  }

 private:
  Response Health() const;
  Response Snapshot(const Request& req) const;
  Response Symbol1(const std::string& sym) const;
  Response ForeignDetail() const;
  Response VolumeStats(const Request& req) const;
  Response BasisTrend(const Request& req) const;
  Response Alerts(const Request& req) const;
  Response OrderBook(const std::string& sym) const;
  Response Futures() const;
  Response VolumeProfile(const std::string& sym) const;
  Response SessionState() const;
  Response Trades(const Request& req, const std::string& sym) const;
  // `?format=csv` on an endpoint a trader exports: its JSON answer as a CSV download (api/csv.h), rows from
  // `rows_key` ("" = the top-level array); the file is named vnt-<what>[-<symbol>]-<date>.csv.
  Handler Csv(std::string what, std::string rows_key, Handler json) const;
  Response RulesList() const;
  // A rule's symbol must name something the market has: a VN30 stock, a symbol seen today, an index id, a
  // listed futures contract or alias, or "*".
  bool KnownRuleSymbol(std::string_view sym) const;
  Response UnknownRuleSymbol(std::string_view sym) const;
  Response RuleCreate(const Request& req);
  Response RuleUpdate(const Request& req, const std::string& id);
  Response RuleDelete(const std::string& id);
  // Today's 1-minute candles from the engine (closed + the open one); VN30 = the basket's summed flow.
  Response Candles(const std::string& sym) const;
  // Every stock's minute closes today (board sparklines).
  Response Sparklines() const;
  // The VN30 basket's cumulative foreign flow per minute today, from the store.
  Response ForeignSeries() const;

  core::MarketEngine& engine_;
  HealthInfo health_;
  Registry& metrics_;
  std::vector<Symbol> vn30_;
  RuleStore rules_;
  const TradeTape* tape_ = nullptr;
  std::function<Status(std::string_view)> webhook_check_;
  std::function<std::vector<api::AlertDeliveryJson>(std::uint64_t)> alert_deliveries_;
  // 400 naming webhook_url when the check refuses the rule's URL; nullopt when it passes.
  std::optional<Response> CheckWebhook(const core::AlertRule& r) const;
  std::size_t max_rules_ = 200;
  // The unfiltered snapshot, serialised once and shared while the engine has not changed, and at most
  // kSnapshotMaxAge old while it does (the WebSocket cadence is 500 ms).
  static constexpr std::chrono::milliseconds kSnapshotMaxAge{100};
  mutable std::shared_ptr<const std::string> snapshot_cache_;
  mutable std::uint64_t snapshot_events_ = 0;
  mutable std::chrono::steady_clock::time_point snapshot_at_{};
  HistoryService history_service_;  // /api/history/*
};

// The parameters of /api/market/alerts, parsed and matched the same way by the engine node and by an edge
// (bus/edge_market_service.h): limit, type, severity, min_severity, rule_id, before_id, symbol (a contract by
// KRX code, VN30FYYMM or alias), from and to (exchange time).
struct AlertQuery {
  int limit = 50;
  std::optional<core::AlertType> type;
  std::optional<core::Severity> severity, min_severity;
  std::int64_t rule_id = -1, before_id = 0;
  std::string symbol;          // upper case, "" = any
  std::string from, to_bound;  // bounds on the alert's "YYYY-MM-DDTHH:MM:SS" ("" = none)
  // The query, or the first bad parameter (a 400).
  static Result<AlertQuery> Parse(const Request& req);
  // `iso_time` (the alert's "YYYY-MM-DDTHH:MM:SS", without the wire's "+07:00"; "" when unknown) is called
  // only when a time bound is set.
  bool Matches(std::uint64_t id, core::AlertType type, core::Severity severity, std::int64_t rule_id,
               std::string_view symbol, std::string_view contract, std::string_view alias,
               const std::function<std::string()>& iso_time) const;
};

// `?symbols=A,B` of /api/market/snapshot (engine and edge), empty when absent; or the bad symbol (a 400).
Result<std::vector<Symbol>> ParseSymbolList(const Request& req);

// The parameters of /api/market/trades/{symbol}: limit, min_volume, before_seq.
struct TradesQuery {
  int limit = 200;
  int min_volume = 0;
  std::uint64_t before_seq = 0;
  // The query, or the first bad parameter (a 400).
  static Result<TradesQuery> Parse(const Request& req);
};

// Parses a user rule from a JSON object (POST/PUT body): api/rule_json.h.
using api::ParseRuleJson;

}  // namespace vnt::server
