// What a rule's symbol names (stock, futures contract, index) and a metric's current value, read from the
// live market stores; values in the API's units (VND for stock prices, percent for ratios).
import { foreignSymbols, futures, indices, symbols } from '../state/market'
import type { InstrumentKind } from './alertText'
import type { FuturesState, SymbolState } from './types'

// A contract by its code (VN30F2412), KRX code (41I1G1000) or alias (VN30F1M).
export function findFutures(sym: string): FuturesState | undefined {
  const u = sym.toUpperCase()
  return futures.get().find((f) => f.symbol === u || f.krx_code === u || f.alias === u)
}

// The exchanges' index ids (the server's list), for an index not in the live data yet.
const INDEX_IDS =
  /^(VN30|VNINDEX|VN100|VNMIDCAP|VNSMALLCAP|VNALLSHARE|VNXALLSHARE|HNXINDEX|HNX30|HNXUPCOMINDEX|UPCOMINDEX)$/

// '*' is every symbol; an unknown name is taken for a stock unless it looks like a contract or an index.
export function instrumentKind(sym: string): InstrumentKind | 'all' {
  const u = sym.trim().toUpperCase()
  if (u === '' || u === '*') return 'all'
  if (findFutures(u) || symbols.get(u)?.kind === 'futures' || /^VN30F/.test(u)) return 'futures'
  if (indices.get(u) || INDEX_IDS.test(u)) return 'index'
  return 'stock'
}

const ratioPct = (r: number | null | undefined) => (r === null || r === undefined ? null : r * 100)

// A metric from a symbol's state (the board's /ws/market entry or GET /api/market/symbol/{symbol}); null when
// the live data does not carry it (windowed ratios, the volume multiple).
export function symbolMetric(metric: string, s: SymbolState): number | null {
  return symbolField(metric, s) ?? null // a partial state (an older server) lacks some fields
}

function symbolField(metric: string, s: SymbolState): number | null | undefined {
  const f = s.foreign
  switch (metric) {
    case 'last_price':
      return s.last_price
    case 'change':
      return s.change
    case 'change_pct':
      return s.change_pct
    case 'total_vol':
      return s.total_vol
    case 'total_val':
      return s.total_val
    case 'trade_count':
      return s.trade_count
    case 'vwap':
      return s.vwap
    case 'active_buy_vol':
      return s.active_buy_vol
    case 'active_sell_vol':
      return s.active_sell_vol
    case 'active_buy_ratio':
      return ratioPct(s.active_buy_ratio)
    case 'foreign_buy_vol':
      return f?.buy_vol ?? null
    case 'foreign_sell_vol':
      return f?.sell_vol ?? null
    case 'foreign_net_vol':
      return f?.net_vol ?? null
    case 'foreign_net_val':
      return f?.net_val ?? null
    case 'foreign_net_speed_vol':
      return f?.net_speed_vol ?? null
    case 'foreign_net_speed_val':
      return f?.net_speed_val ?? null
    case 'foreign_net_accel_val':
      return f?.net_accel_val ?? null
    case 'room_used_pct':
      return f?.room_used_pct ?? null
    default:
      return null
  }
}

function futuresMetric(metric: string, f: FuturesState): number | null {
  switch (metric) {
    case 'last_price':
      return f.last
    case 'change':
      return f.change
    case 'change_pct':
      return f.change_pct
    case 'total_vol':
      return f.volume
    case 'total_val':
      return f.value
    case 'trade_count':
      return f.trade_count
    case 'active_buy_vol':
      return f.active_buy_vol
    case 'active_sell_vol':
      return f.active_sell_vol
    case 'basis':
      return f.basis
    case 'basis_pct':
      return f.basis_pct
    case 'fair_basis':
      return f.fair_basis
    case 'basis_minus_fair':
      return f.basis_minus_fair
    default:
      return null
  }
}

// The metric's value now for one symbol: a number, null when the live data has no such figure, undefined
// when the symbol is not in the live data at all (ask the server: GET /api/market/symbol/{symbol}).
export function liveMetric(metric: string, sym: string): number | null | undefined {
  const u = sym.trim().toUpperCase()
  if (u === '' || u === '*') return null
  const fut = findFutures(u)
  if (fut) {
    const v = futuresMetric(metric, fut)
    if (v !== null) return v
    const s = symbols.get(fut.krx_code)
    return s ? symbolMetric(metric, s) : null
  }
  const idx = indices.get(u)
  if (idx) {
    if (metric === 'index_value') return idx.value
    if (metric === 'index_change_pct') return idx.change_pct
    if (metric === 'advances') return idx.advances
    if (metric === 'declines') return idx.declines
    return null
  }
  const s = symbols.get(u)
  if (!s) return undefined
  const fs = foreignSymbols.get(u)
  return symbolMetric(metric, fs ? { ...s, foreign: fs } : s) // /ws/foreign is the fresher source
}
