// The server's JSON as the web app reads it: one member per golden answer of tests/golden/api/ (captured from
// the real server by tests/functional/api_shape_test.py), typed with the app's own types. wire.test.ts turns
// this interface into a JSON Schema (every object closed: no field the type does not name) and validates
// each golden against it, so a field renamed, added or retyped on either side fails a test.
import type { Alert, AlertRule, Candle, FuturesState, SymbolState, WsMessage } from '../lib/model/types'
import type { ForeignData, IndexData, MarketData } from '../lib/state/market'
import type { Overview } from '../features/overview/overview'
import type { BasisRow, ForeignDay, IndexHistoryRow } from '../features/symbol/api'
import type { HistoryCandle } from '../lib/model/bars'
import type { Trade, TradesPage } from '../features/symbol/trades'
import type { ApiErrorBody } from '../lib/transport/api'
import type { ProfileLevel } from '../features/symbol/profile'
import type { BasisTrend } from '../features/derivatives/DerivativesPage'
import type { ForeignSeries } from '../features/foreign/ForeignPage'
import type { Sparklines } from '../features/board/sparks'

export interface Wire {
  market_symbol: SymbolState
  market_futures: FuturesState[]
  market_volume_profile: { symbol: string; levels: ProfileLevel[] }
  market_basis_trend: BasisTrend
  market_candles: { symbol: string; candles: Candle[] }
  market_candles_index: { symbol: string; candles: Candle[] }
  market_sparklines: Sparklines
  market_foreign_series: ForeignSeries
  market_trades: TradesPage
  market_alerts: Alert[]
  market_alerts_rule: Alert[]
  market_overview: Overview
  alerts_rules: AlertRule[]
  alerts_rule_created: AlertRule
  history_alerts: Alert[]
  history_candles: HistoryCandle[]
  history_candles_1d: HistoryCandle[]
  history_foreign_daily: ForeignDay[]
  history_index: IndexHistoryRow[]
  history_derivatives: BasisRow[]
  error_not_found: ApiErrorBody
  error_bad_parameter: ApiErrorBody
  ws_market_snapshot: WsMessage<MarketData>
  ws_market_delta: WsMessage // a patch of MarketData, merged member by member (lib/state/merge.ts)
  ws_foreign_snapshot: WsMessage<ForeignData>
  ws_foreign_delta: WsMessage<ForeignData>
  ws_index_snapshot: WsMessage<IndexData>
  ws_index_delta: WsMessage<IndexData>
  ws_alerts_snapshot: WsMessage<{ alerts: Alert[] }>
  ws_alerts_alert: WsMessage<Alert>
  ws_trades_snapshot: WsMessage<{ trades: Trade[] }>
  ws_trades_delta: WsMessage<{ trades: Trade[] }>
}

// Goldens of endpoints the app does not read as JSON (CSV downloads, operators' endpoints): the server's
// side of them is checked by api_shape_test.py alone.
export const NOT_READ = [
  'health',
  'vn30_components',
  'market_snapshot', // the board's CSV download
  'market_orderbook',
  'market_foreign_detail', // CSV download
  'market_volume_stats', // CSV download
  'market_session',
  'history_ticks',
  'history_foreign',
]
