#include "store/reader.h"

#include "core/futures.h"
#include "core/index_state.h"
#include "store/backend.h"
#include "store/location.h"

namespace vnt::store {

std::optional<CandleInterval> ParseCandleInterval(std::string_view s) {
  if (s == "1m") return CandleInterval::k1m;
  if (s == "5m") return CandleInterval::k5m;
  if (s == "15m") return CandleInterval::k15m;
  if (s == "1h") return CandleInterval::k1h;
  if (s == "1d") return CandleInterval::k1d;
  return std::nullopt;
}

Reader::Reader(const std::string& location, std::chrono::milliseconds busy_timeout)
    : impl_(IsPostgresUrl(location) ? OpenPgReader(location) : OpenSqliteReader(location, busy_timeout)) {}

Reader::~Reader() = default;

Result<std::vector<CandleRow>> Reader::Candles(Symbol symbol, const TimeRange& range) {
  return impl_->Candles(symbol, range);
}

Result<std::vector<CandleRow>> Reader::CandlesAggregated(Symbol symbol, CandleInterval interval, Date from,
                                                         Date to, std::int64_t limit) {
  return impl_->CandlesAggregated(symbol, interval, from, to, limit);
}

Result<std::vector<TickRow>> Reader::Ticks(Symbol symbol, const TimeRange& range) {
  return impl_->Ticks(symbol, range);
}

Result<std::vector<ForeignRow>> Reader::ForeignHistory(Symbol symbol, const TimeRange& range) {
  return impl_->ForeignHistory(symbol, range);
}

Result<std::vector<ForeignRow>> Reader::ForeignDaily(Symbol symbol, Date from, Date to) {
  return impl_->ForeignDaily(symbol, from, to);
}

Result<std::vector<IndexRow>> Reader::IndexHistory(Symbol id, const TimeRange& range) {
  return impl_->IndexHistory(core::NormalizeIndexId(id), range);
}

Result<std::vector<BasisRow>> Reader::BasisHistory(Symbol contract, const TimeRange& range) {
  Symbol key = contract;
  if (const auto month = core::ParseFuturesCode(contract.view())) {
    const Symbol krx = core::KrxCode(*month);
    if (!krx.empty()) key = krx;  // VN30F2603 and 41i1g3000 both find 41I1G3000
  }
  return impl_->BasisHistory(key, range);
}

Result<std::vector<AlertRow>> Reader::Alerts(const TimeRange& range, const AlertFilter& filter) {
  return impl_->Alerts(range, filter);
}

Result<std::vector<DeliveryRow>> Reader::AlertDeliveries(const TimeRange& range, const AlertFilter& filter) {
  return impl_->AlertDeliveries(range, filter);
}

Result<std::vector<StoredRule>> Reader::ListRules() {
  return impl_->ListRules();
}

Result<std::optional<StoredRule>> Reader::GetRule(std::int64_t id) {
  return impl_->GetRule(id);
}

Result<std::int64_t> Reader::CreateRule(const core::AlertRule& rule) {
  return impl_->CreateRule(rule);
}

Result<bool> Reader::UpdateRule(const core::AlertRule& rule) {
  return impl_->UpdateRule(rule);
}

Result<bool> Reader::DeleteRule(std::int64_t id) {
  return impl_->DeleteRule(id);
}

Result<std::int64_t> Reader::FramesOfDay(Date date, const std::function<bool(const FrameView&)>& fn) {
  return impl_->FramesOfDay(date, fn);
}

Result<std::int64_t> Reader::PruneFramesBefore(Date keep_from) {
  return impl_->PruneFramesBefore(keep_from);
}

Result<std::int64_t> Reader::PruneHistoryBefore(Date keep_from) {
  return impl_->PruneHistoryBefore(keep_from);
}

Result<std::optional<Date>> Reader::LatestTradingDate() {
  return impl_->LatestTradingDate();
}

}  // namespace vnt::store
